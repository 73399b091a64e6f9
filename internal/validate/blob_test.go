package validate

import (
	"context"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// fakeBlob is what the imitation Blob service answers for one path.
type fakeBlob struct {
	status   int
	code     string
	blobType string
	size     int64
}

// blobServer imitates the Azure Blob service's HEAD (Get Blob Properties) responses.
type blobServer struct {
	mu    sync.Mutex
	blobs map[string]fakeBlob
	auth  []string // Authorization header of each request
}

func (s *blobServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.auth = append(s.auth, r.Header.Get("Authorization"))
	b, ok := s.blobs[r.URL.Path]
	s.mu.Unlock()
	if r.Method != http.MethodHead {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("x-ms-request-id", "00000000-0000-0000-0000-000000000000")
	w.Header().Set("x-ms-version", "2025-01-05")
	if !ok {
		w.Header().Set("x-ms-error-code", "BlobNotFound")
		w.WriteHeader(http.StatusNotFound)
		return
	}
	if b.status != 0 {
		w.Header().Set("x-ms-error-code", b.code)
		w.WriteHeader(b.status)
		return
	}
	w.Header().Set("x-ms-blob-type", b.blobType)
	w.Header().Set("Content-Length", strconv.FormatInt(b.size, 10))
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Last-Modified", time.Now().UTC().Format(http.TimeFormat))
	w.WriteHeader(http.StatusOK)
}

// fakeSAS is a SAS query whose signature is made up at run time (no secret-looking literal).
var fakeSAS = "sv=2025-01-05&se=2099-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=" + url.QueryEscape(base64.StdEncoding.EncodeToString([]byte("made-up-signature")))

func newChecker(allowed ...string) *BlobChecker {
	if len(allowed) == 0 {
		allowed = []string{"PageBlob"}
	}
	return &BlobChecker{
		Options:         policy.ClientOptions{Retry: policy.RetryOptions{MaxRetries: -1}},
		AllowedTypes:    allowed,
		MaxPackageBytes: 1 << 20,
	}
}

func TestBlobCheck(t *testing.T) {
	srv := &blobServer{blobs: map[string]fakeBlob{
		"/packages/app.bin":       {blobType: "PageBlob", size: 4096},
		"/packages/block.bin":     {blobType: "BlockBlob", size: 1000},
		"/packages/big.bin":       {blobType: "PageBlob", size: 2 << 20},
		"/packages/unaligned.bin": {blobType: "PageBlob", size: 1000},
		"/packages/denied.bin":    {status: 403, code: "AuthenticationFailed"},
		"/packages/bigconfig.bin": {blobType: "BlockBlob", size: 1<<30 + 512},
	}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	link := func(p string) string { return ts.URL + "/packages/" + p + "?" + fakeSAS }

	cases := []struct {
		name    string
		link    string
		kind    LinkKind
		checker *BlobChecker
		summary string // "" = passes
		detail  []string
	}{
		{name: "page blob passes", link: link("app.bin"), kind: MediaLink, checker: newChecker()},
		{name: "block blob refused by default", link: link("block.bin"), kind: MediaLink, checker: newChecker(),
			summary: "Package blob type not allowed", detail: []string{"BlockBlob", "service_limits.allowed_blob_types"}},
		{name: "block blob allowed when listed", link: link("block.bin"), kind: MediaLink, checker: newChecker("PageBlob", "BlockBlob")},
		{name: "block blob not required to be aligned", link: link("block.bin"), kind: ConfigurationLink, checker: newChecker("PageBlob", "BlockBlob")},
		{name: "over the package limit", link: link("big.bin"), kind: MediaLink, checker: newChecker(),
			summary: "Package blob too large", detail: []string{"2097152 bytes", "1048576 bytes", "service_limits.max_package_size_bytes"}},
		{name: "page blob not 512-aligned", link: link("unaligned.bin"), kind: MediaLink, checker: newChecker(),
			summary: "Page blob size not a multiple of 512 bytes", detail: []string{"1000 bytes"}},
		{name: "forbidden", link: link("denied.bin"), kind: MediaLink, checker: newChecker(),
			summary: "Package blob not readable", detail: []string{"403", "AuthenticationFailed", "skip_blob_checks"}},
		{name: "missing", link: link("nothing.bin"), kind: ConfigurationLink, checker: newChecker(),
			summary: "Package blob not readable", detail: []string{"404", "BlobNotFound", "default configuration file"}},
		{name: "relative URL", link: "packages/app.bin", kind: MediaLink, checker: newChecker(),
			summary: "Invalid package URL"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := c.checker.Check(context.Background(), "source.media_link", c.link, c.kind)
			if c.summary == "" {
				if p != nil {
					t.Fatalf("unexpected problem: %s: %s", p.Summary, p.Detail)
				}
				return
			}
			if p == nil {
				t.Fatalf("expected %q, got no problem", c.summary)
			}
			if p.Summary != c.summary {
				t.Errorf("summary = %q, want %q", p.Summary, c.summary)
			}
			for _, d := range c.detail {
				if !strings.Contains(p.Detail, d) {
					t.Errorf("detail %q does not contain %q", p.Detail, d)
				}
			}
			if strings.Contains(p.Detail, "sig=") || strings.Contains(p.Detail, "bWFkZS11cC1z") {
				t.Errorf("detail leaks the SAS signature: %q", p.Detail)
			}
		})
	}
}

func TestBlobCheckConfigurationLimit(t *testing.T) {
	srv := &blobServer{blobs: map[string]fakeBlob{"/c/config": {blobType: "BlockBlob", size: 1<<30 + 512}}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	c := newChecker("PageBlob", "BlockBlob")
	c.MaxPackageBytes = 2 << 30 // packages may be 2 GiB, configuration files only 1 GiB
	if p := c.Check(context.Background(), "source.media_link", ts.URL+"/c/config?"+fakeSAS, MediaLink); p != nil {
		t.Fatalf("as a package the blob is within 2 GiB, got %v", p)
	}
	p := c.Check(context.Background(), "source.default_configuration_link", ts.URL+"/c/config?"+fakeSAS, ConfigurationLink)
	if p == nil || p.Summary != "Package blob too large" || !strings.Contains(p.Detail, "1073741824") {
		t.Fatalf("configuration link over 1 GiB: got %+v", p)
	}
}

func TestBlobCheckUnreachableHidesSAS(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	addr := ts.URL
	ts.Close() // nothing listens any more
	p := newChecker().Check(context.Background(), "source.media_link", addr+"/c/b?"+fakeSAS, MediaLink)
	if p == nil || p.Summary != "Package blob not readable" {
		t.Fatalf("got %+v", p)
	}
	if strings.Contains(p.Detail, "sig=") || strings.Contains(p.Detail, "bWFkZS11cC1z") || strings.Contains(p.Detail, "se=2099") {
		t.Errorf("detail leaks the SAS: %q", p.Detail)
	}
}

type fakeCredential struct{ scopes []string }

func (f *fakeCredential) GetToken(_ context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	f.scopes = append(f.scopes, o.Scopes...)
	return azcore.AccessToken{Token: "fake-token", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// routedClient is an HTTPS client that resolves the given host:port names to local test
// servers, so tests can use real storage host names. The servers' certificate is trusted
// under the name example.com.
func routedClient(t *testing.T, ts *httptest.Server, routes map[string]string) *http.Client {
	t.Helper()
	base, ok := ts.Client().Transport.(*http.Transport)
	if !ok {
		t.Fatal("httptest's client has no *http.Transport")
	}
	tr := base.Clone()
	tr.TLSClientConfig = tr.TLSClientConfig.Clone()
	tr.TLSClientConfig.ServerName = "example.com"
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		to, ok := routes[strings.ToLower(addr)]
		if !ok {
			return nil, fmt.Errorf("no route to %s in the test", addr)
		}
		return (&net.Dialer{}).DialContext(ctx, network, to)
	}
	return &http.Client{Transport: tr}
}

// The provider's credential goes only to https blob endpoints of the configured cloud.
func TestBlobCheckCredentialChoice(t *testing.T) {
	srv := &blobServer{blobs: map[string]fakeBlob{"/c/app.bin": {blobType: "PageBlob", size: 512}}}
	ts := httptest.NewTLSServer(srv)
	defer ts.Close()
	addr := ts.Listener.Addr().String()
	client := routedClient(t, ts, map[string]string{
		"acct.blob.core.windows.net:443":              addr,
		"acct.blob.core.usgovcloudapi.net:443":        addr,
		"acct.blob.core.windows.net.evil.example:443": addr,
		"acct.file.core.windows.net:443":              addr,
		"blob.core.windows.net:443":                   addr,
		addr:                                          addr,
	})
	cases := []struct {
		name   string
		link   string
		suffix string
		token  bool
	}{
		{"public blob endpoint", "https://acct.blob.core.windows.net/c/app.bin", "core.windows.net", true},
		{"host letter case", "https://ACCT.Blob.Core.Windows.Net/c/app.bin", "core.windows.net", true},
		{"SAS URL", "https://acct.blob.core.windows.net/c/app.bin?" + fakeSAS, "core.windows.net", false},
		{"foreign TLS server", ts.URL + "/c/app.bin", "core.windows.net", false},
		{"storage name inside a foreign host", "https://acct.blob.core.windows.net.evil.example/c/app.bin", "core.windows.net", false},
		{"another cloud's storage", "https://acct.blob.core.usgovcloudapi.net/c/app.bin", "core.windows.net", false},
		{"usgovernment storage", "https://acct.blob.core.usgovcloudapi.net/c/app.bin", "core.usgovcloudapi.net", true},
		{"not a blob endpoint", "https://acct.file.core.windows.net/c/app.bin", "core.windows.net", false},
		{"no account", "https://blob.core.windows.net/c/app.bin", "core.windows.net", false},
		{"no storage suffix known", "https://acct.blob.core.windows.net/c/app.bin", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv.mu.Lock()
			srv.auth = nil
			srv.mu.Unlock()
			cred := &fakeCredential{}
			c := newChecker()
			c.Credential = cred
			c.StorageSuffix = tc.suffix
			c.Options.Transport = client
			if p := c.Check(context.Background(), "source.media_link", tc.link, MediaLink); p != nil {
				t.Fatalf("%s: %s", p.Summary, p.Detail)
			}
			srv.mu.Lock()
			defer srv.mu.Unlock()
			if len(srv.auth) != 1 {
				t.Fatalf("want one request, got %d", len(srv.auth))
			}
			if got := srv.auth[0] == "Bearer fake-token"; got != tc.token {
				t.Fatalf("Authorization = %q, want a token: %v", srv.auth[0], tc.token)
			}
			if tc.token && (len(cred.scopes) == 0 || !strings.Contains(cred.scopes[0], "storage.azure.com")) {
				t.Errorf("token scopes = %q, want the storage audience", cred.scopes)
			}
			if !tc.token && len(cred.scopes) != 0 {
				t.Errorf("a token was requested (%q) for a URL that must be read anonymously", cred.scopes)
			}
		})
	}
}

// A redirect from the storage endpoint never carries the token, not even to the same host on
// another port (which Go's HTTP client would otherwise allow).
func TestBlobCheckRedirectDropsToken(t *testing.T) {
	foreign := &blobServer{blobs: map[string]fakeBlob{"/c/app.bin": {blobType: "PageBlob", size: 512}}}
	fs := httptest.NewTLSServer(foreign)
	defer fs.Close()
	var storageAuth []string
	var mu sync.Mutex
	ss := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		storageAuth = append(storageAuth, r.Header.Get("Authorization"))
		mu.Unlock()
		http.Redirect(w, r, "https://acct.blob.core.windows.net:8443"+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	}))
	defer ss.Close()
	c := newChecker()
	c.Credential = &fakeCredential{}
	c.StorageSuffix = "core.windows.net"
	c.Options.Transport = routedClient(t, ss, map[string]string{
		"acct.blob.core.windows.net:443":  ss.Listener.Addr().String(),
		"acct.blob.core.windows.net:8443": fs.Listener.Addr().String(),
	})
	_ = c.Check(context.Background(), "source.media_link", "https://acct.blob.core.windows.net/c/app.bin", MediaLink)
	mu.Lock()
	defer mu.Unlock()
	if len(storageAuth) == 0 || storageAuth[0] != "Bearer fake-token" {
		t.Fatalf("the storage endpoint should have received the token, got %q", storageAuth)
	}
	foreign.mu.Lock()
	defer foreign.mu.Unlock()
	for _, a := range foreign.auth {
		if a != "" {
			t.Fatalf("the redirect target received Authorization %q", a)
		}
	}
}

func TestIsBlobEndpoint(t *testing.T) {
	cases := []struct {
		host, suffix string
		want         bool
	}{
		{"acct.blob.core.windows.net", "core.windows.net", true},
		{"acct.blob.core.windows.net.", "core.windows.net", true},
		{"acct.blob.core.windows.net", ".core.windows.net.", true},
		{"acct.z12.blob.storage.azure.net", "storage.azure.net", true},
		{"blob.core.windows.net", "core.windows.net", false},
		{".blob.core.windows.net", "core.windows.net", false},
		{"acctblob.core.windows.net", "core.windows.net", false},
		{"acct.blob.core.windows.net.evil.example", "core.windows.net", false},
		{"acct.blob.core.windows.net", "", false},
		{"acct.blob.local.azurestack.external", "local.azurestack.external", true},
		{"127.0.0.1", "core.windows.net", false},
	}
	for _, tc := range cases {
		if got := IsBlobEndpoint(tc.host, tc.suffix); got != tc.want {
			t.Errorf("IsBlobEndpoint(%q, %q) = %v, want %v", tc.host, tc.suffix, got, tc.want)
		}
	}
}

func TestSameBlobAndStripQuery(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{"https://acct.blob.core.windows.net/c/app?sv=1&sig=a", "https://acct.blob.core.windows.net/c/app?sv=2&sig=b", true},
		{"https://ACCT.blob.core.windows.net/c/app?sig=a", "https://acct.blob.core.windows.net/c/app", true},
		{"https://acct.blob.core.windows.net/c/app", "https://acct.blob.core.windows.net/c/app2", false},
		{"https://acct.blob.core.windows.net/c/App", "https://acct.blob.core.windows.net/c/app", false},
		{"https://acct.blob.core.windows.net/c/app", "http://acct.blob.core.windows.net/c/app", false},
		{"https://acct.blob.core.windows.net/c/app", "https://other.blob.core.windows.net/c/app", false},
	}
	for _, c := range cases {
		if got := SameBlob(c.a, c.b); got != c.want {
			t.Errorf("SameBlob(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
	if got := StripQuery("https://a.blob.core.windows.net/c/b?sv=1&sig=secret"); got != "https://a.blob.core.windows.net/c/b" {
		t.Errorf("StripQuery = %q", got)
	}
	if !HasSAS("http://127.0.0.1:1/c/b?sv=1&sig=x") || HasSAS("https://a/c/b") {
		t.Error("HasSAS is wrong")
	}
}
