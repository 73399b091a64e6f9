package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/emulator"
)

// Report is what one benchmark run writes to bench/results/latest.json.
type Report struct {
	Meta    Meta           `json:"meta"`
	Estates []EstateResult `json:"estates"`
	Targets []TargetCheck  `json:"targets"`
}

// Meta says what was measured and how, so that a later run can be compared.
type Meta struct {
	Date             string    `json:"date"`
	Commit           string    `json:"commit"` // git HEAD of the measured tree ("+dirty" when it had changes)
	Command          string    `json:"command"`
	TerraformVersion string    `json:"terraform_version"`
	GoVersion        string    `json:"go_version"`
	CPUs             int       `json:"cpus"`
	Profile          string    `json:"profile"`
	TimeScale        float64   `json:"time_scale"`
	Parallelism      int       `json:"parallelism"`
	Latencies        Latencies `json:"latencies_ns"`
}

// EstateResult is the measurement of one estate.
type EstateResult struct {
	Estate
	N           int           `json:"n"`
	Assignments int           `json:"assignments"`
	Phases      []PhaseResult `json:"phases"`
}

// PhaseResult is one Terraform command on one estate.
type PhaseResult struct {
	Phase           string   `json:"phase"`
	WallSeconds     float64  `json:"wall_seconds"`
	BoundSeconds    float64  `json:"bound_seconds,omitempty"` // none for plan: it waits on nothing
	WallOverBound   float64  `json:"wall_over_bound,omitempty"`
	Requests        Requests `json:"requests"`
	MinRequests     int      `json:"min_requests"`
	RequestsOverMin float64  `json:"requests_over_min"`
	PeakRSSMiB      float64  `json:"provider_peak_rss_mib"` // highest VmHWM of the provider processes
	ProviderProcs   int      `json:"provider_processes"`    // provider processes seen during the phase
	// Runs is how many provider processes Terraform configured during the phase: one per graph
	// walk (a plan walk; an apply walk; destroy adds a refresh walk). The provider's "run" (one
	// estate view, one read cache, one credential) is one such process, so "one token per scope
	// per run" means Token ≤ Runs. Counted from the provider's log (TF_LOG_PROVIDER=INFO).
	Runs int `json:"runs"`
	// FirstWriteSeconds is when the first ARM write was sent, from the start of the command:
	// Terraform's start and the walks before the first write (plan; destroy: refresh and plan),
	// which the bound leaves out. 0 when the phase wrote nothing.
	FirstWriteSeconds float64 `json:"first_write_seconds,omitempty"`
	Changes           *bool   `json:"changes,omitempty"` // plan only: whether the plan had changes
	Error             string  `json:"error,omitempty"`
}

// Requests counts what the emulator served during a phase.
type Requests struct {
	ARM    int            `json:"arm"`    // every request under /subscriptions/
	Get    int            `json:"get"`    // ARM GETs, polls included
	Polls  int            `json:"polls"`  // ARM GETs of operation status
	Put    int            `json:"put"`    // ARM PUTs
	Patch  int            `json:"patch"`  // ARM PATCHes
	Delete int            `json:"delete"` // ARM DELETEs
	Post   int            `json:"post"`   // ARM POSTs
	Token  int            `json:"token"`  // token endpoint requests (one scope: ARM), all runs of the phase
	Other  int            `json:"other"`  // OIDC discovery and the rest
	Routes map[string]int `json:"routes"` // count per route template
	Status map[string]int `json:"status"` // count per HTTP status ("reset" for dropped connections)
}

// CountRequests classifies the emulator's per-route counters.
func CountRequests(counters map[string]emulator.Counter) Requests {
	r := Requests{Routes: map[string]int{}, Status: map[string]int{}}
	for route, c := range counters {
		r.Routes[route] = c.Count
		for s, n := range c.Statuses {
			r.Status[s] += n
		}
		method, path, _ := strings.Cut(route, " ")
		switch {
		case strings.HasPrefix(path, "/subscriptions/"):
			r.ARM += c.Count
			switch method {
			case "GET":
				r.Get += c.Count
				if strings.Contains(path, "operations/") || strings.Contains(path, "operationresults/") {
					r.Polls += c.Count
				}
			case "PUT":
				r.Put += c.Count
			case "PATCH":
				r.Patch += c.Count
			case "DELETE":
				r.Delete += c.Count
			case "POST":
				r.Post += c.Count
			}
		case method == "POST" && strings.HasSuffix(path, "/oauth2/v2.0/token"):
			r.Token += c.Count
		default:
			r.Other += c.Count
		}
	}
	return r
}

// TargetCheck is one of issue 10's targets, met or not: the benchmark reports, it never fails.
type TargetCheck struct {
	Target   string `json:"target"`
	Measured bool   `json:"measured"` // false when the run had nothing to measure it on (e.g. -quick)
	Met      bool   `json:"met"`
	Detail   string `json:"detail"`
}

// mark is how the table shows a target's outcome.
func (t TargetCheck) mark(met, notMet string) string {
	switch {
	case !t.Measured:
		return "not measured"
	case t.Met:
		return met
	}
	return notMet
}

// Limits of the targets (issue 10).
const (
	applyFiveOnOneLimit = 1.1  // apply of the five-applications-on-one-VM estate ≤ 1.1 × bound
	destroyLimit        = 1.1  // destroy ≤ 1.1 × bound (every estate)
	apply200Limit       = 1.25 // N ≈ 200 apply ≤ 1.25 × bound
	rssFlatLimit        = 1.5  // provider peak RSS at the largest N ≤ 1.5 × at the smallest, per k
	largeN              = 150  // estates from this size count as "N = 200"
)

// CheckTargets evaluates the targets on the estates measured (a target with nothing to measure
// in this run, e.g. N = 200 in a quick run, is reported as not measured and not met).
func CheckTargets(estates []EstateResult) []TargetCheck {
	var out []TargetCheck
	phase := func(er EstateResult, name string) *PhaseResult {
		for i := range er.Phases {
			if er.Phases[i].Phase == name {
				return &er.Phases[i]
			}
		}
		return nil
	}
	ratioCheck := func(target string, limit float64, pick func(EstateResult) bool, ph string) {
		tc := TargetCheck{Target: target, Met: true}
		var parts []string
		for _, er := range estates {
			p := phase(er, ph)
			if !pick(er) || p == nil {
				continue
			}
			ok := p.Error == "" && p.WallOverBound > 0 && p.WallOverBound <= limit
			tc.Met = tc.Met && ok
			parts = append(parts, fmt.Sprintf("%s: %.2f", er.Name(), p.WallOverBound))
		}
		tc.Measured = len(parts) > 0
		if !tc.Measured {
			tc.Met, tc.Detail = false, "not measured in this run"
		} else {
			tc.Detail = "wall/bound " + strings.Join(parts, ", ")
		}
		out = append(out, tc)
	}
	ratioCheck("apply of the five-applications-on-one-VM estate ≤ 1.1 × bound", applyFiveOnOneLimit,
		func(er EstateResult) bool { return er.K == 5 && er.Targets == 1 }, PhaseApply)

	gets := TargetCheck{Target: "no-op plan ARM GETs ≤ managed objects + targets", Met: true}
	var parts []string
	for _, er := range estates {
		p := phase(er, PhasePlan)
		if p == nil {
			continue
		}
		limit := er.N + er.Targets
		ok := p.Error == "" && p.Requests.Get <= limit && (p.Changes == nil || !*p.Changes)
		gets.Met = gets.Met && ok
		parts = append(parts, fmt.Sprintf("%s: %d/%d", er.Name(), p.Requests.Get, limit))
	}
	gets.Detail = "GETs/limit " + strings.Join(parts, ", ")
	gets.Measured = len(parts) > 0
	if !gets.Measured {
		gets.Met, gets.Detail = false, "not measured in this run"
	}
	out = append(out, gets)

	ratioCheck("destroy ≤ 1.1 × bound (every estate)", destroyLimit, func(EstateResult) bool { return true }, PhaseDestroy)

	tok := TargetCheck{Target: "token requests ≤ 1 per scope per run (one scope: ARM; run: one configured provider process)", Met: true}
	worst, where := 0.0, ""
	for _, er := range estates {
		for _, p := range er.Phases {
			if per := float64(p.Requests.Token) / float64(max(p.Runs, 1)); per > worst || where == "" {
				worst, where = per, fmt.Sprintf("%s %s: %d tokens / %d runs", er.Name(), p.Phase, p.Requests.Token, max(p.Runs, 1))
			}
		}
	}
	tok.Measured = len(estates) > 0
	tok.Met = worst <= 1 && tok.Measured
	tok.Detail = fmt.Sprintf("most per run: %.2g (%s)", worst, where)
	out = append(out, tok)

	ratioCheck("N = 200 apply ≤ 1.25 × bound", apply200Limit, func(er EstateResult) bool { return er.N >= largeN }, PhaseApply)

	rss := TargetCheck{Target: "provider peak RSS flat in N (largest N ≤ 1.5 × smallest, per k)", Met: true}
	parts = nil
	byK := map[int][]EstateResult{}
	for _, er := range estates {
		byK[er.K] = append(byK[er.K], er)
	}
	ks := make([]int, 0, len(byK))
	for k := range byK {
		ks = append(ks, k)
	}
	sort.Ints(ks)
	for _, k := range ks {
		ers := byK[k]
		sort.Slice(ers, func(i, j int) bool { return ers[i].N < ers[j].N })
		lo, hi := peakRSS(ers[0]), peakRSS(ers[len(ers)-1])
		if len(ers) < 2 || lo <= 0 {
			continue
		}
		rss.Met = rss.Met && hi <= rssFlatLimit*lo
		parts = append(parts, fmt.Sprintf("k=%d: %.0f MiB at N=%d → %.0f MiB at N=%d (×%.2f)", k, lo, ers[0].N, hi, ers[len(ers)-1].N, hi/lo))
	}
	rss.Measured = len(parts) > 0
	if !rss.Measured {
		rss.Met, rss.Detail = false, "not measured in this run (needs two sizes per k)"
	} else {
		rss.Detail = strings.Join(parts, "; ")
	}
	out = append(out, rss)
	return out
}

// peakRSS is the highest provider peak RSS over an estate's phases.
func peakRSS(er EstateResult) float64 {
	m := 0.0
	for _, p := range er.Phases {
		m = math.Max(m, p.PeakRSSMiB)
	}
	return m
}

// WriteTable prints the results and the targets as aligned text.
func WriteTable(w io.Writer, r Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	out := &printer{w: tw}
	out.printf("estate\tphase\twall s\tbound s\twall/bound\t1st write s\tARM req\tmin\treq/min\tGETs\tpolls\twrites\ttokens/runs\tRSS MiB\t\n")
	for _, er := range r.Estates {
		for _, p := range er.Phases {
			bound, ratio := "-", "-"
			if p.BoundSeconds > 0 {
				bound, ratio = fmt.Sprintf("%.1f", p.BoundSeconds), fmt.Sprintf("%.2f", p.WallOverBound)
			}
			wall := fmt.Sprintf("%.1f", p.WallSeconds)
			if p.Error != "" {
				wall += " (failed)"
			}
			writes := p.Requests.Put + p.Requests.Patch + p.Requests.Delete + p.Requests.Post
			out.printf("%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%.2f\t%d\t%d\t%d\t%d/%d\t%.0f\t\n", er.Name(), p.Phase, wall, bound, ratio, firstWrite(p),
				p.Requests.ARM, p.MinRequests, p.RequestsOverMin, p.Requests.Get, p.Requests.Polls, writes, p.Requests.Token, p.Runs, p.PeakRSSMiB)
		}
	}
	if out.err != nil {
		return out.err
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	out.w = w
	out.printf("\n")
	for _, t := range r.Targets {
		out.printf("[%s] %s — %s\n", t.mark("met", "NOT MET"), t.Target, t.Detail)
	}
	return out.err
}

// firstWrite shows when the phase's first ARM write was sent ("-" when it wrote nothing).
func firstWrite(p PhaseResult) string {
	if p.FirstWriteSeconds <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f", p.FirstWriteSeconds)
}

// printer keeps the first write error, so that a table is written without a check per line.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

// WriteMarkdown writes the table and the targets as Markdown (bench/results/latest.md, the
// README's figures).
func WriteMarkdown(w io.Writer, r Report) error {
	out := &printer{w: w}
	m := r.Meta
	scale := ""
	if m.TimeScale > 0 {
		scale = fmt.Sprintf(" × %g", m.TimeScale)
	}
	out.printf("Measured %s on commit `%s` (Terraform %s, %s, %d CPUs), emulator profile `%s`%s, `-parallelism %d`: `%s`.\n\n",
		m.Date, m.Commit, m.TerraformVersion, m.GoVersion, m.CPUs, m.Profile, scale, m.Parallelism, m.Command)
	out.printf("| estate | phase | wall s | bound s | wall/bound | first write s | ARM requests | minimum | requests/min | GETs | polls | writes | tokens / runs | provider RSS MiB |\n")
	out.printf("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, er := range r.Estates {
		for _, p := range er.Phases {
			bound, ratio := "–", "–"
			if p.BoundSeconds > 0 {
				bound, ratio = fmt.Sprintf("%.1f", p.BoundSeconds), fmt.Sprintf("%.2f", p.WallOverBound)
			}
			wall := fmt.Sprintf("%.1f", p.WallSeconds)
			if p.Error != "" {
				wall += " (failed)"
			}
			writes := p.Requests.Put + p.Requests.Patch + p.Requests.Delete + p.Requests.Post
			out.printf("| %s | %s | %s | %s | %s | %s | %d | %d | %.2f | %d | %d | %d | %d / %d | %.0f |\n", er.Name(), p.Phase, wall, bound, ratio, firstWrite(p),
				p.Requests.ARM, p.MinRequests, p.RequestsOverMin, p.Requests.Get, p.Requests.Polls, writes, p.Requests.Token, p.Runs, p.PeakRSSMiB)
		}
	}
	out.printf("\n| target | met | measured |\n| --- | --- | --- |\n")
	for _, t := range r.Targets {
		out.printf("| %s | %s | %s |\n", t.Target, t.mark("met", "not met"), t.Detail)
	}
	return out.err
}

// WriteJSON writes the report to path (creating its folder).
func WriteJSON(path string, r Report) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
