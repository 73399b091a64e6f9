// Package clients builds the one Azure client the provider hands to every resource.
package clients

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/estate"
)

// DefaultPollFrequency is how often long-running operations are polled when the service sends
// no Retry-After. azcore's own default is 30 s, which makes every apply feel stuck.
const DefaultPollFrequency = 5 * time.Second

// ServiceLimits are the VM Applications limits the provider validates at plan time. The
// defaults are the seed's documented limits; users raise them as the service raises its own.
type ServiceLimits struct {
	MaxReplicasPerRegion int64
	MaxApplicationsPerVM int64
	MaxPackageSizeBytes  int64
	AllowedBlobTypes     []string
}

// DefaultServiceLimits returns the seed's documented limits.
func DefaultServiceLimits() ServiceLimits {
	return ServiceLimits{
		MaxReplicasPerRegion: 3,
		MaxApplicationsPerVM: 5,
		MaxPackageSizeBytes:  1 << 30,
		AllowedBlobTypes:     []string{"PageBlob"},
	}
}

// Options are what the provider's Configure resolved; New turns them into a Client.
type Options struct {
	SubscriptionID string
	Credential     azcore.TokenCredential
	Cloud          cloud.Configuration
	// StorageSuffix is the cloud's storage endpoint suffix ("core.windows.net"); blob
	// endpoints under it are the only hosts outside ARM that receive the credential.
	StorageSuffix  string
	Version        string
	Limits         ServiceLimits
	SkipBlobChecks bool
	PollFrequency  time.Duration
	// Transport overrides the HTTP client (tests); nil uses azcore's default.
	Transport policy.Transporter
}

// Client is the configured connection to Azure shared by all resources and data sources.
type Client struct {
	SubscriptionID string
	Credential     azcore.TokenCredential
	Cloud          cloud.Configuration
	StorageSuffix  string
	Compute        *armcompute.ClientFactory
	ARMOptions     *arm.ClientOptions
	Limits         ServiceLimits
	SkipBlobChecks bool
	PollFrequency  time.Duration
	UserAgent      string
	// Estate is what this run (one plan, or one apply) plans: the resources' ModifyPlan record
	// their planned objects in it, so the checks see the whole planned estate.
	Estate *estate.View
	// Reads shares the reads of one run (targets, instance views) between resources.
	Reads *RunCache

	factoriesMu sync.Mutex
	factories   map[string]*armcompute.ClientFactory // other subscriptions' factories (ComputeFor)
}

// New builds the Client: the armcompute factory with the provider's retry, logging and
// user-agent policies.
func New(o Options) (*Client, error) {
	if o.SubscriptionID == "" {
		return nil, fmt.Errorf("a subscription ID is required (subscription_id or ARM_SUBSCRIPTION_ID)")
	}
	if o.PollFrequency <= 0 {
		o.PollFrequency = DefaultPollFrequency
	}
	ua := UserAgent(o.Version)
	armOpts := &arm.ClientOptions{ClientOptions: ClientOptions(o.Cloud, ua, o.Transport)}
	factory, err := armcompute.NewClientFactory(o.SubscriptionID, o.Credential, armOpts)
	if err != nil {
		return nil, fmt.Errorf("building the Azure Compute client: %w", err)
	}
	return &Client{
		SubscriptionID: o.SubscriptionID,
		Credential:     o.Credential,
		Cloud:          o.Cloud,
		StorageSuffix:  o.StorageSuffix,
		Compute:        factory,
		ARMOptions:     armOpts,
		Limits:         o.Limits,
		SkipBlobChecks: o.SkipBlobChecks,
		PollFrequency:  o.PollFrequency,
		UserAgent:      ua,
		Estate:         estate.New(),
		Reads:          NewRunCache(),
	}, nil
}

// UserAgent is the product token the provider sends ahead of the SDK's own.
func UserAgent(version string) string {
	if version == "" {
		version = "dev"
	}
	return "terraform-provider-azvmapps/" + version
}

// MaxRetryDelay is the longest wait azcore makes before a retry, its Retry-After included.
// azcore does not shorten a longer Retry-After: it gives up at once and returns the 429. ARM
// throttling asks for up to a few minutes (Retry-After: 120 is common), so the cap is well
// above azcore's default of 60 s.
const MaxRetryDelay = 3 * time.Minute

// ClientOptions are the azcore options every Azure client of the provider uses: the cloud,
// retries on 408/429/5xx honouring Retry-After (up to MaxRetryDelay), retries of a 409 that says
// another operation is in progress (ConflictRetry), the user agent, and log redaction.
func ClientOptions(c cloud.Configuration, userAgent string, transport policy.Transporter) policy.ClientOptions {
	return policy.ClientOptions{
		Cloud: c,
		Retry: policy.RetryOptions{
			MaxRetries:    6,
			RetryDelay:    2 * time.Second,
			MaxRetryDelay: MaxRetryDelay,
			StatusCodes: []int{
				http.StatusRequestTimeout,
				http.StatusTooManyRequests,
				http.StatusInternalServerError,
				http.StatusBadGateway,
				http.StatusServiceUnavailable,
				http.StatusGatewayTimeout,
			},
		},
		Logging: policy.LogOptions{
			// Only these query parameters are logged in clear; azcore redacts the rest
			// (including every SAS parameter).
			AllowedQueryParams: []string{"api-version", "$expand", "$select", "$filter"},
		},
		PerCallPolicies: []policy.Policy{userAgentPolicy{value: userAgent}, DefaultConflictRetry},
		Transport:       transport,
	}
}

// userAgentPolicy puts the provider's product token in front of azcore's telemetry value
// (azcore truncates ApplicationID to 24 characters, too short for our name and version).
type userAgentPolicy struct{ value string }

func (p userAgentPolicy) Do(req *policy.Request) (*http.Response, error) {
	h := req.Raw().Header
	if cur := h.Get("User-Agent"); cur != "" {
		h.Set("User-Agent", p.value+" "+cur)
	} else {
		h.Set("User-Agent", p.value)
	}
	return req.Next()
}
