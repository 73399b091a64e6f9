package emulator

import (
	"fmt"
	"strings"
	"testing"
)

// The tenant has a second subscription the client may use (a workload team's VMs), and one
// where it has no role: ARM answers 403 AuthorizationFailed there, before looking at the path.
func TestSubscriptions(t *testing.T) {
	e := startNoStorage(t)
	tok := token(t, e)
	env := e.Env()
	vm := env["TF_VAR_workload_vm_id"]
	if !strings.Contains(vm, "/subscriptions/"+env["TF_VAR_workload_subscription_id"]+"/") {
		t.Fatalf("the workload VM %s is not in the workload subscription", vm)
	}
	if r := do(t, e, "GET", withAPI(vm, "2026-04-01"), tok, nil); r.Status != 200 {
		t.Fatalf("GET the workload VM: %d %s", r.Status, r.Raw)
	}
	r := do(t, e, "GET", withAPI(env["TF_VAR_forbidden_vm_id"], "2026-04-01"), tok, nil)
	if r.Status != 403 || r.errCode() != "AuthorizationFailed" || !strings.Contains(r.errField("message"), "does not have authorization") {
		t.Fatalf("a subscription without a role: %d %s", r.Status, r.Raw)
	}
	// A resource group created in the workload subscription is named in it.
	rg := "/subscriptions/" + env["TF_VAR_workload_subscription_id"] + "/resourceGroups/rg-other"
	if r := do(t, e, "PUT", withAPI(rg, "2021-04-01"), tok, map[string]any{"location": "eastus2"}); r.Status != 201 || !strings.EqualFold(fmt.Sprint(r.Body["id"]), rg) {
		t.Fatalf("resource group in the workload subscription: %d %s", r.Status, r.Raw)
	}
	// An unknown subscription of the tenant is still not found.
	if r := do(t, e, "GET", withAPI("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/x", "2021-04-01"), tok, nil); r.Status != 404 {
		t.Fatalf("unknown subscription: %d %s", r.Status, r.Raw)
	}
}
