package emulator

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// operation is an asynchronous operation reported through capsOperations.
type operation struct {
	ID       string          `json:"id"`
	Region   string          `json:"region"`
	Kind     string          `json:"kind"` // create, update, delete, share
	Target   string          `json:"target"`
	Start    time.Time       `json:"start"`
	DoneAt   time.Time       `json:"doneAt"`
	Failed   bool            `json:"failed,omitempty"`
	Canceled bool            `json:"canceled,omitempty"` // terminal status Canceled (with Failed)
	Error    *armError       `json:"error,omitempty"`
	Result   json.RawMessage `json:"result,omitempty"` // body of the monitor URL once done (share)
	APIVer   string          `json:"apiVersion"`
	Injected bool            `json:"injected,omitempty"`
}

// newOperationLocked registers an operation; a configured fault (lrofail) may make it end
// Failed, while what the request changed stays applied (a share's groups are changed, a created
// resource is there in provisioningState Failed): an operation reporting Failed does not tell
// that nothing landed. The request log marks the request "lrofail".
func (e *Emulator) newOperationLocked(c *call, region, kind, target string, doneAt time.Time) *operation {
	n, _ := NormalizeRegion(region)
	op := &operation{ID: uuid.NewString(), Region: n, Kind: kind, Target: target, Start: c.now, DoneAt: doneAt, APIVer: c.api}
	if e.faults.lroFails(c.r) {
		if rec, ok := c.w.(*statusRecorder); ok {
			rec.fault = "lrofail"
		}
		op.Failed, op.Injected = true, true
		op.Error = &armError{Code: "InternalOperationError", Message: "The operation failed because of an internal error (fault injected by the azvmapps emulator). Please retry."}
	}
	e.st.Operations[op.ID] = op
	return op
}

func (e *Emulator) operationURL(op *operation) string {
	return fmt.Sprintf("%s/subscriptions/%s/providers/Microsoft.Compute/locations/%s/capsOperations/%s?api-version=%s", e.url, e.st.SubscriptionID, op.Region, op.ID, op.APIVer)
}

// setAsyncHeaders sets Azure-AsyncOperation (and Location when withLocation) plus Retry-After.
func (e *Emulator) setAsyncHeaders(w http.ResponseWriter, op *operation, withLocation bool) {
	u := e.operationURL(op)
	w.Header().Set("Azure-AsyncOperation", u)
	if withLocation {
		w.Header().Set("Location", u+"&monitor=true")
	}
	e.setRetryAfter(w)
}

func (e *Emulator) setRetryAfter(w http.ResponseWriter) {
	if e.cfg.RetryAfter < 0 {
		return
	}
	d := AdvertisedRetryAfter(e.cfg.RetryAfter)
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(d.Seconds())))))
	if d < time.Second {
		w.Header().Set("Retry-After-Ms", strconv.FormatInt(d.Milliseconds(), 10))
	}
}

// AdvertisedRetryAfter is the wait an operation's Retry-After headers ask for when the
// configuration's RetryAfter is d: whole seconds rounded up (Retry-After), or milliseconds below
// a second (Retry-After-Ms); 0 when no header is sent (d < 0).
func AdvertisedRetryAfter(d time.Duration) time.Duration {
	switch {
	case d < 0:
		return 0
	case d < time.Second:
		return d.Truncate(time.Millisecond)
	}
	return time.Duration(math.Ceil(d.Seconds())) * time.Second
}

func (op *operation) status(now time.Time) string {
	if now.Before(op.DoneAt) {
		return "InProgress"
	}
	if op.Canceled {
		return "Canceled"
	}
	if op.Failed {
		return "Failed"
	}
	return "Succeeded"
}

// serveOperationLocked answers the Azure-AsyncOperation and Location (monitor=true) URLs.
func (e *Emulator) serveOperationLocked(c *call, id string) *armError {
	if c.r.Method != http.MethodGet {
		return methodNotAllowed(c)
	}
	var op *operation
	for k, o := range e.st.Operations {
		if strings.EqualFold(k, id) {
			op = o
		}
	}
	if op == nil {
		return newErr(404, "ResourceNotFound", fmt.Sprintf("The operation '%s' was not found.", id))
	}
	st := op.status(c.now)
	if strings.EqualFold(c.q("monitor"), "true") {
		switch {
		case st == "InProgress":
			c.w.Header().Set("Location", e.operationURL(op)+"&monitor=true")
			e.setRetryAfter(c.w)
			c.w.WriteHeader(http.StatusAccepted)
		case st == "Failed" || st == "Canceled":
			err := *op.Error
			err.status = 500
			return &err
		case op.Kind == "delete":
			c.w.WriteHeader(http.StatusNoContent)
		case len(op.Result) > 0:
			writeJSON(c.w, 200, op.Result)
		default:
			c.w.WriteHeader(http.StatusOK)
		}
		return nil
	}
	body := map[string]any{"startTime": azureTime(op.Start), "status": st, "name": op.ID}
	if st != "InProgress" {
		body["endTime"] = azureTime(op.DoneAt)
	} else {
		e.setRetryAfter(c.w)
	}
	if st == "Failed" || st == "Canceled" {
		body["error"] = op.Error
	}
	writeJSON(c.w, 200, body)
	return nil
}

func newGUID() string { return uuid.NewString() }

// failOperation makes op end Failed with the given error.
func (op *operation) fail(code, message string) {
	op.Failed, op.Canceled = true, false
	op.Error = &armError{Code: code, Message: message}
}

// computeOutcomeLocked settles how a VM or scale-set operation ends: Failed when one of its
// applications failed with treatFailureAsDeploymentFailure (the extension reports the failure on
// every operation until the application is removed; NOTES.md), else Canceled with
// OperationPreempted when the preempt fault draws it. It reports whether the operation fails.
func (e *Emulator) computeOutcomeLocked(op *operation, installed []*appInstall, osType string) bool {
	for _, in := range installed {
		if in.Failed && in.Treat {
			op.fail("VMExtensionProvisioningError", fmt.Sprintf("VM has reported a failure when processing extension 'VMAppExtension'. Error message: \"Enable failed: %s %s (%s): %s\".", in.Name, in.Version, appExtensionType(osType), in.Result))
			return true
		}
	}
	if !op.Failed && e.faults.draw(func(f Faults) float64 { return f.RatePreempt }) {
		op.Failed, op.Canceled, op.Injected = true, true, true
		op.Error = &armError{Code: "OperationPreempted", Message: "Operation execution has been preempted by a more recent operation. (fault injected by the azvmapps emulator)"}
	}
	return op.Failed
}
