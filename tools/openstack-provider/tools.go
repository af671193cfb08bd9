//go:build tools

// Package tools records the provider as a build dependency of this module.
package tools

import _ "github.com/terraform-provider-openstack/terraform-provider-openstack/v3"
