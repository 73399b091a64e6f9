package applicationversion

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

const blobURL = "https://acct.blob.core.windows.net/packages/app.pagebin"

func plainSource(media string) *sourceModel {
	return &sourceModel{MediaLink: types.StringValue(media)}
}

// woSource is a source whose media link is write-only: wo is the configured value ("" for the
// null a plan or state holds).
func woSource(wo string, version int64) *sourceModel {
	s := &sourceModel{MediaLinkWOVersion: types.Int64Value(version)}
	if wo != "" {
		s.MediaLinkWO = types.StringValue(wo)
	}
	return s
}

// withSource returns the state (or plan, or configuration: same raw value) of a configured
// version with the given source block.
func withSource(t *testing.T, src *sourceModel) tfsdk.State {
	t.Helper()
	ctx := context.Background()
	st := stateWithResource(t)
	m := configured(t)
	m.Source = src
	sch, ok := st.Schema.(schema.Schema)
	if !ok {
		t.Fatalf("schema is %T", st.Schema)
	}
	m.Timeouts.Object = nullTimeouts(t, sch)
	if d := st.Set(ctx, &m); d.HasError() {
		t.Fatal(d)
	}
	return st
}

// The plan modifiers of the links force a new version exactly when a link is pointed at
// another blob, in either form: a new SAS token for the same blob is an in-place update.
func TestLinkMovesReplace(t *testing.T) {
	cases := []struct {
		name                string
		state, plan, config *sourceModel // config holds the write-only values; plan and state do not
		attr                string
		want                bool
	}{
		{"new SAS, same blob", plainSource(blobURL + "?sv=1&sig=old"), plainSource(blobURL + "?sv=1&sig=new"), nil, "media_link", false},
		{"SAS added to a plain URL", plainSource(blobURL), plainSource(blobURL + "?sig=new"), nil, "media_link", false},
		{"host letter case", plainSource("https://ACCT.blob.core.windows.net/packages/app.pagebin?sig=a"), plainSource(blobURL + "?sig=b"), nil, "media_link", false},
		{"other blob", plainSource(blobURL + "?sig=a"), plainSource(blobURL + "2?sig=a"), nil, "media_link", true},
		{"other container", plainSource(blobURL), plainSource("https://acct.blob.core.windows.net/other/app.pagebin"), nil, "media_link", true},
		{"other account", plainSource(blobURL), plainSource("https://acct2.blob.core.windows.net/packages/app.pagebin"), nil, "media_link", true},
		{"configuration link added", plainSource(blobURL), &sourceModel{MediaLink: types.StringValue(blobURL), DefaultConfigurationLink: types.StringValue(blobURL + ".cfg")}, nil, "default_configuration_link", true},
		{"unknown at plan", plainSource(blobURL), &sourceModel{MediaLink: types.StringUnknown()}, nil, "media_link", true},
		// Moving to the write-only form (also what follows an import): the link leaves the state.
		{"plain to write-only, same blob", plainSource(blobURL + "?sig=a"), woSource("", 1), woSource(blobURL+"?sig=b", 1), "media_link", false},
		{"plain to write-only, other blob", plainSource(blobURL + "?sig=a"), woSource("", 1), woSource(blobURL+"2?sig=a", 1), "media_link", true},
		{"plain to write-only, version attribute", plainSource(blobURL + "?sig=a"), woSource("", 1), woSource(blobURL+"2?sig=a", 1), "media_link_wo_version", true},
		// Without the previous blob's digest (private state), a new version cannot be proven to
		// name the same blob.
		{"new write-only version, no digest", woSource("", 1), woSource("", 2), woSource(blobURL+"?sig=b", 2), "media_link_wo_version", true},
		{"write-only value changed alone", woSource("", 1), woSource("", 1), woSource(blobURL+"2?sig=b", 1), "media_link_wo_version", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			cfg := c.config
			if cfg == nil {
				cfg = c.plan
			}
			state, plan, config := withSource(t, c.state), tfsdk.Plan(withSource(t, c.plan)), tfsdk.Config(withSource(t, cfg))
			p := path.Root("source").AtName(c.attr)
			var got bool
			var diags diag.Diagnostics
			if strings.HasSuffix(c.attr, "_version") {
				req := planmodifier.Int64Request{Path: p, State: state, Plan: plan, Config: config}
				diags.Append(state.GetAttribute(ctx, p, &req.StateValue)...)
				diags.Append(plan.GetAttribute(ctx, p, &req.PlanValue)...)
				resp := &planmodifier.Int64Response{PlanValue: req.PlanValue}
				linkMovesReplaceInt64().PlanModifyInt64(ctx, req, resp)
				got = resp.RequiresReplace
				diags.Append(resp.Diagnostics...)
			} else {
				req := planmodifier.StringRequest{Path: p, State: state, Plan: plan, Config: config}
				diags.Append(state.GetAttribute(ctx, p, &req.StateValue)...)
				diags.Append(plan.GetAttribute(ctx, p, &req.PlanValue)...)
				resp := &planmodifier.StringResponse{PlanValue: req.PlanValue}
				linkMovesReplaceString().PlanModifyString(ctx, req, resp)
				got = resp.RequiresReplace
				diags.Append(resp.Diagnostics...)
			}
			if diags.HasError() {
				t.Fatal(diags)
			}
			if got != c.want {
				t.Errorf("RequiresReplace = %v, want %v", got, c.want)
			}
		})
	}
}

// With the digest private state keeps, a new version of a write-only link updates in place
// when it names the same blob and replaces the version when it names another.
func TestReplacesWriteOnly(t *testing.T) {
	keys := blobKeys{MediaLink: blobKey(blobURL + "?sig=old")}
	prior := woSource("", 1).links()[0]
	cases := []struct {
		name string
		next *sourceModel
		want bool
	}{
		{"new SAS, same blob", woSource(blobURL+"?sig=new", 2), false},
		{"other blob", woSource(blobURL+"2?sig=new", 2), true},
		{"unknown value", &sourceModel{MediaLinkWO: types.StringUnknown(), MediaLinkWOVersion: types.Int64Value(2)}, true},
		{"other blob, same version", woSource(blobURL+"2?sig=new", 1), false},
		{"back to plain, same blob", plainSource(blobURL), false},
		{"back to plain, other blob", plainSource(blobURL + "2"), true},
	}
	for _, c := range cases {
		if got := replaces(prior, keys.MediaLink, c.next.links()[0]); got != c.want {
			t.Errorf("%s: replaces = %v, want %v", c.name, got, c.want)
		}
	}
	if blobKey(blobURL+"?sig=a") != blobKey("HTTPS://ACCT.blob.core.windows.net/packages/app.pagebin") || strings.Contains(blobKey(blobURL), "acct") {
		t.Error("blobKey must ignore the SAS and the letter case of scheme and host, and must not hold the link")
	}
}

// The write-only links reach the request to Azure, never the model that goes to plan or state.
func TestWriteOnlyLinksSentNotStored(t *testing.T) {
	ctx := context.Background()
	cfg := tfsdk.Config(withSource(t, &sourceModel{
		MediaLinkWO: types.StringValue(blobURL + "?sig=wo"), MediaLinkWOVersion: types.Int64Value(1),
		DefaultConfigurationLinkWO: types.StringValue(blobURL + ".cfg?sig=wo"), DefaultConfigurationLinkWOVersion: types.Int64Value(3),
	}))
	plan := configured(t)
	plan.Source = &sourceModel{MediaLinkWOVersion: types.Int64Value(1), DefaultConfigurationLinkWOVersion: types.Int64Value(3)}
	send, d := withConfigLinks(ctx, cfg, &plan)
	if d.HasError() {
		t.Fatal(d)
	}
	body, d := expandVersion(ctx, &send)
	if d.HasError() {
		t.Fatal(d)
	}
	if src := body.Properties.PublishingProfile.Source; *src.MediaLink != blobURL+"?sig=wo" || *src.DefaultConfigurationLink != blobURL+".cfg?sig=wo" {
		t.Errorf("sent %s / %s, want the write-only links", *src.MediaLink, *src.DefaultConfigurationLink)
	}
	if !plan.Source.MediaLinkWO.IsNull() || !plan.Source.DefaultConfigurationLinkWO.IsNull() {
		t.Error("withConfigLinks must not change the planned model")
	}

	// The service answers with the links and their SAS: the state keeps neither.
	served := serviceAnswer()
	served.Properties.PublishingProfile.Source = &armcompute.UserArtifactSource{MediaLink: to.Ptr(blobURL + "?sig=wo"), DefaultConfigurationLink: to.Ptr(blobURL + ".cfg?sig=wo")}
	got, d := flattenVersion(ctx, &served, &plan)
	if d.HasError() {
		t.Fatal(d)
	}
	s := got.Source
	if !s.MediaLink.IsNull() || !s.DefaultConfigurationLink.IsNull() || !s.MediaLinkWO.IsNull() || !s.DefaultConfigurationLinkWO.IsNull() {
		t.Errorf("links in state: %+v", s)
	}
	if s.MediaLinkWOVersion.ValueInt64() != 1 || s.DefaultConfigurationLinkWOVersion.ValueInt64() != 3 {
		t.Errorf("versions %v / %v, want 1 / 3", s.MediaLinkWOVersion, s.DefaultConfigurationLinkWOVersion)
	}
	// Import knows no configuration: the link the service returns is read, as for a plain link.
	imported, _ := flattenVersion(ctx, &served, nil)
	if imported.Source.MediaLink.ValueString() != blobURL+"?sig=wo" {
		t.Errorf("import read %v", imported.Source.MediaLink)
	}
}

// The plan-time blob checks see a write-only link: on create, and when its version changes,
// with the error on the write-only attribute.
func TestCheckPlanWriteOnlyBlobs(t *testing.T) {
	var heads int
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		heads++
		w.Header().Set("x-ms-blob-type", "BlockBlob")
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(200)
	}))
	defer ts.Close()
	r := testResource(3, false)
	plan := configured(t)
	plan.Source = woSource(ts.URL+"/packages/app.blockbin?sig=c2VjcmV0", 1)
	var diags diag.Diagnostics
	r.checkPlan(context.Background(), &plan, nil, &diags)
	if !diags.HasError() || diags.Errors()[0].Summary() != "Package blob type not allowed" {
		t.Fatalf("block blob: %v", diags)
	}
	if p, ok := diags.Errors()[0].(diag.DiagnosticWithPath); !ok || !p.Path().Equal(path.Root("source").AtName("media_link_wo")) {
		t.Errorf("the error must point at source.media_link_wo: %v", diags.Errors()[0])
	}
	if strings.Contains(diags.Errors()[0].Detail(), "c2VjcmV0") {
		t.Errorf("the SAS signature is in the message: %s", diags.Errors()[0].Detail())
	}

	state := configured(t)
	state.Source = woSource("", 1)
	heads, diags = 0, nil
	r.checkPlan(context.Background(), &plan, &state, &diags)
	if diags.HasError() || heads != 0 {
		t.Fatalf("a write-only link not sent again must not be checked: %v, %d HEADs", diags, heads)
	}
	state.Source = woSource("", 0)
	r.checkPlan(context.Background(), &plan, &state, &diags)
	if !diags.HasError() || heads != 1 {
		t.Fatalf("a new version of the link must be checked: %v, %d HEADs", diags, heads)
	}
}

// An in-place update sends the configured write-only link; one that names another blob
// without a new version is refused at plan, on the write-only attribute.
func TestCheckUnsentLinks(t *testing.T) {
	keys := blobKeys{MediaLink: blobKey(blobURL)}
	state := configured(t)
	state.Source = woSource("", 1)
	plan := configured(t)
	for _, c := range []struct {
		name string
		src  *sourceModel
		want bool
	}{
		{"same blob, new SAS", woSource(blobURL+"?sig=new", 1), false},
		{"other blob", woSource(blobURL+"2?sig=new", 1), true},
		{"other blob with a new version", woSource(blobURL+"2?sig=new", 2), false},
	} {
		plan.Source = c.src
		var diags diag.Diagnostics
		checkUnsentLinks(&plan, &state, keys, &diags)
		if diags.HasError() != c.want {
			t.Errorf("%s: %v", c.name, diags)
			continue
		}
		if c.want {
			p, _ := diags.Errors()[0].(diag.DiagnosticWithPath)
			if p == nil || !p.Path().Equal(path.Root("source").AtName("media_link_wo")) || !strings.Contains(diags.Errors()[0].Detail(), "media_link_wo_version") {
				t.Errorf("%s: %v", c.name, diags.Errors()[0])
			}
		}
	}
}
