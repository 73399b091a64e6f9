// Package emulator is a local HTTPS emulator of the Azure APIs the azvmapps provider uses:
// an AAD-like token endpoint, ARM routes for resource groups, Compute Gallery VM Applications,
// virtual machines and scale sets, with Azurite as the blob store behind the packages.
//
// Start it with Start (or the azvmapps-emulator command) and export Env() into the environment
// of the provider / Terraform. Behaviour follows ../shared/AZURE-API-NOTES.md: LRO shapes
// (gallery/version PUT → 201 Creating + Azure-AsyncOperation; a version PUT/PATCH that changes
// anything → 200 Updating + Azure-AsyncOperation; application PUT → synchronous 201; application
// DELETE → synchronous 200; other DELETEs → 202 with Azure-AsyncOperation and Location), service
// errors with targets, replication per region (Config.ReplicationTime, ReplicationTimePerRegion),
// the CannotDeleteResource lag (Config.DeleteLag), ETags on VMs and scale sets, the VM application
// install simulation and the seed's documented bugs. Latencies come from a profile (Config.Profile:
// fast or azure, scaled by Config.TimeScale); faults from a seeded spec (ParseFaults). NOTES.md
// gives the source of each behaviour and figure.
//
// Admin endpoint (loopback only, no auth) under URL()+"/_emulator": GET /health, GET|DELETE /requests,
// GET /counters, GET /inventory, GET /env, POST /reset, GET|PUT /faults ({"faults":"seed=1,429=0.1"}).
// State (identity, resources, operations) lives in StateDir/state.json, written atomically after
// every write request and on Close.
package emulator

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Config configures an Emulator.
type Config struct {
	StateDir   string // required; CA, state.json, azurite data
	AzuriteBin string // default os.Getenv("AZURITE_BIN")
	NoStorage  bool   // run without Azurite: blob checks are skipped and no blobs are seeded
	Limits     Limits // zero fields → seed defaults
	// Profile picks the latencies left at zero: ProfileFast (default), ProfileDemo or ProfileAzure.
	Profile string
	// TimeScale multiplies every latency below after the profile is applied (e.g. 0.01); 0 or 1: as is.
	TimeScale                float64
	ReplicationTime          time.Duration // replication time of the first target region (fast 2s)
	ReplicationTimePerRegion time.Duration // added per further target region (fast 0)
	RetryAfter               time.Duration // Retry-After of LRO responses (fast 1s; negative: no header, as the service)
	OperationTime            time.Duration // gallery create/update/delete, share, VM minimum (fast RetryAfter/2)
	UpdateTime               time.Duration // application version update (fast OperationTime)
	DeleteTime               time.Duration // application version delete (fast OperationTime)
	DeleteLag                time.Duration // CannotDeleteResource lag after a child delete (fast 2s; negative: none)
	InstallTime              time.Duration // VM application install time (fast 1s)
	PageSize                 int           // items per list page (default 10)
	Faults                   Faults        // fault injection
	Addr                     string        // listen address (default 127.0.0.1:0)
	Logf                     func(format string, args ...any)
}

// Limits are the service limits the emulator enforces.
type Limits struct {
	MaxReplicasPerRegion int      // default 3
	MaxApplicationsPerVM int      // default 5
	MaxPackageSizeBytes  int64    // default 1 GiB
	AllowedBlobTypes     []string // default ["PageBlob"]
}

// DefaultLimits returns the seed's documented limits.
func DefaultLimits() Limits {
	return Limits{MaxReplicasPerRegion: 3, MaxApplicationsPerVM: 5, MaxPackageSizeBytes: 1 << 30, AllowedBlobTypes: []string{"PageBlob"}}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxReplicasPerRegion > 0 {
		d.MaxReplicasPerRegion = l.MaxReplicasPerRegion
	}
	if l.MaxApplicationsPerVM > 0 {
		d.MaxApplicationsPerVM = l.MaxApplicationsPerVM
	}
	if l.MaxPackageSizeBytes > 0 {
		d.MaxPackageSizeBytes = l.MaxPackageSizeBytes
	}
	if len(l.AllowedBlobTypes) > 0 {
		d.AllowedBlobTypes = append([]string(nil), l.AllowedBlobTypes...)
	}
	return d
}

// Emulator is a running emulator.
type Emulator struct {
	cfg      Config
	url      string
	ln       net.Listener
	srv      *http.Server
	ca       *authority
	mu       sync.Mutex // guards st
	st       *state
	log      *requestLog
	faults   *faultInjector
	storage  *storage
	closeMu  sync.Mutex
	closed   bool
	saveMu   sync.Mutex
	now      func() time.Time
	limits   Limits
	serveErr chan error
}

// Start starts the emulator (and Azurite unless cfg.NoStorage) and returns once both serve.
func Start(ctx context.Context, cfg Config) (*Emulator, error) {
	if cfg.StateDir == "" {
		return nil, errors.New("emulator: Config.StateDir is required")
	}
	if err := os.MkdirAll(cfg.StateDir, 0o700); err != nil {
		return nil, fmt.Errorf("emulator: state dir: %w", err)
	}
	if cfg.AzuriteBin == "" {
		cfg.AzuriteBin = os.Getenv("AZURITE_BIN")
	}
	if err := applyProfile(&cfg); err != nil {
		return nil, err
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 10
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	e := &Emulator{cfg: cfg, now: time.Now, limits: cfg.Limits.withDefaults(), log: newRequestLog(), serveErr: make(chan error, 1)}
	e.faults = newFaultInjector(cfg.Faults)

	ca, err := loadOrCreateAuthority(cfg.StateDir)
	if err != nil {
		return nil, err
	}
	e.ca = ca
	st, err := loadState(e.statePath())
	if err != nil {
		return nil, err
	}
	if st == nil {
		st = newSeedState()
	}
	e.st = st
	if len(st.SeedVMs) == 0 {
		e.seedComputeLocked(time.Now())
	}
	if !cfg.NoStorage {
		if cfg.AzuriteBin == "" {
			return nil, errors.New("emulator: Azurite is needed but AZURITE_BIN is not set; run `eval \"$(tools/install-tools.sh --env)\"` (or set Config.NoStorage)")
		}
		s, err := startAzurite(ctx, cfg.AzuriteBin, filepath.Join(cfg.StateDir, "azurite"), cfg.Logf)
		if err != nil {
			return nil, err
		}
		e.storage = s
		urls, err := s.seed(ctx)
		if err != nil {
			s.stop()
			return nil, err
		}
		e.mu.Lock()
		e.st.Blobs = urls
		e.mu.Unlock()
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		e.stopStorage()
		return nil, fmt.Errorf("emulator: listen: %w", err)
	}
	cert, err := ca.serverCertificate()
	if err != nil {
		_ = ln.Close()
		e.stopStorage()
		return nil, err
	}
	e.ln = ln
	e.url = "https://" + ln.Addr().String()
	e.srv = &http.Server{
		Handler:           e.handler(),
		ReadHeaderTimeout: 30 * time.Second,
		TLSNextProto:      map[string]func(*http.Server, *tls.Conn, http.Handler){}, // HTTP/1.1 only: faults hijack connections
		ErrorLog:          nil,
	}
	tlsLn := tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	go func() { e.serveErr <- e.srv.Serve(tlsLn) }()
	if err := writeBundle(cfg.StateDir, ca); err != nil {
		_ = e.Close() // cleanup on the error path
		return nil, err
	}
	if err := e.save(); err != nil {
		_ = e.Close() // cleanup on the error path
		return nil, err
	}
	if err := e.waitServing(ctx); err != nil {
		_ = e.Close() // cleanup on the error path
		return nil, err
	}
	cfg.Logf("emulator: serving on %s (state %s)", e.url, cfg.StateDir)
	return e, nil
}

func (e *Emulator) waitServing(ctx context.Context) error {
	client := e.HTTPClient()
	deadline := time.Now().Add(10 * time.Second)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.url+"/_emulator/health", nil)
		resp, err := client.Do(req)
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				e.log.reset()
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("emulator: server did not come up: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// URL returns the base URL of the emulator, e.g. https://127.0.0.1:41234 (no trailing slash).
func (e *Emulator) URL() string { return e.url }

// Config returns the configuration in force: the latencies after the profile and the time scale
// were applied (benchmarks compute their lower bounds from it).
func (e *Emulator) Config() Config {
	c := e.cfg
	c.Limits = e.Limits()
	return c
}

// CAFile returns the path of the emulator's CA certificate (PEM).
func (e *Emulator) CAFile() string { return filepath.Join(e.cfg.StateDir, "ca.pem") }

// CABundleFile returns the path of the system CA bundle plus the emulator CA (for SSL_CERT_FILE).
func (e *Emulator) CABundleFile() string { return filepath.Join(e.cfg.StateDir, "ca-bundle.pem") }

// HTTPClient returns an http.Client that trusts the emulator CA.
func (e *Emulator) HTTPClient() *http.Client {
	return &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: e.ca.pool(), MinVersion: tls.VersionTLS12},
		Proxy:           nil,
	}}
}

// Identity is the seeded service principal and subscription.
type Identity struct {
	TenantID, SubscriptionID, ClientID, ClientSecret, OtherTenantID string
}

// Identity returns the seeded identity.
func (e *Emulator) Identity() Identity {
	e.mu.Lock()
	defer e.mu.Unlock()
	return Identity{TenantID: e.st.TenantID, SubscriptionID: e.st.SubscriptionID, ClientID: e.st.ClientID, ClientSecret: e.st.ClientSecret, OtherTenantID: e.st.OtherTenantID}
}

// Env returns the environment variables of the env file (names without "export").
func (e *Emulator) Env() map[string]string {
	e.mu.Lock()
	defer e.mu.Unlock()
	st := e.st
	env := map[string]string{
		"ARM_SUBSCRIPTION_ID":                 st.SubscriptionID,
		"ARM_TENANT_ID":                       st.TenantID,
		"ARM_CLIENT_ID":                       st.ClientID,
		"ARM_CLIENT_SECRET":                   st.ClientSecret,
		"ARM_RESOURCE_MANAGER_ENDPOINT":       e.url,
		"ARM_ACTIVE_DIRECTORY_AUTHORITY_HOST": e.url + "/",
		"ARM_RESOURCE_MANAGER_AUDIENCE":       e.url,
		"SSL_CERT_FILE":                       e.CABundleFile(),
		"AZVMAPPS_EMULATOR_URL":               e.url + adminPrefix,
		"TF_VAR_resource_group_name":          seedResourceGroup,
		"TF_VAR_location":                     seedLocation,
		"TF_VAR_secondary_location":           seedSecondaryLocation,
		"TF_VAR_failing_install_script":       failingInstallScript,
		"TF_VAR_page_blob_url":                st.Blobs.Page,
		"TF_VAR_block_blob_url":               st.Blobs.Block,
		"TF_VAR_oversize_blob_url":            st.Blobs.Huge,
		"TF_VAR_config_blob_url":              st.Blobs.Config,
		"TF_VAR_workload_subscription_id":     st.WorkloadSubscriptionID,
		"TF_VAR_forbidden_vm_id": "/subscriptions/" + st.ForbiddenSubscriptionID + "/resourceGroups/" + seedWorkloadResourceGroup +
			"/providers/Microsoft.Compute/virtualMachines/vm-forbidden",
	}
	for k, v := range e.seedVMEnvLocked() {
		env[k] = v
	}
	for k, v := range env {
		if v == "" {
			delete(env, k)
		}
	}
	return env
}

// Requests returns a copy of the request log.
func (e *Emulator) Requests() []Request { return e.log.list() }

// ResetRequests clears the request log and counters.
func (e *Emulator) ResetRequests() { e.log.reset() }

// Close stops the server and Azurite and saves the state.
func (e *Emulator) Close() error {
	e.closeMu.Lock()
	defer e.closeMu.Unlock()
	if e.closed {
		return nil
	}
	e.closed = true
	var errs []error
	if e.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := e.srv.Shutdown(ctx); err != nil {
			_ = e.srv.Close() // graceful shutdown timed out: force the connections closed
		}
		cancel()
	}
	if err := e.save(); err != nil {
		errs = append(errs, err)
	}
	e.stopStorage()
	return errors.Join(errs...)
}

func (e *Emulator) stopStorage() {
	if e.storage != nil {
		e.storage.stop()
	}
}

func (e *Emulator) statePath() string { return filepath.Join(e.cfg.StateDir, "state.json") }
