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
		{"sas in json-escaped url", `{"error":{"message":"cannot read https://a.blob.core.windows.net/c/b?sv=2022-11-02\u0026sr=b\u0026sig=AbCdEf%2BgHiJ%3D\u0026sp=r"}}`, "AbCdEf", `\u0026sp=r"}}`},
		{"sas in json with escaped slash", `"https://a/c/b?sv=1\u0026sig=AbCd\/EfGh\u002bIjKl\u003d\u0026sp=r"`, "EfGh", `\u0026sp=r`},
		{"sas in json escaped twice", `"{\"link\":\"https://a/c/b?sv=1\\u0026sig=AbCd\\\/EfGh\\u0026sp=r\"}"`, "EfGh", `sp=r`},
		{"sas in url-encoded url", "details: https%3A%2F%2Fa.blob.core.windows.net%2Fc%2Fb%3Fsv%3D2022-11-02%26sig%3DAbCdEf%252BgHiJ%253D%26sp%3Dr", "AbCdEf", "%26sp%3Dr"},
		{"sas first in url-encoded query", "link=https%3A%2F%2Fa%2Fc%2Fb%3Fsig%3DAbCdEf%252BgHiJ%26sp%3Dr", "AbCdEf", "%26sp%3Dr"},
		{"sas url-encoded twice", "u=https%253A%252F%252Fa%252Fc%253Fsv%253D1%2526sig%253DAbCdEf%25252BgHiJ%2526sp%253Dr", "AbCdEf", "%2526sp%253Dr"},
		{"sas in html", "see https://a/c/b?sv=1&amp;sig=AbCdEfGh&amp;sp=r", "AbCdEfGh", "sp=r"},
		{"sas upper-case escapes", "x%3Fsv%3D1%26SIG%3dAbCdEfGh%2fIjKl%26sp%3Dr", "IjKl", "%26sp%3Dr"},
		{"url-encoded bearer", "Authorization=Bearer%20eyJhbGciOiJIUzI1NiJ9.e30.c2ln", "eyJhbGciOiJIUzI1NiJ9", "Authorization"},
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

// Redacting twice changes nothing more: a redacted text is stable.
func TestRedactIdempotent(t *testing.T) {
	in := "GET https://a/c/b?sv=1&sig=AbCd%2BEf\u0026sig=x Bearer abc.def %26sig%3Dzz"
	once := Redact(in)
	if twice := Redact(once); twice != once {
		t.Fatalf("not stable:\n%s\n%s", once, twice)
	}
}
