variable "resource_group_name" { type = string }
variable "location" { type = string }

resource "azvmapps_gallery" "example" {
  name                = "example_gallery"
  resource_group_name = var.resource_group_name
  location            = var.location
}

# The definition of a VM application; its versions are azvmapps_application_version resources.
# Every attribute except name, gallery_id, location and supported_os_type updates in place, and
# removing an optional attribute clears it in place.
resource "azvmapps_application" "example" {
  name              = "monitoring-agent"
  gallery_id        = azvmapps_gallery.example.id
  location          = var.location
  supported_os_type = "Linux"

  description           = "Ships metrics and logs to the monitoring service"
  eula                  = "Internal use only"
  privacy_statement_uri = "https://example.com/privacy"
  release_note_uri      = "https://example.com/monitoring-agent/releases"
  end_of_life_date      = "2030-12-31T00:00:00Z" # must be in the future when created

  custom_action {
    name        = "rotate-logs"
    script      = "/opt/agent/agent rotate --level \"$level\""
    description = "Rotates the agent's logs"

    parameter {
      name          = "level"
      type          = "String"
      required      = false
      default_value = "info"
      description   = "Log level after rotation"
    }
  }

  tags = {
    owner = "platform-team"
  }
}
