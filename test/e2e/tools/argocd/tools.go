//go:build tools

// Package tools pins Argo CD's single `argocd` command so `go build` can find it from this module. The binary picks
// its component by the name it is run as (argocd-application-controller, argocd-repo-server, ...).
package tools

import (
	_ "github.com/argoproj/argo-cd/v3/cmd"
)
