package assignment_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/emulator"
)

// withFaults sets the emulator's fault injection for the rest of the test and puts back the
// run's own (AZVMAPPS_EMULATOR_FAULTS) when it ends. It skips the test against real Azure.
func withFaults(t *testing.T, f emulator.Faults) {
	t.Helper()
	e := acctest.Emulator()
	if e == nil {
		t.Skip("fault injection needs the emulator")
	}
	prev, err := emulator.ParseFaults(os.Getenv("AZVMAPPS_EMULATOR_FAULTS"))
	if err != nil {
		t.Fatal(err)
	}
	e.SetFaults(f)
	t.Cleanup(func() { e.SetFaults(prev) })
}

// TestAccVMApplicationAssignment_anotherOperationInProgress: three of four writes to the VM are
// refused with 409 OperationNotAllowed "another operation is in progress" (the emulator's
// conflict fault, seeded so that the apply's write is refused twice and the destroy's once); the
// provider waits and retries, and the apply and the destroy converge at the first attempt.
func TestAccVMApplicationAssignment_anotherOperationInProgress(t *testing.T) {
	gallery := acctest.RandomName("accasg")
	vm := acctest.Env("TF_VAR_linux_vm_id")
	conflicts := func() int {
		n := 0
		for _, r := range acctest.WriteRequestsMatching(t, "/virtualMachines/vm-linux") {
			if r.Status == 409 && r.Fault == "409" {
				n++
			}
		}
		return n
	}
	resource.Test(t, resource.TestCase{
		PreCheck: func() {
			acctest.PreCheck(t)
			withFaults(t, emulator.Faults{Seed: 11, RateConflict: 0.75, Methods: []string{"PATCH", "PUT", "POST", "DELETE"}, PathContains: "/virtualMachines/vm-linux"})
		},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			checkTargetAppCount(t, vm, 0),
			func(*terraform.State) error {
				// Seed 11 refuses the destroy's write once more (409, 409, ok; then 409, ok).
				if n := conflicts(); n < 3 {
					return fmt.Errorf("%d refused writes over the test, want 3: did the fault sequence change?", n)
				}
				return nil
			},
		),
		Steps: []resource.TestStep{
			{
				Config: linuxApp(gallery, assignment("test", "var.linux_vm_id", "v1", "")),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkTargetAppCount(t, vm, 1),
					resource.TestCheckResourceAttr(resourceName, "install_status", "Succeeded"),
					func(*terraform.State) error {
						if n := conflicts(); n < 2 {
							return fmt.Errorf("%d refused writes, want 2: the test proves nothing unless the fault refuses writes (did the seed's sequence change?)", n)
						}
						return nil
					},
				),
			},
		},
	})
}
