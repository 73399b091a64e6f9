// Package services_test holds the rules every package under internal/services keeps.
package services_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const servicesImportPath = "github.com/azvmapps/terraform-provider-azvmapps/internal/services/"

// No resource package imports another: what two resources share (ID parsing, validators, plan
// modifiers, retries) lives in a shared package, so that each resource can be read, changed and
// tested on its own. Test files count too.
func TestNoServicePackageImportsAnother(t *testing.T) {
	dirs, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		files, err := filepath.Glob(filepath.Join(d.Name(), "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			parsed, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			checked++
			for _, imp := range parsed.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				if other, ok := strings.CutPrefix(path, servicesImportPath); ok && other != d.Name() {
					t.Errorf("%s imports internal/services/%s: move what it uses into a shared package (internal/ids, internal/validate, internal/framework, internal/azure)", f, other)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no Go file found under internal/services: the test runs in the wrong directory")
	}
}
