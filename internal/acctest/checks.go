package acctest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/wait"
)

var (
	credOnce sync.Once
	cred     azcore.TokenCredential
	credErr  error
)

func armEndpoint() string {
	if ep := os.Getenv("ARM_RESOURCE_MANAGER_ENDPOINT"); ep != "" {
		return strings.TrimSuffix(ep, "/")
	}
	return "https://management.azure.com"
}

// armCloud is the cloud of the test environment: the emulator's endpoints when
// ARM_ACTIVE_DIRECTORY_AUTHORITY_HOST is set, else Azure public cloud.
func armCloud() cloud.Configuration {
	host := os.Getenv("ARM_ACTIVE_DIRECTORY_AUTHORITY_HOST")
	if host == "" {
		return cloud.AzurePublic
	}
	aud := os.Getenv("ARM_RESOURCE_MANAGER_AUDIENCE")
	if aud == "" {
		aud = armEndpoint()
	}
	return cloud.Configuration{ActiveDirectoryAuthorityHost: host, Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
		cloud.ResourceManager: {Endpoint: armEndpoint(), Audience: aud}}}
}

func armCredential() (azcore.TokenCredential, error) {
	credOnce.Do(func() {
		cred, credErr = azidentity.NewClientSecretCredential(os.Getenv("ARM_TENANT_ID"), os.Getenv("ARM_CLIENT_ID"), os.Getenv("ARM_CLIENT_SECRET"),
			&azidentity.ClientSecretCredentialOptions{ClientOptions: azcore.ClientOptions{Cloud: armCloud()},
				DisableInstanceDiscovery: os.Getenv("ARM_ACTIVE_DIRECTORY_AUTHORITY_HOST") != ""})
	})
	return cred, credErr
}

// apiVersionFor picks the api-version for an ARM ID by its resource type.
func apiVersionFor(id string) string {
	l := strings.ToLower(id)
	switch {
	case strings.Contains(l, "/microsoft.compute/galleries"):
		return "2026-03-03"
	case strings.Contains(l, "/microsoft.compute/"):
		return "2026-04-01"
	}
	return "2021-04-01"
}

// ARMGet GETs an ARM resource ID with the test credentials and returns the status and body.
// Throttling and server errors (the fault profiles inject them) are retried as a client would,
// honouring Retry-After, so that a check never mistakes a 503 for a resource that exists.
func ARMGet(ctx context.Context, id string) (int, []byte, error) {
	for attempt := 1; ; attempt++ {
		status, body, retryAfter, err := armGetOnce(ctx, id)
		transient := status == http.StatusTooManyRequests || status == http.StatusRequestTimeout || status >= 500
		if err != nil || !transient || attempt == 10 {
			return status, body, err
		}
		if retryAfter <= 0 {
			retryAfter = 500 * time.Millisecond
		}
		select {
		case <-ctx.Done():
			return status, body, ctx.Err()
		case <-time.After(retryAfter):
		}
	}
}

// armGetOnce is one GET of ARMGet, with the Retry-After the answer asks for.
func armGetOnce(ctx context.Context, id string) (int, []byte, time.Duration, error) {
	c, err := armCredential()
	if err != nil {
		return 0, nil, 0, err
	}
	aud := os.Getenv("ARM_RESOURCE_MANAGER_AUDIENCE")
	if aud == "" {
		aud = armEndpoint()
	}
	tok, err := c.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{strings.TrimSuffix(aud, "/") + "/.default"}})
	if err != nil {
		return 0, nil, 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, armEndpoint()+id+"?api-version="+apiVersionFor(id), nil)
	if err != nil {
		return 0, nil, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+tok.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, 0, err
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, wait.RetryAfter(resp), err
}

// CheckDestroyed is a CheckDestroy function: every resource of the given Terraform types left in
// state must be gone from ARM (GET → 404). IDs of the form "<target>|<application>" are skipped.
func CheckDestroyed(resourceTypes ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		for _, rs := range s.RootModule().Resources {
			match := len(resourceTypes) == 0
			for _, t := range resourceTypes {
				match = match || rs.Type == t
			}
			if !match || rs.Primary == nil || rs.Primary.ID == "" || strings.Contains(rs.Primary.ID, "|") || !strings.HasPrefix(rs.Primary.ID, "/subscriptions/") {
				continue
			}
			status, body, err := ARMGet(ctx, rs.Primary.ID)
			if err != nil {
				return fmt.Errorf("checking %s %s: %w", rs.Type, rs.Primary.ID, err)
			}
			if status != http.StatusNotFound {
				return fmt.Errorf("%s %s still exists (GET → %d): %s", rs.Type, rs.Primary.ID, status, body)
			}
		}
		return nil
	}
}

// CheckNoWrites is a check (e.g. for a PlanOnly step's follow-up) that fails when ARM writes
// touching paths containing substr happened since the test's PreCheck. No-op against real Azure.
func CheckNoWrites(t interface {
	Helper()
	Name() string
}, substr string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if emu == nil {
			return nil
		}
		since := testStart(t.Name())
		for _, r := range emu.Requests() {
			if !r.Time.Before(since) && r.IsARMWrite() && strings.Contains(strings.ToLower(r.Path), strings.ToLower(substr)) {
				return fmt.Errorf("unexpected ARM write: %s %s → %d", r.Method, r.Path, r.Status)
			}
		}
		return nil
	}
}
