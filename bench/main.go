// Command bench measures the provider end to end: it builds the provider, starts the emulator
// (with Azurite) in-process, and drives the real Terraform CLI through terraform-exec over
// estates of N managed resources with k applications per VM. For each estate it times apply,
// a no-op plan and destroy, counts the ARM and token requests of each phase (the emulator's
// counters), samples the provider processes' peak RSS, and compares the times with a lower
// bound computed from the emulator's latencies along the dependency graph (bound.go). It runs
// the emulator at the command's default latencies (the demo profile: gallery 2 s, replication
// 10 s, install 5 s; the five-on-one estate's bound is 17 s) unless -profile says otherwise.
//
// It prints a table, writes bench/results/latest.json and bench/results/latest.png, and reports
// issue 10's targets as met or not met. It never fails on speed: only a broken run (a failed
// build, emulator or Terraform command) exits non-zero.
//
//	eval "$(tools/install-tools.sh --env)"
//	go run ./bench            # N = 10, 50, 200 × k = 1, 5
//	go run ./bench -quick     # N = 10 only (k = 1, and k = 5 on one VM)
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/emulator"
)

// options are the command-line flags.
type options struct {
	quick       bool
	sizes       []int
	ks          []int
	parallelism int
	profile     string
	timeScale   float64
	terraform   string
	out         string
	keep        bool
	verbose     bool
	render      string
}

func main() {
	o, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	do := run
	if o.render != "" {
		do = render
	}
	if err := do(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	sizes := fs.String("n", "10,50,200", "estate sizes: managed resources (gallery + applications + versions + assignments)")
	ks := fs.String("k", "1,5", "applications per target")
	fs.BoolVar(&o.quick, "quick", false, "smoke run: N = 10 only")
	fs.IntVar(&o.parallelism, "parallelism", 10, "terraform -parallelism")
	fs.StringVar(&o.profile, "profile", emulator.ProfileDemo, "emulator latency profile: "+strings.Join(emulator.Profiles, ", "))
	fs.Float64Var(&o.timeScale, "time-scale", 0, "multiply every emulator latency (e.g. 0.01 with -profile azure); 0: as the profile says")
	fs.StringVar(&o.terraform, "terraform", os.Getenv("TF_ACC_TERRAFORM_PATH"), "Terraform CLI (default $TF_ACC_TERRAFORM_PATH)")
	fs.StringVar(&o.out, "out", filepath.Join("bench", "results"), "folder of latest.json and latest.png")
	fs.BoolVar(&o.keep, "keep", false, "keep the working folder (Terraform logs, state, emulator state)")
	fs.BoolVar(&o.verbose, "v", false, "stream Terraform's output to stderr")
	fs.StringVar(&o.render, "render", "", "run nothing: print and redraw the outputs from this latest.json")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	var err error
	if o.sizes, err = intList(*sizes); err != nil {
		return o, fmt.Errorf("-n: %w", err)
	}
	if o.ks, err = intList(*ks); err != nil {
		return o, fmt.Errorf("-k: %w", err)
	}
	if o.quick {
		o.sizes = []int{10}
	}
	if o.parallelism < 1 {
		return o, errors.New("-parallelism must be at least 1")
	}
	return o, nil
}

func intList(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive number", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func run(ctx context.Context, o options) error {
	if o.terraform == "" {
		return errors.New(`no Terraform CLI: run eval "$(tools/install-tools.sh --env)" first, or pass -terraform`)
	}
	if _, err := os.Stat("go.mod"); err != nil {
		return errors.New("run from the repository root (make bench does)")
	}
	work, err := os.MkdirTemp("", "azvmapps-bench-")
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Fprintln(os.Stderr, "==> working folder", work)
	} else {
		defer func() { _ = os.RemoveAll(work) }()
	}

	fmt.Fprintln(os.Stderr, "==> building the provider")
	binDir := filepath.Join(work, "bin")
	provider := filepath.Join(binDir, "terraform-provider-azvmapps")
	build := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", provider, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("building the provider: %w", err)
	}
	cliConfig := filepath.Join(work, "terraformrc")
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", "registry.terraform.io/azvmapps/azvmapps", binDir)
	if err := os.WriteFile(cliConfig, []byte(rc), 0o600); err != nil {
		return err
	}

	fmt.Fprintf(os.Stderr, "==> starting the emulator (profile %s, time scale %v) and Azurite\n", o.profile, o.timeScale)
	startCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	emu, err := emulator.Start(startCtx, emulator.Config{StateDir: filepath.Join(work, "emulator"), Profile: o.profile, TimeScale: o.timeScale})
	cancel()
	if err != nil {
		return err
	}
	defer func() { _ = emu.Close() }()

	env := tfexec.CleanEnv(envMap(os.Environ()))
	for k, v := range emu.Env() {
		if !strings.HasPrefix(k, "TF_VAR_") {
			env[k] = v
		}
	}
	env["TF_CLI_CONFIG_FILE"] = cliConfig
	env["CHECKPOINT_DISABLE"] = "1"

	lat := LatenciesOf(emu.Config())
	report := Report{Meta: Meta{
		Date:        time.Now().UTC().Format(time.RFC3339),
		Commit:      gitCommit(ctx),
		Command:     strings.TrimSpace("go run ./bench " + strings.Join(os.Args[1:], " ")),
		GoVersion:   runtime.Version(),
		CPUs:        runtime.NumCPU(),
		Profile:     o.profile,
		TimeScale:   o.timeScale,
		Parallelism: o.parallelism,
		Latencies:   lat,
	}}
	if tf, err := tfexec.NewTerraform(work, o.terraform); err == nil {
		if v, _, err := tf.Version(ctx, true); err == nil {
			report.Meta.TerraformVersion = v.String()
		}
	}

	for _, k := range o.ks {
		seen := map[Estate]bool{}
		for _, n := range o.sizes {
			est := EstateFor(n, k)
			if seen[est] {
				continue
			}
			seen[est] = true
			er, err := runEstate(ctx, o, emu, env, work, provider, est, lat)
			if err != nil {
				return fmt.Errorf("%s: %w", est.Name(), err)
			}
			report.Estates = append(report.Estates, er)
		}
	}
	report.Targets = CheckTargets(report.Estates)
	fmt.Println()
	return writeOutputs(o.out, report)
}

// render rewrites the outputs of an earlier run from its JSON (the targets are evaluated again).
func render(_ context.Context, o options) error {
	b, err := os.ReadFile(o.render)
	if err != nil {
		return err
	}
	var report Report
	if err := json.Unmarshal(b, &report); err != nil {
		return fmt.Errorf("%s: %w", o.render, err)
	}
	// The bounds are computed again from the run's latencies: a corrected formula applies to
	// earlier measurements too.
	for i := range report.Estates {
		er := &report.Estates[i]
		for j := range er.Phases {
			setBound(&er.Phases[j], er.Estate, report.Meta.Latencies, report.Meta.Parallelism)
		}
	}
	report.Targets = CheckTargets(report.Estates)
	return writeOutputs(o.out, report)
}

// setBound sets a phase's bound and its wall/bound ratio (none for a plan).
func setBound(pr *PhaseResult, est Estate, lat Latencies, parallelism int) {
	var bound time.Duration
	switch pr.Phase {
	case PhaseApply:
		bound = ApplyBound(est, lat, parallelism)
	case PhaseDestroy:
		bound = DestroyBound(est, lat, parallelism)
	}
	if bound > 0 {
		pr.BoundSeconds = round2(bound.Seconds())
		pr.WallOverBound = round2(pr.WallSeconds / bound.Seconds())
	}
}

// writeOutputs prints the table and writes latest.json, latest.md and latest.png into dir.
func writeOutputs(dir string, report Report) error {
	if err := WriteTable(os.Stdout, report); err != nil {
		return err
	}
	if err := WriteJSON(filepath.Join(dir, "latest.json"), report); err != nil {
		return err
	}
	if err := WriteChart(filepath.Join(dir, "latest.png"), report); err != nil {
		return err
	}
	var md strings.Builder
	if err := WriteMarkdown(&md, report); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "latest.md"), []byte(md.String()), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "==> wrote latest.json, latest.md and latest.png in %s\n", dir)
	return nil
}

// runEstate creates the estate's VMs, then applies, plans and destroys the estate.
func runEstate(ctx context.Context, o options, emu *emulator.Emulator, env map[string]string, work, provider string, est Estate, lat Latencies) (EstateResult, error) {
	er := EstateResult{Estate: est, N: est.N(), Assignments: est.Assignments()}
	if err := emu.Reset(); err != nil {
		return er, err
	}
	fmt.Fprintf(os.Stderr, "==> %s: creating %d VMs\n", est.Name(), est.Targets)
	vctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	ids, err := createTargets(vctx, emu, est.Targets)
	cancel()
	if err != nil {
		return er, err
	}
	dir := filepath.Join(work, fmt.Sprintf("n%d-k%d", est.N(), est.K))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return er, err
	}
	if err := writeConfig(dir, est, emu.Env(), ids); err != nil {
		return er, err
	}
	tf, err := tfexec.NewTerraform(dir, o.terraform)
	if err != nil {
		return er, err
	}
	if err := tf.SetEnv(env); err != nil {
		return er, err
	}
	logFile, err := os.Create(filepath.Join(dir, "terraform.log"))
	if err != nil {
		return er, err
	}
	defer func() { _ = logFile.Close() }()
	if o.verbose {
		tf.SetStdout(teeWriter{logFile, os.Stderr})
	} else {
		tf.SetStdout(logFile)
	}
	tf.SetStderr(logFile)

	for _, phase := range Phases {
		pr := runPhase(ctx, tf, emu, provider, dir, phase, o.parallelism)
		pr.MinRequests = MinRequests(phase, est)
		if pr.MinRequests > 0 {
			pr.RequestsOverMin = round2(float64(pr.Requests.ARM) / float64(pr.MinRequests))
		}
		setBound(&pr, est, lat, o.parallelism)
		fmt.Fprintf(os.Stderr, "    %-7s %6.1f s  bound %5.1f s  first write %4.1f s  ARM %4d (min %d)  tokens %d / runs %d  RSS %.0f MiB %s\n", phase, pr.WallSeconds,
			pr.BoundSeconds, pr.FirstWriteSeconds, pr.Requests.ARM, pr.MinRequests, pr.Requests.Token, pr.Runs, pr.PeakRSSMiB, pr.Error)
		er.Phases = append(er.Phases, pr)
		if pr.Error != "" && phase == PhaseApply {
			break // nothing to plan or destroy reliably; the emulator is reset before the next estate
		}
	}
	return er, nil
}

// runPhase runs one Terraform command and measures it.
func runPhase(ctx context.Context, tf *tfexec.Terraform, emu *emulator.Emulator, provider, dir, phase string, parallelism int) PhaseResult {
	pr := PhaseResult{Phase: phase}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Minute)
	defer cancel()
	// The provider's INFO log (Terraform core's is off) tells how many provider processes were
	// configured: PhaseResult.Runs.
	logPath := filepath.Join(dir, "provider-"+phase+".log")
	_ = os.Remove(logPath)
	if err := errors.Join(tf.SetLogCore("OFF"), tf.SetLogProvider("INFO"), tf.SetLogPath(logPath)); err != nil {
		pr.Error = err.Error()
		return pr
	}
	emu.ResetRequests()
	sampler := startRSSSampler(provider, 50*time.Millisecond)
	start := time.Now()
	var err error
	switch phase {
	case PhaseApply:
		err = tf.Apply(ctx, tfexec.Parallelism(parallelism))
	case PhasePlan:
		var changes bool
		changes, err = tf.Plan(ctx, tfexec.Parallelism(parallelism))
		pr.Changes = &changes
	case PhaseDestroy:
		err = tf.Destroy(ctx, tfexec.Parallelism(parallelism))
	}
	pr.WallSeconds = round2(time.Since(start).Seconds())
	pr.PeakRSSMiB, pr.ProviderProcs = sampler.Stop()
	pr.PeakRSSMiB = round2(pr.PeakRSSMiB)
	pr.Requests = CountRequests(emu.Counters())
	pr.Runs = countRuns(logPath)
	if err != nil {
		pr.Error = oneLine(err.Error())
	}
	reqs := emu.Requests()
	for _, r := range reqs {
		if r.IsARMWrite() {
			pr.FirstWriteSeconds = round2(r.Time.Sub(start).Seconds())
			break
		}
	}
	// With -keep, the phase's request log stays next to Terraform's for a timeline.
	if b, err := json.MarshalIndent(reqs, "", " "); err == nil {
		_ = os.WriteFile(filepath.Join(dir, "requests-"+phase+".json"), b, 0o600)
	}
	return pr
}

// configuredLine is what the provider logs once per Configure (internal/provider).
const configuredLine = "authentication methods configured"

// countRuns counts the provider processes configured according to a provider log.
func countRuns(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	return strings.Count(string(b), configuredLine)
}

// gitCommit names the measured tree: HEAD, plus "+dirty" when files other than the results differ.
func gitCommit(ctx context.Context) string {
	out, err := exec.CommandContext(ctx, "git", "rev-parse", "--short=12", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	c := strings.TrimSpace(string(out))
	st, err := exec.CommandContext(ctx, "git", "status", "--porcelain", "--", ".", ":(exclude)bench/results").Output()
	if err == nil && len(strings.TrimSpace(string(st))) > 0 {
		c += "+dirty"
	}
	return c
}

func envMap(environ []string) map[string]string {
	m := map[string]string{}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

// oneLine compacts a Terraform error (many lines, with blank ones) for the report.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 400 {
		s = s[:400] + " …"
	}
	return s
}

func round2(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }

// teeWriter writes to both writers (the log file, and stderr with -v).
type teeWriter [2]*os.File

func (t teeWriter) Write(p []byte) (int, error) {
	if _, err := t[0].Write(p); err != nil {
		return 0, err
	}
	return t[1].Write(p)
}
