package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
)

// Estate is one benchmarked configuration: one gallery, K applications with one version each
// (replicated to the targets' region), and Targets Linux VMs that each carry all K applications.
type Estate struct {
	K       int `json:"k"`       // applications per target
	Targets int `json:"targets"` // VMs
}

// EstateFor returns the estate with k applications per target whose number of managed
// resources is closest to n (at least one target).
func EstateFor(n, k int) Estate {
	t := int(math.Round(float64(n-1-2*k) / float64(k)))
	return Estate{K: k, Targets: max(1, t)}
}

// Applications is the number of applications (and of versions: one each).
func (e Estate) Applications() int { return e.K }

// Assignments is the number of azvmapps_vm_application_assignment resources.
func (e Estate) Assignments() int { return e.K * e.Targets }

// N is the number of resources Terraform manages: the gallery, the applications, their
// versions and the assignments.
func (e Estate) N() int { return 1 + 2*e.Applications() + e.Assignments() }

// Name is a short label, e.g. "N=51 k=5 (8 VMs)".
func (e Estate) Name() string {
	vms := "VMs"
	if e.Targets == 1 {
		vms = "VM"
	}
	return fmt.Sprintf("N=%d k=%d (%d %s)", e.N(), e.K, e.Targets, vms)
}

// estateConfig is the Terraform configuration of every estate; the sizes come from the
// variables in bench.auto.tfvars.json.
const estateConfig = `# Written by the azvmapps benchmark (bench/): one gallery, var.applications applications with
# one version each, and every application assigned to every VM of var.target_ids.
terraform {
  required_providers {
    azvmapps = { source = "azvmapps/azvmapps" }
  }
}

provider "azvmapps" {}

variable "gallery_name" { type = string }
variable "resource_group_name" { type = string }
variable "location" { type = string }
variable "applications" { type = number }
variable "target_ids" { type = list(string) }
variable "page_blob_url" {
  type      = string
  sensitive = true
}

locals {
  apps = [for i in range(var.applications) : format("app%02d", i)]
  assignments = {
    for p in setproduct(range(length(var.target_ids)), range(var.applications)) :
    format("vm%03d/%s", p[0], local.apps[p[1]]) => { target_id = var.target_ids[p[0]], app = local.apps[p[1]], order = p[1] + 1 }
  }
}

resource "azvmapps_gallery" "bench" {
  name                = var.gallery_name
  resource_group_name = var.resource_group_name
  location            = var.location
}

resource "azvmapps_application" "app" {
  for_each          = toset(local.apps)
  name              = each.key
  gallery_id        = azvmapps_gallery.bench.id
  location          = var.location
  supported_os_type = "Linux"
}

resource "azvmapps_application_version" "v" {
  for_each       = azvmapps_application.app
  name           = "1.0.0"
  application_id = each.value.id
  location       = var.location

  source {
    media_link = var.page_blob_url
  }

  manage_actions {
    install = "echo install ${each.key}"
    remove  = "echo remove ${each.key}"
  }

  target_region {
    name                   = var.location
    regional_replica_count = 1
  }
}

resource "azvmapps_vm_application_assignment" "a" {
  for_each   = local.assignments
  target_id  = each.value.target_id
  version_id = azvmapps_application_version.v[each.value.app].id
  order      = each.value.order
}
`

// writeConfig writes the estate's configuration and variables into dir.
func writeConfig(dir string, e Estate, env map[string]string, targetIDs []string) error {
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(estateConfig), 0o600); err != nil {
		return err
	}
	vars := map[string]any{
		"gallery_name":        fmt.Sprintf("bench_n%d_k%d", e.N(), e.K),
		"resource_group_name": env["TF_VAR_resource_group_name"],
		"location":            env["TF_VAR_location"],
		"applications":        e.Applications(),
		"target_ids":          targetIDs,
		"page_blob_url":       env["TF_VAR_page_blob_url"],
	}
	b, err := json.MarshalIndent(vars, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "bench.auto.tfvars.json"), b, 0o600)
}
