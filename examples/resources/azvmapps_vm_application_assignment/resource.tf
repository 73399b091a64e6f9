# One application version assigned to a Linux VM and to a uniform scale set. Each assignment
# only adds its own entry to the target's application profile: other applications and the
# VM's extensions stay as they are, and several assignments to one target can apply together.

variable "resource_group_name" { type = string }
variable "location" { type = string }        # e.g. "eastus2"
variable "linux_vm_id" { type = string }     # an existing Linux VM with the VM agent
variable "uniform_vmss_id" { type = string } # an existing uniform scale set

# A read SAS URL (sp=r) of the package, a page blob. Sensitive: the SAS never shows in plans.
variable "page_blob_url" {
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

# Roll out a new version by changing name: the new version is created, the assignments move to
# it in place, and only then is the old one deleted.
resource "azvmapps_application_version" "example" {
  name           = "1.0.0"
  application_id = azvmapps_application.example.id
  location       = var.location

  source {
    media_link = var.page_blob_url
  }

  manage_actions {
    install = "mkdir -p /opt/agent && cp monitoring-agent /opt/agent/agent"
    remove  = "rm -rf /opt/agent"
    update  = "cp monitoring-agent /opt/agent/agent"
  }

  # The version must be replicated to the region of every VM it is assigned to.
  target_region {
    name = var.location
  }

  lifecycle {
    # A replaced version is otherwise deleted while VMs still use it: create the new one first.
    create_before_destroy = true
  }
}

resource "azvmapps_vm_application_assignment" "vm" {
  target_id  = var.linux_vm_id
  version_id = azvmapps_application_version.example.id # another version of it updates in place
  order      = 1

  # Fail the VM's provisioning (not only this resource) when the install fails.
  treat_failure_as_deployment_failure = true

  # The service's only retry for a failed install is remove, then add back: do it once.
  reinstall_on_failure = true
}

resource "azvmapps_vm_application_assignment" "scale_set" {
  # With a Manual upgrade policy the provider updates all instances to the new model.
  target_id  = var.uniform_vmss_id
  version_id = azvmapps_application_version.example.id

  # Wait for every instance to report the install result (the default).
  wait_for_install = true

  timeouts {
    create = "60m"
  }
}

output "vm_install_status" {
  value = azvmapps_vm_application_assignment.vm.install_status # Succeeded, Failed or Pending
}
