variable "gallery_id" { type = string }

data "azvmapps_applications" "all" {
  gallery_id = var.gallery_id
}

# The Linux applications of the gallery, by name.
output "linux_applications" {
  value = { for a in data.azvmapps_applications.all.applications : a.name => a.id if a.supported_os_type == "Linux" }
}
