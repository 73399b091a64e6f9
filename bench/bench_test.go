package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/emulator"
)

// fast is the emulator's fast profile (what the acceptance tests run at).
var fast = Latencies{Replication: 2 * time.Second, Operation: 500 * time.Millisecond, Delete: 500 * time.Millisecond,
	Install: time.Second, DeleteLag: 2 * time.Second, RetryAfter: time.Second}

func TestEstateFor(t *testing.T) {
	tests := []struct {
		n, k          int
		targets, gotN int
	}{
		{10, 1, 7, 10},
		{50, 1, 47, 50},
		{200, 1, 197, 200},
		{10, 5, 1, 16}, // the five-applications-on-one-VM estate
		{50, 5, 8, 51},
		{200, 5, 38, 201},
	}
	for _, tt := range tests {
		e := EstateFor(tt.n, tt.k)
		if e.Targets != tt.targets || e.N() != tt.gotN || e.K != tt.k {
			t.Errorf("EstateFor(%d, %d) = %+v (N %d), want %d targets, N %d", tt.n, tt.k, e, e.N(), tt.targets, tt.gotN)
		}
	}
}

func TestSeenHonoursRetryAfter(t *testing.T) {
	tests := []struct {
		l    Latencies
		d    time.Duration
		want time.Duration
	}{
		{fast, 500 * time.Millisecond, time.Second}, // ends between polls: seen at the next one
		{fast, 2 * time.Second, 2 * time.Second},    // ends on a poll
		{fast, 2100 * time.Millisecond, 3 * time.Second},
		{Latencies{RetryAfter: -1}, 3600 * time.Millisecond, 3600 * time.Millisecond}, // no Retry-After: the end itself
		{fast, 0, 0},
	}
	for _, tt := range tests {
		if got := tt.l.seen(tt.d); got != tt.want {
			t.Errorf("seen(%v) with Retry-After %v = %v, want %v", tt.d, tt.l.RetryAfter, got, tt.want)
		}
	}
}

func TestApplyBound(t *testing.T) {
	tests := []struct {
		name string
		e    Estate
		p    int
		want time.Duration
	}{
		// gallery 1 s + replication 2 s + one wave of target writes 1 s
		{"five on one VM", Estate{K: 5, Targets: 1}, 10, 4 * time.Second},
		{"7 VMs", Estate{K: 1, Targets: 7}, 10, 4 * time.Second},
		// 197 assignments, 10 at a time: 20 waves of 1 s
		{"197 VMs", Estate{K: 1, Targets: 197}, 10, (1 + 2 + 20) * time.Second},
		// 190 assignments (38 VMs × 5): 19 waves
		{"38 VMs k=5", Estate{K: 5, Targets: 38}, 10, (1 + 2 + 19) * time.Second},
		// -parallelism 2: 5 versions in 3 waves (6 s) + 1 s > 2 s + 3 waves of assignments (3 s)
		{"versions in waves", Estate{K: 5, Targets: 1}, 2, (1 + 6 + 1) * time.Second},
	}
	for _, tt := range tests {
		if got := ApplyBound(tt.e, fast, tt.p); got != tt.want {
			t.Errorf("%s: ApplyBound = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestDemoProfileBound: at the emulator command's default latencies (the demo profile) the
// five-on-one estate's bound is issue 10's "about 17 s": gallery 2 s, replication 10 s, one VM
// write whose install ends at 5 s.
func TestDemoProfileBound(t *testing.T) {
	c, err := emulator.ProfileLatencies(emulator.ProfileDemo)
	if err != nil {
		t.Fatal(err)
	}
	if got := ApplyBound(Estate{K: 5, Targets: 1}, LatenciesOf(c), 10); got != 17*time.Second {
		t.Errorf("five-on-one ApplyBound at the demo profile = %v, want 17s", got)
	}
}

func TestDestroyBound(t *testing.T) {
	// removals 1 s (one wave); the version delete ends at 0.5 s (seen at 1 s) and its lag at
	// 2.5 s, when the application delete is accepted; the gallery's lag 2 s, its delete 1 s.
	if got := DestroyBound(Estate{K: 5, Targets: 1}, fast, 10); got != 6500*time.Millisecond {
		t.Errorf("DestroyBound five on one = %v, want 6.5s", got)
	}
	// 197 removals in 20 waves
	if got := DestroyBound(Estate{K: 1, Targets: 197}, fast, 10); got != 25500*time.Millisecond {
		t.Errorf("DestroyBound 197 VMs = %v, want 25.5s", got)
	}
	// The lag runs from the delete's end, not from when the client saw it: with Retry-After
	// 4 s, a 2 s version delete is seen at 4 s but its 8 s lag ends at 10 s.
	slow := Latencies{Operation: 2 * time.Second, Delete: 2 * time.Second, DeleteLag: 8 * time.Second, RetryAfter: 4 * time.Second}
	if got := DestroyBound(Estate{K: 5, Targets: 1}, slow, 10); got != (4+10+8+4)*time.Second {
		t.Errorf("DestroyBound with Retry-After 4 s = %v, want 26s", got)
	}
	azure := Latencies{Replication: 6 * time.Minute, Operation: time.Second, Delete: 3 * time.Minute, Install: 90 * time.Second, DeleteLag: 20 * time.Second, RetryAfter: -1}
	if got := DestroyBound(Estate{K: 1, Targets: 1}, azure, 10); got != time.Second+3*time.Minute+40*time.Second+time.Second {
		t.Errorf("DestroyBound azure = %v", got)
	}
}

func TestLatenciesOfEmulatorConfig(t *testing.T) {
	l := LatenciesOf(emulator.Config{ReplicationTime: 3 * time.Second, OperationTime: time.Second, DeleteTime: 2 * time.Second,
		InstallTime: 4 * time.Second, DeleteLag: 5 * time.Second, RetryAfter: -1})
	if l.Replication != 3*time.Second || l.Operation != time.Second || l.Delete != 2*time.Second || l.Install != 4*time.Second ||
		l.DeleteLag != 5*time.Second || l.RetryAfter > 0 {
		t.Errorf("LatenciesOf = %+v", l)
	}
	// The bound waits what the headers ask: a scaled 4.25 s is sent as Retry-After: 5.
	if l := LatenciesOf(emulator.Config{RetryAfter: 4250 * time.Millisecond}); l.RetryAfter != 5*time.Second {
		t.Errorf("LatenciesOf(RetryAfter 4.25 s).RetryAfter = %v, want the 5 s the header says", l.RetryAfter)
	}
}

func TestMinRequests(t *testing.T) {
	e := Estate{K: 5, Targets: 1}
	for phase, want := range map[string]int{PhasePlan: 12, PhaseApply: 23, PhaseDestroy: 32} {
		if got := MinRequests(phase, e); got != want {
			t.Errorf("MinRequests(%s) = %d, want %d", phase, got, want)
		}
	}
}

func TestCountRequests(t *testing.T) {
	c := map[string]emulator.Counter{
		"GET /subscriptions/{}/resourcegroups/{}/providers/microsoft.compute/virtualmachines/{}":   {Count: 4, Statuses: map[string]int{"200": 4}},
		"GET /subscriptions/{}/providers/microsoft.compute/locations/{}/capsoperations/{}":         {Count: 3, Statuses: map[string]int{"200": 3}},
		"PATCH /subscriptions/{}/resourcegroups/{}/providers/microsoft.compute/virtualmachines/{}": {Count: 1, Statuses: map[string]int{"200": 1}},
		"PUT /subscriptions/{}/resourcegroups/{}/providers/microsoft.compute/galleries/{}":         {Count: 1, Statuses: map[string]int{"201": 1}},
		"DELETE /subscriptions/{}/resourcegroups/{}/providers/microsoft.compute/galleries/{}":      {Count: 2, Statuses: map[string]int{"409": 1, "202": 1}},
		"POST /{tenant}/oauth2/v2.0/token":                    {Count: 2, Statuses: map[string]int{"200": 2}},
		"GET /{tenant}/v2.0/.well-known/openid-configuration": {Count: 2, Statuses: map[string]int{"200": 2}},
	}
	r := CountRequests(c)
	if r.ARM != 11 || r.Get != 7 || r.Polls != 3 || r.Patch != 1 || r.Put != 1 || r.Delete != 2 || r.Token != 2 || r.Other != 2 {
		t.Errorf("CountRequests = %+v", r)
	}
	if r.Status["409"] != 1 || r.Status["200"] != 12 {
		t.Errorf("statuses = %v", r.Status)
	}
}

// sampleReport is a run of two sizes per k with made-up figures.
func sampleReport() Report {
	no := false
	phase := func(name string, wall, bound float64, gets, tokens int, rss float64) PhaseResult {
		p := PhaseResult{Phase: name, WallSeconds: wall, BoundSeconds: bound, Requests: Requests{ARM: gets, Get: gets, Token: tokens}, PeakRSSMiB: rss, MinRequests: 10}
		if bound > 0 {
			p.WallOverBound = round2(wall / bound)
		}
		if name == PhasePlan {
			p.Changes = &no
		}
		return p
	}
	est := func(e Estate, apply, applyBound, destroy, destroyBound float64, gets int, rss float64) EstateResult {
		return EstateResult{Estate: e, N: e.N(), Assignments: e.Assignments(), Phases: []PhaseResult{
			phase(PhaseApply, apply, applyBound, 40, 1, rss), phase(PhasePlan, 0.5, 0, gets, 1, rss), phase(PhaseDestroy, destroy, destroyBound, 40, 1, rss)}}
	}
	return Report{
		Meta: Meta{Commit: "abc", Profile: "fast", Parallelism: 10},
		Estates: []EstateResult{
			est(Estate{K: 1, Targets: 7}, 5, 4, 7.5, 7, 15, 36),
			est(Estate{K: 1, Targets: 197}, 28, 23, 30, 26, 400, 80), // plan over its limit 200+197, RSS doubled
			est(Estate{K: 5, Targets: 1}, 4.2, 4, 7.2, 7, 12, 38),
			est(Estate{K: 5, Targets: 38}, 24, 22, 27, 26, 100, 40),
		},
	}
}

func TestCheckTargets(t *testing.T) {
	want := map[string]bool{ // target prefix → met
		"apply of the five": true,  // 4.2/4 = 1.05
		"no-op plan":        false, // 400 GETs > 200 + 197
		"destroy":           false, // 7.5/7 = 1.07, but 30/26 = 1.15
		"token requests":    true,
		"N = 200 apply":     true,  // 28/23 = 1.22, 24/22 = 1.09
		"provider peak RSS": false, // k = 1: 36 → 80 MiB
	}
	checks := CheckTargets(sampleReport().Estates)
	if len(checks) != len(want) {
		t.Fatalf("%d targets, want %d: %+v", len(checks), len(want), checks)
	}
	for _, c := range checks {
		found := false
		for prefix, met := range want {
			if strings.HasPrefix(c.Target, prefix) {
				found = true
				if c.Met != met {
					t.Errorf("%q: met = %v, want %v (%s)", c.Target, c.Met, met, c.Detail)
				}
			}
		}
		if !found {
			t.Errorf("unexpected target %q", c.Target)
		}
	}
}

func TestCheckTargetsQuickRun(t *testing.T) {
	r := sampleReport()
	r.Estates = []EstateResult{r.Estates[0], r.Estates[2]}
	for _, c := range CheckTargets(r.Estates) {
		if strings.HasPrefix(c.Target, "N = 200") || strings.HasPrefix(c.Target, "provider peak") {
			if c.Met || c.Measured || !strings.Contains(c.Detail, "not measured") {
				t.Errorf("%s: %+v, want not measured", c.Target, c)
			}
		}
	}
}

func TestWriteTableAndJSON(t *testing.T) {
	r := sampleReport()
	r.Targets = CheckTargets(r.Estates)
	var buf bytes.Buffer
	if err := WriteTable(&buf, r); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, s := range []string{"wall/bound", "N=16 k=5 (1 VM)", "N=201 k=5 (38 VMs)", "1.05", "[met] apply of the five", "[NOT MET] no-op plan"} {
		if !strings.Contains(out, s) {
			t.Errorf("table lacks %q:\n%s", s, out)
		}
	}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"| N=16 k=5 (1 VM) | apply | 4.2 | 4.0 | 1.05 |", "| no-op plan ARM GETs ≤ managed objects + targets | not met |", "commit `abc`"} {
		if !strings.Contains(md.String(), s) {
			t.Errorf("markdown lacks %q:\n%s", s, md.String())
		}
	}
	path := filepath.Join(t.TempDir(), "results", "latest.json")
	if err := WriteJSON(path, r); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Estates) != 4 || back.Estates[2].N != 16 || back.Estates[2].Phases[0].WallOverBound != 1.05 || len(back.Targets) != 6 {
		t.Errorf("round trip: %+v", back)
	}
}

func TestWriteChart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "latest.png")
	if err := WriteChart(path, sampleReport()); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 960 || b.Dy() < 400 {
		t.Errorf("chart is %v, want two 480-pixel panels", b)
	}
}

func TestVMHWM(t *testing.T) {
	kb, ok := vmHWM("Name:\tterraform-provider-azvmapps\nVmPeak:\t  900000 kB\nVmHWM:\t   41234 kB\nVmRSS:\t   40000 kB\n")
	if !ok || kb != 41234 {
		t.Errorf("vmHWM = %d, %v", kb, ok)
	}
	if _, ok := vmHWM("Name:\tx\n"); ok {
		t.Error("vmHWM found a value in a status without VmHWM")
	}
}

func TestParseFlags(t *testing.T) {
	o, err := parseFlags([]string{"-quick", "-k", "5", "-parallelism", "4", "-terraform", "/bin/true"})
	if err != nil {
		t.Fatal(err)
	}
	if len(o.sizes) != 1 || o.sizes[0] != 10 || len(o.ks) != 1 || o.ks[0] != 5 || o.parallelism != 4 {
		t.Errorf("parseFlags = %+v", o)
	}
	if _, err := parseFlags([]string{"-n", "10,x"}); err == nil {
		t.Error("parseFlags accepted -n 10,x")
	}
}

// Tokens are counted per configured provider process: an apply's two walks may fetch two.
func TestCheckTargets_tokensPerRun(t *testing.T) {
	for _, tc := range []struct {
		tokens, runs int
		met          bool
	}{{2, 2, true}, {1, 2, true}, {3, 2, false}, {2, 0, false}} {
		r := sampleReport()
		r.Estates[0].Phases[0].Requests.Token, r.Estates[0].Phases[0].Runs = tc.tokens, tc.runs
		for _, c := range CheckTargets(r.Estates) {
			if strings.HasPrefix(c.Target, "token requests") && c.Met != tc.met {
				t.Errorf("%d tokens in %d runs: met = %v, want %v (%s)", tc.tokens, tc.runs, c.Met, tc.met, c.Detail)
			}
		}
	}
}
