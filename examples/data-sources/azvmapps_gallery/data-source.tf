variable "resource_group_name" { type = string }

# By name and resource group.
data "azvmapps_gallery" "by_name" {
  name                = "example_gallery"
  resource_group_name = var.resource_group_name
}

# Or by ARM ID.
data "azvmapps_gallery" "by_id" {
  id = data.azvmapps_gallery.by_name.id
}

output "gallery_location" {
  value = data.azvmapps_gallery.by_id.location
}
