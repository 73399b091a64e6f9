package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/services/application"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/services/applicationversion"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/services/assignment"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/services/gallery"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/services/gallerysharing"
)

// resources is the list of every resource the provider serves; each services package adds
// its constructor here.
func resources() []func() resource.Resource {
	return []func() resource.Resource{
		gallery.NewGalleryResource,
		gallerysharing.NewGallerySharingResource,
		application.NewApplicationResource,
		applicationversion.NewApplicationVersionResource,
		assignment.NewVMApplicationAssignmentResource,
	}
}

// dataSources is the list of every data source the provider serves.
func dataSources() []func() datasource.DataSource {
	return []func() datasource.DataSource{
		gallery.NewGalleryDataSource,
		gallery.NewGalleriesDataSource,
		application.NewApplicationDataSource,
		application.NewApplicationsDataSource,
		applicationversion.NewApplicationVersionDataSource,
		applicationversion.NewApplicationVersionsDataSource,
		assignment.NewVMApplicationsDataSource,
	}
}
