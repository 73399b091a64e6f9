package assignment

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8/fake"
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
)

// A write that loses the ETag race (412) reads the target again and re-applies the change on
// top of what the other writer added, with the new ETag: no assignment is lost.
func TestModifyRetriesOnPreconditionFailed(t *testing.T) {
	etag := 1
	current := []*armcompute.VMGalleryApplication{ref(appA, "1.0.0", nil)}
	var sent []string
	srv := fake.VirtualMachinesServer{
		Get: func(_ context.Context, _, name string, _ *armcompute.VirtualMachinesClientGetOptions) (resp azfake.Responder[armcompute.VirtualMachinesClientGetResponse], errResp azfake.ErrorResponder) {
			resp.SetResponse(http.StatusOK, armcompute.VirtualMachinesClientGetResponse{VirtualMachine: armcompute.VirtualMachine{
				Name: to.Ptr(name), Location: to.Ptr("eastus2"), Etag: to.Ptr(`"` + strconv.Itoa(etag) + `"`),
				Properties: &armcompute.VirtualMachineProperties{ApplicationProfile: &armcompute.ApplicationProfile{GalleryApplications: current}},
			}}, nil)
			return
		},
		BeginUpdate: func(_ context.Context, _, _ string, body armcompute.VirtualMachineUpdate, opts *armcompute.VirtualMachinesClientBeginUpdateOptions) (resp azfake.PollerResponder[armcompute.VirtualMachinesClientUpdateResponse], errResp azfake.ErrorResponder) {
			sent = append(sent, *opts.IfMatch)
			if len(sent) == 1 {
				// Another writer got there first: it added application b.
				current = append(current, ref(appB, "1.0.0", nil))
				etag++
				errResp.SetResponseError(http.StatusPreconditionFailed, "PreconditionFailed")
				return
			}
			if body.Properties.StorageProfile != nil || body.Properties.OSProfile != nil {
				t.Error("the VM PATCH must carry only the application profile (extensions and the rest stay)")
			}
			current = body.Properties.ApplicationProfile.GalleryApplications
			etag++
			resp.SetTerminalResponse(http.StatusOK, armcompute.VirtualMachinesClientUpdateResponse{}, nil)
			return
		},
	}
	factory, err := armcompute.NewClientFactory("sub", &azfake.TokenCredential{}, &arm.ClientOptions{ClientOptions: azcore.ClientOptions{
		Transport: fake.NewServerFactoryTransport(&fake.ServerFactory{VirtualMachinesServer: srv})}})
	if err != nil {
		t.Fatal(err)
	}
	s := targets{&clients.Client{Compute: factory, PollFrequency: time.Millisecond}}
	id, _ := arm.ParseResourceID(vmID)
	appC := apps + "c"
	d := s.modify(context.Background(), id, func(tg *target) ([]*armcompute.VMGalleryApplication, diag.Diagnostics) {
		return withApp(tg.apps(), ref(appC, "1.0.0", nil)), nil
	})
	if d.HasError() {
		t.Fatal(d)
	}
	if strings.Join(sent, ",") != `"1","2"` {
		t.Fatalf("If-Match sent: %v, want the first ETag, then the re-read one", sent)
	}
	if got := ids(current); len(got) != 3 {
		t.Fatalf("the other writer's application was lost: %v", got)
	}
}
