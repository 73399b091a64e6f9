package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
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
