import {
  to = azvmapps_application.example
  id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/example-rg/providers/Microsoft.Compute/galleries/example_gallery/applications/monitoring-agent"
}
