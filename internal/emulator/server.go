package emulator

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
)

const adminPrefix = "/_emulator"

// call is one ARM request being served.
type call struct {
	w      http.ResponseWriter
	r      *http.Request
	segs   []string // path segments as sent
	low    []string // lower-cased path segments
	api    string
	query  url.Values
	now    time.Time
	claims *tokenClaims
}

func (c *call) q(name string) string {
	for k, v := range c.query {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// statusRecorder records the status code written by a handler.
type statusRecorder struct {
	http.ResponseWriter
	status    int
	fault     string
	principal string
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// discardWriter swallows a response (the "lost" fault).
type discardWriter struct {
	header http.Header
	status int
}

func (d *discardWriter) Header() http.Header         { return d.header }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(code int)        { d.status = code }

func (e *Emulator) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			if rec.status == 0 && rec.fault == "" {
				rec.status = http.StatusOK
			}
			if !strings.HasPrefix(r.URL.Path, adminPrefix) {
				e.log.add(Request{Method: r.Method, Path: r.URL.Path, Query: redactQuery(r.URL.RawQuery), Status: rec.status, Time: start, Duration: time.Since(start), Fault: rec.fault, Principal: rec.principal, Route: routeTemplate(r.Method, r.URL.Path)})
			}
		}()
		rec.Header().Set("x-ms-request-id", uuid.NewString())
		rec.Header().Set("x-ms-correlation-request-id", uuid.NewString())
		e.route(rec, r)
	})
}

func (e *Emulator) route(w *statusRecorder, r *http.Request) {
	p := r.URL.Path
	segs := strings.Split(strings.Trim(p, "/"), "/")
	low := make([]string, len(segs))
	for i, s := range segs {
		low[i] = strings.ToLower(s)
	}
	switch {
	case strings.HasPrefix(p, adminPrefix+"/") || p == adminPrefix:
		if !isLoopback(r.RemoteAddr) {
			http.Error(w, "admin endpoint is loopback-only", http.StatusForbidden)
			return
		}
		e.serveAdmin(w, r)
		return
	case len(low) == 2 && low[0] == "metadata" && low[1] == "endpoints":
		e.serveMetadata(w, r)
		return
	case len(low) == 3 && low[0] == "common" && low[1] == "discovery" && low[2] == "instance":
		e.serveInstanceDiscovery(w)
		return
	case len(low) == 4 && low[1] == "v2.0" && low[2] == ".well-known" && low[3] == "openid-configuration" && r.Method == http.MethodGet:
		e.serveOpenIDConfiguration(w, segs[0])
		return
	case len(low) == 4 && low[1] == "oauth2" && low[2] == "v2.0" && low[3] == "token" && r.Method == http.MethodPost:
		if !e.faults.tokenFault(w, r) {
			e.serveToken(w, r, segs[0])
		}
		return
	case len(low) == 3 && low[1] == "oauth2" && low[2] == "token" && r.Method == http.MethodPost:
		if !e.faults.tokenFault(w, r) {
			e.serveToken(w, r, segs[0]) // v1 endpoint, same rules
		}
		return
	case len(low) == 4 && low[0] == "metadata" && low[1] == "identity" && low[2] == "oauth2" && low[3] == "token":
		if !e.faults.tokenFault(w, r) {
			e.serveManagedIdentityToken(w, r)
		}
		return
	case len(low) >= 1 && low[0] == "subscriptions":
		e.serveARM(w, r, segs, low)
		return
	}
	writeARMError(w, newErr(404, "NotFound", fmt.Sprintf("The requested path '%s' is not served by the azvmapps emulator.", p)))
}

func isLoopback(remote string) bool {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// serveARM authenticates, applies faults, validates the api-version and dispatches an ARM request.
func (e *Emulator) serveARM(w *statusRecorder, r *http.Request, segs, low []string) {
	claims, aerr := e.authenticate(r)
	if aerr != nil {
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer authorization_uri="%s/%s", error="invalid_token", error_description="%s"`, e.url, "common", aerr.Code))
		writeARMError(w, aerr)
		return
	}
	w.principal = claims.ObjectID
	if e.faults.apply(w, r) {
		return
	}
	lost := e.faults.responseLost(r)
	c := &call{w: w, r: r, segs: segs, low: low, query: r.URL.Query(), claims: claims}
	if lost {
		// The write is applied and saved; the client sees only a reset connection.
		c.w = &discardWriter{header: http.Header{}}
		defer func() {
			w.fault = "lost"
			resetConnection(w)
		}()
	}
	c.api = c.q("api-version")
	e.mu.Lock()
	c.now = e.now()
	e.settleLocked(c.now)
	if len(low) < 2 {
		e.mu.Unlock()
		e.listSubscriptions(c)
		return
	}
	if err := e.authorizeSubscriptionLocked(claims, low[1]); err != nil {
		e.mu.Unlock()
		writeARMError(c.w, err)
		return
	}
	err := e.dispatchLocked(c)
	e.mu.Unlock()
	if err != nil {
		writeARMError(c.w, err)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		if serr := e.save(); serr != nil {
			e.cfg.Logf("emulator: saving state: %v", serr)
		}
	}
}

func (e *Emulator) listSubscriptions(c *call) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var value []any
	if strings.EqualFold(c.claims.TenantID, e.st.TenantID) {
		value = append(value, e.subscriptionBodyLocked())
	}
	if value == nil {
		value = []any{}
	}
	writeJSON(c.w, 200, map[string]any{"value": value})
}

func (e *Emulator) subscriptionBodyLocked() map[string]any {
	return map[string]any{
		"id": "/subscriptions/" + e.st.SubscriptionID, "subscriptionId": e.st.SubscriptionID, "tenantId": e.st.TenantID,
		"displayName": "azvmapps emulator", "state": "Enabled",
		"subscriptionPolicies": map[string]any{"locationPlacementId": "Public_2014-09-01", "quotaId": "PayAsYouGo_2014-09-01", "spendingLimit": "Off"},
	}
}

// dispatchLocked routes an authorised ARM request by its lower-cased path segments.
func (e *Emulator) dispatchLocked(c *call) *armError {
	low := c.low
	n := len(low)
	if n == 2 {
		if err := checkAPIVersion(c.api, "subscriptions", ResourcesAPIVersions); err != nil {
			return err
		}
		if c.r.Method != http.MethodGet {
			return methodNotAllowed(c)
		}
		writeJSON(c.w, 200, e.subscriptionBodyLocked())
		return nil
	}
	switch low[2] {
	case "resourcegroups":
		if n <= 4 {
			if err := checkAPIVersion(c.api, "resourceGroups", ResourcesAPIVersions); err != nil {
				return err
			}
			if n == 3 {
				return e.listResourceGroupsLocked(c)
			}
			return e.resourceGroupLocked(c)
		}
		if n >= 7 && low[4] == "providers" && low[5] == "microsoft.compute" {
			return e.computeUnderRGLocked(c)
		}
	case "providers":
		if n >= 4 && low[3] == "microsoft.compute" {
			if n == 4 {
				writeJSON(c.w, 200, map[string]any{"id": "/subscriptions/" + e.st.SubscriptionID + "/providers/Microsoft.Compute", "namespace": "Microsoft.Compute", "registrationState": "Registered"})
				return nil
			}
			switch {
			case n == 5 && low[4] == "galleries":
				if err := checkAPIVersion(c.api, "galleries", GalleryAPIVersions); err != nil {
					return err
				}
				return e.listGalleriesLocked(c, "")
			case n == 8 && low[4] == "locations" && (low[6] == "capsoperations" || low[6] == "operations"):
				return e.serveOperationLocked(c, c.segs[7])
			case n == 5 && low[4] == "virtualmachines":
				if err := checkAPIVersion(c.api, "virtualMachines", ComputeAPIVersions); err != nil {
					return err
				}
				return e.listVMsLocked(c, "")
			case n == 5 && low[4] == "virtualmachinescalesets":
				if err := checkAPIVersion(c.api, "virtualMachineScaleSets", ComputeAPIVersions); err != nil {
					return err
				}
				return e.listScaleSetsLocked(c, "")
			}
		}
	}
	return noRoute(c)
}

func noRoute(c *call) *armError {
	return newErr(404, "InvalidResourceType", fmt.Sprintf("The resource type '%s' could not be found in the namespace 'Microsoft.Compute' for api version '%s'.", strings.Join(c.segs[min(len(c.segs), 6):], "/"), c.api))
}

func methodNotAllowed(c *call) *armError {
	return newErr(405, "MethodNotAllowed", fmt.Sprintf("The requested resource does not support http method '%s'.", c.r.Method))
}

// computeUnderRGLocked routes /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Compute/...
func (e *Emulator) computeUnderRGLocked(c *call) *armError {
	low := c.low
	switch low[6] {
	case "galleries":
		if err := checkAPIVersion(c.api, "galleries", GalleryAPIVersions); err != nil {
			return err
		}
		return e.galleryRoutesLocked(c)
	case "virtualmachines":
		if err := checkAPIVersion(c.api, "virtualMachines", ComputeAPIVersions); err != nil {
			return err
		}
		return e.vmRoutesLocked(c)
	case "virtualmachinescalesets":
		if err := checkAPIVersion(c.api, "virtualMachineScaleSets", ComputeAPIVersions); err != nil {
			return err
		}
		return e.vmssRoutesLocked(c)
	}
	return noRoute(c)
}

// routeTemplate replaces resource names in a path by {} for counters.
func routeTemplate(method, p string) string {
	segs := strings.Split(strings.Trim(p, "/"), "/")
	collections := map[string]bool{"subscriptions": true, "resourcegroups": true, "galleries": true, "applications": true, "versions": true,
		"virtualmachines": true, "virtualmachinescalesets": true, "locations": true, "capsoperations": true, "operations": true, "extensions": true}
	out := make([]string, len(segs))
	for i, s := range segs {
		l := strings.ToLower(s)
		// In /subscriptions/{id}/providers/... "providers" is a keyword, not a resource name.
		providersKeyword := i == 2 && l == "providers"
		if i > 0 && collections[strings.ToLower(segs[i-1])] && !providersKeyword {
			out[i] = "{}"
		} else {
			out[i] = l
		}
	}
	if len(out) > 0 && (out[0] != "subscriptions") {
		if len(out) > 1 {
			out[0] = "{tenant}"
		}
	}
	return method + " /" + strings.Join(out, "/")
}

// redactQuery removes SAS signatures from a raw query string.
func redactQuery(q string) string {
	if q == "" {
		return ""
	}
	v, err := url.ParseQuery(q)
	if err != nil {
		return "(unparsable)"
	}
	for k := range v {
		if strings.EqualFold(k, "sig") || strings.EqualFold(k, "client_secret") || strings.EqualFold(k, "client_assertion") {
			v[k] = []string{"REDACTED"}
		}
	}
	return v.Encode()
}

// redactURL removes the SAS signature (the whole query) from a blob URL for messages and logs.
func redactURL(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return u[:i]
	}
	return u
}
