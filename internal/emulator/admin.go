package emulator

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Request is one entry of the request log (Authorization headers and SAS signatures are never logged).
type Request struct {
	Method   string        `json:"method"`
	Path     string        `json:"path"`
	Query    string        `json:"query,omitempty"` // signatures and secrets redacted
	Route    string        `json:"route"`           // method + path with names replaced by {}
	Status   int           `json:"status"`          // 0 when the connection was reset
	Time     time.Time     `json:"time"`
	Duration time.Duration `json:"duration"`
	Fault    string        `json:"fault,omitempty"` // injected fault, if any
	// Principal is the object ID of the caller of an ARM request (the token's oid), so tests can
	// tell which sign-in method the provider used.
	Principal string `json:"principal,omitempty"`
}

// IsARMWrite reports whether the request is a PUT/PATCH/DELETE/POST to an ARM path.
func (r Request) IsARMWrite() bool {
	switch r.Method {
	case http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodPost:
		return strings.HasPrefix(strings.ToLower(r.Path), "/subscriptions/")
	}
	return false
}

// Counter counts requests of one route.
type Counter struct {
	Count    int            `json:"count"`
	Statuses map[string]int `json:"statuses"`
}

type requestLog struct {
	mu       sync.Mutex
	entries  []Request
	counters map[string]*Counter
}

const maxLogEntries = 20000

func newRequestLog() *requestLog { return &requestLog{counters: map[string]*Counter{}} }

func (l *requestLog) add(r Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, r)
	if len(l.entries) > maxLogEntries {
		l.entries = l.entries[len(l.entries)-maxLogEntries:]
	}
	c := l.counters[r.Route]
	if c == nil {
		c = &Counter{Statuses: map[string]int{}}
		l.counters[r.Route] = c
	}
	c.Count++
	st := "reset"
	if r.Status > 0 {
		st = strconv.Itoa(r.Status)
	}
	c.Statuses[st]++
}

func (l *requestLog) list() []Request {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Request(nil), l.entries...)
}

func (l *requestLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = nil
	l.counters = map[string]*Counter{}
}

// Counters returns request counts per route ("PUT /subscriptions/{}/resourcegroups/{}/...").
func (e *Emulator) Counters() map[string]Counter {
	e.log.mu.Lock()
	defer e.log.mu.Unlock()
	out := map[string]Counter{}
	for k, v := range e.log.counters {
		st := map[string]int{}
		for s, n := range v.Statuses {
			st[s] = n
		}
		out[k] = Counter{Count: v.Count, Statuses: st}
	}
	return out
}

// SetFaults replaces the fault-injection configuration (and restarts its random sequence).
func (e *Emulator) SetFaults(f Faults) { e.faults.set(f) }

// InventoryItem is one resource of the inventory.
type InventoryItem struct {
	ID                string `json:"id"`
	Type              string `json:"type"`
	ProvisioningState string `json:"provisioningState"`
}

// Inventory lists every resource the emulator holds.
func (e *Emulator) Inventory() []InventoryItem {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	e.settleLocked(now)
	var out []InventoryItem
	for _, rg := range e.st.ResourceGroups {
		out = append(out, InventoryItem{rg.ID, "Microsoft.Resources/resourceGroups", "Succeeded"})
	}
	for _, g := range e.st.Galleries {
		out = append(out, InventoryItem{*g.Gallery.ID, *g.Gallery.Type, g.provisioningState(now)})
	}
	for _, a := range e.st.Applications {
		st := "Succeeded"
		if a.deleting() {
			st = "Deleting"
		}
		out = append(out, InventoryItem{*a.App.ID, *a.App.Type, st})
	}
	for _, v := range e.st.Versions {
		out = append(out, InventoryItem{*v.Version.ID, *v.Version.Type, v.provisioningState(now)})
	}
	out = append(out, e.computeInventoryLocked(now)...)
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].ID) < strings.ToLower(out[j].ID) })
	return out
}

// Reset removes every resource except the seed (identity and blobs are kept) and clears the log.
func (e *Emulator) Reset() error {
	e.mu.Lock()
	fresh := newSeedState()
	old := e.st
	fresh.TenantID, fresh.OtherTenantID, fresh.SubscriptionID = old.TenantID, old.OtherTenantID, old.SubscriptionID
	if old.WorkloadSubscriptionID != "" {
		fresh.WorkloadSubscriptionID, fresh.ForbiddenSubscriptionID = old.WorkloadSubscriptionID, old.ForbiddenSubscriptionID
	}
	fresh.ClientID, fresh.ClientObjectID, fresh.ClientSecret, fresh.SigningKey = old.ClientID, old.ClientObjectID, old.ClientSecret, old.SigningKey
	fresh.Blobs = old.Blobs
	fresh.ResourceGroups = map[string]*rgRecord{}
	for _, rg := range []struct{ sub, name string }{{fresh.SubscriptionID, seedResourceGroup}, {fresh.WorkloadSubscriptionID, seedWorkloadResourceGroup}} {
		rgID := "/subscriptions/" + rg.sub + "/resourceGroups/" + rg.name
		fresh.ResourceGroups[strings.ToLower(rgID)] = &rgRecord{ID: rgID, Name: rg.name, Location: seedLocation}
	}
	e.st = fresh
	e.seedComputeLocked(e.now())
	e.mu.Unlock()
	e.log.reset()
	return e.save()
}

func (e *Emulator) serveAdmin(w http.ResponseWriter, r *http.Request) {
	p := strings.TrimPrefix(r.URL.Path, adminPrefix)
	switch {
	case p == "/health":
		writeJSON(w, 200, map[string]any{"status": "ok"})
	case p == "/requests" && r.Method == http.MethodGet:
		writeJSON(w, 200, e.Requests())
	case p == "/requests" && r.Method == http.MethodDelete:
		e.ResetRequests()
		w.WriteHeader(http.StatusNoContent)
	case p == "/counters":
		writeJSON(w, 200, e.Counters())
	case p == "/inventory":
		writeJSON(w, 200, e.Inventory())
	case p == "/env":
		writeJSON(w, 200, e.Env())
	case p == "/reset" && r.Method == http.MethodPost:
		if err := e.Reset(); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		writeJSON(w, 200, map[string]any{"status": "reset"})
	case p == "/faults" && r.Method == http.MethodGet:
		writeJSON(w, 200, map[string]any{"faults": e.faults.get().String()})
	case p == "/faults" && (r.Method == http.MethodPut || r.Method == http.MethodPost):
		var body struct {
			Faults string `json:"faults"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		f, err := ParseFaults(body.Faults)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		e.SetFaults(f)
		writeJSON(w, 200, map[string]any{"faults": f.String()})
	default:
		http.Error(w, "unknown admin endpoint; try /health, /requests, /counters, /inventory, /env, /reset, /faults", http.StatusNotFound)
	}
}

// SetLimits replaces the service limits (zero fields → seed defaults).
func (e *Emulator) SetLimits(l Limits) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.limits = l.withDefaults()
}

// Limits returns the service limits in force.
func (e *Emulator) Limits() Limits {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.limits
}
