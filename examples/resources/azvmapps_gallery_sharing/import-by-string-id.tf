# The sharing takes the ID of the gallery it shares.
import {
  to = azvmapps_gallery_sharing.example
  id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/example-rg/providers/Microsoft.Compute/galleries/example_gallery"
}
