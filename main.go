// Command terraform-provider-azvmapps serves the azvmapps Terraform provider.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/provider"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/tfserver"
)

// version is set at build time by goreleaser and the Makefile (-ldflags "-X main.version=...").
var version = "dev"

//go:generate go run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs generate --provider-name azvmapps

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	// tfserver.Serve is providerserver.Serve with a workaround for the framework's keeping
	// every RPC's context (about 11 KB each) for as long as the provider runs.
	err := tfserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/azvmapps/azvmapps",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
