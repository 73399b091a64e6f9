package assignment

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/ids"
)

func models(latest ...bool) []instanceModel {
	out := make([]instanceModel, 0, len(latest))
	for i, l := range latest {
		out = append(out, instanceModel{id: string(rune('0' + i)), latest: &l})
	}
	return out
}

func TestDecideRollout(t *testing.T) {
	flex := []instanceModel{{id: "ss_0"}, {id: "ss_1"}}
	cases := []struct {
		name             string
		manual, flexible bool
		r                rollout
		ins              []instanceModel
		batches          [][]string
		reason           string // substring; "" = none
	}{
		{"automatic policy: the service rolls, no call", false, false, rollout{mode: UpgradeAll}, models(false, false), nil, ""},
		{"rolling policy with none: still no call", false, false, rollout{mode: UpgradeNone}, models(true), nil, ""},
		{"manual, auto, all on the latest model", true, false, rollout{mode: UpgradeAuto}, models(true, true), [][]string{{"0", "1"}}, ""},
		{"manual, default mode is auto", true, false, rollout{}, models(true, true), [][]string{{"0", "1"}}, ""},
		{"manual, auto, one instance behind: no roll", true, false, rollout{mode: UpgradeAuto}, models(true, false), nil, "1 of 2 instances (1)"},
		{"manual, all, instances behind: rolls anyway", true, false, rollout{mode: UpgradeAll}, models(false, false), [][]string{{"0", "1"}}, ""},
		{"manual, none", true, false, rollout{mode: UpgradeNone}, models(true, true), nil, `"none"`},
		{"manual, all, batches of 50 %", true, false, rollout{mode: UpgradeAll, batchPercent: 50}, models(true, true, true, true), [][]string{{"0", "1"}, {"2", "3"}}, ""},
		{"manual, batches of 10 % of 3: one instance a batch", true, false, rollout{mode: UpgradeAll, batchPercent: 10}, models(true, true, true), [][]string{{"0"}, {"1"}, {"2"}}, ""},
		{"manual, 100 %: one call", true, false, rollout{mode: UpgradeAll, batchPercent: 100}, models(true, true), [][]string{{"0", "1"}}, ""},
		{"flexible, auto: model state unknown, no roll", true, true, rollout{mode: UpgradeAuto}, flex, nil, "Flexible"},
		{"flexible, all: by VM name", true, true, rollout{mode: UpgradeAll}, flex, [][]string{{"ss_0", "ss_1"}}, ""},
		{"no instances: nothing to call", true, false, rollout{mode: UpgradeAll}, nil, nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := decideRollout(tc.manual, tc.flexible, tc.r, tc.ins)
			if !reflect.DeepEqual(got.batches, tc.batches) {
				t.Errorf("batches = %v, want %v", got.batches, tc.batches)
			}
			if (tc.reason == "") != (got.reason == "") || !strings.Contains(got.reason, tc.reason) {
				t.Errorf("reason = %q, want it to contain %q", got.reason, tc.reason)
			}
		})
	}
}

func TestMergeRollouts(t *testing.T) {
	cases := []struct {
		name string
		in   []rollout
		want rollout
	}{
		{"empty: auto", nil, rollout{mode: UpgradeAuto}},
		{"none wins over all", []rollout{{mode: UpgradeAll}, {mode: UpgradeNone}}, rollout{mode: UpgradeNone}},
		{"auto wins over all", []rollout{{mode: UpgradeAll}, {mode: UpgradeAuto}, {mode: UpgradeAll}}, rollout{mode: UpgradeAuto}},
		{"unset counts as auto", []rollout{{mode: UpgradeAll}, {}}, rollout{mode: UpgradeAuto}},
		{"all when all ask for all", []rollout{{mode: UpgradeAll}, {mode: UpgradeAll}}, rollout{mode: UpgradeAll}},
		{"smallest batch", []rollout{{mode: UpgradeAll, batchPercent: 50}, {mode: UpgradeAll}, {mode: UpgradeAll, batchPercent: 20}}, rollout{mode: UpgradeAll, batchPercent: 20}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := mergeRollouts(tc.in); got != tc.want {
				t.Errorf("mergeRollouts(%v) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

// The batcher hands targets.write the merged rollout of the changes it writes together.
func TestWithRolloutMergesTheBatch(t *testing.T) {
	ops := []*op{{rollout: rollout{mode: UpgradeAll, batchPercent: 50}}, {rollout: rollout{mode: UpgradeNone}}}
	if got := rolloutFrom(withRollout(context.Background(), ops)); got != (rollout{mode: UpgradeNone, batchPercent: 50}) {
		t.Fatalf("rollout = %v", got)
	}
	if got := rolloutFrom(context.Background()); got.mode != UpgradeAuto {
		t.Fatalf("without a batch: %v", got)
	}
}

// An instance left on an older model reports the application as pending, and says why.
func TestStatusOfInstanceBehind(t *testing.T) {
	per := []reportedStates{
		{Instance: "0", States: []appState{{ApplicationName: "app", Version: "1.0.0", Result: "Install SUCCESS"}}},
		{Instance: "1", Behind: true},
	}
	st, msg := statusOf(per, "app", "1.0.0", false)
	if st != StatusPending || !strings.Contains(msg, "instance 1: not on the scale set's latest model") || !strings.Contains(msg, "instance 0: Install SUCCESS") {
		t.Fatalf("statusOf = %s, %q", st, msg)
	}
}

// Plan warns, naming how many instances are behind, what the write will (not) do to them.
func TestRolloutWarnings(t *testing.T) {
	id, _ := ids.ParseTarget(vmssID)
	uniform := &target{id: id, vmss: &armcompute.VirtualMachineScaleSet{Properties: &armcompute.VirtualMachineScaleSetProperties{
		OrchestrationMode: to.Ptr(armcompute.OrchestrationModeUniform)}}}
	flexible := &target{id: id, vmss: &armcompute.VirtualMachineScaleSet{Properties: &armcompute.VirtualMachineScaleSetProperties{
		OrchestrationMode: to.Ptr(armcompute.OrchestrationModeFlexible)}}}
	cases := []struct {
		name string
		t    *target
		mode string
		ins  []instanceModel
		want string // "" = no warning
	}{
		{"all on the latest model", uniform, UpgradeAuto, models(true, true), ""},
		{"auto, behind", uniform, UpgradeAuto, models(true, false, false), "2 of 3 instances of " + vmssID + " (1, 2) are not on the scale set's latest model"},
		{"all, behind: staged changes roll too", uniform, UpgradeAll, models(false, true), "also rolls out the model changes staged"},
		{"flexible, auto", flexible, UpgradeAuto, []instanceModel{{id: "ss_0"}}, "will not upgrade them"},
		{"flexible, all", flexible, UpgradeAll, []instanceModel{{id: "ss_0"}}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := rolloutWarnings(tc.t, tc.mode, tc.ins)
			if d.HasError() {
				t.Fatalf("errors: %v", d)
			}
			if tc.want == "" {
				if len(d) != 0 {
					t.Fatalf("unexpected warnings: %v", d)
				}
				return
			}
			if len(d) != 1 || !strings.Contains(strings.Join(strings.Fields(d[0].Detail()), " "), tc.want) {
				t.Fatalf("warnings %v, want one containing %q", d, tc.want)
			}
		})
	}
}
