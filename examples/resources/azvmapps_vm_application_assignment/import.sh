# An assignment is imported by "<target_id>|<application_id>": the VM or scale set ID and the
# application ID (not the version's), separated by a pipe. Quote it for the shell.
terraform import azvmapps_vm_application_assignment.vm '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/example-rg/providers/Microsoft.Compute/virtualMachines/example-vm|/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/example-rg/providers/Microsoft.Compute/galleries/example_gallery/applications/monitoring-agent'
