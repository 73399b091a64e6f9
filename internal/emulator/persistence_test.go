package emulator

import (
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestPersistenceAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(t)
	cfg.StateDir, cfg.NoStorage = dir, true
	e1 := startWith(t, cfg)
	id1 := e1.Identity()
	tok := token(t, e1)
	g := e1.galleryPath("galPersist")
	do(t, e1, "PUT", withAPI(g, galleryAPI), tok, map[string]any{"location": "westeurope", "tags": map[string]string{"k": "v"}})
	do(t, e1, "PUT", withAPI(g+"/applications/app", galleryAPI), tok, map[string]any{"location": "westeurope", "properties": map[string]any{"supportedOSType": "Windows"}})
	if err := e1.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "state.json")); err != nil {
		t.Fatal(err)
	}
	e2 := startWith(t, cfg)
	if e2.Identity() != id1 {
		t.Fatalf("identity changed across restart")
	}
	tok2 := token(t, e2)
	r := do(t, e2, "GET", withAPI(g+"/applications/app", galleryAPI), tok2, nil)
	if r.Status != 200 || r.Body["id"] != g+"/applications/app" {
		t.Fatalf("after restart: %d %s", r.Status, r.Raw)
	}
	r = do(t, e2, "GET", withAPI(g, galleryAPI), tok2, nil)
	if dig(r.Body, []string{"tags"})["k"] != "v" {
		t.Fatalf("tags lost: %s", r.Raw)
	}
	matches, _ := filepath.Glob(filepath.Join(dir, ".state.json.tmp*"))
	if len(matches) != 0 {
		t.Fatalf("temp files left: %v", matches)
	}
}

func TestFaultDeterminism(t *testing.T) {
	run := func() []int {
		e := startNoStorage(t, func(c *Config) {
			c.Faults = Faults{Seed: 42, Rate429: 0.2, Rate500: 0.1, Rate503: 0.1, RateReset: 0.1}
		})
		tok := token(t, e)
		var out []int
		for i := 0; i < 40; i++ {
			req := withAPI(e.rgPath(seedResourceGroup), "2021-04-01")
			resp, err := e.HTTPClient().Do(newReq(t, e, "GET", req, tok))
			if err != nil {
				out = append(out, -1) // reset
				continue
			}
			_ = resp.Body.Close()
			if resp.StatusCode == 429 && resp.Header.Get("Retry-After") == "" {
				t.Fatal("429 without Retry-After")
			}
			out = append(out, resp.StatusCode)
		}
		return out
	}
	a, b := run(), run()
	seen := map[int]int{}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("fault sequence differs at %d: %v vs %v", i, a, b)
		}
		seen[a[i]]++
	}
	for _, s := range []int{200, 429, 500, 503, -1} {
		if seen[s] == 0 {
			t.Errorf("no %d in %v", s, a)
		}
	}
	f, err := ParseFaults("seed=7,429=0.5,slow=0.1,slowdelay=10ms,lrofail=0.25,methods=PUT+DELETE,path=/galleries/")
	if err != nil || f.Seed != 7 || f.Rate429 != 0.5 || f.RateLROFailed != 0.25 || len(f.Methods) != 2 {
		t.Fatalf("ParseFaults: %+v %v", f, err)
	}
	if g, _ := ParseFaults(f.String()); g.String() != f.String() {
		t.Fatalf("round trip: %s vs %s", g, f)
	}
}

func TestLROFailedFault(t *testing.T) {
	e := startNoStorage(t, func(c *Config) { c.Faults = Faults{RateLROFailed: 1} })
	f := factory(t, e)
	p, err := f.NewGalleriesClient().BeginCreateOrUpdate(ctx(t), seedResourceGroup, "galFail", galleryBody(), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.PollUntilDone(ctx(t), fastPoll)
	mustCode(t, err, 200, "InternalOperationError")
	g, err := f.NewGalleriesClient().Get(ctx(t), seedResourceGroup, "galFail", nil)
	if err != nil || *g.Properties.ProvisioningState != "Failed" {
		t.Fatalf("state after failed LRO: %v %v", err, g.Properties)
	}
}

func TestAdminEndpoint(t *testing.T) {
	e := startNoStorage(t)
	tok := token(t, e)
	do(t, e, "PUT", withAPI(e.galleryPath("galAdmin"), galleryAPI), tok, map[string]any{"location": "eastus2"})
	r := do(t, e, "GET", "/_emulator/requests", "", nil)
	if r.Status != 200 || !containsStr(string(r.Raw), "galAdmin") {
		t.Fatalf("requests: %d %s", r.Status, r.Raw)
	}
	if containsStr(string(r.Raw), tok) || containsStr(string(r.Raw), "Bearer") {
		t.Fatal("request log holds the token")
	}
	c := e.Counters()
	if c["PUT /subscriptions/{}/resourcegroups/{}/providers/microsoft.compute/galleries/{}"].Count != 1 {
		t.Fatalf("counters: %+v", c)
	}
	before := len(e.Inventory())
	if r := do(t, e, "POST", "/_emulator/reset", "", nil); r.Status != 200 {
		t.Fatalf("reset: %d", r.Status)
	}
	if inv := e.Inventory(); len(inv) != before-1 {
		t.Fatalf("inventory after reset: %+v", inv)
	}
	if !isLoopback("127.0.0.1:1") || isLoopback(net.JoinHostPort("10.0.0.1", "1")) {
		t.Fatal("isLoopback")
	}
}

func TestStorageRestart(t *testing.T) {
	if os.Getenv("AZURITE_BIN") == "" {
		t.Fatal(`AZURITE_BIN is not set: run eval "$(tools/install-tools.sh --env)" (make test sets it)`)
	}
	cfg := testConfig(t)
	e1 := startWith(t, cfg)
	env1 := e1.Env()
	if err := e1.Close(); err != nil {
		t.Fatal(err)
	}
	e2 := startWith(t, cfg)
	env2 := e2.Env()
	for _, k := range []string{"ARM_CLIENT_ID", "ARM_CLIENT_SECRET", "ARM_SUBSCRIPTION_ID", "TF_VAR_linux_vm_id", "TF_VAR_flexible_vmss_id"} {
		if env1[k] != env2[k] {
			t.Errorf("%s changed across restart", k)
		}
	}
	tok := token(t, e2)
	g := e2.galleryPath("galRestart")
	do(t, e2, "PUT", withAPI(g, galleryAPI), tok, map[string]any{"location": "eastus2"})
	do(t, e2, "PUT", withAPI(g+"/applications/a", galleryAPI), tok, map[string]any{"location": "eastus2", "properties": map[string]any{"supportedOSType": "Linux"}})
	if r := do(t, e2, "PUT", withAPI(g+"/applications/a/versions/1.0.0", galleryAPI), tok, versionBody(env2["TF_VAR_page_blob_url"], nil)); r.Status != 201 {
		t.Fatalf("version after restart: %d %s", r.Status, r.Raw)
	}
}

func TestSlowFaultAndFilters(t *testing.T) {
	e := startNoStorage(t, func(c *Config) {
		c.Faults = Faults{RateSlow: 1, SlowDelay: 200 * time.Millisecond, Methods: []string{"GET"}, PathContains: "/resourceGroups/"}
	})
	tok := token(t, e)
	start := time.Now()
	if r := do(t, e, "GET", withAPI(e.rgPath(seedResourceGroup), "2021-04-01"), tok, nil); r.Status != 200 {
		t.Fatalf("slow GET: %d", r.Status)
	}
	if time.Since(start) < 200*time.Millisecond {
		t.Fatal("slow fault did not delay the response")
	}
	start = time.Now()
	do(t, e, "GET", "/subscriptions/"+e.Identity().SubscriptionID+"?api-version=2021-04-01", tok, nil)
	if time.Since(start) > 150*time.Millisecond {
		t.Fatal("path filter ignored")
	}
	reqs := e.Requests()
	if len(reqs) < 2 || reqs[len(reqs)-2].Fault != "slow" || reqs[len(reqs)-1].Fault != "" {
		t.Fatalf("request log faults: %+v", reqs)
	}
	e.SetFaults(Faults{})
}
