# A gallery is imported by its ARM ID.
terraform import azvmapps_gallery.example /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/example-rg/providers/Microsoft.Compute/galleries/example_gallery
