// Command az is a test stand-in for the Azure CLI, for the azvmapps emulator only: the real `az`
// is a Python program that cannot be installed here. It implements the commands the provider's
// Azure CLI sign-in relies on, with the arguments and output azidentity's AzureCLICredential uses:
//
//	az login --username U --password P [--tenant T]   sign in as the emulator's CLI user
//	az account get-access-token -o json --resource R [--tenant T]
//	az logout
//
// The authority comes from AZURE_AUTHORITY_HOST or ARM_ACTIVE_DIRECTORY_AUTHORITY_HOST (real az:
// `az cloud register`); the sign-in (a refresh token) is kept in $AZURE_CONFIG_DIR (default
// ~/.azure) in azvmapps-az-standin.json. Tokens are printed only to stdout, never to stderr.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// azureCLIClientID is the Azure CLI's public client ID (emulator.AzureCLIClientID).
const azureCLIClientID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"

// profile is the stand-in's sign-in state.
type profile struct {
	Authority    string `json:"authority"`
	Tenant       string `json:"tenant"`
	Username     string `json:"username"`
	RefreshToken string `json:"refreshToken"`
}

// failure is an error az reports as "ERROR: ..." with an exit code.
type failure struct {
	msg  string
	code int
}

func (f failure) Error() string { return f.msg }

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ERROR: "+err.Error())
		code := 1
		var f failure
		if errors.As(err, &f) {
			code = f.code
		}
		os.Exit(code)
	}
}

func run(args []string, stdout io.Writer) error {
	cmd, flags := split(args)
	switch cmd {
	case "login":
		return login(flags, stdout)
	case "account get-access-token":
		return getAccessToken(flags, stdout)
	case "logout":
		if err := os.Remove(profilePath()); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		return nil
	}
	return failure{fmt.Sprintf("'%s' is not supported by the azvmapps az stand-in (login, account get-access-token, logout).", cmd), 2}
}

// split separates the command words from the --flags (with their values).
func split(args []string) (string, map[string]string) {
	var words []string
	flags := map[string]string{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			words = append(words, a)
			continue
		}
		name := strings.TrimLeft(a, "-")
		switch name {
		case "o":
			name = "output"
		case "u":
			name = "username"
		case "p":
			name = "password"
		case "t":
			name = "tenant"
		}
		if k, v, ok := strings.Cut(name, "="); ok {
			flags[k] = v
			continue
		}
		if i+1 < len(args) && !strings.HasPrefix(args[i+1], "--") {
			flags[name] = strings.Trim(args[i+1], `"`)
			i++
		} else {
			flags[name] = ""
		}
	}
	return strings.Join(words, " "), flags
}

func configDir() string {
	if d := os.Getenv("AZURE_CONFIG_DIR"); d != "" {
		return d
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".azure")
}

func profilePath() string { return filepath.Join(configDir(), "azvmapps-az-standin.json") }

func login(flags map[string]string, stdout io.Writer) error {
	authority := os.Getenv("AZURE_AUTHORITY_HOST")
	if authority == "" {
		authority = os.Getenv("ARM_ACTIVE_DIRECTORY_AUTHORITY_HOST")
	}
	if authority == "" {
		return failure{"set AZURE_AUTHORITY_HOST or ARM_ACTIVE_DIRECTORY_AUTHORITY_HOST to the emulator's URL.", 1}
	}
	if flags["username"] == "" || flags["password"] == "" {
		return failure{"the stand-in signs in with --username and --password only.", 2}
	}
	tenant := flags["tenant"]
	if tenant == "" {
		tenant = "organizations"
	}
	p := profile{Authority: strings.TrimSuffix(authority, "/") + "/", Tenant: tenant, Username: flags["username"]}
	tok, err := requestToken(p, tenant, url.Values{
		"grant_type": {"password"}, "username": {flags["username"]}, "password": {flags["password"]},
		"scope": {"https://management.core.windows.net//.default offline_access openid profile"},
	})
	if err != nil {
		return err
	}
	p.RefreshToken = tok.RefreshToken
	if err := os.MkdirAll(configDir(), 0o700); err != nil {
		return err
	}
	b, _ := json.Marshal(p)
	if err := os.WriteFile(profilePath(), b, 0o600); err != nil {
		return err
	}
	out, _ := json.MarshalIndent([]map[string]any{{
		"cloudName": "AzureVMAppsEmulator", "tenantId": tenant, "user": map[string]string{"name": p.Username, "type": "user"},
	}}, "", "  ")
	_, err = fmt.Fprintln(stdout, string(out))
	return err
}

func getAccessToken(flags map[string]string, stdout io.Writer) error {
	b, err := os.ReadFile(profilePath())
	if err != nil {
		// The message and exit code of the real az when nobody is signed in.
		return failure{"Please run 'az login' to setup account.", 1}
	}
	var p profile
	if err := json.Unmarshal(b, &p); err != nil || p.RefreshToken == "" {
		return failure{"Please run 'az login' to setup account.", 1}
	}
	resource := flags["resource"]
	if resource == "" {
		resource = "https://management.core.windows.net/"
	}
	scope := strings.TrimSuffix(resource, "/") + "/.default"
	if flags["scope"] != "" {
		scope = flags["scope"]
	}
	tenant := flags["tenant"]
	if tenant == "" {
		tenant = p.Tenant
	}
	tok, err := requestToken(p, tenant, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {p.RefreshToken}, "scope": {scope}})
	if err != nil {
		return err
	}
	exp := time.Now().Add(time.Duration(tok.ExpiresIn) * time.Second)
	out, _ := json.MarshalIndent(map[string]any{
		"accessToken":  tok.AccessToken,
		"expiresOn":    exp.Local().Format("2006-01-02 15:04:05.000000"),
		"expires_on":   exp.Unix(),
		"subscription": os.Getenv("ARM_SUBSCRIPTION_ID"),
		"tenant":       tenant,
		"tokenType":    "Bearer",
	}, "", "  ")
	_, err = fmt.Fprintln(stdout, string(out))
	return err
}

type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int    `json:"expires_in"`
	Error        string `json:"error"`
	Description  string `json:"error_description"`
}

// requestToken posts a grant of the Azure CLI's public client to the tenant's token endpoint.
// Errors carry Entra ID's error description, never a token.
func requestToken(p profile, tenant string, form url.Values) (tokenResponse, error) {
	form.Set("client_id", azureCLIClientID)
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.PostForm(p.Authority+url.PathEscape(tenant)+"/oauth2/v2.0/token", form)
	if err != nil {
		return tokenResponse{}, fmt.Errorf("could not reach the authority: %v", err)
	}
	defer func() { _ = resp.Body.Close() }()
	var tr tokenResponse
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&tr); err != nil {
		return tokenResponse{}, fmt.Errorf("the authority answered HTTP %d with no JSON", resp.StatusCode)
	}
	if resp.StatusCode != http.StatusOK || tr.AccessToken == "" {
		if tr.Description == "" {
			tr.Description = fmt.Sprintf("HTTP %d", resp.StatusCode)
		}
		return tokenResponse{}, errors.New(tr.Description)
	}
	return tr, nil
}
