//go:build tools

// Package tools records the OpenTofu CLI as a build dependency of this module.
package tools

import _ "github.com/opentofu/opentofu/cmd/tofu"
