//go:build tools

// Package tools records actionlint as a build dependency of this module.
package tools

import _ "github.com/rhysd/actionlint/cmd/actionlint"
