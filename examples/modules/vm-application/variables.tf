variable "application_id" {
  description = "ID of the azvmapps_application to publish a version of."
  type        = string
}

variable "version_name" {
  description = "Version to publish, Major.Minor.Patch. Changing it rolls the targets to the new version."
  type        = string
}

variable "location" {
  description = "Region of the version, normally the gallery's region."
  type        = string
}

variable "replica_regions" {
  description = "Regions to replicate the version to besides location. Every target's region must be among location and these."
  type        = list(string)
  default     = []
}

variable "replica_count" {
  description = "Replicas per region."
  type        = number
  default     = 1
}

variable "package_url" {
  description = "Read SAS URL of the package blob."
  type        = string
  sensitive   = true
}

variable "config_url" {
  description = "Read SAS URL of the default configuration file, if any."
  type        = string
  default     = null
  sensitive   = true
}

variable "install_script" {
  description = "Command that installs the application, run in the download folder."
  type        = string
}

variable "remove_script" {
  description = "Command that removes the application."
  type        = string
}

variable "update_script" {
  description = "Command that updates a machine from the previous version. Without it the service removes the old version and installs the new one."
  type        = string
  default     = null
}

variable "targets" {
  description = "VMs and scale sets to install the version on: a name you choose (a for_each key, known at plan) mapped to the VM or scale set ID (may be unknown at plan)."
  type        = map(string)
  default     = {}
}

variable "order" {
  description = "Install order of this application on every target (lower first; unset installs after ordered ones)."
  type        = number
  default     = null
}

variable "upgrade_instances" {
  description = "How the instances of Manual-policy scale sets take the new application: \"auto\" (only when they already run the latest model), \"all\" (every instance, with any other staged model change) or \"none\". The VMs of Flexible scale sets are only rolled with \"all\"."
  type        = string
  default     = "auto"
}
