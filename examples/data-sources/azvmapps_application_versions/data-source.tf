variable "application_id" { type = string }

data "azvmapps_application_versions" "all" {
  application_id = var.application_id
}

locals {
  # Versions fully replicated, not excluded from latest and not past their end of life,
  # lowest first (the list is sorted by Major.Minor.Patch).
  usable = [
    for v in data.azvmapps_application_versions.all.versions : v
    if !v.exclude_from_latest &&
    v.replication_status.aggregated_state == "Completed" &&
    (v.end_of_life_date == null || timecmp(coalesce(v.end_of_life_date, timestamp()), timestamp()) > 0)
  ]
}

# The version VMs asking for "latest" get.
output "latest" {
  value = data.azvmapps_application_versions.all.latest_version
}

# The newest usable version's ID, to pin an assignment to it.
output "newest_usable_id" {
  value = length(local.usable) > 0 ? local.usable[length(local.usable) - 1].id : null
}

# The regions where each version has finished replicating.
output "replicated_regions" {
  value = {
    for v in data.azvmapps_application_versions.all.versions : v.name => [
      for r in v.replication_status.regions : r.region if r.state == "Completed"
    ]
  }
}
