package emulator

import (
	"fmt"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
)

// BenchmarkGalleryGet measures one authenticated ARM read through the real SDK pipeline
// (TLS, bearer token, routing, JSON): the cost of every Read in a plan's refresh.
func BenchmarkGalleryGet(b *testing.B) {
	e := startNoStorage(b)
	f := factory(b, e)
	c := ctx(b)
	gc := f.NewGalleriesClient()
	p, err := gc.BeginCreateOrUpdate(c, seedResourceGroup, "benchGallery", armcompute.Gallery{Location: to.Ptr("eastus2")}, nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := p.PollUntilDone(c, fastPoll); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := gc.Get(c, seedResourceGroup, "benchGallery", nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkApplicationCreate measures a synchronous-201 PUT as the SDK sees it (PUT plus the
// body poller's GET): the write path of the application resource.
func BenchmarkApplicationCreate(b *testing.B) {
	e := startNoStorage(b, func(c *Config) { c.PageSize = 100 })
	f := factory(b, e)
	c := ctx(b)
	gp, err := f.NewGalleriesClient().BeginCreateOrUpdate(c, seedResourceGroup, "benchApps", armcompute.Gallery{Location: to.Ptr("eastus2")}, nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := gp.PollUntilDone(c, fastPoll); err != nil {
		b.Fatal(err)
	}
	ac := f.NewGalleryApplicationsClient()
	body := armcompute.GalleryApplication{Location: to.Ptr("eastus2"), Properties: &armcompute.GalleryApplicationProperties{SupportedOSType: to.Ptr(armcompute.OperatingSystemTypesLinux)}}
	start := time.Now()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p, err := ac.BeginCreateOrUpdate(c, seedResourceGroup, "benchApps", fmt.Sprintf("app%d", i), body, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := p.PollUntilDone(c, fastPoll); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "apps/s")
}
