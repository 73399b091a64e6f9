# A version managed with for_each is imported under its key.
import {
  to = azvmapps_application_version.example["1.0.0"]
  id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/example-rg/providers/Microsoft.Compute/galleries/example_gallery/applications/monitoring-agent/versions/1.0.0"
}
