package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// faultFlags registers the fault injection flags; the returned function
// gives the options after flag.Parse (nil without -fault-rate or -fault-latency).
func faultFlags() func() (*localkong.Faults, error) {
	var f localkong.Faults
	kinds := flag.String("faults", "all", "faults to inject, comma-separated: 429, 502, 503, drop-before, drop-after (or all)")
	flag.Float64Var(&f.Rate, "fault-rate", 0, "fraction of Admin API requests that get a fault, 0 to 1, e.g. 0.2")
	flag.Int64Var(&f.Seed, "fault-seed", 1, "seed of the fault draws: the same requests get the same faults")
	flag.DurationVar(&f.RetryAfter, "fault-retry-after", 0, "Retry-After sent with injected 429 and 503 (whole seconds)")
	flag.IntVar(&f.MaxConsecutive, "fault-max-consecutive", 0, "at most this many faults in a row for one method and URI (0: no limit)")
	methods := flag.String("fault-methods", "", "only fault requests with these methods, comma-separated, e.g. PUT,DELETE (default: all)")
	flag.DurationVar(&f.Latency, "fault-latency", 0, "hold each Admin API response for a random time below this, after the request was handled")
	return func() (*localkong.Faults, error) {
		if f.Rate == 0 && f.Latency == 0 {
			return nil, nil
		}
		var err error
		if f.Kinds, err = localkong.ParseFaultKinds(*kinds); err != nil {
			return nil, fmt.Errorf("-faults: %w", err)
		}
		for _, m := range strings.Split(*methods, ",") {
			if m = strings.TrimSpace(m); m != "" {
				f.Methods = append(f.Methods, strings.ToUpper(m))
			}
		}
		return &f, nil
	}
}

type tlsFlagValues struct {
	enabled                  bool
	cert, key, clientCA, out string
}

func tlsFlags() *tlsFlagValues {
	t := &tlsFlagValues{}
	flag.BoolVar(&t.enabled, "admin-tls", false, "serve the Admin API over HTTPS (self-signed certificate unless -admin-tls-cert)")
	flag.StringVar(&t.cert, "admin-tls-cert", "", "PEM file of the Admin API's TLS certificate (implies -admin-tls)")
	flag.StringVar(&t.key, "admin-tls-key", "", "PEM file of that certificate's private key")
	flag.StringVar(&t.clientCA, "admin-tls-client-ca", "", "PEM file of CAs whose client certificates the Admin API requires (mutual TLS; implies -admin-tls)")
	flag.StringVar(&t.out, "admin-tls-cert-out", "", "write the Admin API's certificate (PEM) here, for clients to trust")
	return t
}

func (t *tlsFlagValues) options() (*localkong.AdminTLS, error) {
	if !t.enabled && t.cert == "" && t.clientCA == "" {
		if t.key != "" || t.out != "" {
			return nil, fmt.Errorf("-admin-tls-key and -admin-tls-cert-out need -admin-tls")
		}
		return nil, nil
	}
	o := &localkong.AdminTLS{}
	read := func(name, file string, dst *[]byte) error {
		if file == "" {
			return nil
		}
		b, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		*dst = b
		return nil
	}
	if err := read("-admin-tls-cert", t.cert, &o.CertPEM); err != nil {
		return nil, err
	}
	if err := read("-admin-tls-key", t.key, &o.KeyPEM); err != nil {
		return nil, err
	}
	if err := read("-admin-tls-client-ca", t.clientCA, &o.ClientCAPEM); err != nil {
		return nil, err
	}
	return o, nil
}

// report writes the certificate for -admin-tls-cert-out and says where.
func (t *tlsFlagValues) report(srv *localkong.Server) error {
	if srv.AdminCertPEM == nil || t.out == "" {
		return nil
	}
	if err := os.WriteFile(t.out, srv.AdminCertPEM, 0o644); err != nil {
		return fmt.Errorf("-admin-tls-cert-out: %w", err)
	}
	fmt.Printf("localkong admin TLS certificate=%s\n", t.out)
	return nil
}

// konnectFlags registers the Konnect-mode flags; the returned function
// says, once the server runs, which control plane the proxy serves.
func konnectFlags(opts *localkong.Options) func(*localkong.Server) {
	flag.StringVar(&opts.ControlPlaneID, "control-plane-id", localkong.DefaultControlPlaneID,
		"with -konnect: the control plane (UUID) whose routes the proxy serves, or * for all of them")
	flag.IntVar(&opts.AnalyticsUnavailable, "analytics-unavailable", 0,
		"with -konnect: POST /v2/metrics fails as Konnect can: 403 (no Advanced Analytics), 408 (query timeout) or 429 (rate limited, Retry-After: 1)")
	flag.IntVar(&opts.AnalyticsRateLimit, "analytics-rate-limit", 0,
		"with -konnect: allow this many POST /v2/metrics a minute per token, then 429 (Konnect allows 10; 0: no limit)")
	flag.StringVar(&opts.ControlPlaneClusterType, "control-plane-cluster-type", localkong.ClusterTypeControlPlane,
		"with -konnect: the cluster type every control plane reports in GET /v2/control-planes (CLUSTER_TYPE_K8S_INGRESS_CONTROLLER plays one the Kong Ingress Controller manages, whose core entities Konnect keeps read only)")
	return func(srv *localkong.Server) {
		if srv.ControlPlaneID == "" {
			return
		}
		if srv.ControlPlaneID == localkong.AllControlPlanes {
			fmt.Printf("localkong control_plane=%s\n", srv.ControlPlaneID)
			return
		}
		fmt.Printf("localkong control_plane=%s core_entities=%s\n", srv.ControlPlaneID, srv.ControlPlaneURL(""))
	}
}
