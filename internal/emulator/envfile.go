package emulator

import (
	"sort"
	"strings"
)

// EnvFile renders Env() as sorted shell `export NAME='value'` lines.
func (e *Emulator) EnvFile() string {
	env := e.Env()
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString("export " + k + "='" + strings.ReplaceAll(env[k], "'", `'\''`) + "'\n")
	}
	return b.String()
}

// WriteEnvFile writes EnvFile() to path atomically (mode 0600: it holds the client secret).
func (e *Emulator) WriteEnvFile(path string) error {
	return writeFileAtomic(path, []byte(e.EnvFile()), 0o600)
}
