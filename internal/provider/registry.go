package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// resources is the list of every resource the provider serves; each services package adds
// its constructor here.
func resources() []func() resource.Resource {
	return []func() resource.Resource{}
}

// dataSources is the list of every data source the provider serves.
func dataSources() []func() datasource.DataSource {
	return []func() datasource.DataSource{}
}
