# "<target_id>|<application_id>": the VM or scale set, a pipe, then the application (not the version).
import {
  to = azvmapps_vm_application_assignment.vm
  id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/example-rg/providers/Microsoft.Compute/virtualMachines/example-vm|/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/example-rg/providers/Microsoft.Compute/galleries/example_gallery/applications/monitoring-agent"
}
