package assignment

import (
	"encoding/json"
	"testing"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
)

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
