//go:build tools

// Package tools pins the Crossplane core command so `go build` can find it from this module.
package tools

import (
	_ "github.com/crossplane/crossplane/v2/cmd/crossplane"
)
