//go:build tools

// kube-router is built from this module (go build github.com/cloudnativelabs/kube-router/v2/cmd/kube-router)
// so that its dependencies can be raised above the versions its own go.mod names; this import keeps
// `go mod tidy` from dropping it.
package tools

import _ "github.com/cloudnativelabs/kube-router/v2/cmd/kube-router"
