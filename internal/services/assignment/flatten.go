package assignment

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
)

// Install statuses reported in install_status.
const (
	StatusSucceeded = "Succeeded"
	StatusFailed    = "Failed"
	StatusPending   = "Pending"
)

// appExtensionName is the extension through which the service installs VM applications and
// reports their state.
const appExtensionName = "VMAppExtension"

// appState is one entry of the "CurrentState" list in the VMAppExtension status message.
type appState struct {
	ApplicationName string `json:"applicationName"`
	Version         string `json:"version"`
	Result          string `json:"result"`
}

// parseStatusMessage reads the VMAppExtension status message, "Enable succeeded: {json}" with a
// "CurrentState" list (AZURE-API-NOTES §4). A message without JSON (an operation in progress)
// yields no states and no error.
func parseStatusMessage(msg string) ([]appState, error) {
	i := strings.Index(msg, "{")
	if i < 0 {
		return nil, nil
	}
	var body struct {
		CurrentState []appState `json:"CurrentState"`
	}
	if err := json.Unmarshal([]byte(msg[i:]), &body); err != nil {
		return nil, fmt.Errorf("reading the VMAppExtension status message: %w", err)
	}
	return body.CurrentState, nil
}

// extensionStates returns the application states an instance view reports.
func extensionStates(exts []*armcompute.VirtualMachineExtensionInstanceView) ([]appState, error) {
	var out []appState
	for _, x := range exts {
		if x == nil || x.Name == nil || !strings.EqualFold(*x.Name, appExtensionName) {
			continue
		}
		for _, s := range x.Statuses {
			if s == nil || s.Message == nil {
				continue
			}
			states, err := parseStatusMessage(*s.Message)
			if err != nil {
				return nil, err
			}
			out = append(out, states...)
		}
	}
	return out, nil
}

// resultStatus classifies a result such as "Install SUCCESS" or "Update FAILED Error …".
func resultStatus(result string) string {
	upper := strings.ToUpper(result)
	switch {
	case strings.Contains(upper, "FAILED"):
		return StatusFailed
	case strings.Contains(upper, "SUCCESS"):
		return StatusSucceeded
	}
	return StatusPending
}

// installStatus finds the application's state: its status and the service's result text,
// redacted (a script's output can quote a package link with its SAS token). A state of
// another version (the previous one, still reported) counts as pending, unless newerOK (the
// assignment upgrades automatically) and the reported version is newer.
func installStatus(states []appState, applicationName, version string, newerOK bool) (string, string) {
	st, msg := rawInstallStatus(states, applicationName, version, newerOK)
	return st, clients.Redact(msg)
}

func rawInstallStatus(states []appState, applicationName, version string, newerOK bool) (string, string) {
	for _, s := range states {
		if !strings.EqualFold(s.ApplicationName, applicationName) {
			continue
		}
		if !strings.EqualFold(version, "latest") && s.Version != version && (!newerOK || !newerVersion(s.Version, version)) {
			return StatusPending, fmt.Sprintf("version %s is reported, waiting for %s", s.Version, version)
		}
		return resultStatus(s.Result), s.Result
	}
	return StatusPending, "not reported by the VMAppExtension yet"
}

// newerVersion reports whether version a (Major.Minor.Patch) is newer than b.
func newerVersion(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	if len(pa) != 3 || len(pb) != 3 {
		return false
	}
	for i := range 3 {
		x, errA := strconv.ParseInt(pa[i], 10, 64)
		y, errB := strconv.ParseInt(pb[i], 10, 64)
		if errA != nil || errB != nil {
			return false
		}
		if x != y {
			return x > y
		}
	}
	return false
}

// reportedStates are the application states one VM or scale-set instance reports.
type reportedStates struct {
	Instance string // "" for a VM
	States   []appState
	Behind   bool // a scale-set instance not on the scale set's latest model (latestModelApplied false)
}

// statusOf combines the instances of a target: any failure fails, all succeeded succeeds,
// otherwise pending. The message names the instances of a scale set. A scale set without
// instances has nothing to install: it succeeds (instances added later install the
// application, and a failure there shows in the next refresh).
func statusOf(per []reportedStates, applicationName, version string, newerOK bool) (string, string) {
	if len(per) == 0 {
		return StatusSucceeded, "the scale set has no instances; instances added later install the application"
	}
	if len(per) == 1 && per[0].Instance == "" {
		return installStatus(per[0].States, applicationName, version, newerOK)
	}
	status := StatusSucceeded
	msgs := make([]string, 0, len(per))
	for _, in := range per {
		st, msg := installStatus(in.States, applicationName, version, newerOK)
		if st == StatusPending && in.Behind {
			msg = "not on the scale set's latest model (latestModelApplied false): the application installs when the instance is upgraded"
		}
		switch {
		case st == StatusFailed:
			status = StatusFailed
		case st == StatusPending && status != StatusFailed:
			status = StatusPending
		}
		msgs = append(msgs, fmt.Sprintf("instance %s: %s", in.Instance, msg))
	}
	return status, clients.Redact(strings.Join(msgs, "; "))
}

// flattenEntry copies a profile entry into the model, keeping prior's spelling of equal IDs.
func flattenEntry(e *armcompute.VMGalleryApplication, m *VMApplicationAssignmentResourceModel) {
	ref := deref(e.PackageReferenceID)
	if !strings.EqualFold(ref, m.VersionID.ValueString()) {
		m.VersionID = customtypes.NewARMID(ref)
	}
	m.Order = types.Int32PointerValue(e.Order)
	m.ConfigurationReference = optionalString(e.ConfigurationReference)
	m.Tags = optionalString(e.Tags)
	m.TreatFailureAsDeploymentFailure = flagValue(e.TreatFailureAsDeploymentFailure)
	m.EnableAutomaticUpgrade = flagValue(e.EnableAutomaticUpgrade)
}

// flagValue maps an absent flag to false, the service's default.
func flagValue(b *bool) types.Bool { return types.BoolValue(b != nil && *b) }

// optionalString maps an absent or empty string to null.
func optionalString(s *string) types.String {
	if s == nil || *s == "" {
		return types.StringNull()
	}
	return types.StringValue(*s)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// nameOf returns the last segment of an ARM ID.
func nameOf(id string) string { return id[strings.LastIndex(id, "/")+1:] }
