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

func run() error {
	d := emulator.DefaultLimits()
	var (
		stateDir    = flag.String("state-dir", "", "state folder (CA, state.json, Azurite data); required")
		envFile     = flag.String("env-file", "", "write the export lines here")
		addr        = flag.String("addr", "127.0.0.1:0", "listen address (loopback)")
		azurite     = flag.String("azurite-bin", os.Getenv("AZURITE_BIN"), "azurite-blob binary (default $AZURITE_BIN)")
		noStorage   = flag.Bool("no-storage", false, "run without Azurite (no blob checks)")
		replicas    = flag.Int("max-replicas-per-region", d.MaxReplicasPerRegion, "service limit: replicas per region")
		apps        = flag.Int("max-applications-per-vm", d.MaxApplicationsPerVM, "service limit: applications per VM")
		maxSize     = flag.Int64("max-package-size-bytes", d.MaxPackageSizeBytes, "service limit: package size in bytes")
		blobTypes   = flag.String("allowed-blob-types", strings.Join(d.AllowedBlobTypes, ","), "service limit: allowed blob types (comma separated)")
		profile     = flag.String("profile", "", "latency profile: fast (tests) or azure (the service's documented/observed latencies); latency flags given explicitly override it")
		timeScale   = flag.Float64("time-scale", 1, "multiply every latency by this factor (e.g. 0.01 with --profile azure)")
		replication = flag.Duration("replication-time", 10*time.Second, "replication time of the first target region")
		perRegion   = flag.Duration("replication-time-per-region", 0, "replication time added per further target region")
		updateTime  = flag.Duration("update-time", 2*time.Second, "duration of an application version update")
		deleteTime  = flag.Duration("delete-time", 2*time.Second, "duration of an application version delete")
		retryAfter  = flag.Duration("retry-after", time.Second, "Retry-After of long-running operations")
		opTime      = flag.Duration("operation-time", 2*time.Second, "duration of gallery creates and deletes")
		deleteLag   = flag.Duration("delete-lag", 20*time.Second, "CannotDeleteResource lag after a child delete")
		installTime = flag.Duration("install-time", 5*time.Second, "VM application install time")
		faults      = flag.String("faults", os.Getenv("AZVMAPPS_EMULATOR_FAULTS"), "fault injection, e.g. seed=1,429=0.1,500=0.05,503=0,reset=0.01,slow=0.1,slowdelay=2s,lrofail=0.1 (default $AZVMAPPS_EMULATOR_FAULTS)")
		verbose     = flag.Bool("v", false, "log Azurite output and emulator events")
	)
	flag.Parse()
	if *stateDir == "" {
		return fmt.Errorf("--state-dir is required")
	}
	f, err := emulator.ParseFaults(*faults)
	if err != nil {
		return err
	}
	cfg := emulator.Config{
		StateDir: *stateDir, AzuriteBin: *azurite, NoStorage: *noStorage, Addr: *addr,
		Limits:  emulator.Limits{MaxReplicasPerRegion: *replicas, MaxApplicationsPerVM: *apps, MaxPackageSizeBytes: *maxSize, AllowedBlobTypes: strings.Split(*blobTypes, ",")},
		Profile: *profile, TimeScale: *timeScale,
		Faults: f,
	}
	// Without --profile every latency flag applies (its default included); with one, only the
	// latency flags given explicitly override the profile's figures.
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
	flag.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	for name, l := range latency {
		if *profile == "" || set[name] {
			*l.dst = l.v
		}
	}
	if *verbose {
		cfg.Logf = log.Printf
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	startCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	e, err := emulator.Start(startCtx, cfg)
	cancel()
	if err != nil {
		return err
	}
	if *envFile != "" {
		if err := e.WriteEnvFile(*envFile); err != nil {
			_ = e.Close() // cleanup on the error path; the write error is reported
			return err
		}
	}
	fmt.Printf("emulator %s (admin %s/_emulator), state %s\n", e.URL(), e.URL(), *stateDir)
	if *envFile != "" {
		fmt.Printf("environment: source %s\n", *envFile)
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
