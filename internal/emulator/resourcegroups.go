package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

func (e *Emulator) rgKey(c *call) string {
	return "/subscriptions/" + c.low[1] + "/resourcegroups/" + c.low[3]
}

// rgLocked returns the resource group of the request or ResourceGroupNotFound.
func (e *Emulator) rgLocked(c *call) (*rgRecord, *armError) {
	rg := e.st.ResourceGroups[e.rgKey(c)]
	if rg == nil {
		return nil, newErr(404, "ResourceGroupNotFound", fmt.Sprintf("Resource group '%s' could not be found.", c.segs[3]))
	}
	return rg, nil
}

func rgBody(rg *rgRecord) map[string]any {
	b := map[string]any{"id": rg.ID, "name": rg.Name, "type": "Microsoft.Resources/resourceGroups", "location": rg.Location,
		"properties": map[string]any{"provisioningState": "Succeeded"}}
	if rg.Tags != nil {
		b["tags"] = rg.Tags
	}
	return b
}

func (e *Emulator) resourceGroupLocked(c *call) *armError {
	key := e.rgKey(c)
	rg := e.st.ResourceGroups[key]
	switch c.r.Method {
	case http.MethodHead:
		if rg == nil {
			c.w.WriteHeader(http.StatusNotFound)
		} else {
			c.w.WriteHeader(http.StatusNoContent)
		}
		return nil
	case http.MethodGet:
		if rg == nil {
			_, err := e.rgLocked(c)
			return err
		}
		writeJSON(c.w, 200, rgBody(rg))
		return nil
	case http.MethodPut, http.MethodPatch:
		var body struct {
			Location string             `json:"location"`
			Tags     map[string]*string `json:"tags"`
		}
		if err := decodeBody(c, &body); err != nil {
			return err
		}
		if c.r.Method == http.MethodPatch {
			if rg == nil {
				_, err := e.rgLocked(c)
				return err
			}
			if body.Tags != nil {
				rg.Tags = body.Tags
			}
			writeJSON(c.w, 200, rgBody(rg))
			return nil
		}
		loc, ok := NormalizeRegion(body.Location)
		if body.Location == "" {
			return newErr(400, "LocationRequired", "The location property is required for this definition.")
		}
		if !ok {
			return newErr(400, "LocationNotAvailableForResourceType", fmt.Sprintf("The provided location '%s' is not available for resource type 'Microsoft.Resources/resourceGroups'. List of available regions for the resource type is '%s'.", body.Location, strings.Join(regionKeys(), ",")))
		}
		status := 200
		if rg == nil {
			rg = &rgRecord{ID: "/subscriptions/" + c.segs[1] + "/resourceGroups/" + c.segs[3], Name: c.segs[3], Location: loc}
			e.st.ResourceGroups[key] = rg
			status = 201
		} else if rg.Location != loc {
			return newErr(409, "InvalidResourceGroupLocation", fmt.Sprintf("Invalid resource group location '%s'. The Resource group already exists in location '%s'.", body.Location, rg.Location))
		}
		rg.Tags = body.Tags
		writeJSON(c.w, status, rgBody(rg))
		return nil
	case http.MethodDelete:
		if rg == nil {
			_, err := e.rgLocked(c)
			return err
		}
		e.deleteUnderLocked(key)
		delete(e.st.ResourceGroups, key)
		op := e.newOperationLocked(c, rg.Location, "delete", rg.ID, c.now)
		op.Failed, op.Error = false, nil
		c.w.Header().Set("Location", e.operationURL(op)+"&monitor=true")
		e.setRetryAfter(c.w)
		c.w.WriteHeader(http.StatusAccepted)
		return nil
	}
	return methodNotAllowed(c)
}

// deleteUnderLocked removes every resource whose ID starts with prefix (lower-cased).
func (e *Emulator) deleteUnderLocked(prefix string) {
	prefix += "/"
	for k := range e.st.Galleries {
		if strings.HasPrefix(k, prefix) {
			delete(e.st.Galleries, k)
		}
	}
	for k := range e.st.Applications {
		if strings.HasPrefix(k, prefix) {
			delete(e.st.Applications, k)
		}
	}
	for k := range e.st.Versions {
		if strings.HasPrefix(k, prefix) {
			delete(e.st.Versions, k)
		}
	}
	for k := range e.st.VMs {
		if strings.HasPrefix(k, prefix) {
			delete(e.st.VMs, k)
		}
	}
	for k := range e.st.ScaleSets {
		if strings.HasPrefix(k, prefix) {
			delete(e.st.ScaleSets, k)
		}
	}
}

func (e *Emulator) listResourceGroupsLocked(c *call) *armError {
	if c.r.Method != http.MethodGet {
		return methodNotAllowed(c)
	}
	var items []any
	keys := sortedKeys(e.st.ResourceGroups)
	for _, k := range keys {
		items = append(items, rgBody(e.st.ResourceGroups[k]))
	}
	e.writePage(c, items)
	return nil
}

func regionKeys() []string {
	out := make([]string, 0, len(regions))
	for k := range regions {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// writePage writes one page of a list with a nextLink when more items follow.
func (e *Emulator) writePage(c *call, items []any) {
	skip, _ := strconv.Atoi(c.q("$skiptoken"))
	if skip < 0 || skip > len(items) {
		skip = len(items)
	}
	end := min(skip+e.cfg.PageSize, len(items))
	page := items[skip:end]
	if page == nil {
		page = []any{}
	}
	body := map[string]any{"value": page}
	if end < len(items) {
		q := c.r.URL.Query()
		q.Set("$skiptoken", strconv.Itoa(end))
		body["nextLink"] = e.url + c.r.URL.Path + "?" + q.Encode()
	}
	writeJSON(c.w, 200, body)
}

// decodeBodyTwice decodes the JSON request body into a and b.
func decodeBodyTwice(c *call, a, b any) *armError {
	raw, err := io.ReadAll(http.MaxBytesReader(c.w, c.r.Body, 4<<20))
	if err == nil {
		err = json.Unmarshal(raw, a)
	}
	if err == nil {
		err = json.Unmarshal(raw, b)
	}
	if err != nil {
		return newErr(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized: '"+err.Error()+"'.")
	}
	return nil
}

// decodeBody decodes the JSON request body into v (armcompute models use their own UnmarshalJSON).
func decodeBody(c *call, v any) *armError {
	dec := json.NewDecoder(http.MaxBytesReader(c.w, c.r.Body, 4<<20))
	if err := dec.Decode(v); err != nil {
		return newErr(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized: '"+err.Error()+"'.")
	}
	return nil
}
