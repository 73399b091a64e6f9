# Every gallery of a resource group.
data "azvmapps_galleries" "platform" {
  resource_group_name = "rg-platform"
}

# Every gallery of the provider's subscription.
data "azvmapps_galleries" "all" {}

# Pick a gallery by name without hard-coding its ID.
locals {
  apps_gallery_id = one([for g in data.azvmapps_galleries.platform.galleries : g.id if g.name == "platform_apps"])
}

output "gallery_names" {
  value = data.azvmapps_galleries.all.galleries[*].name
}
