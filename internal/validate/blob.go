package validate

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
)

// MaxConfigurationSizeBytes is the service's limit for a version's default configuration
// file (defaultConfigurationLink): 1 GiB.
const MaxConfigurationSizeBytes int64 = 1 << 30

// pageSize is the page-blob alignment: a page blob's length is a multiple of 512 bytes.
const pageSize = 512

// LinkKind says which package link is checked; the size limit differs.
type LinkKind int

const (
	// MediaLink is the application package (source.media_link).
	MediaLink LinkKind = iota
	// ConfigurationLink is the default configuration file (source.default_configuration_link).
	ConfigurationLink
)

func (k LinkKind) String() string {
	if k == ConfigurationLink {
		return "default configuration file"
	}
	return "application package"
}

// BlobProblem is a user-facing finding of a blob check.
type BlobProblem struct {
	Summary string
	Detail  string
}

// BlobChecker reads a package blob's properties with a HEAD request (azblob) and checks them
// against the provider's service limits.
type BlobChecker struct {
	// Credential reads plain https blob URLs (no SAS) of the configured cloud's storage; nil
	// reads them anonymously.
	Credential azcore.TokenCredential
	// StorageSuffix is the cloud's storage endpoint suffix ("core.windows.net"): only hosts
	// ending in ".blob."+StorageSuffix receive Credential. Empty sends it nowhere.
	StorageSuffix string
	// Options are the azcore client options (transport, user agent, retries).
	Options policy.ClientOptions
	// AllowedTypes are the accepted blob types ("PageBlob", "BlockBlob").
	AllowedTypes []string
	// MaxPackageBytes is the size limit of the application package.
	MaxPackageBytes int64
}

// NewBlobChecker builds a BlobChecker from the provider's client: its credential, transport
// and limits. Retries are fewer than for ARM calls so that an unreachable account fails the
// plan quickly.
func NewBlobChecker(c *clients.Client) *BlobChecker {
	opts := policy.ClientOptions{}
	if c.ARMOptions != nil {
		opts = c.ARMOptions.ClientOptions
	}
	opts.Retry.MaxRetries = 2
	opts.Retry.RetryDelay = time.Second
	opts.Retry.MaxRetryDelay = 5 * time.Second
	opts.Retry.TryTimeout = 30 * time.Second
	return &BlobChecker{
		Credential:      c.Credential,
		StorageSuffix:   c.StorageSuffix,
		Options:         opts,
		AllowedTypes:    c.Limits.AllowedBlobTypes,
		MaxPackageBytes: c.Limits.MaxPackageSizeBytes,
	}
}

// BlobProperties are what a blob HEAD tells the checks.
type BlobProperties struct {
	Type string
	Size int64
}

// Head fetches the blob's type and size. The provider's credential goes only to an https
// blob endpoint of the configured cloud (see CredentialFor), never along a redirect; every
// other URL, and every URL carrying a SAS, is read anonymously.
func (b *BlobChecker) Head(ctx context.Context, link string) (BlobProperties, error) {
	var out BlobProperties
	u, err := url.Parse(link)
	if err != nil {
		return out, fmt.Errorf("not a URL")
	}
	opts := &blob.ClientOptions{ClientOptions: b.Options}
	var c *blob.Client
	if transport, ok := withoutAuthOnRedirect(b.Options.Transport); ok && b.CredentialFor(u) {
		opts.Transport = transport
		c, err = blob.NewClient(link, b.Credential, opts)
	} else {
		c, err = blob.NewClientWithNoCredential(link, opts)
	}
	if err != nil {
		return out, err
	}
	resp, err := c.GetProperties(ctx, nil)
	if err != nil {
		return out, err
	}
	if resp.BlobType != nil {
		out.Type = string(*resp.BlobType)
	}
	if resp.ContentLength != nil {
		out.Size = *resp.ContentLength
	}
	return out, nil
}

// Check proves the blob at link is readable, of an allowed type, within the size limit and,
// for a page blob, 512-byte aligned. attr names the attribute in messages. It returns nil when
// every check passes. No message contains the SAS token.
func (b *BlobChecker) Check(ctx context.Context, attr, link string, kind LinkKind) *BlobProblem {
	shown := StripQuery(link)
	u, err := url.Parse(link)
	if err != nil || !u.IsAbs() || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return &BlobProblem{
			Summary: "Invalid package URL",
			Detail: fmt.Sprintf("%s must be an absolute http(s) URL of a storage blob, for example "+
				"https://<account>.blob.core.windows.net/<container>/<blob>?<SAS>; got %q.", attr, shown),
		}
	}
	props, err := b.Head(ctx, link)
	if err != nil {
		return readProblem(attr, shown, kind, err)
	}
	if !containsFold(b.AllowedTypes, props.Type) {
		return &BlobProblem{
			Summary: "Package blob type not allowed",
			Detail: fmt.Sprintf("The %s %s (%s) is a %s, but the provider only accepts %s "+
				"(service_limits.allowed_blob_types). Upload it as a page blob, or, if the service accepts %s "+
				"for your subscription, add %q to service_limits.allowed_blob_types in the provider block.",
				kind, shown, attr, orUnknown(props.Type), strings.Join(b.AllowedTypes, ", "), orUnknown(props.Type), props.Type),
		}
	}
	limit, limitName := b.MaxPackageBytes, "service_limits.max_package_size_bytes"
	if kind == ConfigurationLink {
		limit, limitName = MaxConfigurationSizeBytes, "the service's limit for default configuration files"
		if b.MaxPackageBytes > 0 && b.MaxPackageBytes < limit {
			limit, limitName = b.MaxPackageBytes, "service_limits.max_package_size_bytes"
		}
	}
	if limit > 0 && props.Size > limit {
		return &BlobProblem{
			Summary: "Package blob too large",
			Detail: fmt.Sprintf("The %s %s (%s) is %d bytes, over the limit of %d bytes (%s). Make the package "+
				"smaller (split it, compress it), or raise service_limits.max_package_size_bytes if the service allows "+
				"larger packages (Azure currently documents 2 GB for packages and 1 GB for configuration files).",
				kind, shown, attr, props.Size, limit, limitName),
		}
	}
	if strings.EqualFold(props.Type, string(blob.BlobTypePageBlob)) && props.Size%pageSize != 0 {
		return &BlobProblem{
			Summary: "Page blob size not a multiple of 512 bytes",
			Detail: fmt.Sprintf("The %s %s (%s) is a page blob of %d bytes, which is not a multiple of 512. "+
				"Pad the file to a 512-byte boundary before uploading it (for example: truncate -s %%512 <file>).",
				kind, shown, attr, props.Size),
		}
	}
	return nil
}

// CredentialFor reports whether the provider's credential may be sent to u: an https URL
// without SAS whose host is a blob endpoint of the configured cloud
// ("<account>.blob.core.windows.net" in the public cloud).
func (b *BlobChecker) CredentialFor(u *url.URL) bool {
	if b.Credential == nil || !strings.EqualFold(u.Scheme, "https") || u.Query().Has("sig") {
		return false
	}
	return IsBlobEndpoint(u.Hostname(), b.StorageSuffix)
}

// IsBlobEndpoint reports whether host is a blob endpoint under the storage suffix: it ends in
// ".blob."+suffix, with something before (the account). Letter case and a final dot are ignored.
func IsBlobEndpoint(host, suffix string) bool {
	suffix = strings.Trim(strings.ToLower(suffix), ".")
	if suffix == "" {
		return false
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	account, ok := strings.CutSuffix(host, ".blob."+suffix)
	return ok && account != ""
}

// defaultClient is azcore's default HTTP client in kind (proxy from the environment, TLS 1.2
// or later); it is used when the provider sets no transport of its own.
var defaultClient = sync.OnceValue(func() *http.Client {
	t := &http.Transport{Proxy: http.ProxyFromEnvironment}
	if d, ok := http.DefaultTransport.(*http.Transport); ok {
		t = d.Clone()
	}
	t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	return &http.Client{Transport: t}
})

// withoutAuthOnRedirect returns a transport that drops the Authorization header on every
// redirect, so a token never follows one (Go's client keeps it for the same host on another
// port, and for subdomains). It reports false for a transport it cannot control, which is then
// used only for anonymous reads.
func withoutAuthOnRedirect(t policy.Transporter) (policy.Transporter, bool) {
	var base *http.Client
	switch c := t.(type) {
	case nil:
		base = defaultClient()
	case *http.Client:
		base = c
	default:
		return nil, false
	}
	out := *base
	next := base.CheckRedirect
	out.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		req.Header.Del("Authorization")
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &out, true
}

func readProblem(attr, shown string, kind LinkKind, err error) *BlobProblem {
	p := &BlobProblem{Summary: "Package blob not readable"}
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		code := re.ErrorCode
		if code == "" {
			code = http.StatusText(re.StatusCode)
		}
		switch re.StatusCode {
		case http.StatusNotFound:
			p.Detail = fmt.Sprintf("The %s %s (%s) does not exist: the storage service answered %d %s. "+
				"Check the account, container and blob names, and upload the blob before applying.", kind, shown, attr, re.StatusCode, code)
		case http.StatusForbidden, http.StatusUnauthorized:
			p.Detail = fmt.Sprintf("The %s %s (%s) cannot be read: the storage service answered %d %s. "+
				"Check that the SAS token is valid, has not expired and grants read permission (sp=r), or that the "+
				"provider's identity may read the blob (Storage Blob Data Reader). If the Terraform runner cannot reach "+
				"the storage account, set skip_blob_checks = true in the provider block.", kind, shown, attr, re.StatusCode, code)
		default:
			p.Detail = fmt.Sprintf("Reading the properties of the %s %s (%s) failed: the storage service answered %d %s.",
				kind, shown, attr, re.StatusCode, code)
		}
		return p
	}
	// Transport errors quote the request URL, SAS included: keep only the cause.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	p.Detail = fmt.Sprintf("The %s %s (%s) could not be read: %s. If the Terraform runner cannot reach the "+
		"storage account, set skip_blob_checks = true in the provider block.", kind, shown, attr, clients.Redact(err.Error()))
	return p
}

// HasSAS reports whether a blob URL carries a SAS token (a "sig" query parameter).
func HasSAS(link string) bool {
	u, err := url.Parse(link)
	if err != nil {
		return false
	}
	return u.Query().Has("sig")
}

// StripQuery returns link without its query string (and so without any SAS token), for messages.
func StripQuery(link string) string {
	u, err := url.Parse(link)
	if err != nil {
		return "<invalid URL>"
	}
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return u.String()
}

// SameBlob reports whether two blob URLs name the same blob: same scheme and host (without
// letter case) and same path; the query (SAS token) may differ. The service lets only the SAS
// of a version's links change in place.
func SameBlob(a, b string) bool {
	ua, errA := url.Parse(a)
	ub, errB := url.Parse(b)
	if errA != nil || errB != nil {
		return a == b
	}
	return strings.EqualFold(ua.Scheme, ub.Scheme) && strings.EqualFold(ua.Host, ub.Host) &&
		ua.EscapedPath() == ub.EscapedPath()
}

func containsFold(list []string, s string) bool {
	for _, l := range list {
		if strings.EqualFold(l, s) {
			return true
		}
	}
	return false
}

func orUnknown(s string) string {
	if s == "" {
		return "blob of unknown type"
	}
	return s
}
