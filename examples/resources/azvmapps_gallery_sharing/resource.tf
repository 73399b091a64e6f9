variable "resource_group_name" { type = string }
variable "location" { type = string }

resource "azvmapps_gallery" "example" {
  name                = "example_gallery"
  resource_group_name = var.resource_group_name
  location            = var.location

  # Sharing with subscriptions and tenants needs the "Groups" permission.
  sharing {
    permission = "Groups"
  }
}

# Adding or removing a subscription or tenant updates the sharing in place; destroying this
# resource resets the gallery's sharing (the gallery becomes Private).
resource "azvmapps_gallery_sharing" "example" {
  gallery_id = azvmapps_gallery.example.id

  subscription_ids = [
    "11111111-1111-1111-1111-111111111111",
  ]
  tenant_ids = [
    "22222222-2222-2222-2222-222222222222",
  ]
}
