package emulator

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"time"
)

// armError is the ARM/Compute CloudError payload.
type armError struct {
	Code    string      `json:"code"`
	Message string      `json:"message"`
	Target  string      `json:"target,omitempty"`
	Details []*armError `json:"details,omitempty"`
	status  int
}

func (e *armError) Error() string { return e.Code + ": " + e.Message }

func newErr(status int, code, message string) *armError {
	return &armError{status: status, Code: code, Message: message}
}

func badParam(target, message string) *armError {
	return &armError{status: http.StatusBadRequest, Code: "InvalidParameter", Message: message, Target: target}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	var b []byte
	switch x := v.(type) {
	case json.RawMessage:
		b = x
	case []byte:
		b = x
	default:
		var err error
		b, err = json.Marshal(v)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
	}
	b = azureTimestamps(b)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeARMError(w http.ResponseWriter, e *armError) {
	status := e.status
	if status == 0 {
		status = http.StatusBadRequest
	}
	writeJSON(w, status, map[string]any{"error": e})
}

// azureTimeLayout is how the Compute RP writes date-times: .NET's round-trip form with the
// fraction's trailing zeros dropped (at most seven digits, 100 ns ticks) and a numeric offset,
// e.g. "2025-03-18T09:07:17.9011657+00:00" (NOTES.md, "Timestamps").
const azureTimeLayout = "2006-01-02T15:04:05.9999999-07:00"

// azureTime formats t as the Compute RP does.
func azureTime(t time.Time) string { return t.UTC().Format(azureTimeLayout) }

var jsonTimeRe = regexp.MustCompile(`"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})"`)

// azureTimestamps rewrites every RFC 3339 date-time string of a JSON body (Go writes "Z" and
// up to nine digits) in the service's form.
func azureTimestamps(b []byte) []byte {
	return jsonTimeRe.ReplaceAllFunc(b, func(m []byte) []byte {
		t, err := time.Parse(time.RFC3339Nano, string(m[1:len(m)-1]))
		if err != nil {
			return m
		}
		return []byte(`"` + azureTime(t) + `"`)
	})
}
