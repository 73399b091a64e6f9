package application_test

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
)

// testARM returns an SDK client factory and a generic ARM client built from the ARM_* test
// environment, to change Azure behind Terraform's back.
func testARM(t *testing.T) (*armcompute.ClientFactory, *arm.Client) {
	t.Helper()
	cfg := cloud.AzurePublic
	if host := os.Getenv("ARM_ACTIVE_DIRECTORY_AUTHORITY_HOST"); host != "" {
		ep := strings.TrimSuffix(os.Getenv("ARM_RESOURCE_MANAGER_ENDPOINT"), "/")
		aud := os.Getenv("ARM_RESOURCE_MANAGER_AUDIENCE")
		if aud == "" {
			aud = ep
		}
		cfg = cloud.Configuration{ActiveDirectoryAuthorityHost: host, Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			cloud.ResourceManager: {Endpoint: ep, Audience: aud}}}
	}
	cred, err := azidentity.NewClientSecretCredential(os.Getenv("ARM_TENANT_ID"), os.Getenv("ARM_CLIENT_ID"), os.Getenv("ARM_CLIENT_SECRET"),
		&azidentity.ClientSecretCredentialOptions{ClientOptions: azcore.ClientOptions{Cloud: cfg}, DisableInstanceDiscovery: os.Getenv("ARM_ACTIVE_DIRECTORY_AUTHORITY_HOST") != ""})
	if err != nil {
		t.Fatalf("test credential: %v", err)
	}
	opts := &arm.ClientOptions{ClientOptions: clients.ClientOptions(cfg, "azvmapps-acctest", nil)}
	f, err := armcompute.NewClientFactory(os.Getenv("ARM_SUBSCRIPTION_ID"), cred, opts)
	if err != nil {
		t.Fatalf("test compute client: %v", err)
	}
	ac, err := arm.NewClient("azvmapps-acctest", "v1.0.0", cred, opts)
	if err != nil {
		t.Fatalf("test ARM client: %v", err)
	}
	return f, ac
}

var pollOpts = &runtime.PollUntilDoneOptions{Frequency: time.Second}

// createResourceGroup creates a resource group for the test and deletes it (with everything in
// it) when the test ends.
func createResourceGroup(t *testing.T, name, location string) {
	t.Helper()
	_, ac := testARM(t)
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
		q.Set("api-version", "2021-04-01")
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
