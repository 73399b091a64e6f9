package main

import (
	"bytes"
	"errors"
	"testing"
)

func TestSplit(t *testing.T) {
	cmd, flags := split([]string{"account", "get-access-token", "-o", "json", "--resource", "https://x", "--subscription", `"my sub"`, "--tenant=t1"})
	if cmd != "account get-access-token" || flags["output"] != "json" || flags["resource"] != "https://x" || flags["subscription"] != "my sub" || flags["tenant"] != "t1" {
		t.Fatalf("split: %q %v", cmd, flags)
	}
}

// TestNotLoggedIn: as the real az, a token request without a sign-in fails with exit code 1
// and the advice azidentity passes on, and prints nothing on stdout.
func TestNotLoggedIn(t *testing.T) {
	t.Setenv("AZURE_CONFIG_DIR", t.TempDir())
	var out bytes.Buffer
	err := run([]string{"account", "get-access-token", "-o", "json", "--resource", "https://management.azure.com"}, &out)
	var f failure
	if !errors.As(err, &f) || f.code != 1 || f.msg != "Please run 'az login' to setup account." || out.Len() != 0 {
		t.Fatalf("not logged in: %v, stdout %q", err, out.String())
	}
	if err := run([]string{"vm", "list"}, &out); !errors.As(err, &f) || f.code != 2 {
		t.Fatalf("unsupported command: %v", err)
	}
}
