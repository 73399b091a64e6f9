package emulator

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/google/uuid"
)

const (
	seedResourceGroup         = "rg-azvmapps-demo"
	seedWorkloadResourceGroup = "rg-azvmapps-workload"
	seedLocation              = "eastus2"
	seedSecondaryLocation     = "westeurope"
	failingInstallScript      = "echo installing && exit 1"
	stateVersion              = 1
)

// state is everything the emulator persists in state.json.
type state struct {
	Version        int    `json:"version"`
	TenantID       string `json:"tenantId"`
	OtherTenantID  string `json:"otherTenantId"` // a tenant where the client exists but which owns no subscription
	SubscriptionID string `json:"subscriptionId"`
	// WorkloadSubscriptionID is a second subscription of the tenant the client may use (VMs of
	// a workload team); ForbiddenSubscriptionID one of the tenant where it has no role.
	WorkloadSubscriptionID  string `json:"workloadSubscriptionId"`
	ForbiddenSubscriptionID string `json:"forbiddenSubscriptionId"`
	ClientID                string `json:"clientId"`
	ClientObjectID          string `json:"clientObjectId"`
	ClientSecret            string `json:"clientSecret"`
	SigningKey              []byte `json:"signingKey"`
	// ManagedIdentity and CLIUser are the other principals that can sign in (identity.go).
	ManagedIdentity managedIdentity `json:"managedIdentity"`
	CLIUser         cliUser         `json:"cliUser"`

	Blobs seedBlobs `json:"blobs"`

	ResourceGroups map[string]*rgRecord      `json:"resourceGroups"`
	Galleries      map[string]*galleryRecord `json:"galleries"`
	Applications   map[string]*appRecord     `json:"applications"`
	Versions       map[string]*versionRecord `json:"versions"`
	VMs            map[string]*vmRecord      `json:"virtualMachines"`
	ScaleSets      map[string]*vmssRecord    `json:"virtualMachineScaleSets"`
	Operations     map[string]*operation     `json:"operations"`
	// Tombstones: lower-cased ID of a deleted child → when its delete completed (for DeleteLag).
	Tombstones map[string]tombstone `json:"tombstones"`
	SeedVMs    map[string]string    `json:"seedVMs"` // env var → VM/VMSS ID
}

type tombstone struct {
	ID     string    `json:"id"`
	Parent string    `json:"parent"` // lower-cased parent ID
	At     time.Time `json:"at"`
}

type seedBlobs struct {
	Page   string `json:"page"`
	Block  string `json:"block"`
	Huge   string `json:"huge"`
	Config string `json:"config"`
}

// lifecycle is the time-driven part of every asynchronous resource.
type lifecycle struct {
	Created  time.Time `json:"created"`
	ReadyAt  time.Time `json:"readyAt"`            // Creating/Updating until then
	Updating bool      `json:"updating,omitempty"` // the pending state is Updating rather than Creating
	DeleteAt time.Time `json:"deleteAt,omitzero"`  // Deleting until then, gone afterwards
	Failed   bool      `json:"failed,omitempty"`
}

func (l *lifecycle) provisioningState(now time.Time) string {
	switch {
	case !l.DeleteAt.IsZero():
		return "Deleting"
	case now.Before(l.ReadyAt):
		if l.Updating {
			return "Updating"
		}
		return "Creating"
	case l.Failed:
		return "Failed"
	}
	return "Succeeded"
}

func (l *lifecycle) deleting() bool { return !l.DeleteAt.IsZero() }

type rgRecord struct {
	ID       string             `json:"id"`
	Name     string             `json:"name"`
	Location string             `json:"location"`
	Tags     map[string]*string `json:"tags,omitempty"`
}

type galleryRecord struct {
	lifecycle
	RG      string             `json:"rg"` // lower-cased RG ID
	Gallery armcompute.Gallery `json:"gallery"`
}

type appRecord struct {
	lifecycle
	Parent string                        `json:"parent"`
	App    armcompute.GalleryApplication `json:"app"`
}

type versionRecord struct {
	lifecycle
	Parent  string                               `json:"parent"`
	Version armcompute.GalleryApplicationVersion `json:"version"`
	// Replication: normalised region → when replication to it started / completes.
	Replication map[string]replication `json:"replication"`
}

type replication struct {
	Start    time.Time `json:"start"`
	Done     time.Time `json:"done"`
	Replicas int       `json:"replicas"`
	Failed   bool      `json:"failed,omitempty"`  // replication to this region failed (replfail fault)
	Details  string    `json:"details,omitempty"` // the region's replicationStatus details when it failed
}

func newSeedState() *state {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	secret := make([]byte, 30)
	_, _ = rand.Read(secret)
	st := &state{
		Version:                 stateVersion,
		TenantID:                uuid.NewString(),
		OtherTenantID:           uuid.NewString(),
		SubscriptionID:          uuid.NewString(),
		WorkloadSubscriptionID:  uuid.NewString(),
		ForbiddenSubscriptionID: uuid.NewString(),
		ClientID:                uuid.NewString(),
		ClientObjectID:          uuid.NewString(),
		ClientSecret:            "emu~" + strings.TrimRight(base64.RawURLEncoding.EncodeToString(secret), "="),
		SigningKey:              key,
	}
	st.init()
	rgID := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s", st.SubscriptionID, seedResourceGroup)
	st.ResourceGroups[strings.ToLower(rgID)] = &rgRecord{ID: rgID, Name: seedResourceGroup, Location: seedLocation}
	wlID := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s", st.WorkloadSubscriptionID, seedWorkloadResourceGroup)
	st.ResourceGroups[strings.ToLower(wlID)] = &rgRecord{ID: wlID, Name: seedWorkloadResourceGroup, Location: seedLocation}
	return st
}

func (st *state) init() {
	if st.ResourceGroups == nil {
		st.ResourceGroups = map[string]*rgRecord{}
	}
	if st.Galleries == nil {
		st.Galleries = map[string]*galleryRecord{}
	}
	if st.Applications == nil {
		st.Applications = map[string]*appRecord{}
	}
	if st.Versions == nil {
		st.Versions = map[string]*versionRecord{}
	}
	if st.VMs == nil {
		st.VMs = map[string]*vmRecord{}
	}
	if st.ScaleSets == nil {
		st.ScaleSets = map[string]*vmssRecord{}
	}
	if st.Operations == nil {
		st.Operations = map[string]*operation{}
	}
	if st.Tombstones == nil {
		st.Tombstones = map[string]tombstone{}
	}
	if st.SeedVMs == nil {
		st.SeedVMs = map[string]string{}
	}
	// State files written before these principals existed get them on load.
	st.ManagedIdentity.fill(st.SubscriptionID)
	st.CLIUser.fill()
}

func loadState(path string) (*state, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	st := &state{}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("emulator: %s: %w", path, err)
	}
	st.init()
	return st, nil
}

// save writes state.json atomically.
func (e *Emulator) save() error {
	e.saveMu.Lock()
	defer e.saveMu.Unlock()
	e.mu.Lock()
	b, err := json.MarshalIndent(e.st, "", " ")
	e.mu.Unlock()
	if err != nil {
		return err
	}
	return writeFileAtomic(e.statePath(), b, 0o600)
}

// settleLocked removes resources whose deletion has completed. Caller holds e.mu.
func (e *Emulator) settleLocked(now time.Time) {
	st := e.st
	for k, v := range st.Versions {
		if v.deleting() && !now.Before(v.DeleteAt) {
			delete(st.Versions, k)
			st.Tombstones[k] = tombstone{ID: *v.Version.ID, Parent: v.Parent, At: v.DeleteAt}
		}
	}
	for k, a := range st.Applications {
		if a.deleting() && !now.Before(a.DeleteAt) {
			delete(st.Applications, k)
			st.Tombstones[k] = tombstone{ID: *a.App.ID, Parent: a.Parent, At: a.DeleteAt}
		}
	}
	for k, g := range st.Galleries {
		if g.deleting() && !now.Before(g.DeleteAt) {
			delete(st.Galleries, k)
		}
	}
	for k, t := range st.Tombstones {
		if now.Sub(t.At) > e.cfg.DeleteLag {
			delete(st.Tombstones, k)
		}
	}
	for k, op := range st.Operations {
		if now.Sub(op.DoneAt) > 24*time.Hour {
			delete(st.Operations, k)
		}
	}
	e.settleComputeLocked(now)
}
