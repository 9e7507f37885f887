package konnectapi

import (
	"context"
	"net/http"
	"net/url"
)

// ControlPlane is a Konnect control plane (Konnect Control Planes v2
// ControlPlane), as far as the provider reads it.
type ControlPlane struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Config struct {
		ClusterType string `json:"cluster_type"`
	} `json:"config"`
}

// Cluster types whose core entities Konnect keeps read only: the Kong
// Ingress Controller writes a CLUSTER_TYPE_K8S_INGRESS_CONTROLLER control
// plane's, and a group's come from its members.
const (
	ClusterTypeIngressController = "CLUSTER_TYPE_K8S_INGRESS_CONTROLLER"
	ClusterTypeGroup             = "CLUSTER_TYPE_CONTROL_PLANE_GROUP"
)

// GetControlPlane reads the client's control plane (GET
// /v2/control-planes/{id}).
func (c *Client) GetControlPlane(ctx context.Context) (ControlPlane, error) {
	var cp ControlPlane
	err := c.call(ctx, full, http.MethodGet, "/v2/control-planes/"+url.PathEscape(c.ControlPlaneID), nil, nil, &cp)
	return cp, err
}
