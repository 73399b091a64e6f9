package validate

import (
	"context"
	"encoding/base64"
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

// A plain https blob URL is read with the provider's credential, a SAS URL without it.
func TestBlobCheckCredentialChoice(t *testing.T) {
	srv := &blobServer{blobs: map[string]fakeBlob{"/c/app.bin": {blobType: "PageBlob", size: 512}}}
	ts := httptest.NewTLSServer(srv)
	defer ts.Close()
	cred := &fakeCredential{}
	c := newChecker()
	c.Credential = cred
	c.Options.Transport = ts.Client()

	if p := c.Check(context.Background(), "source.media_link", ts.URL+"/c/app.bin", MediaLink); p != nil {
		t.Fatalf("plain URL: %+v", p)
	}
	if p := c.Check(context.Background(), "source.media_link", ts.URL+"/c/app.bin?"+fakeSAS, MediaLink); p != nil {
		t.Fatalf("SAS URL: %+v", p)
	}
	if len(srv.auth) != 2 || srv.auth[0] != "Bearer fake-token" || srv.auth[1] != "" {
		t.Fatalf("Authorization headers = %q, want a bearer token for the plain URL only", srv.auth)
	}
	if len(cred.scopes) == 0 || !strings.Contains(cred.scopes[0], "storage.azure.com") {
		t.Errorf("token scopes = %q, want the storage audience", cred.scopes)
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
