//go:build tools

// Package tools records the Kubernetes commands as build dependencies of this module.
package tools

import (
	_ "github.com/kubernetes-csi/external-provisioner/v5/cmd/csi-provisioner"
	_ "go.etcd.io/etcd/server/v3"
	_ "k8s.io/cloud-provider-openstack/cmd/cinder-csi-plugin"
	_ "k8s.io/cloud-provider-openstack/cmd/octavia-ingress-controller"
	_ "k8s.io/cloud-provider-openstack/cmd/openstack-cloud-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
