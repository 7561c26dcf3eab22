// Command terraform-provider-usage serves the usage provider to Terraform.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/simusage/terraform-provider-usage/internal/provider"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

//go:generate make generate

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/simusage/usage",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
