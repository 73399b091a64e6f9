package emulator

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
)

func TestParseFaultsProductionKinds(t *testing.T) {
	spec := "seed=7,lrofail=0.1,lost=0.1,conflict=0.2,preempt=0.3,replfail=0.4,installfail=0.5,tokenslow=0.6,token5xx=0.7,retryafter=120"
	f, err := ParseFaults(spec)
	if err != nil {
		t.Fatal(err)
	}
	if f.Seed != 7 || f.RateLost != 0.1 || f.RateConflict != 0.2 || f.RatePreempt != 0.3 || f.RateReplFail != 0.4 ||
		f.RateInstall != 0.5 || f.RateTokenSlow != 0.6 || f.RateToken5xx != 0.7 || f.RetryAfter429 != 120*time.Second {
		t.Fatalf("parsed: %+v", f)
	}
	again, err := ParseFaults(f.String())
	if err != nil || again.String() != f.String() {
		t.Fatalf("round trip: %q → %q (%v)", f.String(), again.String(), err)
	}
}

// TestThrottlingLongerThanAMinute: 429 with a Retry-After of two minutes, as ARM sends when a
// subscription's write budget is spent.
func TestThrottlingLongerThanAMinute(t *testing.T) {
	f, _ := ParseFaults("seed=1,429=1,retryafter=120,path=/galleries/")
	e := startNoStorage(t, func(c *Config) { c.Faults = f })
	tok := token(t, e)
	r := do(t, e, "GET", withAPI(e.galleryPath("galThrottle"), galleryAPI), tok, nil)
	if r.Status != 429 || r.Header.Get("Retry-After") != "120" || r.Header.Get("Retry-After-Ms") != "" || r.errCode() != "TooManyRequests" {
		t.Fatalf("throttled answer: %d %v %s", r.Status, r.Header, r.Raw)
	}
}

// TestResponseLost: the write is committed, the client sees a reset connection; a retry finds
// the resource.
func TestResponseLost(t *testing.T) {
	f, _ := ParseFaults("seed=1,lost=1,methods=PUT,path=/galleries/")
	e := startNoStorage(t, func(c *Config) { c.Faults = f })
	tok := token(t, e)
	g := e.galleryPath("galLost")
	body, _ := json.Marshal(map[string]any{"location": "eastus2"})
	req, _ := http.NewRequest("PUT", e.URL()+withAPI(g, galleryAPI), strings.NewReader(string(body)))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.HTTPClient().Do(req)
	if err == nil {
		_ = resp.Body.Close()
		t.Fatalf("PUT answered %d; want the connection reset", resp.StatusCode)
	}
	if r := do(t, e, "GET", withAPI(g, galleryAPI), tok, nil); r.Status != 200 {
		t.Fatalf("the lost write was not applied: %d %s", r.Status, r.Raw)
	}
	// The log entry is added once the handler returns, just after the reset.
	var lost bool
	for deadline := time.Now().Add(2 * time.Second); !lost && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		for _, rq := range e.Requests() {
			lost = lost || (rq.Method == "PUT" && rq.Fault == "lost")
		}
	}
	if !lost {
		t.Fatal("the request log does not record the lost response")
	}
}

// TestConflictOnVMWrite: 409 OperationNotAllowed for VM and scale-set writes only.
func TestConflictOnVMWrite(t *testing.T) {
	f, _ := ParseFaults("seed=1,conflict=1")
	e := startNoStorage(t, func(c *Config) { c.Faults = f })
	tok := token(t, e)
	vm := e.rgPath(seedResourceGroup) + "/providers/Microsoft.Compute/virtualMachines/vm-linux"
	r := do(t, e, "PATCH", withAPI(vm, "2026-04-01"), tok, map[string]any{"tags": map[string]any{"a": "b"}})
	if r.Status != 409 || r.errCode() != "OperationNotAllowed" || !strings.Contains(r.errField("message"), "another operation is in progress") || !strings.Contains(r.errField("message"), "vm-linux") {
		t.Fatalf("VM PATCH: %d %s", r.Status, r.Raw)
	}
	if r := do(t, e, "GET", withAPI(vm, "2026-04-01"), tok, nil); r.Status != 200 || r.Body["tags"] != nil {
		t.Fatalf("the rejected write changed the VM: %d %s", r.Status, r.Raw)
	}
	if r := do(t, e, "PUT", withAPI(e.galleryPath("galNoConflict"), galleryAPI), tok, map[string]any{"location": "eastus2"}); r.Status != 201 {
		t.Fatalf("gallery writes are not subject to the VM conflict: %d %s", r.Status, r.Raw)
	}
}

// TestPreemptedOperation: a VM update whose operation ends Canceled with OperationPreempted.
func TestPreemptedOperation(t *testing.T) {
	f, _ := ParseFaults("seed=1,preempt=1")
	e := startNoStorage(t, func(c *Config) { c.Faults = f })
	vmc := factory(t, e).NewVirtualMachinesClient()
	p, err := vmc.BeginUpdate(ctx(t), seedResourceGroup, "vm-linux", armcompute.VirtualMachineUpdate{Tags: map[string]*string{"a": to.Ptr("b")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.PollUntilDone(ctx(t), fastPoll)
	var re *azcore.ResponseError
	if !errors.As(err, &re) || re.ErrorCode != "OperationPreempted" {
		t.Fatalf("want OperationPreempted, got %v", err)
	}
	var canceled bool
	for _, rq := range e.Requests() {
		canceled = canceled || strings.Contains(rq.Path, "/capsOperations/")
	}
	if !canceled {
		t.Fatal("no operation status was polled")
	}
}

// TestReplicationFailsInOneRegion: one target region fails, the others complete; the version
// and its operation end Failed, and the completed regions stay usable.
func TestReplicationFailsInOneRegion(t *testing.T) {
	f, _ := ParseFaults("seed=3,replfail=1")
	e := startNoStorage(t, func(c *Config) { c.Faults = f })
	tok := token(t, e)
	g := e.galleryPath("galRepl")
	do(t, e, "PUT", withAPI(g, galleryAPI), tok, map[string]any{"location": "eastus2"})
	a := g + "/applications/app"
	do(t, e, "PUT", withAPI(a, galleryAPI), tok, map[string]any{"location": "eastus2", "properties": map[string]any{"supportedOSType": "Linux"}})
	v := a + "/versions/1.0.0"
	trs := []any{map[string]any{"name": "eastus2"}, map[string]any{"name": "westeurope"}, map[string]any{"name": "northeurope"}}
	r := do(t, e, "PUT", withAPI(v, galleryAPI), tok, versionBody("https://example.invalid/pkg?sig=x", map[string]any{"targetRegions": trs}))
	if r.Status != 201 {
		t.Fatalf("version PUT: %d %s", r.Status, r.Raw)
	}
	async := r.Header.Get("Azure-AsyncOperation")
	var p rawResp
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if p = do(t, e, "GET", async, tok, nil); p.Body["status"] != "InProgress" || time.Now().After(deadline) {
			break
		}
	}
	if p.Body["status"] != "Failed" || asMap(t, p.Body["error"])["code"] != "ReplicationFailed" {
		t.Fatalf("operation: %s", p.Raw)
	}
	got := do(t, e, "GET", withAPI(v+"?$expand=ReplicationStatus", galleryAPI), tok, nil)
	props := asMap(t, got.Body["properties"])
	rs := asMap(t, props["replicationStatus"])
	if props["provisioningState"] != "Failed" || rs["aggregatedState"] != "Failed" {
		t.Fatalf("version: %s", got.Raw)
	}
	states := map[string]int{}
	for _, s := range asSlice(t, rs["summary"]) {
		st, _ := asMap(t, s)["state"].(string)
		states[st]++
		// The failed region's details quote the source uri as sent, its SAS included.
		if d, _ := asMap(t, s)["details"].(string); st == "Failed" && !strings.Contains(d, "source uri 'https://example.invalid/pkg?sig=x'") {
			t.Errorf("failed region's details do not quote the package link: %q", d)
		}
	}
	if states["Failed"] != 1 || states["Completed"] != 2 {
		t.Fatalf("want one Failed and two Completed regions, got %v: %s", states, got.Raw)
	}
	// A retry (the same PUT) replicates the failed region again and succeeds.
	e.SetFaults(Faults{})
	r = do(t, e, "PUT", withAPI(v, galleryAPI), tok, versionBody("https://example.invalid/pkg?sig=x", map[string]any{"targetRegions": trs}))
	if r.Status != 200 || r.Header.Get("Azure-AsyncOperation") == "" {
		t.Fatalf("retry: %d %s", r.Status, r.Raw)
	}
	waitSucceeded(t, e, tok, r.Header.Get("Azure-AsyncOperation"))
}

// TestInstallFailsOnOneScaleSetInstance: a rollout where one instance's install fails and the
// other instance's succeeds.
func TestInstallFailsOnOneScaleSetInstance(t *testing.T) {
	e := startNoStorage(t)
	ref := publishApp(t, e, "galOne", "app", "Linux", "echo ok")
	f, _ := ParseFaults("seed=5,installfail=1")
	e.SetFaults(f)
	fac := factory(t, e)
	sc, ic := fac.NewVirtualMachineScaleSetsClient(), fac.NewVirtualMachineScaleSetVMsClient()
	ss, err := sc.Get(ctx(t), seedResourceGroup, "vmss-uniform", nil)
	if err != nil {
		t.Fatal(err)
	}
	ss.Properties.VirtualMachineProfile.ApplicationProfile = &armcompute.ApplicationProfile{GalleryApplications: []*armcompute.VMGalleryApplication{{PackageReferenceID: to.Ptr(ref)}}}
	p, err := sc.BeginCreateOrUpdate(ctx(t), seedResourceGroup, "vmss-uniform", ss.VirtualMachineScaleSet, nil)
	if err == nil {
		_, err = p.PollUntilDone(ctx(t), fastPoll)
	}
	if err != nil {
		t.Fatal(err)
	}
	up, err := sc.BeginUpdateInstances(ctx(t), seedResourceGroup, "vmss-uniform", armcompute.VirtualMachineScaleSetVMInstanceRequiredIDs{InstanceIDs: []*string{to.Ptr("*")}}, nil)
	if err == nil {
		_, err = up.PollUntilDone(ctx(t), fastPoll)
	}
	if err != nil {
		t.Fatalf("without treatFailureAsDeploymentFailure the rollout succeeds: %v", err)
	}
	failed := 0
	for _, id := range []string{"0", "1"} {
		iv, err := ic.GetInstanceView(ctx(t), seedResourceGroup, "vmss-uniform", id, nil)
		if err != nil {
			t.Fatal(err)
		}
		if msg := *iv.Extensions[0].Statuses[0].Message; strings.Contains(msg, "Install FAILED") {
			failed++
		} else if !strings.Contains(msg, "Install SUCCESS") {
			t.Fatalf("instance %s: %s", id, msg)
		}
	}
	if failed != 1 {
		t.Fatalf("want the install to fail on exactly one instance, failed on %d", failed)
	}
}

// TestTokenEndpointFaults: a token endpoint that answers 503 or slowly.
func TestTokenEndpointFaults(t *testing.T) {
	f, _ := ParseFaults("seed=1,token5xx=1")
	e := startNoStorage(t, func(c *Config) { c.Faults = f })
	id := e.Identity()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {id.ClientID}, "client_secret": {id.ClientSecret}, "scope": {e.URL() + "/.default"}}
	post := func() (int, time.Duration) {
		start := time.Now()
		resp, err := e.HTTPClient().PostForm(e.URL()+"/"+id.TenantID+"/oauth2/v2.0/token", form)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp.StatusCode, time.Since(start)
	}
	if st, _ := post(); st != 503 {
		t.Fatalf("token5xx: %d", st)
	}
	e.SetFaults(Faults{Seed: 1, RateTokenSlow: 1, SlowDelay: 300 * time.Millisecond})
	if st, took := post(); st != 200 || took < 300*time.Millisecond {
		t.Fatalf("tokenslow: %d after %v", st, took)
	}
}

// TestAzureProfileScaled: --profile azure --time-scale 0.01 gives a version create whose
// duration grows with the number of target regions, and no Retry-After (as the service).
func TestAzureProfileScaled(t *testing.T) {
	e := startNoStorage(t, func(c *Config) {
		*c = Config{StateDir: c.StateDir, NoStorage: true, Profile: ProfileAzure, TimeScale: 0.01, Logf: c.Logf}
	})
	if e.cfg.ReplicationTime != 3600*time.Millisecond || e.cfg.UpdateTime != 1800*time.Millisecond || e.cfg.DeleteTime != 1800*time.Millisecond || e.cfg.InstallTime != 900*time.Millisecond {
		t.Fatalf("scaled azure latencies: %+v", e.cfg)
	}
	tok := token(t, e)
	g := e.galleryPath("galAzure")
	r := do(t, e, "PUT", withAPI(g, galleryAPI), tok, map[string]any{"location": "eastus2"})
	if r.Header.Get("Retry-After") != "" || r.Header.Get("Azure-AsyncOperation") == "" {
		t.Fatalf("gallery PUT headers: %v", r.Header)
	}
	do(t, e, "PUT", withAPI(g+"/applications/app", galleryAPI), tok, map[string]any{"location": "eastus2", "properties": map[string]any{"supportedOSType": "Linux"}})
	createTime := func(name string, regions ...string) time.Duration {
		var trs []any
		for _, rg := range regions {
			trs = append(trs, map[string]any{"name": rg})
		}
		start := time.Now()
		r := do(t, e, "PUT", withAPI(g+"/applications/app/versions/"+name, galleryAPI), tok, versionBody("https://example.invalid/pkg?sig=x", map[string]any{"targetRegions": trs}))
		if r.Status != 201 {
			t.Fatalf("%s: %d %s", name, r.Status, r.Raw)
		}
		waitSucceeded(t, e, tok, r.Header.Get("Azure-AsyncOperation"))
		return time.Since(start)
	}
	one := createTime("1.0.0", "eastus2")
	three := createTime("3.0.0", "eastus2", "westeurope", "northeurope")
	if one < 3600*time.Millisecond || three < one+2*time.Second {
		t.Fatalf("version create took %v for one region and %v for three; want ≈3.6s and ≈6s", one, three)
	}
}

// TestShareOperationFailsAfterLanding: lrofail limited to the share action. The operation ends
// Failed, yet the groups it was asked to add are on the gallery; other writes' operations (the
// gallery's own PUT) are left alone, and the request log marks the faulted request.
func TestShareOperationFailsAfterLanding(t *testing.T) {
	e := startNoStorage(t)
	f := factory(t, e)
	gc, sc := f.NewGalleriesClient(), f.NewGallerySharingProfileClient()
	e.SetFaults(Faults{Seed: 1, RateLROFailed: 1, Methods: []string{"POST"}, PathContains: "/share"})
	p, err := gc.BeginCreateOrUpdate(ctx(t), seedResourceGroup, "galShareFail", galleryBody(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.PollUntilDone(ctx(t), fastPoll); err != nil {
		t.Fatalf("the gallery PUT is outside the fault's filter, yet: %v", err)
	}
	sp, err := sc.BeginUpdate(ctx(t), seedResourceGroup, "galShareFail", sharingUpdate("Add", "sub-a"), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = sp.PollUntilDone(ctx(t), fastPoll)
	var re *azcore.ResponseError
	if !errors.As(err, &re) || re.ErrorCode != "InternalOperationError" {
		t.Fatalf("want the share operation Failed with InternalOperationError, got %v", err)
	}
	g, err := gc.Get(ctx(t), seedResourceGroup, "galShareFail", &armcompute.GalleriesClientGetOptions{Select: to.Ptr(armcompute.SelectPermissionsPermissions)})
	if err != nil {
		t.Fatal(err)
	}
	if sh := g.Properties.SharingProfile; sh == nil || len(sh.Groups) != 1 || len(sh.Groups[0].IDs) != 1 || *sh.Groups[0].IDs[0] != "sub-a" {
		t.Fatalf("the failed share did not land: %+v", g.Properties.SharingProfile)
	}
	var marked bool
	for _, rq := range e.Requests() {
		marked = marked || (rq.Method == "POST" && strings.HasSuffix(rq.Path, "/share") && rq.Fault == "lrofail")
	}
	if !marked {
		t.Fatal("the request log does not mark the share request lrofail")
	}
}
