variable "gallery_id" { type = string }

# By name and gallery.
data "azvmapps_application" "by_name" {
  name       = "monitoring-agent"
  gallery_id = var.gallery_id
}

# Or by ARM ID.
data "azvmapps_application" "by_id" {
  id = data.azvmapps_application.by_name.id
}

output "application_os" {
  value = data.azvmapps_application.by_id.supported_os_type
}
