package acctest

import (
	"context"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
)

// PollOptions polls the long-running operations a test starts behind Terraform's back.
var PollOptions = &runtime.PollUntilDoneOptions{Frequency: time.Second}

// armClientOptions are the SDK options of the test clients: the test environment's cloud and
// the provider's retry policy.
func armClientOptions() *arm.ClientOptions {
	return &arm.ClientOptions{ClientOptions: clients.ClientOptions(armCloud(), "azvmapps-acctest", nil)}
}

// ComputeClients returns an SDK client factory built from the ARM_* test environment (the
// emulator or real Azure), to change Azure behind Terraform's back.
func ComputeClients(t testing.TB) *armcompute.ClientFactory {
	t.Helper()
	return ComputeClientsFor(t, os.Getenv("ARM_SUBSCRIPTION_ID"))
}

// ComputeClientsFor is ComputeClients for another subscription of the test environment.
func ComputeClientsFor(t testing.TB, subscriptionID string) *armcompute.ClientFactory {
	t.Helper()
	cred, err := armCredential()
	if err != nil {
		t.Fatalf("test credential: %v", err)
	}
	f, err := armcompute.NewClientFactory(subscriptionID, cred, armClientOptions())
	if err != nil {
		t.Fatalf("test compute client: %v", err)
	}
	return f
}

// ARMClient returns a generic ARM client built from the ARM_* test environment, for requests
// the compute SDK does not cover (resource groups).
func ARMClient(t testing.TB) *arm.Client {
	t.Helper()
	cred, err := armCredential()
	if err != nil {
		t.Fatalf("test credential: %v", err)
	}
	c, err := arm.NewClient("azvmapps-acctest", "v1.0.0", cred, armClientOptions())
	if err != nil {
		t.Fatalf("test ARM client: %v", err)
	}
	return c
}

// CreateResourceGroup creates a resource group for the test and deletes it (with everything in
// it) when the test ends.
func CreateResourceGroup(t testing.TB, name, location string) {
	t.Helper()
	ac := ARMClient(t)
	id := "/subscriptions/" + os.Getenv("ARM_SUBSCRIPTION_ID") + "/resourceGroups/" + name
	do := func(method string, body any) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		req, err := runtime.NewRequest(ctx, method, runtime.JoinPaths(ac.Endpoint(), id))
		if err != nil {
			t.Fatal(err)
		}
		q := req.Raw().URL.Query()
		q.Set("api-version", apiVersionFor(id))
		req.Raw().URL.RawQuery = q.Encode()
		if body != nil {
			if err := runtime.MarshalAsJSON(req, body); err != nil {
				t.Fatal(err)
			}
		}
		resp, err := ac.Pipeline().Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, id, err)
		}
		if !runtime.HasStatusCode(resp, http.StatusOK, http.StatusCreated, http.StatusAccepted, http.StatusNoContent, http.StatusNotFound) {
			t.Fatalf("%s %s: %v", method, id, runtime.NewResponseError(resp))
		}
	}
	do(http.MethodPut, map[string]string{"location": location})
	t.Cleanup(func() { do(http.MethodDelete, nil) })
}
