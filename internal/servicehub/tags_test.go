package servicehub

import (
	"reflect"
	"testing"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

func TestTagsRoundTrip(t *testing.T) {
	tags := ownTags("payments", "v1", []string{"team:core", "servicehub:forged", "pci"})
	want := []string{"servicehub:service=payments", "servicehub:version=v1", "team:core", "pci"}
	if !reflect.DeepEqual(tags, want) {
		t.Fatalf("ownTags = %q, want %q", tags, want)
	}
	svc, ver, user := splitTags(append(tags, "servicehub:from-the-future=1"))
	if svc != "payments" || ver != "v1" || !reflect.DeepEqual(user, []string{"team:core", "pci"}) {
		t.Fatalf("splitTags = %q %q %q", svc, ver, user)
	}
	svc, ver, user = splitTags([]string{"a"})
	if svc != "" || ver != "" || !reflect.DeepEqual(user, []string{"a"}) {
		t.Fatalf("untagged: %q %q %q", svc, ver, user)
	}
}

func TestValidateTagValues(t *testing.T) {
	for _, ok := range []string{"payments", "v1", "1.2.0", "orders_v2~beta"} {
		if err := ValidateServiceName(ok); err != nil {
			t.Errorf("ValidateServiceName(%q) = %v", ok, err)
		}
		if err := ValidateVersion(ok); err != nil {
			t.Errorf("ValidateVersion(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", " v1", "a,b", "a/b"} {
		if ValidateServiceName(bad) == nil {
			t.Errorf("ValidateServiceName(%q) accepted", bad)
		}
	}
	if ValidateUserTag("servicehub:service=x") == nil {
		t.Error("reserved tag accepted")
	}
	if err := ValidateUserTag("team:core"); err != nil {
		t.Errorf("ValidateUserTag: %v", err)
	}
	// Kong's own tag rule is applied elsewhere, to every tag: ValidateUserTag
	// adds only the reserved prefix.
	if kongschema.ValidateTag("a,b") == nil {
		t.Fatal(`kongschema.ValidateTag accepts "a,b": pick a tag Kong refuses`)
	}
	if err := ValidateUserTag("a,b"); err != nil {
		t.Errorf("ValidateUserTag applies Kong's tag rule: %v", err)
	}
}
