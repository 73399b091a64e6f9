package clients

import "regexp"

// Secrets travel in three spellings: plain ("&sig=abc"), JSON-escaped as azcore quotes response
// bodies ("\u0026sig=abc", "\/" for "/"), and URL-encoded once or more ("%26sig%3Dabc%252B"). The
// parts below match a key and its value in any of them.
const (
	// keyStart is what may stand before a key: the start, a non-alphanumeric character, or
	// an escaped '&' or '?'.
	keyStart = `(^|[^A-Za-z0-9]|\\u00(?:26|3[fF])|%(?:25)*(?:26|3[fF]))`
	// keyEquals is '=' in any spelling.
	keyEquals = `(=|\\u003[dD]|%(?:25)*3[dD])`
	// secretValue runs to the next separator: '&' in any spelling, white space, a quote, '<' or
	// a backslash other than a JSON escape of '/', '+' or '=' (escaped once or more). Percent
	// escapes other than of '&' are part of the value.
	secretValue = `(?:[^&\s"'<>\\%]|\\+/|\\+u00(?:2[bBfF]|3[dD])|%(?:25)*(?:[013-9a-fA-F][0-9a-fA-F]|2[0-47-9a-fA-F]))+`
)

var redactions = []struct {
	re   *regexp.Regexp
	with string
}{
	// SAS signatures and other secrets carried in query strings or form bodies.
	{regexp.MustCompile(`(?i)` + keyStart + `(sig|client_secret|client_assertion|assertion|access_token|refresh_token)` + keyEquals + secretValue), "${1}${2}${3}REDACTED"},
	// Bearer tokens in headers or messages.
	{regexp.MustCompile(`(?i)\bbearer(\s|%20)+[A-Za-z0-9._~+/=-]+`), "Bearer REDACTED"},
	// Authorization headers as azcore prints them ("Authorization: value").
	{regexp.MustCompile(`(?im)^(\s*Authorization:\s*).+$`), "${1}REDACTED"},
	// JSON fields that hold tokens.
	{regexp.MustCompile(`(?i)"(access_token|refresh_token|id_token|client_secret|value)"\s*:\s*"[^"]{16,}"`), `"$1":"REDACTED"`},
}

// Redact removes SAS signatures, bearer tokens and client secrets from a log line, an error
// message or a text the service returned, in plain, JSON-escaped or URL-encoded form, so no
// secret reaches Terraform's state, logs or diagnostics.
func Redact(s string) string {
	for _, r := range redactions {
		s = r.re.ReplaceAllString(s, r.with)
	}
	return s
}
