package emulator

import (
	"crypto/tls"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Faults configures fault injection on ARM requests. Rates are probabilities in [0,1]; the same
// Seed and the same sequence of requests give the same faults.
type Faults struct {
	Seed          uint64        // random seed (0 is a valid seed)
	Rate429       float64       // 429 TooManyRequests with Retry-After
	Rate500       float64       // 500 InternalServerError
	Rate503       float64       // 503 ServiceUnavailable
	RateReset     float64       // connection reset (TCP RST) without a response
	RateSlow      float64       // delay the response by SlowDelay
	RateLROFailed float64       // long-running operations that end Failed, what their write did applied all the same
	RateLost      float64       // writes applied whose response is lost (connection reset after the commit)
	RateConflict  float64       // 409 OperationNotAllowed on VM / scale-set writes: another operation in progress
	RatePreempt   float64       // VM / scale-set operations that end Canceled with OperationPreempted
	RateReplFail  float64       // version replications where one region fails while the others complete
	RateInstall   float64       // VM application installs that fail (on a scale set: on one instance only)
	RateTokenSlow float64       // token requests delayed by SlowDelay
	RateToken5xx  float64       // token requests answered 503 (AADSTS90033-like)
	SlowDelay     time.Duration // default 2s
	RetryAfter429 time.Duration // Retry-After of 429 answers; default 1s
	Methods       []string      // only these HTTP methods (empty: all)
	PathContains  string        // only paths containing this (case-insensitive; empty: all)
}

func (f Faults) enabled() bool {
	return f.Rate429+f.Rate500+f.Rate503+f.RateReset+f.RateSlow+f.RateConflict > 0
}

// String renders Faults in the form ParseFaults reads.
func (f Faults) String() string {
	parts := []string{"seed=" + strconv.FormatUint(f.Seed, 10)}
	add := func(k string, v float64) {
		if v > 0 {
			parts = append(parts, k+"="+strconv.FormatFloat(v, 'g', -1, 64))
		}
	}
	add("429", f.Rate429)
	add("500", f.Rate500)
	add("503", f.Rate503)
	add("reset", f.RateReset)
	add("slow", f.RateSlow)
	add("lrofail", f.RateLROFailed)
	add("lost", f.RateLost)
	add("conflict", f.RateConflict)
	add("preempt", f.RatePreempt)
	add("replfail", f.RateReplFail)
	add("installfail", f.RateInstall)
	add("tokenslow", f.RateTokenSlow)
	add("token5xx", f.RateToken5xx)
	if f.SlowDelay > 0 {
		parts = append(parts, "slowdelay="+f.SlowDelay.String())
	}
	if f.RetryAfter429 > 0 {
		parts = append(parts, "retryafter="+f.RetryAfter429.String())
	}
	if len(f.Methods) > 0 {
		parts = append(parts, "methods="+strings.Join(f.Methods, "+"))
	}
	if f.PathContains != "" {
		parts = append(parts, "path="+f.PathContains)
	}
	return strings.Join(parts, ",")
}

// ParseFaults parses "seed=1,429=0.1,500=0.05,503=0.05,reset=0.01,slow=0.1,slowdelay=2s,lrofail=0.1,
// retryafter=1s,methods=PUT+DELETE,path=/versions/" plus lost, conflict, preempt, replfail,
// installfail, tokenslow and token5xx rates. Durations without a unit are seconds (retryafter=120).
func ParseFaults(spec string) (Faults, error) {
	var f Faults
	for _, kv := range strings.Split(spec, ",") {
		kv = strings.TrimSpace(kv)
		if kv == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return f, fmt.Errorf("faults: %q is not key=value", kv)
		}
		var err error
		rate := func(dst *float64) {
			*dst, err = strconv.ParseFloat(v, 64)
			if err == nil && (*dst < 0 || *dst > 1) {
				err = fmt.Errorf("rate %v out of [0,1]", *dst)
			}
		}
		switch strings.ToLower(k) {
		case "seed":
			f.Seed, err = strconv.ParseUint(v, 10, 64)
		case "429":
			rate(&f.Rate429)
		case "500":
			rate(&f.Rate500)
		case "503":
			rate(&f.Rate503)
		case "reset":
			rate(&f.RateReset)
		case "slow":
			rate(&f.RateSlow)
		case "lrofail", "lrofailed":
			rate(&f.RateLROFailed)
		case "lost":
			rate(&f.RateLost)
		case "conflict":
			rate(&f.RateConflict)
		case "preempt":
			rate(&f.RatePreempt)
		case "replfail":
			rate(&f.RateReplFail)
		case "installfail":
			rate(&f.RateInstall)
		case "tokenslow":
			rate(&f.RateTokenSlow)
		case "token5xx":
			rate(&f.RateToken5xx)
		case "slowdelay":
			f.SlowDelay, err = parseSeconds(v)
		case "retryafter":
			f.RetryAfter429, err = parseSeconds(v)
		case "methods":
			f.Methods = strings.Split(strings.ToUpper(v), "+")
		case "path":
			f.PathContains = v
		default:
			err = fmt.Errorf("unknown key")
		}
		if err != nil {
			return f, fmt.Errorf("faults: %s: %w", kv, err)
		}
	}
	return f, nil
}

// parseSeconds parses a Go duration, or a bare number of seconds.
func parseSeconds(v string) (time.Duration, error) {
	if n, err := strconv.ParseFloat(v, 64); err == nil {
		return time.Duration(n * float64(time.Second)), nil
	}
	return time.ParseDuration(v)
}

// faultInjector draws faults from a seeded generator.
type faultInjector struct {
	mu  sync.Mutex
	cfg Faults
	rnd *rand.Rand
}

func newFaultInjector(f Faults) *faultInjector {
	fi := &faultInjector{}
	fi.set(f)
	return fi
}

func (fi *faultInjector) set(f Faults) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	if f.SlowDelay <= 0 {
		f.SlowDelay = 2 * time.Second
	}
	if f.RetryAfter429 <= 0 {
		f.RetryAfter429 = time.Second
	}
	fi.cfg = f
	fi.rnd = rand.New(rand.NewPCG(f.Seed, 0x617a766d61707073))
}

func (fi *faultInjector) get() Faults {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	return fi.cfg
}

// lroFails draws whether the long-running operation r starts ends Failed; like the other
// faults it honours the Methods and PathContains filters.
func (fi *faultInjector) lroFails(r *http.Request) bool {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	if fi.cfg.RateLROFailed <= 0 || !fi.cfg.matches(r) {
		return false
	}
	return fi.rnd.Float64() < fi.cfg.RateLROFailed
}

// draw reports whether an event of the given rate happens; a zero rate draws nothing, so adding
// a fault kind does not change the sequence of the others.
func (fi *faultInjector) draw(rate func(Faults) float64) bool {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	p := rate(fi.cfg)
	return p > 0 && fi.rnd.Float64() < p
}

// pick returns a seeded choice in [0,n).
func (fi *faultInjector) pick(n int) int {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	return fi.rnd.IntN(n)
}

// matches reports whether r passes the Methods and PathContains filters.
func (f Faults) matches(r *http.Request) bool {
	return (len(f.Methods) == 0 || slices.Contains(f.Methods, r.Method)) &&
		(f.PathContains == "" || strings.Contains(strings.ToLower(r.URL.Path), strings.ToLower(f.PathContains)))
}

// responseLost draws whether a write request is applied and its response then lost.
func (fi *faultInjector) responseLost(r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead || !fi.get().matches(r) {
		return false
	}
	return fi.draw(func(f Faults) float64 { return f.RateLost })
}

// isComputeWrite reports whether r writes a virtual machine or scale set (or acts on one).
func isComputeWrite(r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return false
	}
	p := strings.ToLower(r.URL.Path)
	return strings.Contains(p, "/providers/microsoft.compute/virtualmachines/") || strings.Contains(p, "/providers/microsoft.compute/virtualmachinescalesets/")
}

// tokenFault delays or fails a token request; it reports whether the request was answered.
func (fi *faultInjector) tokenFault(w *statusRecorder, r *http.Request) bool {
	if fi.draw(func(f Faults) float64 { return f.RateTokenSlow }) {
		w.fault = "slow"
		select {
		case <-time.After(fi.get().SlowDelay):
		case <-r.Context().Done():
		}
	}
	if fi.draw(func(f Faults) float64 { return f.RateToken5xx }) {
		w.fault = "503"
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"error":"temporarily_unavailable","error_description":"AADSTS90033: A transient error has occurred. Please try again. (fault injected by the azvmapps emulator)","error_codes":[90033]}`))
		return true
	}
	return false
}

// apply injects a fault into an ARM request; it reports whether the request was answered.
func (fi *faultInjector) apply(w *statusRecorder, r *http.Request) bool {
	fi.mu.Lock()
	cfg := fi.cfg
	if !cfg.enabled() ||
		(len(cfg.Methods) > 0 && !slices.Contains(cfg.Methods, r.Method)) ||
		(cfg.PathContains != "" && !strings.Contains(strings.ToLower(r.URL.Path), strings.ToLower(cfg.PathContains))) {
		fi.mu.Unlock()
		return false
	}
	x, slow := fi.rnd.Float64(), fi.rnd.Float64() < cfg.RateSlow
	fi.mu.Unlock()
	conflict := 0.0
	if isComputeWrite(r) {
		conflict = cfg.RateConflict
	}
	if slow {
		w.fault = "slow"
		select {
		case <-time.After(cfg.SlowDelay):
		case <-r.Context().Done():
		}
	}
	switch {
	case x < cfg.RateReset:
		w.fault = "reset"
		resetConnection(w)
		return true
	case x < cfg.RateReset+cfg.Rate429:
		w.fault = "429"
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(cfg.RetryAfter429.Round(time.Second).Seconds()))))
		if cfg.RetryAfter429 < time.Second {
			w.Header().Set("Retry-After-Ms", strconv.FormatInt(cfg.RetryAfter429.Milliseconds(), 10))
		}
		writeARMError(w, newErr(429, "TooManyRequests", "The request is being throttled as the limit has been reached for operation type - Write_1Min. For more information, see - https://aka.ms/armthrottling (fault injected by the azvmapps emulator)"))
		return true
	case x < cfg.RateReset+cfg.Rate429+cfg.Rate500:
		w.fault = "500"
		writeARMError(w, newErr(500, "InternalServerError", "Encountered internal server error. Diagnostic information: fault injected by the azvmapps emulator."))
		return true
	case x < cfg.RateReset+cfg.Rate429+cfg.Rate500+cfg.Rate503:
		w.fault = "503"
		w.Header().Set("Retry-After", "1")
		writeARMError(w, newErr(503, "ServiceUnavailable", "The service is temporarily unavailable (fault injected by the azvmapps emulator). Please retry."))
		return true
	case x < cfg.RateReset+cfg.Rate429+cfg.Rate500+cfg.Rate503+conflict:
		w.fault = "409"
		writeARMError(w, newErr(409, "OperationNotAllowed", fmt.Sprintf("Operation '%s' is not allowed on %s since another operation is in progress. For more information on your operations, please refer to https://aka.ms/activitylog. (fault injected by the azvmapps emulator)", r.Method, computeTarget(r.URL.Path))))
		return true
	}
	return false
}

// computeTarget names the VM or scale set of a path for messages ("VM 'x'").
func computeTarget(p string) string {
	segs := strings.Split(strings.Trim(p, "/"), "/")
	for i := 0; i+1 < len(segs); i++ {
		switch strings.ToLower(segs[i]) {
		case "virtualmachinescalesets":
			return "Virtual Machine Scale Set '" + segs[i+1] + "'"
		case "virtualmachines":
			return "VM '" + segs[i+1] + "'"
		}
	}
	return "the resource"
}

// resetConnection closes the client connection with a TCP RST and no response.
func resetConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	raw := conn
	if tc, ok := conn.(*tls.Conn); ok {
		raw = tc.NetConn()
	}
	if tcp, ok := raw.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = raw.Close()
}
