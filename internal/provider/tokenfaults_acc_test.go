package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/emulator"
)

// The token endpoint is slow, then answers 503: a slow answer still signs in; a failing
// endpoint fails the plan with a clear message before anything is written, and once it
// recovers the same configuration plans.
func TestAccProvider_tokenEndpointFaults(t *testing.T) {
	set := func(f emulator.Faults) func() {
		return func() {
			if acctest.Emulator() == nil {
				t.Skip("fault injection needs the emulator")
			}
			acctest.Emulator().SetFaults(f)
		}
	}
	t.Cleanup(func() {
		if e := acctest.Emulator(); e != nil {
			e.SetFaults(emulator.Faults{})
		}
	})
	cfg := galleryPlanConfig(`provider "azvmapps" {}`)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:          set(emulator.Faults{Seed: 1, RateTokenSlow: 1}),
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig:   set(emulator.Faults{Seed: 1, RateToken5xx: 1}),
				Config:      cfg,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Unable to authenticate to Azure`),
			},
			{
				PreConfig:          set(emulator.Faults{}),
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
	for _, r := range acctest.WriteRequests(t) {
		t.Errorf("a plan wrote to Azure: %s %s", r.Method, r.Path)
	}
}
