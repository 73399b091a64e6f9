variable "application_id" { type = string }

# The version VMs asking for "latest" get: the highest Major.Minor.Patch not excluded from latest.
data "azvmapps_application_version" "latest" {
  application_id = var.application_id
  name           = "latest"
}

# A version by name.
data "azvmapps_application_version" "pinned" {
  application_id = var.application_id
  name           = "1.0.0"
}

output "latest_version" {
  value = data.azvmapps_application_version.latest.resolved_name
}

output "latest_replication" {
  value = data.azvmapps_application_version.latest.replication_status.aggregated_state
}
