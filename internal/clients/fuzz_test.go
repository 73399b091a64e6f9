package clients

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// secretAlphabet is what SAS signatures, client secrets and tokens are made of (base64 and
// the URL-safe extras).
const secretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_.~"

// plant returns text carrying secret in one of the spellings a secret reaches a log or a
// diagnostic in.
func plant(form uint8, key, secret string) string {
	link := "https://acct.blob.core.windows.net/c/app.bin?sv=2022-11-02&sr=b&" + key + "=" + url.QueryEscape(secret) + "&sp=r"
	switch form % 8 {
	case 0: // a URL as it is
		return "GET " + link + " "
	case 1: // a URL in a JSON body (Go and .NET escape '&' as \u0026)
		b, _ := json.Marshal(map[string]string{"message": "cannot read " + link})
		return string(b)
	case 2: // JSON with '/' escaped as well
		b, _ := json.Marshal(link)
		return strings.ReplaceAll(string(b), "/", `\/`)
	case 3: // a URL-encoded URL
		return "link=" + url.QueryEscape(link) + "&x=1"
	case 4: // URL-encoded twice
		return "link=" + url.QueryEscape(url.QueryEscape(link)) + " "
	case 5: // the signature not escaped at all
		return "?sv=1&" + key + "=" + secret + "&sp=r "
	case 6: // a bearer token
		return "\nAuthorization: Bearer " + secret + "\n sent Bearer " + secret + " to the host "
	default: // a JSON field that holds a token
		return `{"token_type":"Bearer","access_token":"` + strings.Repeat(secret, 16) + `","expires_in":3599}`
	}
}

// FuzzRedact plants a secret, in any spelling, among arbitrary text: the redacted text must
// not depend on the secret at all, so no part of it can survive.
func FuzzRedact(f *testing.F) {
	keys := []string{"sig", "SIG", "client_secret", "client_assertion", "assertion", "access_token", "refresh_token"}
	for form := uint8(0); form < 8; form++ {
		f.Add("error: ", " end", []byte("AbCdEf+gHiJ/kLm=="), form, uint8(0))
	}
	f.Add("", "", []byte("x"), uint8(3), uint8(2))
	f.Add(`{"a":"`, `"}`, []byte("////++++===="), uint8(1), uint8(1))
	f.Add("sig=", "%26sig%3D", []byte("Zm9vYmFy"), uint8(4), uint8(6))
	f.Add("\\", "\\u0026", []byte{0, 1, 2, 250}, uint8(2), uint8(0))
	f.Fuzz(func(t *testing.T, prefix, suffix string, raw []byte, form, key uint8) {
		if len(raw) == 0 {
			return
		}
		secret := make([]byte, len(raw))
		other := make([]byte, len(raw))
		for i, b := range raw {
			n := int(b) % len(secretAlphabet)
			secret[i] = secretAlphabet[n]
			other[i] = secretAlphabet[(n+1)%len(secretAlphabet)] // differs at every position
		}
		if form%8 >= 6 { // bearer tokens and JSON fields: no '=' inside a token
			secret = []byte(strings.ReplaceAll(string(secret), "=", "A"))
			other = []byte(strings.ReplaceAll(string(other), "=", "B"))
		}
		k := keys[int(key)%len(keys)]
		a := Redact(prefix + plant(form, k, string(secret)) + suffix)
		b := Redact(prefix + plant(form, k, string(other)) + suffix)
		if a != b {
			t.Fatalf("the redacted text depends on the secret (form %d, key %s):\n%q\n%q", form%8, k, a, b)
		}
	})
}
