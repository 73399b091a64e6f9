# Publishes one version of a VM application from a package and installs it on a set of VMs and
# scale sets. Changing version_name publishes the new version, moves every target to it in place
# (running the update script), and only then deletes the old version.

resource "azvmapps_application_version" "this" {
  name           = var.version_name
  application_id = var.application_id
  location       = var.location
  replica_count  = var.replica_count

  source {
    media_link                 = var.package_url
    default_configuration_link = var.config_url
  }

  manage_actions {
    install = var.install_script
    remove  = var.remove_script
    update  = var.update_script
  }

  dynamic "target_region" {
    for_each = toset(concat([var.location], var.replica_regions))
    content {
      name = target_region.value
    }
  }

  lifecycle {
    # A replaced version is otherwise deleted while VMs still use it: create the new one first.
    create_before_destroy = true
  }
}

resource "azvmapps_vm_application_assignment" "this" {
  for_each = var.targets

  target_id         = each.value
  version_id        = azvmapps_application_version.this.id
  order             = var.order
  upgrade_instances = var.upgrade_instances
}
