// Package acctest is the acceptance-test harness: it starts the local emulator (with Azurite)
// once per test binary unless the tests run against real Azure, and provides the provider
// factories and small helpers the resource packages' acceptance tests share.
//
// Use it from an external test package (package foo_test) to avoid an import cycle:
//
//	func TestMain(m *testing.M) { acctest.Main(m) }
package acctest

import (
	"context"
	"crypto/rand"
	"fmt"
	"log"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/emulator"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/provider"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/tfserver"
)

// ProtoV6ProviderFactories serves the provider in-process under the name "azvmapps", with
// the server main serves (see tfserver).
var ProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"azvmapps": tfserver.NewProtocol6WithError(provider.New("test")()),
}

var (
	emu        *emulator.Emulator
	testStarts sync.Map // test name → time.Time of PreCheck
)

// Main runs the tests of a package. With TF_ACC set and ARM_USE_REAL_AZURE != "1" it starts the
// emulator (and Azurite) first and exports its environment (ARM_*, SSL_CERT_FILE, TF_VAR_*).
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if os.Getenv("TF_ACC") == "" || os.Getenv("ARM_USE_REAL_AZURE") == "1" {
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "azvmapps-acc-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "acctest:", err)
		return 1
	}
	defer func() {
		if err := os.RemoveAll(dir); err != nil {
			fmt.Fprintln(os.Stderr, "acctest: removing the emulator state:", err)
		}
	}()
	cfg := emulator.Config{
		StateDir:        dir,
		ReplicationTime: 2 * time.Second,
		RetryAfter:      time.Second,
		DeleteLag:       2 * time.Second,
		InstallTime:     time.Second,
		// Small pages, so every list the provider reads follows nextLink as in a busy subscription.
		PageSize: 3,
	}
	// AZVMAPPS_EMULATOR_PROFILE=azure (with AZVMAPPS_EMULATOR_TIME_SCALE, e.g. 0.01) runs the
	// tests at the service's latencies instead of the short defaults above.
	if p := os.Getenv("AZVMAPPS_EMULATOR_PROFILE"); p != "" {
		cfg = emulator.Config{StateDir: dir, Profile: p}
		if s := os.Getenv("AZVMAPPS_EMULATOR_TIME_SCALE"); s != "" {
			scale, err := strconv.ParseFloat(s, 64)
			if err != nil {
				fmt.Fprintln(os.Stderr, "acctest: AZVMAPPS_EMULATOR_TIME_SCALE:", err)
				return 1
			}
			cfg.TimeScale = scale
		}
	}
	if os.Getenv("AZVMAPPS_EMULATOR_LOG") != "" {
		cfg.Logf = log.Printf
	}
	if spec := os.Getenv("AZVMAPPS_EMULATOR_FAULTS"); spec != "" {
		f, err := emulator.ParseFaults(spec)
		if err != nil {
			fmt.Fprintln(os.Stderr, "acctest:", err)
			return 1
		}
		cfg.Faults = f
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	e, err := emulator.Start(ctx, cfg)
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "acctest: starting the emulator:", err)
		return 1
	}
	defer func() {
		if err := e.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "acctest: stopping the emulator:", err)
		}
	}()
	for k, v := range e.Env() {
		if err := os.Setenv(k, v); err != nil {
			fmt.Fprintln(os.Stderr, "acctest:", err)
			return 1
		}
	}
	emu = e
	return m.Run()
}

// Emulator returns the emulator started by Main, or nil when the tests run against real Azure.
func Emulator() *emulator.Emulator { return emu }

// PreCheck fails the test when the environment the acceptance tests need is missing, and marks
// the test's start for WriteRequests.
func PreCheck(t *testing.T) {
	t.Helper()
	testStarts.Store(t.Name(), time.Now())
	var missing []string
	for _, k := range []string{"ARM_SUBSCRIPTION_ID", "ARM_TENANT_ID", "ARM_CLIENT_ID", "TF_VAR_resource_group_name", "TF_VAR_location"} {
		if os.Getenv(k) == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("acceptance tests need %s: run with TF_ACC=1 through acctest.Main (the emulator sets them), "+
			"or set ARM_USE_REAL_AZURE=1 with real ARM_* credentials and TF_VAR_* inputs", strings.Join(missing, ", "))
	}
}

// Env returns an environment variable of the test environment (e.g. "TF_VAR_page_blob_url").
func Env(key string) string { return os.Getenv(key) }

// WriteRequests returns the PUT/PATCH/DELETE/POST requests to ARM the emulator saw since the
// test's PreCheck (since the binary started if PreCheck was not called). With parallel tests
// use WriteRequestsMatching to keep only the test's own resources. Nil against real Azure.
func WriteRequests(t *testing.T) []emulator.Request {
	return WriteRequestsMatching(t, "")
}

// WriteRequestsMatching is WriteRequests limited to paths containing substr (case-insensitive).
func WriteRequestsMatching(t *testing.T, substr string) []emulator.Request {
	t.Helper()
	if emu == nil {
		return nil
	}
	since := testStart(t.Name())
	var out []emulator.Request
	for _, r := range emu.Requests() {
		if r.Time.Before(since) || !r.IsARMWrite() {
			continue
		}
		if substr != "" && !strings.Contains(strings.ToLower(r.Path), strings.ToLower(substr)) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// testStart returns when the named test called PreCheck (the zero time if it did not).
func testStart(name string) time.Time {
	if v, ok := testStarts.Load(name); ok {
		if since, ok := v.(time.Time); ok {
			return since
		}
	}
	return time.Time{}
}

// RandomName returns prefix followed by 8 random lower-case letters and digits (valid in
// gallery, application and resource group names as long as prefix is).
func RandomName(prefix string) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return prefix + string(b)
}
