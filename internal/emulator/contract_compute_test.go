package emulator

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
)

// computeExample sends a VM or VMSS example (raw HTTP and SDK) after publishing the two
// applications it references (Linux or Windows) in westus and substituting their IDs.
func TestContractCompute(t *testing.T) {
	cases := []struct {
		file, kind, nameParam, os string
		appPath                   []string // path of applicationProfile in the body
	}{
		{"VirtualMachine_Create_WithApplicationProfile.json", "virtualMachines", "vmName", "Linux", []string{"properties", "applicationProfile"}},
		{"VirtualMachineScaleSet_Create_WithApplicationProfile.json", "virtualMachineScaleSets", "vmScaleSetName", "Windows", []string{"properties", "virtualMachineProfile", "applicationProfile"}},
	}
	e := startNoStorage(t)
	tok := token(t, e)
	f := factory(t, e)
	rg := "myResourceGroup"
	do(t, e, "PUT", withAPI(e.rgPath(rg), "2021-04-01"), tok, map[string]any{"location": "westus"})
	for _, tc := range cases {
		ex := loadExample(t, tc.file)
		refs := []string{
			publishApp(t, e, "galCompute"+tc.os, "MyApplication1", tc.os, "echo 1", "westus"),
			publishApp(t, e, "galCompute"+tc.os, "MyApplication2", tc.os, "echo 2", "westus"),
		}
		var body map[string]any
		must(t, json.Unmarshal(ex.Parameters["parameters"], &body))
		apps := asSlice(t, dig(body, tc.appPath)["galleryApplications"])
		for i, a := range apps {
			asMap(t, a)["packageReferenceId"] = refs[i] // example quirk: versions "1.0"/"1.1" and foreign subscriptions
		}
		name := strings.Trim(ex.param(tc.nameParam), "{}")
		path := e.rgPath(rg) + "/providers/Microsoft.Compute/" + tc.kind + "/" + name + "?api-version=" + ex.param("api-version")
		r := do(t, e, "PUT", path, tok, body)
		if _, ok := ex.Responses[itoa(r.Status)]; !ok {
			t.Fatalf("%s: status %d: %s", tc.file, r.Status, r.Raw)
		}
		want := dig(asMap(t, ex.Responses[itoa(r.Status)].Body), tc.appPath)
		for _, w := range asSlice(t, want["galleryApplications"]) {
			delete(asMap(t, w), "packageReferenceId")
		}
		if d := carries("applicationProfile", want, dig(r.Body, tc.appPath)); len(d) > 0 {
			t.Errorf("%s: %s", tc.file, strings.Join(d, "; "))
		}
		for _, k := range []string{"id", "name", "type", "location"} {
			if r.Body[k] == nil {
				t.Errorf("%s: %s missing", tc.file, k)
			}
		}
		// The SDK decodes the answer and drives the same request to completion.
		raw, _ := json.Marshal(body)
		var got any
		switch tc.kind {
		case "virtualMachines":
			var vm armcompute.VirtualMachine
			must(t, json.Unmarshal(raw, &vm))
			p, err := f.NewVirtualMachinesClient().BeginCreateOrUpdate(ctx(t), rg, name+"sdk", vm, nil)
			must(t, err)
			res, err := p.PollUntilDone(ctx(t), fastPoll)
			must(t, err)
			got = res.VirtualMachine
		default:
			var ss armcompute.VirtualMachineScaleSet
			must(t, json.Unmarshal(raw, &ss))
			p, err := f.NewVirtualMachineScaleSetsClient().BeginCreateOrUpdate(ctx(t), rg, name+"sdk", ss, nil)
			must(t, err)
			res, err := p.PollUntilDone(ctx(t), fastPoll)
			must(t, err)
			got = res.VirtualMachineScaleSet
		}
		b, _ := json.Marshal(got)
		var gm map[string]any
		must(t, json.Unmarshal(b, &gm))
		if d := carries("applicationProfile (SDK)", want, dig(gm, tc.appPath)); len(d) > 0 {
			t.Errorf("%s: %s", tc.file, strings.Join(d, "; "))
		}
	}
}

func dig(m map[string]any, path []string) map[string]any {
	for _, k := range path {
		next, _ := m[k].(map[string]any)
		m = next
	}
	return m
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
