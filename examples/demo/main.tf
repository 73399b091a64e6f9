# The demo `make demo` applies against the local emulator: a gallery, an application, a
# version of it replicated to two regions, and its deployment onto a Linux VM. The variables
# come from the emulator's env file (TF_VAR_*); regional_replica_count and package_url exist to
# show plan-time rejections.
terraform {
  required_providers {
    azvmapps = {
      source = "azvmapps/azvmapps"
    }
  }
}

provider "azvmapps" {}

variable "resource_group_name" { type = string }
variable "location" { type = string }
variable "secondary_location" { type = string }
variable "page_blob_url" {
  type      = string
  sensitive = true
}
variable "config_blob_url" {
  type      = string
  sensitive = true
}
variable "package_url" {
  description = "Overrides the package blob (the demo passes a block blob to show the plan-time check)."
  type        = string
  default     = null
  sensitive   = true
}
variable "linux_vm_id" { type = string }
variable "regional_replica_count" {
  type    = number
  default = 2
}

resource "azvmapps_gallery" "demo" {
  name                = "demo_gallery"
  resource_group_name = var.resource_group_name
  location            = var.location
  description         = "VM applications published by the platform team"
}

resource "azvmapps_application" "agent" {
  name              = "monitoring-agent"
  gallery_id        = azvmapps_gallery.demo.id
  location          = var.location
  supported_os_type = "Linux"
  description       = "Installs the monitoring agent"
}

resource "azvmapps_application_version" "agent" {
  name           = "1.0.0"
  application_id = azvmapps_application.agent.id
  location       = var.location

  source {
    media_link                 = coalesce(var.package_url, var.page_blob_url)
    default_configuration_link = var.config_blob_url
  }

  manage_actions {
    install = "mkdir -p /opt/agent && cp monitoring-agent /opt/agent/agent && echo installed"
    remove  = "rm -rf /opt/agent"
  }

  target_region {
    name                   = var.location
    regional_replica_count = var.regional_replica_count
  }
  target_region {
    name                   = var.secondary_location
    regional_replica_count = 1
  }

  lifecycle {
    # A replaced version is otherwise deleted while VMs still use it: create the new one first.
    create_before_destroy = true
  }
}

# Deploy the version onto a Linux VM: the provider checks at plan that the version is replicated
# to the VM's region, the OS types match, the VM agent runs and the VM has room for one more.
resource "azvmapps_vm_application_assignment" "agent" {
  target_id  = var.linux_vm_id
  version_id = azvmapps_application_version.agent.id
  order      = 1
}

output "gallery_unique_name" {
  value = azvmapps_gallery.demo.unique_name
}

output "version_id" {
  value = azvmapps_application_version.agent.id
}

output "install_status" {
  value = "${azvmapps_vm_application_assignment.agent.install_status}: ${azvmapps_vm_application_assignment.agent.install_message}"
}

output "replication" {
  value = azvmapps_application_version.agent.replication_status
}
