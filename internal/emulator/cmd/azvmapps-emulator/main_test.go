package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// contractVars are the env-file variables examples, the demo and outside checks rely on.
var contractVars = []string{
	"ARM_SUBSCRIPTION_ID", "ARM_TENANT_ID", "ARM_CLIENT_ID", "ARM_CLIENT_SECRET",
	"ARM_RESOURCE_MANAGER_ENDPOINT", "ARM_ACTIVE_DIRECTORY_AUTHORITY_HOST", "ARM_RESOURCE_MANAGER_AUDIENCE",
	"SSL_CERT_FILE", "AZVMAPPS_EMULATOR_URL",
	"TF_VAR_resource_group_name", "TF_VAR_location", "TF_VAR_secondary_location",
	"TF_VAR_linux_vm_id", "TF_VAR_windows_vm_id", "TF_VAR_agentless_vm_id", "TF_VAR_uniform_vmss_id", "TF_VAR_flexible_vmss_id",
	"TF_VAR_page_blob_url", "TF_VAR_block_blob_url", "TF_VAR_oversize_blob_url", "TF_VAR_failing_install_script",
}

// start runs the built command and waits for READY; it returns the process and its output so far.
func start(t *testing.T, bin, stateDir, envFile string) (*exec.Cmd, *strings.Builder) {
	t.Helper()
	cmd := exec.Command(bin, "--state-dir", stateDir, "--env-file", envFile)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var seen strings.Builder
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			seen.WriteString(sc.Text() + "\n")
			if sc.Text() == "READY" {
				ready <- true
			}
		}
		ready <- false
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatalf("the command exited before READY:\n%s", seen.String())
		}
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		t.Fatalf("no READY within 2 minutes:\n%s", seen.String())
	}
	return cmd, &seen
}

func readEnvFile(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		if ok {
			env[k] = strings.Trim(v, `'"`)
		}
	}
	return env
}

// stop sends SIGTERM and expects a clean exit.
func stop(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("the command did not stop cleanly on SIGTERM: %v", err)
		}
	case <-time.After(time.Minute):
		_ = cmd.Process.Kill()
		t.Fatal("the command did not stop within a minute of SIGTERM")
	}
}

// TestCommandContract builds the standalone command, runs it as make demo does, and checks the
// contract: READY, the env file's variables, a working admin endpoint trusted through
// SSL_CERT_FILE, a clean stop on SIGTERM that saves state, and a restart that keeps it.
func TestCommandContract(t *testing.T) {
	if os.Getenv("AZURITE_BIN") == "" {
		t.Fatal(`AZURITE_BIN is not set: run eval "$(tools/install-tools.sh --env)" (make test sets it)`)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "azvmapps-emulator")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		t.Fatalf("go build: %v", err)
	}
	stateDir, envFile := filepath.Join(dir, "state"), filepath.Join(dir, "env.sh")

	cmd, out := start(t, bin, stateDir, envFile)
	env := readEnvFile(t, envFile)
	for _, k := range contractVars {
		if env[k] == "" {
			t.Errorf("env file lacks %s", k)
		}
	}
	if !strings.Contains(out.String(), "sample package TF_VAR_page_blob_url=http") {
		t.Errorf("the command should print the sample packages' SAS URLs:\n%s", out)
	}

	pem, err := os.ReadFile(env["SSL_CERT_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("SSL_CERT_FILE holds no certificate")
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, env["AZVMAPPS_EMULATOR_URL"]+"/inventory", nil)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("admin endpoint over TLS with SSL_CERT_FILE: %v", err)
	}
	inventory, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(strings.ToLower(string(inventory)), strings.ToLower(env["TF_VAR_resource_group_name"])) {
		t.Fatalf("inventory %d should list the seeded resource group:\n%s", resp.StatusCode, inventory)
	}
	stop(t, cmd)
	if _, err := os.Stat(filepath.Join(stateDir, "state.json")); err != nil {
		t.Fatalf("state not saved on stop: %v", err)
	}

	// A restart on the same state keeps the identity (so the env file stays valid).
	cmd, _ = start(t, bin, stateDir, envFile)
	again := readEnvFile(t, envFile)
	stop(t, cmd)
	for _, k := range []string{"ARM_SUBSCRIPTION_ID", "ARM_CLIENT_ID", "ARM_CLIENT_SECRET", "TF_VAR_linux_vm_id"} {
		if again[k] != env[k] {
			t.Errorf("%s changed across a restart on the same state", k)
		}
	}
}
