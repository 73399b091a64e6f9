terraform {
  required_version = ">= 1.5"
  required_providers {
    azvmapps = {
      source = "azvmapps/azvmapps"
    }
  }
}
