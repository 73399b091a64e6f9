variable "resource_group_name" { type = string }
variable "location" { type = string } # e.g. "eastus2"

# Gallery names are unique within a subscription: 1-80 letters, digits, periods and
# underscores, no dashes. A name another gallery of the subscription already uses fails at plan.
resource "azvmapps_gallery" "example" {
  name                = "example_gallery"
  resource_group_name = var.resource_group_name
  location            = var.location
  description         = "VM applications of the platform team"

  # "Groups" lets an azvmapps_gallery_sharing resource share the gallery with subscriptions
  # and tenants. Without this block the gallery is Private.
  sharing {
    permission = "Groups"
  }

  soft_delete_enabled = true

  identity {
    type = "SystemAssigned"
  }

  tags = {
    owner = "platform-team"
  }
}

# A public (community) gallery needs the publisher information everyone will see.
resource "azvmapps_gallery" "community" {
  name                = "example_community_gallery"
  resource_group_name = var.resource_group_name
  location            = var.location

  sharing {
    permission = "Community"
    community {
      publisher_uri      = "https://example.com"
      publisher_contact  = "vm-apps@example.com"
      eula               = "https://example.com/eula"
      public_name_prefix = "example"
    }
  }
}

output "gallery_unique_name" {
  value = azvmapps_gallery.example.unique_name
}
