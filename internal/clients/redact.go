package clients

import "regexp"

var redactions = []struct {
	re   *regexp.Regexp
	with string
}{
	// SAS signatures and other secrets carried in query strings or form bodies.
	{regexp.MustCompile(`(?i)\b(sig|client_secret|client_assertion|assertion|access_token|refresh_token)=[^&\s"']+`), "${1}=REDACTED"},
	// Bearer tokens in headers or messages.
	{regexp.MustCompile(`(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+`), "Bearer REDACTED"},
	// Authorization headers as azcore prints them ("Authorization: value").
	{regexp.MustCompile(`(?im)^(\s*Authorization:\s*).+$`), "${1}REDACTED"},
	// JSON fields that hold tokens.
	{regexp.MustCompile(`(?i)"(access_token|refresh_token|id_token|client_secret|value)"\s*:\s*"[^"]{16,}"`), `"$1":"REDACTED"`},
}

// Redact removes SAS signatures, bearer tokens and client secrets from a log line or an
// error message, so no secret reaches Terraform's logs or diagnostics.
func Redact(s string) string {
	for _, r := range redactions {
		s = r.re.ReplaceAllString(s, r.with)
	}
	return s
}
