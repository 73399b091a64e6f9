package emulator

import (
	"strings"
	"testing"
)

func versionBody(media string, extra map[string]any) map[string]any {
	pp := map[string]any{
		"source":        map[string]any{"mediaLink": media},
		"manageActions": map[string]any{"install": "echo i", "remove": "echo r"},
	}
	for k, v := range extra {
		pp[k] = v
	}
	return map[string]any{"location": "eastus2", "properties": map[string]any{"publishingProfile": pp}}
}

func TestVersionRules(t *testing.T) {
	e := startStorage(t)
	tok := token(t, e)
	env := e.Env()
	g := e.galleryPath("galRules")
	do(t, e, "PUT", withAPI(g, galleryAPI), tok, map[string]any{"location": "eastus2"})
	a := g + "/applications/app"
	do(t, e, "PUT", withAPI(a, galleryAPI), tok, map[string]any{"location": "eastus2", "properties": map[string]any{"supportedOSType": "Linux"}})
	v := a + "/versions/"
	bad := func(name string, body map[string]any, status int, code, target, msg string) {
		t.Helper()
		r := do(t, e, "PUT", withAPI(v+name, galleryAPI), tok, body)
		if r.Status != status || r.errCode() != code || (target != "" && r.errField("target") != target) || !strings.Contains(r.errField("message"), msg) {
			t.Errorf("%s: got %d %s", name, r.Status, r.Raw)
		}
		if strings.Contains(string(r.Raw), "sig=") {
			t.Errorf("%s: SAS signature leaked in error: %s", name, r.Raw)
		}
	}
	page := env["TF_VAR_page_blob_url"]
	bad("1.0.1", versionBody(env["TF_VAR_block_blob_url"], nil), 400, "InvalidParameter", vpp+".source.mediaLink", "Only page blobs are supported")
	bad("1.0.2", versionBody(env["TF_VAR_oversize_blob_url"], nil), 400, "InvalidParameter", vpp+".source.mediaLink", "maximum blob size allowed of '1 GB'")
	noSig := strings.Split(page, "sig=")[0] + "sig=AAAA" + "&" + strings.SplitN(strings.SplitN(page, "sig=", 2)[1], "&", 2)[1]
	bad("1.0.3", versionBody(noSig, nil), 400, "InvalidParameter", vpp+".source.mediaLink", "The SAS isn't valid")
	missing, _ := e.storage.blobSAS("missing.pagebin")
	bad("1.0.4", versionBody(missing, nil), 400, "InvalidParameter", vpp+".source.mediaLink", "doesn't exist")
	bad("1.0.5", versionBody("relative/path", nil), 400, "InvalidParameter", vpp+".source.mediaLink", "absolute uri")
	bad("1.0.6", versionBody(page, map[string]any{"replicaCount": 4}), 400, "InvalidParameter", vpp+".replicaCount", "between one and three")
	bad("1.0.7", versionBody(page, map[string]any{"targetRegions": []any{map[string]any{"name": "eastus2", "regionalReplicaCount": 0}}}), 400, "InvalidParameter", vpp+".targetRegions[0].regionalReplicaCount", "out of range")
	bad("1.0.8", versionBody(page, map[string]any{"targetRegions": []any{map[string]any{"name": "eastus2"}, map[string]any{"name": "East US 2"}}}), 400, "InvalidParameter", vpp+".targetRegions", "Duplicate regions")
	bad("1.0.9", versionBody(page, map[string]any{"targetRegions": []any{map[string]any{"name": "westeurope"}}}), 400, "InvalidParameter", vpp+".targetRegions", "must contain the location")
	bad("1.0.10", versionBody(page, map[string]any{"manageActions": map[string]any{"install": "x"}}), 400, "InvalidParameter", vpp+".manageActions.remove", "missing")
	bad("1.0.11", versionBody(page, map[string]any{"source": map[string]any{"mediaLink": page, "defaultConfigurationLink": env["TF_VAR_block_blob_url"]}}), 400, "InvalidParameter", vpp+".source.defaultConfigurationLink", "Only page blobs")

	// A good version, then immutable and updatable changes.
	good := versionBody(page, map[string]any{"targetRegions": []any{map[string]any{"name": "eastus2"}, map[string]any{"name": "westeurope"}}})
	if r := do(t, e, "PUT", withAPI(v+"1.0.0", galleryAPI), tok, good); r.Status != 201 {
		t.Fatalf("good version: %d %s", r.Status, r.Raw)
	}
	changed := versionBody(page, map[string]any{"manageActions": map[string]any{"install": "echo other", "remove": "echo r"}, "targetRegions": []any{map[string]any{"name": "eastus2"}, map[string]any{"name": "westeurope"}}})
	bad("1.0.0", changed, 409, "PropertyChangeNotAllowed", vpp+".manageActions.install", "Changing property")
	otherPath := versionBody(env["TF_VAR_config_blob_url"], map[string]any{"targetRegions": []any{map[string]any{"name": "eastus2"}, map[string]any{"name": "westeurope"}}})
	bad("1.0.0", otherPath, 409, "PropertyChangeNotAllowed", vpp+".source.mediaLink", "Changing property")
	sas := strings.Replace(page, "sp=r", "sp=r&foo=bar", 1)
	sasOnly := versionBody(sas, map[string]any{"targetRegions": []any{map[string]any{"name": "eastus2"}, map[string]any{"name": "westeurope"}}})
	if r := do(t, e, "PUT", withAPI(v+"1.0.0", galleryAPI), tok, sasOnly); r.Status != 200 {
		t.Fatalf("SAS-only change: %d %s", r.Status, r.Raw)
	}
	removeRegion := versionBody(sas, nil)
	bad("1.0.0", removeRegion, 400, "InvalidParameter", "galleryApplicationVersion.properties.safetyProfile.allowDeletionOfReplicatedLocations", "West Europe")
	asMap(t, removeRegion["properties"])["safetyProfile"] = map[string]any{"allowDeletionOfReplicatedLocations": true}
	if r := do(t, e, "PUT", withAPI(v+"1.0.0", galleryAPI), tok, removeRegion); r.Status != 200 {
		t.Fatalf("region removal allowed: %d %s", r.Status, r.Raw)
	}
	// Raised limits accept what the defaults refuse.
	e.SetLimits(Limits{MaxReplicasPerRegion: 10, AllowedBlobTypes: []string{"PageBlob", "BlockBlob"}})
	if r := do(t, e, "PUT", withAPI(v+"2.0.0", galleryAPI), tok, versionBody(env["TF_VAR_block_blob_url"], map[string]any{"replicaCount": 10})); r.Status != 201 {
		t.Fatalf("raised limits: %d %s", r.Status, r.Raw)
	}
}
