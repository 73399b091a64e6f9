output "version_id" {
  description = "ID of the published application version."
  value       = azvmapps_application_version.this.id
}

output "replication_status" {
  description = "Replication of the version: aggregated state and progress per region."
  value       = azvmapps_application_version.this.replication_status
}

output "install_status" {
  description = "Per target (keyed as in var.targets): the install status (Succeeded, Failed or Pending) and the message the VM agent reported."
  value = {
    for name, a in azvmapps_vm_application_assignment.this : name => {
      status  = a.install_status
      message = a.install_message
    }
  }
}
