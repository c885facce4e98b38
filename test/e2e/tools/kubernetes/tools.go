//go:build tools

// Package tools pins the Kubernetes commands the e2e tier builds from k8s.io/kubernetes, so that `go build`
// resolves them (and `go mod tidy` keeps their dependencies) in this wrapper module: the API server, kubectl, and
// the controller manager, of which the tier runs only the garbage collector (Crossplane relies on it to delete
// composed resources with their composite).
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
