//go:build tools

// The Kubernetes commands the one-machine cluster runs, built from this module (scripts/cluster/build.sh);
// these imports keep `go mod tidy` from dropping them. update.sh rewrites go.mod for another release.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "k8s.io/kubernetes/cmd/kubelet"
)
