# Every application on a VM (or scale set), whoever assigned it, with its install status.

variable "linux_vm_id" { type = string }

data "azvmapps_vm_applications" "example" {
  target_id = var.linux_vm_id
}

output "failed_applications" {
  value = [for a in data.azvmapps_vm_applications.example.applications : a.application_id if a.install_status == "Failed"]
}
