package clients

import (
	"context"
	"sync"
	"sync/atomic"

	azlog "github.com/Azure/azure-sdk-for-go/sdk/azcore/log"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

const sdkSubsystem = "azure-sdk"

var (
	listenerOnce sync.Once
	// sdkLogCtx is the context of the latest Configure; its logger receives the SDK's events.
	sdkLogCtx atomic.Pointer[context.Context]
)

// RouteSDKLogs sends azcore's request, response, retry and LRO log events to tflog (DEBUG,
// subsystem "azure-sdk"), redacted. ctx must carry the provider's logger (Configure's does).
// azcore has one global listener: it is installed once and writes to the logger of the most
// recent call, so a provider configured again (as in tests) logs to its current sink.
func RouteSDKLogs(ctx context.Context) {
	ctx = tflog.NewSubsystem(ctx, sdkSubsystem)
	sdkLogCtx.Store(&ctx)
	listenerOnce.Do(func() {
		azlog.SetEvents(azlog.EventRequest, azlog.EventResponse, azlog.EventResponseError, azlog.EventRetryPolicy, azlog.EventLRO)
		azlog.SetListener(func(ev azlog.Event, msg string) {
			if c := sdkLogCtx.Load(); c != nil {
				tflog.SubsystemDebug(*c, sdkSubsystem, Redact(msg), map[string]any{"event": string(ev)})
			}
		})
	})
}
