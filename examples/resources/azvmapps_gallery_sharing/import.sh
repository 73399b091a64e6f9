# The sharing of a gallery is imported by the gallery's ARM ID.
terraform import azvmapps_gallery_sharing.example /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/example-rg/providers/Microsoft.Compute/galleries/example_gallery
