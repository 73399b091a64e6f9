package assignment

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
)

// FuzzParseID: an assignment ID either parses into a VM or scale-set target and an
// application, formatting back to exactly the input, or fails naming the format. It never
// panics.
func FuzzParseID(f *testing.F) {
	for _, s := range []string{
		vmID + "|" + appA,
		vmssID + "|" + appA,
		strings.ToUpper(vmID) + "|" + strings.ToLower(appA),
		vmID + "|" + appA + "/versions/1.0.0",
		appA + "|" + vmID,
		vmID + "||" + appA,
		"|", "", "\xff|\xfe",
		"/subscriptions/s/resourceGroups/ȺȺ/providers/Microsoft.Compute/virtualMachines/vm|/subscriptions/s/resourceGroups/ȺȺ/providers/Microsoft.Compute/galleries/g/applications/a",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		got, err := parseID(id)
		if err != nil {
			if !strings.Contains(err.Error(), "<target_id>|<application_id>") {
				t.Fatalf("the error must show the ID format: %v", err)
			}
			return
		}
		if got.String() != id {
			t.Fatalf("parseID(%q).String() = %q", id, got.String())
		}
		if got.Target == nil || (!isScaleSet(got.Target) && !strings.EqualFold(got.Target.ResourceType.String(), vmType)) {
			t.Fatalf("parseID(%q): target %v is neither a VM nor a scale set", id, got.Target)
		}
		if _, err := azure.ParseTypedID(got.ApplicationID, applicationType, appFormat); err != nil {
			t.Fatalf("parseID(%q): application part does not parse: %v", id, err)
		}
	})
}

// FuzzParseStatusMessage: any VMAppExtension status message yields states or an error, never
// a panic, and the install status computed from it is one of the three and carries no
// unredacted secret.
func FuzzParseStatusMessage(f *testing.F) {
	valid, _ := json.Marshal(map[string]any{"CurrentState": []appState{
		{ApplicationName: "a", Version: "1.0.0", Result: "Install SUCCESS"},
		{ApplicationName: "b", Version: "2.0.0", Result: "Install FAILED Error executing command 'exit 1'"},
	}})
	for _, s := range []string{
		"Enable succeeded: " + string(valid),
		"Enable succeeded: {\n \"CurrentState\": [],\n \"ActionsPerformed\": []\n}",
		"Enable in progress",
		"Enable succeeded: {broken",
		"{", "}{", "{\"CurrentState\": null}", "{\"CurrentState\": [null]}",
		"{\"CurrentState\": [{\"applicationName\": 1}]}",
		`{"CurrentState": [{"applicationName":"a","version":"1.0.0","result":"Install FAILED https://x/c?sv=1\u0026sig=abc"}]}`,
		"",
	} {
		f.Add(s, "a", "1.0.0")
	}
	f.Fuzz(func(t *testing.T, msg, name, version string) {
		states, err := parseStatusMessage(msg)
		if err != nil {
			return
		}
		for _, per := range [][]reportedStates{{{States: states}}, {{Instance: "0", States: states}, {Instance: "1"}}} {
			st, text := statusOf(per, name, version, false)
			switch st {
			case StatusSucceeded, StatusFailed, StatusPending:
			default:
				t.Fatalf("unknown status %q", st)
			}
			if clients.Redact(text) != text {
				t.Fatalf("install message not redacted: %q", text)
			}
		}
	})
}
