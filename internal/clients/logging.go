package clients

import (
	"context"
	"sync"

	azlog "github.com/Azure/azure-sdk-for-go/sdk/azcore/log"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

var listenerOnce sync.Once

// RouteSDKLogs sends azcore's request, response, retry and LRO log events to tflog (DEBUG,
// subsystem "azure-sdk"), redacted. ctx must carry the provider's logger (Configure's does).
// azcore has one global listener, so only the first call takes effect.
func RouteSDKLogs(ctx context.Context) {
	listenerOnce.Do(func() {
		ctx = tflog.NewSubsystem(ctx, "azure-sdk")
		azlog.SetEvents(azlog.EventRequest, azlog.EventResponse, azlog.EventResponseError, azlog.EventRetryPolicy, azlog.EventLRO)
		azlog.SetListener(func(ev azlog.Event, msg string) {
			tflog.SubsystemDebug(ctx, "azure-sdk", Redact(msg), map[string]any{"event": string(ev)})
		})
	})
}
