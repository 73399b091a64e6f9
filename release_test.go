package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/template"

	"gopkg.in/yaml.v3"
)

// The Terraform Registry's requirements for a provider release
// (https://developer.hashicorp.com/terraform/registry/providers/publishing), checked against
// .goreleaser.yml and terraform-registry-manifest.json so that a release built from them is one
// the registry accepts. `make release-check` also runs `goreleaser check` on the same file.

const projectName = "terraform-provider-azvmapps"

// goreleaserConfig is the part of .goreleaser.yml the registry cares about.
type goreleaserConfig struct {
	Version     int    `yaml:"version"`
	ProjectName string `yaml:"project_name"`
	Builds      []struct {
		Env     []string   `yaml:"env"`
		Flags   []string   `yaml:"flags"`
		Ldflags []string   `yaml:"ldflags"`
		Goos    []string   `yaml:"goos"`
		Goarch  []string   `yaml:"goarch"`
		Ignore  []platform `yaml:"ignore"`
		Binary  string     `yaml:"binary"`
	} `yaml:"builds"`
	Archives []struct {
		Formats      []string `yaml:"formats"`
		NameTemplate string   `yaml:"name_template"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string      `yaml:"name_template"`
		Algorithm    string      `yaml:"algorithm"`
		ExtraFiles   []extraFile `yaml:"extra_files"`
		Disable      bool        `yaml:"disable"`
		Split        bool        `yaml:"split"`
		IDs          []string    `yaml:"ids"`
	} `yaml:"checksum"`
	Signs []struct {
		Artifacts string   `yaml:"artifacts"`
		Cmd       string   `yaml:"cmd"`
		Args      []string `yaml:"args"`
		Signature string   `yaml:"signature"`
	} `yaml:"signs"`
	Release struct {
		ExtraFiles []extraFile `yaml:"extra_files"`
	} `yaml:"release"`
}

type platform struct {
	Goos   string `yaml:"goos"`
	Goarch string `yaml:"goarch"`
}

type extraFile struct {
	Glob         string `yaml:"glob"`
	NameTemplate string `yaml:"name_template"`
}

func readGoreleaser(t *testing.T) goreleaserConfig {
	t.Helper()
	b, err := os.ReadFile(".goreleaser.yml")
	if err != nil {
		t.Fatal(err)
	}
	var c goreleaserConfig
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf(".goreleaser.yml: %v", err)
	}
	return c
}

// render executes a goreleaser name template for a release of version 1.2.3 on goos/goarch.
func render(t *testing.T, tmpl, goos, goarch string) string {
	t.Helper()
	tp, err := template.New("name").Option("missingkey=error").Parse(tmpl)
	if err != nil {
		t.Fatalf("template %q: %v", tmpl, err)
	}
	var b strings.Builder
	data := map[string]any{"ProjectName": projectName, "Version": "1.2.3", "Os": goos, "Arch": goarch}
	if err := tp.Execute(&b, data); err != nil {
		t.Fatalf("template %q: %v", tmpl, err)
	}
	return b.String()
}

func TestGoreleaser_registryRequirements(t *testing.T) {
	c := readGoreleaser(t)
	if c.Version != 2 {
		t.Errorf("version: %d, want 2 (goreleaser v2)", c.Version)
	}
	// Without it goreleaser takes release.github.name, the module path or the git remote.
	if c.ProjectName != projectName {
		t.Errorf("project_name: %q, want %q", c.ProjectName, projectName)
	}
	if len(c.Builds) != 1 || len(c.Archives) != 1 {
		t.Fatalf("want one build and one archive, got %d and %d", len(c.Builds), len(c.Archives))
	}
	b := c.Builds[0]
	if !slices.Contains(b.Env, "CGO_ENABLED=0") {
		t.Errorf("builds.env %v: want CGO_ENABLED=0 (the registry serves static binaries)", b.Env)
	}
	if !slices.Contains(b.Flags, "-trimpath") {
		t.Errorf("builds.flags %v: want -trimpath (reproducible builds)", b.Flags)
	}
	if !strings.Contains(strings.Join(b.Ldflags, " "), "-X main.version={{.Version}}") {
		t.Errorf("builds.ldflags %v: want -X main.version={{.Version}} (the provider reports its version)", b.Ldflags)
	}
	if got := render(t, b.Binary, "linux", "amd64"); got != projectName+"_v1.2.3" {
		t.Errorf("builds.binary renders %q, want %q", got, projectName+"_v1.2.3")
	}

	if a := c.Archives[0]; !slices.Equal(a.Formats, []string{"zip"}) {
		t.Errorf("archives.formats %v: want [zip]", a.Formats)
	}
	built := map[string]bool{}
	for _, goos := range b.Goos {
		for _, goarch := range b.Goarch {
			if !slices.Contains(b.Ignore, platform{goos, goarch}) {
				built[goos+"_"+goarch] = true
			}
		}
	}
	names := map[string]string{}
	for platform := range built {
		goos, goarch, _ := strings.Cut(platform, "_")
		name := render(t, c.Archives[0].NameTemplate, goos, goarch) + ".zip"
		if want := fmt.Sprintf("%s_1.2.3_%s_%s.zip", projectName, goos, goarch); name != want {
			t.Errorf("archive of %s is %q, want %q", platform, name, want)
		}
		if other, dup := names[name]; dup {
			t.Errorf("archives of %s and %s are both named %q", platform, other, name)
		}
		names[name] = platform
	}
	for _, p := range []string{"darwin_amd64", "darwin_arm64", "linux_amd64", "linux_arm64", "windows_amd64", "windows_arm64"} {
		if !built[p] {
			t.Errorf("no build for %s", p)
		}
	}

	cs := c.Checksum
	if cs.Disable || cs.Split || len(cs.IDs) > 0 {
		t.Errorf("checksum: want one file over every archive (disable %v, split %v, ids %v)", cs.Disable, cs.Split, cs.IDs)
	}
	if got := render(t, cs.NameTemplate, "", ""); got != projectName+"_1.2.3_SHA256SUMS" {
		t.Errorf("checksum.name_template renders %q, want %q", got, projectName+"_1.2.3_SHA256SUMS")
	}
	if cs.Algorithm != "sha256" {
		t.Errorf("checksum.algorithm %q, want sha256", cs.Algorithm)
	}
	manifest := projectName + "_1.2.3_manifest.json"
	for what, files := range map[string][]extraFile{"checksum.extra_files": cs.ExtraFiles, "release.extra_files": c.Release.ExtraFiles} {
		if !slices.ContainsFunc(files, func(f extraFile) bool {
			return f.Glob == "terraform-registry-manifest.json" && render(t, f.NameTemplate, "", "") == manifest
		}) {
			t.Errorf("%s: want terraform-registry-manifest.json as %s", what, manifest)
		}
	}

	signed := false
	for _, s := range c.Signs {
		if s.Artifacts != "checksum" || (s.Cmd != "" && s.Cmd != "gpg") {
			continue
		}
		args := strings.Join(s.Args, " ")
		sig := s.Signature
		if sig == "" {
			sig = "${artifact}.sig" // goreleaser's default
		}
		signed = strings.Contains(args, "--detach-sign") && strings.Contains(args, "${artifact}") &&
			strings.Contains(args, "${signature}") && sig == "${artifact}.sig"
	}
	if !signed {
		t.Errorf("signs: want a gpg --detach-sign of the checksum file into <SHA256SUMS>.sig, got %+v", c.Signs)
	}
}

// The manifest's protocol version is the one main serves: providerserver.Serve uses protocol 6
// unless ServeOpts.ProtocolVersion says otherwise.
func TestRegistryManifest_protocolVersion(t *testing.T) {
	b, err := os.ReadFile("terraform-registry-manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("terraform-registry-manifest.json: %v", err)
	}
	served := servedProtocol(t)
	if want := []string{served + ".0"}; m.Version != 1 || !slices.Equal(m.Metadata.ProtocolVersions, want) {
		t.Errorf("terraform-registry-manifest.json: version %d, protocol_versions %v; want 1 and %v (main serves protocol %s)",
			m.Version, m.Metadata.ProtocolVersions, want, served)
	}
}

// servedProtocol reads main.go's providerserver.ServeOpts.
func servedProtocol(t *testing.T) string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "main.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	protocol, found := "", false
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		if sel, ok := lit.Type.(*ast.SelectorExpr); !ok || sel.Sel.Name != "ServeOpts" {
			return true
		}
		found, protocol = true, "6"
		for _, e := range lit.Elts {
			kv, ok := e.(*ast.KeyValueExpr)
			if k, isIdent := kv.Key.(*ast.Ident); !ok || !isIdent || k.Name != "ProtocolVersion" {
				continue
			}
			v, ok := kv.Value.(*ast.BasicLit)
			if !ok {
				t.Fatalf("main.go: ServeOpts.ProtocolVersion is not a literal")
			}
			if _, err := strconv.Atoi(v.Value); err != nil {
				t.Fatalf("main.go: ServeOpts.ProtocolVersion %s: %v", v.Value, err)
			}
			protocol = v.Value
		}
		return false
	})
	if !found {
		t.Fatal("main.go: no providerserver.ServeOpts")
	}
	return protocol
}
