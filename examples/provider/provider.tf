# Against Azure: credentials come from the ARM_* environment (or HCP Terraform dynamic
# credentials with use_oidc = true). Against the local emulator, `make emulator` writes an env
# file that sets the same variables, including the custom endpoints.
provider "azvmapps" {
  # The defaults are the documented service limits; raise them where the service now allows more.
  service_limits {
    max_replicas_per_region = 10
    max_applications_per_vm = 25
    max_package_size_bytes  = 2147483648
    allowed_blob_types      = ["PageBlob", "BlockBlob"]
  }
}
