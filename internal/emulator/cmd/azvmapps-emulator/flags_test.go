package main

import (
	"flag"
	"io"
	"testing"
	"time"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/emulator"
)

func parse(t *testing.T, args ...string) emulator.Config {
	t.Helper()
	fs := flag.NewFlagSet("azvmapps-emulator", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfg, _, err := parseConfig(fs, append([]string{"--state-dir", t.TempDir()}, args...))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestProfileFlags: --profile leaves the latencies to the profile (the emulator test
// TestAzureProfileScaled checks what --profile azure --time-scale 0.01 then does), explicit
// latency flags override it, and without --profile the demo profile gives the latencies the
// flags show as their defaults.
func TestProfileFlags(t *testing.T) {
	cfg := parse(t, "--profile", "azure", "--time-scale", "0.01")
	if cfg.Profile != emulator.ProfileAzure || cfg.TimeScale != 0.01 || cfg.ReplicationTime != 0 || cfg.UpdateTime != 0 || cfg.RetryAfter != 0 {
		t.Fatalf("--profile azure --time-scale 0.01: %+v", cfg)
	}
	cfg = parse(t, "--profile", "azure", "--update-time", "7s")
	if cfg.UpdateTime != 7*time.Second || cfg.ReplicationTime != 0 {
		t.Fatalf("explicit --update-time with a profile: %+v", cfg)
	}
	cfg = parse(t)
	if cfg.Profile != emulator.ProfileDemo || cfg.ReplicationTime != 0 || cfg.TimeScale != 1 {
		t.Fatalf("no profile: %+v", cfg)
	}
	demo, err := emulator.ProfileLatencies(emulator.ProfileDemo)
	if err != nil {
		t.Fatal(err)
	}
	if demo.ReplicationTime != 10*time.Second || demo.DeleteLag != 20*time.Second || demo.UpdateTime != 2*time.Second ||
		demo.InstallTime != 5*time.Second || demo.OperationTime != 2*time.Second || demo.RetryAfter != time.Second {
		t.Fatalf("the demo profile: %+v", demo)
	}
	fs := flag.NewFlagSet("azvmapps-emulator", flag.ContinueOnError)
	if _, _, err := parseConfig(fs, []string{"--state-dir", t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	if got := fs.Lookup("install-time").DefValue; got != demo.InstallTime.String() {
		t.Fatalf("--install-time shows %s as its default, the demo profile gives %s", got, demo.InstallTime)
	}
	if _, _, err := parseConfig(flag.NewFlagSet("x", flag.ContinueOnError), []string{"--state-dir", t.TempDir(), "--faults", "nope"}); err == nil {
		t.Fatal("a bad fault spec is accepted")
	}
}
