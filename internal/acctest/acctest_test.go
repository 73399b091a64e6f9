package acctest_test

import (
	"context"
	"net/http"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
)

func TestMain(m *testing.M) { acctest.Main(m) }

func TestRandomName(t *testing.T) {
	a, b := acctest.RandomName("gal"), acctest.RandomName("gal")
	if a == b || !regexp.MustCompile(`^gal[a-z0-9]{8}$`).MatchString(a) {
		t.Fatalf("RandomName: %q %q", a, b)
	}
}

func TestAccHarness(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	acctest.PreCheck(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rg := "/subscriptions/" + acctest.Env("ARM_SUBSCRIPTION_ID") + "/resourceGroups/" + acctest.Env("TF_VAR_resource_group_name")
	status, body, err := acctest.ARMGet(ctx, rg)
	if err != nil || status != http.StatusOK {
		t.Fatalf("GET %s: %d %s %v", rg, status, body, err)
	}
	missing := &terraform.State{Modules: []*terraform.ModuleState{{Path: []string{"root"}, Resources: map[string]*terraform.ResourceState{
		"azvmapps_gallery.x": {Type: "azvmapps_gallery", Primary: &terraform.InstanceState{ID: rg + "/providers/Microsoft.Compute/galleries/" + acctest.RandomName("gone")}},
	}}}}
	if err := acctest.CheckDestroyed("azvmapps_gallery")(missing); err != nil {
		t.Fatalf("CheckDestroyed on a missing gallery: %v", err)
	}
	present := &terraform.State{Modules: []*terraform.ModuleState{{Path: []string{"root"}, Resources: map[string]*terraform.ResourceState{
		"azvmapps_x.rg": {Type: "azvmapps_x", Primary: &terraform.InstanceState{ID: rg}},
	}}}}
	if err := acctest.CheckDestroyed()(present); err == nil {
		t.Fatal("CheckDestroyed accepted an existing resource")
	}
	if acctest.Emulator() != nil {
		if w := acctest.WriteRequests(t); len(w) != 0 {
			t.Fatalf("unexpected writes: %+v", w)
		}
		if err := acctest.CheckNoWrites(t, "galleries")(nil); err != nil {
			t.Fatal(err)
		}
	}
}
