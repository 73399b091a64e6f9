package clients

import (
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	cases := []struct {
		name   string
		in     string
		secret string
		keep   string
	}{
		{"sas in url", "GET https://acct.blob.core.windows.net/c/app.bin?sv=2022-11-02&se=2030-01-01&sr=b&sp=r&sig=AbCdEf%2BgHiJkLmNoPqRsTuVwXyZ0123456789%3D", "AbCdEf%2BgHiJkLmNoPqRsTuVwXyZ", "sp=r"},
		{"sas lower and upper", "x?SIG=abc123def456&sp=r", "abc123def456", "sp=r"},
		{"bearer header", "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "eyJhbGciOiJIUzI1NiJ9", "Authorization"},
		{"bearer in text", "sent bearer eyJ0eXAiOiJKV1QifQ.e30.abc to host", "eyJ0eXAiOiJKV1QifQ", "to host"},
		{"form client secret", "client_id=abc&client_secret=p%40ssw0rd-value&grant_type=client_credentials", "p%40ssw0rd-value", "grant_type=client_credentials"},
		{"client assertion", "client_assertion=eyJhbGciOi.payload.signature&scope=x", "eyJhbGciOi.payload.signature", "scope=x"},
		{"json access token", `{"token_type":"Bearer","access_token":"eyJ0eXAiOiJKV1QiLCJhbGci.body.sig"}`, "eyJ0eXAiOiJKV1QiLCJhbGci", "token_type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Redact(tc.in)
			if strings.Contains(got, tc.secret) {
				t.Fatalf("secret survived: %s", got)
			}
			if !strings.Contains(got, tc.keep) {
				t.Fatalf("redaction removed too much (%q missing): %s", tc.keep, got)
			}
		})
	}
}

func TestUserAgent(t *testing.T) {
	if got := UserAgent("1.2.3"); got != "terraform-provider-azvmapps/1.2.3" {
		t.Fatalf("got %q", got)
	}
}
