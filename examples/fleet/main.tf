# A small fleet: one gallery, two Linux applications, each published with the vm-application
# module and installed on a VM, a uniform scale set and a flexible scale set. Against the local
# emulator, every variable comes from its env file (TF_VAR_*).
terraform {
  required_version = ">= 1.5"
  required_providers {
    azvmapps = {
      source = "azvmapps/azvmapps"
    }
  }
}

variable "resource_group_name" { type = string }
variable "location" { type = string }
variable "secondary_location" { type = string }
variable "gallery_name" {
  type    = string
  default = "fleet_gallery"
}
variable "agent_version" {
  description = "Version of the monitoring agent; change it to roll every target to a new version."
  type        = string
  default     = "1.0.0"
}
variable "page_blob_url" {
  description = "Read SAS URL of a package (page blob)."
  type        = string
  sensitive   = true
}
variable "linux_vm_id" { type = string }
variable "uniform_vmss_id" { type = string }
variable "flexible_vmss_id" { type = string }

locals {
  targets = {
    vm            = var.linux_vm_id
    uniform_vmss  = var.uniform_vmss_id
    flexible_vmss = var.flexible_vmss_id
  }
}

resource "azvmapps_gallery" "fleet" {
  name                = var.gallery_name
  resource_group_name = var.resource_group_name
  location            = var.location
  description         = "Applications installed on every Linux machine of the fleet"
}

resource "azvmapps_application" "agent" {
  name              = "monitoring-agent"
  gallery_id        = azvmapps_gallery.fleet.id
  location          = var.location
  supported_os_type = "Linux"
}

resource "azvmapps_application" "shipper" {
  name              = "log-shipper"
  gallery_id        = azvmapps_gallery.fleet.id
  location          = var.location
  supported_os_type = "Linux"
}

module "agent" {
  source = "../modules/vm-application"

  application_id  = azvmapps_application.agent.id
  version_name    = var.agent_version
  location        = var.location
  replica_regions = [var.secondary_location]
  package_url     = var.page_blob_url
  install_script  = "mkdir -p /opt/agent && cp monitoring-agent /opt/agent/agent"
  remove_script   = "rm -rf /opt/agent"
  update_script   = "cp monitoring-agent /opt/agent/agent"
  targets         = local.targets
  order           = 1
  # Roll every scale-set instance (a Flexible scale set's VMs are only rolled when asked).
  upgrade_instances = "all"
}

module "shipper" {
  source = "../modules/vm-application"

  application_id  = azvmapps_application.shipper.id
  version_name    = "2.3.0"
  location        = var.location
  replica_regions = [var.secondary_location] # every target's region: the scale sets may be elsewhere
  package_url     = var.page_blob_url
  install_script  = "mkdir -p /opt/shipper && cp log-shipper /opt/shipper/shipper"
  remove_script   = "rm -rf /opt/shipper"
  targets         = local.targets
  order           = 2
  # Roll every scale-set instance (a Flexible scale set's VMs are only rolled when asked).
  upgrade_instances = "all"
}

output "version_ids" {
  value = {
    agent   = module.agent.version_id
    shipper = module.shipper.version_id
  }
}

output "replication" {
  value = {
    agent   = module.agent.replication_status.aggregated_state
    shipper = module.shipper.replication_status.aggregated_state
  }
}

output "install_status" {
  value = {
    agent   = module.agent.install_status
    shipper = module.shipper.install_status
  }
}
