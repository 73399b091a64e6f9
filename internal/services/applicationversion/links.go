package applicationversion

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/validate"
)

// A link of the source block is given either as a plain attribute (media_link), kept in plan
// and state, or as a write-only one (media_link_wo) with a version attribute
// (media_link_wo_version) whose change sends the write-only value again. The write-only value
// is only in the configuration: plan and state hold null, so the provider reads it from the
// configuration when it plans and when it writes, and remembers which blob the version was
// published from as a digest in private state (never the link, never its SAS).

// link is one link of a source block, in either form.
type link struct {
	name    string // media_link or default_configuration_link
	kind    validate.LinkKind
	plain   types.String
	wo      types.String // null unless copied from the configuration
	version types.Int64
}

// links returns the media link and the default configuration link of s (nil: no links).
func (s *sourceModel) links() [2]link {
	if s == nil {
		s = &sourceModel{}
	}
	return [2]link{
		{"media_link", validate.MediaLink, s.MediaLink, s.MediaLinkWO, s.MediaLinkWOVersion},
		{"default_configuration_link", validate.ConfigurationLink, s.DefaultConfigurationLink, s.DefaultConfigurationLinkWO, s.DefaultConfigurationLinkWOVersion},
	}
}

// writeOnly reports whether the link is given in its write-only form.
func (l link) writeOnly() bool { return !l.wo.IsNull() || !l.version.IsNull() }

// value is the link to send: the write-only value when given, else the plain one.
func (l link) value() types.String {
	if l.writeOnly() {
		return l.wo
	}
	return l.plain
}

// path is the attribute the link is configured in, for diagnostics.
func (l link) path() path.Path {
	if l.writeOnly() {
		return path.Root("source").AtName(l.name + "_wo")
	}
	return path.Root("source").AtName(l.name)
}

// attr names the attribute the link is configured in, for messages.
func (l link) attr() string {
	if l.writeOnly() {
		return "source." + l.name + "_wo"
	}
	return "source." + l.name
}

// resent reports whether a plan from prior to next sends the link again: a plain link that
// changed, a switch between the plain and the write-only form, or a new write-only version.
// A write-only value that changed without its version is not sent again.
func resent(prior, next link) bool {
	if next.writeOnly() {
		return !prior.plain.IsNull() || !next.version.Equal(prior.version)
	}
	return !next.plain.Equal(prior.plain)
}

// replaces reports whether a plan from prior to next points the version at another blob,
// which forces a new version: the service lets only the SAS token of a link change. priorKey
// is the digest of the blob a write-only link was published from ("" when unknown). A link
// that is not sent again never replaces; one whose old or new blob is unknown does.
func replaces(prior link, priorKey string, next link) bool {
	if !resent(prior, next) {
		return false
	}
	had := !prior.plain.IsNull() || !prior.version.IsNull()
	v := next.value()
	if !had && v.IsNull() {
		return false
	}
	if !had || v.IsNull() || v.IsUnknown() || prior.plain.IsUnknown() {
		return true
	}
	if !prior.plain.IsNull() {
		priorKey = blobKey(prior.plain.ValueString())
	}
	return priorKey == "" || blobKey(v.ValueString()) != priorKey
}

// withConfigLinks returns a copy of m whose source holds the write-only links of the
// configuration: what the plan-time checks and the request to Azure need. The copy must not
// be stored in plan or state.
func withConfigLinks(ctx context.Context, cfg tfsdk.Config, m *ApplicationVersionResourceModel) (ApplicationVersionResourceModel, diag.Diagnostics) {
	out := *m
	if m.Source == nil {
		return out, nil
	}
	src := *m.Source
	diags := cfg.GetAttribute(ctx, path.Root("source").AtName("media_link_wo"), &src.MediaLinkWO)
	diags.Append(cfg.GetAttribute(ctx, path.Root("source").AtName("default_configuration_link_wo"), &src.DefaultConfigurationLinkWO)...)
	out.Source = &src
	return out, diags
}

// blobKey is a digest of the blob a link names (scheme, host and path, compared as
// validate.SameBlob does), without its SAS token: what private state keeps to tell a new SAS
// for the same blob from another blob when the link itself is write-only.
func blobKey(l string) string {
	k := l
	if u, err := url.Parse(l); err == nil {
		k = strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + u.EscapedPath()
	}
	sum := sha256.Sum256([]byte(k))
	return hex.EncodeToString(sum[:])
}

// privateBlobKeys is the private state key holding the digests of the blobs the version was
// published from.
const privateBlobKeys = "source_blob_keys"

type blobKeys struct {
	MediaLink                string `json:"media_link,omitempty"`
	DefaultConfigurationLink string `json:"default_configuration_link,omitempty"`
}

func (k blobKeys) of(name string) string {
	if name == "media_link" {
		return k.MediaLink
	}
	return k.DefaultConfigurationLink
}

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

type privateData interface {
	privateGetter
	privateSetter
}

// loadBlobKeys reads the digests from private state; none when absent or unreadable.
func loadBlobKeys(ctx context.Context, p privateGetter) blobKeys {
	var k blobKeys
	if p == nil {
		return k
	}
	if b, d := p.GetKey(ctx, privateBlobKeys); !d.HasError() && len(b) > 0 {
		_ = json.Unmarshal(b, &k) // an unreadable value is no digest: the plan then replaces on a new version
	}
	return k
}

// storeBlobKeys records the digests of the links of s (as sent or as the service returned
// them); a link the service leaves out keeps its digest.
func storeBlobKeys(ctx context.Context, p privateData, s *armcompute.UserArtifactSource) diag.Diagnostics {
	if s == nil {
		return nil
	}
	k := loadBlobKeys(ctx, p)
	if s.MediaLink != nil && *s.MediaLink != "" {
		k.MediaLink = blobKey(*s.MediaLink)
	}
	if s.DefaultConfigurationLink != nil && *s.DefaultConfigurationLink != "" {
		k.DefaultConfigurationLink = blobKey(*s.DefaultConfigurationLink)
	}
	b, err := json.Marshal(k)
	if err != nil {
		return nil
	}
	return p.SetKey(ctx, privateBlobKeys, b)
}
