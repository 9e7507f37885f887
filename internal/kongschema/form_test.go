package kongschema

import (
	"net/url"
	"reflect"
	"testing"
)

func TestCoerceForm(t *testing.T) {
	tests := []struct {
		entity, form, want string
	}{
		{"services", "host=example.com&port=8080&retries=0x10&enabled=false&tls_verify=true",
			`{"host":"example.com","port":8080,"retries":16,"enabled":false,"tls_verify":true}`},
		{"services", "host=x&port=eighty&enabled=yes", `{"host":"x","port":"eighty","enabled":"yes"}`},
		{"services", "host=x&path=&name=", `{"host":"x","path":null,"name":null}`},
		{"services", "url=http://x.test/a&foo=1", `{"url":"http://x.test/a","foo":"1"}`},
		{"services", "host=x&tags=a", `{"host":"x","tags":["a"]}`},
		{"services", "host=x&tags=a&tags=b", `{"host":"x","tags":["a","b"]}`},
		{"services", "host=x&client_certificate.id=abc", `{"host":"x","client_certificate":{"id":"abc"}}`},
		{"services", "host=x&ca_certificates[]=a&ca_certificates[]=", `{"host":"x","ca_certificates":["a",null]}`},
		{"routes", "service.id=abc&paths[]=/a&paths[]=/b", `{"service":{"id":"abc"},"paths":["/a","/b"]}`},
		{"routes", "hosts[2]=b&hosts[1]=a&hosts[10]=c", `{"hosts":["a","b","c"]}`},
		{"routes", "hosts=a", `{"hosts":["a"]}`},
		{"routes", "headers.x-foo[]=v1&headers.x-foo[]=v2&headers.x-bar=w", `{"headers":{"x-foo":["v1","v2"],"x-bar":["w"]}}`},
		{"routes", "headers[x-foo]=v", `{"headers":{"x-foo":["v"]}}`},
		{"routes", "service.name=", `{"service":{"name":null}}`},
		{"routes", "service=", `{"service":null}`},
		{"routes", "regex_priority=-1&strip_path=true&https_redirect_status_code=301",
			`{"regex_priority":-1,"strip_path":true,"https_redirect_status_code":301}`},
		{"routes", "protocols=tcp&sources[1].ip=10.0.0.1&sources[1].port=80&sources[2].port=81",
			`{"protocols":["tcp"],"sources":[{"ip":"10.0.0.1","port":80},{"port":81}]}`},
		{"routes", ".odd=1&trail.=2&open[x=3", `{".odd":"1","trail.":"2","open[x":"3"}`},
		{"certificates", "cert=c&key=k&snis=a.test", `{"cert":"c","key":"k","snis":["a.test"]}`},
		{"upstreams", "name=u&healthchecks.active.healthy.http_statuses=200&healthchecks.threshold=2.5&slots=100",
			`{"name":"u","healthchecks":{"active":{"healthy":{"http_statuses":[200]}},"threshold":2.5},"slots":100}`},
	}
	for _, tt := range tests {
		t.Run(tt.entity+"?"+tt.form, func(t *testing.T) {
			vals, err := url.ParseQuery(tt.form)
			if err != nil {
				t.Fatal(err)
			}
			got, err := CoerceForm(tt.entity, vals)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := roundTrip(t, got), decode(t, tt.want); !reflect.DeepEqual(g, w) {
				t.Errorf("got %s\nwant %s", jsonString(g), tt.want)
			}
		})
	}
	if _, err := CoerceForm("nope", url.Values{}); err == nil {
		t.Error("unknown entity accepted")
	}
}

// Without a schema keys still nest, but nothing is typed or nulled.
func TestDecodeForm(t *testing.T) {
	vals, _ := url.ParseQuery("port=80&tags=a&name=&meta.color=red&list[2]=b&list[1]=a")
	want := `{"port":"80","tags":"a","name":"","meta":{"color":"red"},"list":["a","b"]}`
	if g, w := roundTrip(t, DecodeForm(vals)), decode(t, want); !reflect.DeepEqual(g, w) {
		t.Errorf("got %s\nwant %s", jsonString(g), want)
	}
}

// A coerced form goes through the same rules as JSON.
func TestCoerceFormThenProcess(t *testing.T) {
	vals, _ := url.ParseQuery("name=&paths[]=/x&service.name=&protocols=http")
	body, err := CoerceForm("routes", vals)
	if err != nil {
		t.Fatal(err)
	}
	_, v := ProcessRoute(Insert, body, nil)
	wantMessage(t, v, "schema violation (service.id: missing primary key)")

	vals, _ = url.ParseQuery("url=http://x.test:8080/p&connect_timeout=5")
	body, _ = CoerceForm("services", vals)
	out, v := ProcessService(Insert, body, nil)
	wantEntity(t, out, v, `{"host":"x.test","port":8080,"path":"/p","connect_timeout":5}`)
}
