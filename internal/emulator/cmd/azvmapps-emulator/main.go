// Command azvmapps-emulator runs the local Azure emulator (with Azurite) until SIGINT/SIGTERM.
//
//	go run ./internal/emulator/cmd/azvmapps-emulator --state-dir DIR --env-file FILE
//
// It prints READY once the emulator and Azurite serve; FILE then holds the export lines
// (ARM_*, SSL_CERT_FILE, TF_VAR_*) to point the provider and Terraform at it.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/emulator"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "azvmapps-emulator:", err)
		os.Exit(1)
	}
}

// options are the command's settings besides the emulator configuration.
type options struct {
	envFile string
	verbose bool
}

func run() error {
	cfg, opts, err := parseConfig(flag.CommandLine, os.Args[1:])
	if err != nil {
		return err
	}
	if opts.verbose {
		cfg.Logf = log.Printf
	}
	return serve(cfg, opts.envFile)
}

// parseConfig reads the command line into an emulator configuration.
func parseConfig(fs *flag.FlagSet, args []string) (emulator.Config, options, error) {
	d := emulator.DefaultLimits()
	// The latency flags show the default profile's figures; they apply only when given.
	demo, err := emulator.ProfileLatencies(emulator.ProfileDemo)
	if err != nil {
		return emulator.Config{}, options{}, err
	}
	var (
		stateDir    = fs.String("state-dir", "", "state folder (CA, state.json, Azurite data); required")
		envFile     = fs.String("env-file", "", "write the export lines here")
		addr        = fs.String("addr", "127.0.0.1:0", "listen address (loopback)")
		azurite     = fs.String("azurite-bin", os.Getenv("AZURITE_BIN"), "azurite-blob binary (default $AZURITE_BIN)")
		noStorage   = fs.Bool("no-storage", false, "run without Azurite (no blob checks)")
		replicas    = fs.Int("max-replicas-per-region", d.MaxReplicasPerRegion, "service limit: replicas per region")
		apps        = fs.Int("max-applications-per-vm", d.MaxApplicationsPerVM, "service limit: applications per VM")
		maxSize     = fs.Int64("max-package-size-bytes", d.MaxPackageSizeBytes, "service limit: package size in bytes")
		blobTypes   = fs.String("allowed-blob-types", strings.Join(d.AllowedBlobTypes, ","), "service limit: allowed blob types (comma separated)")
		profile     = fs.String("profile", emulator.ProfileDemo, "latency profile: fast (tests), demo (seconds per operation) or azure (the service's documented/observed latencies); latency flags given explicitly override it")
		timeScale   = fs.Float64("time-scale", 1, "multiply every latency by this factor (e.g. 0.01 with --profile azure)")
		replication = fs.Duration("replication-time", demo.ReplicationTime, "replication time of the first target region")
		perRegion   = fs.Duration("replication-time-per-region", demo.ReplicationTimePerRegion, "replication time added per further target region")
		updateTime  = fs.Duration("update-time", demo.UpdateTime, "duration of an application version update")
		deleteTime  = fs.Duration("delete-time", demo.DeleteTime, "duration of an application version delete")
		retryAfter  = fs.Duration("retry-after", demo.RetryAfter, "Retry-After of long-running operations")
		opTime      = fs.Duration("operation-time", demo.OperationTime, "duration of gallery creates and deletes")
		deleteLag   = fs.Duration("delete-lag", demo.DeleteLag, "CannotDeleteResource lag after a child delete")
		installTime = fs.Duration("install-time", demo.InstallTime, "VM application install time")
		faults      = fs.String("faults", os.Getenv("AZVMAPPS_EMULATOR_FAULTS"), "fault injection, e.g. seed=1,429=0.1,500=0.05,503=0,reset=0.01,slow=0.1,slowdelay=2s,lrofail=0.1 (default $AZVMAPPS_EMULATOR_FAULTS)")
		verbose     = fs.Bool("v", false, "log Azurite output and emulator events")
	)
	if err := fs.Parse(args); err != nil {
		return emulator.Config{}, options{}, err
	}
	if *stateDir == "" {
		return emulator.Config{}, options{}, fmt.Errorf("--state-dir is required")
	}
	f, err := emulator.ParseFaults(*faults)
	if err != nil {
		return emulator.Config{}, options{}, err
	}
	cfg := emulator.Config{
		StateDir: *stateDir, AzuriteBin: *azurite, NoStorage: *noStorage, Addr: *addr,
		Limits:  emulator.Limits{MaxReplicasPerRegion: *replicas, MaxApplicationsPerVM: *apps, MaxPackageSizeBytes: *maxSize, AllowedBlobTypes: strings.Split(*blobTypes, ",")},
		Profile: *profile, TimeScale: *timeScale,
		Faults: f,
	}
	// The profile gives every latency; the latency flags given explicitly override it.
	latency := map[string]struct {
		dst *time.Duration
		v   time.Duration
	}{
		"replication-time": {&cfg.ReplicationTime, *replication}, "replication-time-per-region": {&cfg.ReplicationTimePerRegion, *perRegion},
		"retry-after": {&cfg.RetryAfter, *retryAfter}, "operation-time": {&cfg.OperationTime, *opTime},
		"update-time": {&cfg.UpdateTime, *updateTime}, "delete-time": {&cfg.DeleteTime, *deleteTime},
		"delete-lag": {&cfg.DeleteLag, *deleteLag}, "install-time": {&cfg.InstallTime, *installTime},
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	for name, l := range latency {
		if set[name] {
			*l.dst = l.v
		}
	}
	return cfg, options{envFile: *envFile, verbose: *verbose}, nil
}

// serve starts the emulator and runs it until SIGINT/SIGTERM.
func serve(cfg emulator.Config, envFile string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	startCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	e, err := emulator.Start(startCtx, cfg)
	cancel()
	if err != nil {
		return err
	}
	if envFile != "" {
		if err := e.WriteEnvFile(envFile); err != nil {
			_ = e.Close() // cleanup on the error path; the write error is reported
			return err
		}
	}
	fmt.Printf("emulator %s (admin %s/_emulator), state %s\n", e.URL(), e.URL(), cfg.StateDir)
	if envFile != "" {
		fmt.Printf("environment: source %s\n", envFile)
	}
	env := e.Env()
	for _, k := range []string{"TF_VAR_page_blob_url", "TF_VAR_block_blob_url", "TF_VAR_oversize_blob_url", "TF_VAR_config_blob_url"} {
		if v := env[k]; v != "" {
			// Read-only SAS URLs of the seeded sample packages in the local Azurite (dev key).
			fmt.Printf("sample package %s=%s\n", k, v)
		}
	}
	fmt.Println("READY")
	<-ctx.Done()
	fmt.Println("stopping")
	return e.Close()
}
