# A module author's pattern: several versions of one application, each replicated to the
# gallery's region and a second region, with the newest one the VMs get as "latest".

variable "resource_group_name" { type = string }
variable "location" { type = string }           # e.g. "eastus2"
variable "secondary_location" { type = string } # e.g. "westeurope"

# Read SAS URLs (sp=r) of page blobs, 512-byte aligned. Sensitive: the SAS never shows in plans.
variable "page_blob_url" {
  type      = string
  sensitive = true
}
variable "config_blob_url" {
  type      = string
  sensitive = true
}

resource "azvmapps_gallery" "example" {
  name                = "example_gallery"
  resource_group_name = var.resource_group_name
  location            = var.location
}

resource "azvmapps_application" "example" {
  name              = "monitoring-agent"
  gallery_id        = azvmapps_gallery.example.id
  location          = var.location
  supported_os_type = "Linux"
}

locals {
  # One entry per published version; add a line to publish the next one. Older versions stay
  # published for VMs pinned to them; exclude a broken one from "latest" instead of deleting it.
  versions = {
    "1.0.0" = { exclude_from_latest = false }
    "1.1.0" = { exclude_from_latest = false }
    "1.2.0" = { exclude_from_latest = true } # canary: only VMs asking for 1.2.0 get it
  }
}

resource "azvmapps_application_version" "example" {
  for_each = local.versions

  name           = each.key
  application_id = azvmapps_application.example.id
  location       = var.location

  source {
    # Rotating only the SAS token of these URLs updates the version in place.
    media_link                 = var.page_blob_url
    default_configuration_link = var.config_blob_url
  }

  manage_actions {
    install = "mkdir -p /opt/agent && cp monitoring-agent /opt/agent/agent && chmod +x /opt/agent/agent"
    remove  = "rm -rf /opt/agent"
    update  = "cp monitoring-agent /opt/agent/agent"
  }

  settings {
    package_file_name            = "monitoring-agent"
    config_file_name             = "agent.json"
    script_behavior_after_reboot = "Rerun"
  }

  # The version's own region is required; every region is added or removed in place.
  target_region {
    name                   = var.location
    regional_replica_count = 2
  }
  target_region {
    name = var.secondary_location # uses replica_count below
  }

  replica_count        = 1
  storage_account_type = "Standard_LRS"
  exclude_from_latest  = each.value.exclude_from_latest
  end_of_life_date     = "2030-12-31T00:00:00Z"

  # Needed before a target_region block can be removed from a replicated version.
  allow_deletion_of_replicated_locations = true

  tags = {
    owner = "platform-team"
  }

  timeouts {
    create = "60m"
  }

  lifecycle {
    # A replaced version is otherwise deleted while VMs still use it: create the new one first.
    create_before_destroy = true
  }
}

output "version_ids" {
  value = { for k, v in azvmapps_application_version.example : k => v.id }
}
