package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

func TestAccImplementation_urlAndImport(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{}).uses("payments", "payments-v1")
	kc := kongClient(t, srv.AdminURL, "", "")
	config := providerConfig(srv.AdminURL) + srv.hcl(`
resource "servicehub_implementation" "test" {
  service = "payments"
  version = "v1"
  name    = "payments-v1"
  url     = "https://payments.internal:8443/api"
}
`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(res, plancheck.ResourceActionCreate),
						// url's components are known at plan time.
						plancheck.ExpectKnownValue(res, jp("protocol"), knownvalue.StringExact("https")),
						plancheck.ExpectKnownValue(res, jp("host"), knownvalue.StringExact("payments.internal")),
						plancheck.ExpectKnownValue(res, jp("port"), knownvalue.Int64Exact(8443)),
						plancheck.ExpectKnownValue(res, jp("path"), knownvalue.StringExact("/api")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, jp("url"), knownvalue.StringExact("https://payments.internal:8443/api")),
					statecheck.ExpectKnownValue(res, jp("retries"), knownvalue.Int64Exact(5)),
					statecheck.ExpectKnownValue(res, jp("read_timeout"), knownvalue.Int64Exact(60000)),
					statecheck.ExpectKnownValue(res, jp("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(res, jp("tags"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, jp("tls_verify"), knownvalue.Null()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttrSet(res, "id"),
					resource.TestCheckResourceAttrSet(res, "created_at"),
					checkKong(kc, srv.n("payments-v1"), func(s *kong.Service) error {
						if *s.Host != "payments.internal" || *s.Port != 8443 || *s.Protocol != "https" || *s.Path != "/api" {
							return fmt.Errorf("kong has %s://%s:%d%s", *s.Protocol, *s.Host, *s.Port, *s.Path)
						}
						// The provider's tags, and the create's token (which
						// tells its insert from a concurrent run's).
						tags := kongTags(s)
						want := []string{"servicehub:service=" + srv.n("payments"), "servicehub:version=v1"}
						if len(tags) != 3 || fmt.Sprint(tags[:2]) != fmt.Sprint(want) || !strings.HasPrefix(tags[2], "servicehub:create=") {
							return fmt.Errorf("kong tags = %q, want %q and a servicehub:create= token", tags, want)
						}
						return nil
					}),
				),
			},
			emptyPlanStep(config),
			{
				ResourceName:      res,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				ResourceName:      res,
				ImportState:       true,
				ImportStateId:     srv.n("payments-v1"),
				ImportStateVerify: true,
			},
			{
				ResourceName:    res,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   srv.n("payments-v1"),
			},
		},
	})
}

func TestAccImplementation_components(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{}).uses("orders", "orders-v2")
	kc := kongClient(t, srv.AdminURL, "", "")
	impl := func(body string) string {
		return providerConfig(srv.AdminURL) + srv.hcl(`
resource "servicehub_implementation" "test" {
  service = "orders"
  version = "v2"
  name    = "orders-v2"
`+body+`
}
`)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: impl(`
  protocol = "http"
  host     = "orders.internal"
  port     = 8080
  path     = "/v2"
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, jp("url"), knownvalue.StringExact("http://orders.internal:8080/v2")),
				},
			},
			// The same upstream spelled as a url is no change at all.
			emptyPlanStep(impl(`  url = "http://orders.internal:8080/v2"`)),
			{
				// Back to components, without path and port: both revert to
				// Kong's defaults in Kong itself.
				Config: impl(`  host = "orders.internal"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(res, jp("url"), knownvalue.StringExact("http://orders.internal")),
						plancheck.ExpectKnownValue(res, jp("path"), knownvalue.Null()),
					},
				},
				Check: checkKong(kc, srv.n("orders-v2"), func(s *kong.Service) error {
					if s.Path != nil || *s.Port != 80 {
						return fmt.Errorf("kong kept path %v port %d", s.Path, *s.Port)
					}
					return nil
				}),
			},
			emptyPlanStep(impl(`  host = "orders.internal"`)),
		},
	})
}

func TestAccImplementation_updateAdvancedInPlace(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{}).uses("ledger", "ledger-v1", "ledger-v1-renamed")
	kc := kongClient(t, srv.AdminURL, "", "")
	ctx := context.Background()

	certPEM, keyPEM := testCertificate(t, "client.test", false)
	cert, err := kc.Certificates.Create(ctx, &kong.Certificate{Cert: &certPEM, Key: &keyPEM})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = kc.Certificates.Delete(ctx, cert.ID) })
	caPEM, _ := testCertificate(t, "ca.test", true)
	ca, err := kc.CACertificates.Create(ctx, &kong.CACertificate{Cert: &caPEM})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = kc.CACertificates.Delete(ctx, ca.ID) })

	base := providerConfig(srv.AdminURL) + `
resource "servicehub_implementation" "test" {
  service = "ledger"
  version = "v1"
  name    = %q
  url     = "https://ledger.internal"
%s
}
`
	sameID := statecheck.CompareValue(compare.ValuesSame())
	sameCreatedAt := statecheck.CompareValue(compare.ValuesSame())

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: srv.hcl(fmt.Sprintf(base, "ledger-v1", "")),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(res, jp("id")),
					sameCreatedAt.AddStateValue(res, jp("created_at")),
				},
			},
			{
				// Every advanced field, and the name, change in place.
				PreConfig: func() { sleepPastSecond() },
				Config: srv.hcl(fmt.Sprintf(base, "ledger-v1-renamed", fmt.Sprintf(`
  retries               = 0
  connect_timeout       = 1000
  write_timeout         = 2000
  read_timeout          = 2147483646
  client_certificate_id = %q
  ca_certificates       = [%q]
  tls_verify            = true
  tls_verify_depth      = 4
  enabled               = false
  tags                  = ["team:ledger", "pci"]
`, *cert.ID, *ca.ID))),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(res, jp("id")),
					sameCreatedAt.AddStateValue(res, jp("created_at")),
					statecheck.ExpectKnownValue(res, jp("tags"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("team:ledger"), knownvalue.StringExact("pci"),
					})),
				},
				Check: checkKong(kc, srv.n("ledger-v1-renamed"), func(s *kong.Service) error {
					switch {
					case *s.Retries != 0, *s.ConnectTimeout != 1000, *s.WriteTimeout != 2000, *s.ReadTimeout != 2147483646:
						return fmt.Errorf("retries/timeouts = %d %d %d %d", *s.Retries, *s.ConnectTimeout, *s.WriteTimeout, *s.ReadTimeout)
					case s.ClientCertificate == nil || *s.ClientCertificate.ID != *cert.ID:
						return fmt.Errorf("client_certificate = %v", s.ClientCertificate)
					case len(s.CACertificates) != 1 || *s.CACertificates[0] != *ca.ID:
						return fmt.Errorf("ca_certificates = %v", s.CACertificates)
					case s.TLSVerify == nil || !*s.TLSVerify, s.TLSVerifyDepth == nil || *s.TLSVerifyDepth != 4:
						return fmt.Errorf("tls_verify = %v depth %v", s.TLSVerify, s.TLSVerifyDepth)
					case *s.Enabled:
						return fmt.Errorf("still enabled")
					case len(s.Tags) != 5 || createToken(s) == "":
						return fmt.Errorf("tags = %q, want provider's two, the user's two and the create's token (kept by updates)", kongTags(s))
					}
					return nil
				}),
			},
			emptyPlanStep(srv.hcl(fmt.Sprintf(base, "ledger-v1-renamed", fmt.Sprintf(`
  retries               = 0
  connect_timeout       = 1000
  write_timeout         = 2000
  read_timeout          = 2147483646
  client_certificate_id = %q
  ca_certificates       = [%q]
  tls_verify            = true
  tls_verify_depth      = 4
  enabled               = false
  tags                  = ["pci", "team:ledger"]
`, *cert.ID, *ca.ID)))),
			{
				// Removing the optional attributes clears them in Kong.
				Config: srv.hcl(fmt.Sprintf(base, "ledger-v1-renamed", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(res, jp("id")),
					sameCreatedAt.AddStateValue(res, jp("created_at")),
					statecheck.ExpectKnownValue(res, jp("tls_verify"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, jp("tags"), knownvalue.Null()),
				},
				Check: checkKong(kc, srv.n("ledger-v1-renamed"), func(s *kong.Service) error {
					switch {
					case *s.Retries != 5, *s.ConnectTimeout != 60000, *s.ReadTimeout != 60000, !*s.Enabled:
						return fmt.Errorf("defaults not restored: %+v", s)
					case s.ClientCertificate != nil, len(s.CACertificates) != 0, s.TLSVerify != nil, s.TLSVerifyDepth != nil:
						return fmt.Errorf("tls fields not cleared: %v %v %v %v", s.ClientCertificate, s.CACertificates, s.TLSVerify, s.TLSVerifyDepth)
					case len(s.Tags) != 3 || createToken(s) == "":
						return fmt.Errorf("tags = %q, want only the provider's, the create's token with them", kongTags(s))
					}
					return nil
				}),
			},
			{
				// Empty collections are not the same as none, and stay put.
				Config: srv.hcl(fmt.Sprintf(base, "ledger-v1-renamed", "  tags = []\n  ca_certificates = []")),
				Check:  resource.TestCheckResourceAttr(res, "tags.#", "0"),
			},
			emptyPlanStep(srv.hcl(fmt.Sprintf(base, "ledger-v1-renamed", "  tags = []\n  ca_certificates = []"))),
		},
	})
}

func TestAccImplementation_drift(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{}).uses("search", "search-v3")
	kc := kongClient(t, srv.AdminURL, "", "")
	ctx := context.Background()
	config := providerConfig(srv.AdminURL) + srv.hcl(`
resource "servicehub_implementation" "test" {
  service = "search"
  version = "v3"
  name    = "search-v3"
  url     = "http://search.internal/q"
  tags    = ["keep"]
}
`)
	var firstID, token string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(recordID(res, &firstID),
					checkKong(kc, srv.n("search-v3"), func(s *kong.Service) error { token = createToken(s); return nil })),
			},
			{
				// Someone edits the host and strips our tags in Kong.
				PreConfig: func() {
					svc, err := kc.Services.Get(ctx, kong.String(srv.n("search-v3")))
					if err != nil {
						t.Fatal(err)
					}
					svc.Host = kong.String("rogue.internal")
					svc.Tags = kong.StringSlice("keep")
					if _, err := kc.Services.Create(ctx, svc); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectNonEmptyPlan(),
						plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
					},
				},
				// Still this state's (its created_at says so), and its
				// create's token is written back with the other tags.
				Check: checkKong(kc, srv.n("search-v3"), func(s *kong.Service) error {
					if *s.Host != "search.internal" || len(s.Tags) != 4 || token == "" || createToken(s) != token {
						return fmt.Errorf("not restored: host %s tags %q, want the token %s among them", *s.Host, kongTags(s), token)
					}
					return nil
				}),
			},
			// Someone deletes it: the plan recreates it, without error, at
			// its version's slot: the same id.
			{
				PreConfig: func() {
					if err := kc.Services.Delete(ctx, kong.String(srv.n("search-v3"))); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionCreate)},
				},
				Check: resource.TestCheckResourceAttrPtr(res, "id", &firstID),
			},
			emptyPlanStep(config),
		},
	})
}

func TestAccImplementation_conflicts(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{}).uses("taken", "inventory", "inventory-v1", "inventory-v1-bis")
	kc := kongClient(t, srv.AdminURL, "", "")
	ctx := context.Background()
	taken, err := kc.Services.Create(ctx, &kong.Service{Name: kong.String(srv.n("taken")), Host: kong.String("legacy.internal")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = kc.Services.Delete(ctx, taken.ID) })
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: providerConfig(srv.AdminURL) + srv.hcl(`
resource "servicehub_implementation" "test" {
  service = "inventory"
  version = "v1"
  name    = "taken"
  host    = "inventory.internal"
}
`),
				ExpectError: errorRE(`Gateway Service named "` + srv.n("taken") + `" already exists in this runtime group \(id [0-9a-f-]{36}\).*terraform import servicehub_implementation.<name> ` + srv.n("taken")),
			},
			{
				Config: providerConfig(srv.AdminURL) + srv.hcl(`
resource "servicehub_implementation" "first" {
  service = "inventory"
  version = "v1"
  name    = "inventory-v1"
  host    = "inventory.internal"
}

resource "servicehub_implementation" "second" {
  service    = "inventory"
  version    = "v1"
  name       = "inventory-v1-bis"
  host       = "inventory-bis.internal"
  depends_on = [servicehub_implementation.first]
}
`),
				ExpectError: errorRE(`Version "v1" of service "` + srv.n("inventory") + `" already has an implementation in this runtime group: the Gateway Service "` + srv.n("inventory-v1") + `"`),
			},
		},
	})
}

func TestAccImplementation_urlKnownAfterApply(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{}).uses("late", "late-v1")
	config := providerConfig(srv.AdminURL) + srv.hcl(`
resource "terraform_data" "upstream" {
  input = "http://late.internal:9000/x"
}

resource "servicehub_implementation" "test" {
  service = "late"
  version = "v1"
  name    = "late-v1"
  url     = terraform_data.upstream.output
}
`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectUnknownValue(res, jp("host")),
						plancheck.ExpectUnknownValue(res, jp("port")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, jp("host"), knownvalue.StringExact("late.internal")),
					statecheck.ExpectKnownValue(res, jp("port"), knownvalue.Int64Exact(9000)),
					statecheck.ExpectKnownValue(res, jp("path"), knownvalue.StringExact("/x")),
				},
			},
			emptyPlanStep(config),
		},
	})
}

// TestAccImplementation_tlsSANs: on a Kong that has tls_sans (Kong Gateway
// Enterprise 3.10.0.6+), tls_sans is created, updated in place,
// read back on import, restored after an edit in Kong, and cleared in
// Kong when removed from the configuration.
func TestAccImplementation_tlsSANs(t *testing.T) {
	t.Parallel()
	srv := startKongHaving(t, kongschema.FeatureTLSSANs, "3.10.0.6").uses("vault", "vault-v1")
	kc := kongClient(t, srv.AdminURL, "", "")
	ctx := context.Background()
	config := func(sans string) string {
		return providerConfig(srv.AdminURL) + srv.hcl(fmt.Sprintf(`
resource "servicehub_implementation" "test" {
  service = "vault"
  version = "v1"
  name    = "vault-v1"
  url     = "https://vault.internal:8200"
  %s
}
`, sans))
	}
	sans := func(s *kong.Service) (dns, uris []string) {
		if s.TLSSANs == nil {
			return nil, nil
		}
		for _, d := range s.TLSSANs.DNSNames {
			dns = append(dns, *d)
		}
		for _, u := range s.TLSSANs.Uris {
			uris = append(uris, *u)
		}
		return dns, uris
	}
	wantKong := func(dns, uris []string) resource.TestCheckFunc {
		return checkKong(kc, srv.n("vault-v1"), func(s *kong.Service) error {
			if d, u := sans(s); !slices.Equal(d, dns) || !slices.Equal(u, uris) {
				return fmt.Errorf("tls_sans in Kong = %q %q, want %q %q", d, u, dns, uris)
			}
			return nil
		})
	}
	first := `tls_sans = { dnsnames = ["vault.internal", "api.vault.internal"] }`
	second := `tls_sans = { dnsnames = ["vault.internal"], uris = ["spiffe://cluster.local/ns/vault/sa/api"] }`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: config(first),
				Check: resource.ComposeTestCheckFunc(
					wantKong([]string{"vault.internal", "api.vault.internal"}, nil),
					resource.TestCheckResourceAttr(res, "tls_sans.dnsnames.1", "api.vault.internal"),
					resource.TestCheckNoResourceAttr(res, "tls_sans.uris"),
				),
			},
			{ResourceName: res, ImportState: true, ImportStateVerify: true},
			{
				Config: config(second),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)},
				},
				Check: wantKong([]string{"vault.internal"}, []string{"spiffe://cluster.local/ns/vault/sa/api"}),
			},
			emptyPlanStep(config(second)),
			{
				// Someone changes the names in Kong: the plan shows it and
				// apply restores them.
				PreConfig: func() {
					s, err := kc.Services.Get(ctx, kong.String(srv.n("vault-v1")))
					if err != nil {
						t.Fatal(err)
					}
					s.TLSSANs = &kong.SANs{DNSNames: kong.StringSlice("rogue.internal")}
					if _, err := kc.Services.Create(ctx, s); err != nil {
						t.Fatal(err)
					}
				},
				Config: config(second),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)},
				},
				Check: wantKong([]string{"vault.internal"}, []string{"spiffe://cluster.local/ns/vault/sa/api"}),
			},
			{
				Config: config(""),
				Check: resource.ComposeTestCheckFunc(
					wantKong(nil, nil),
					resource.TestCheckNoResourceAttr(res, "tls_sans.%"),
				),
			},
			emptyPlanStep(config("")),
		},
	})
}
