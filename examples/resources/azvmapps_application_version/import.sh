# An application version is imported by its ARM ID.
terraform import azvmapps_application_version.example /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/example-rg/providers/Microsoft.Compute/galleries/example_gallery/applications/monitoring-agent/versions/1.0.0
