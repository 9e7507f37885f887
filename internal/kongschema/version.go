package kongschema

import (
	"fmt"
	"strings"

	"github.com/kong/go-kong/kong"
)

// Version is the Kong Gateway whose rules apply: its release numbers and
// edition. Kong OSS reports three numbers at GET / ("3.4.2"), Kong Gateway
// Enterprise four ("3.10.0.6"), its fourth being Revision.
type Version struct {
	Major, Minor, Patch, Revision int
	Enterprise                    bool
}

// DefaultVersion is Kong OSS 3.10.0, the Kong kongschema's package-level
// functions and localkong follow unless told otherwise.
var DefaultVersion = Version{Major: 3, Minor: 10}

// planVersion is the newest Kong Gateway Enterprise rules are known for:
// PlanCheck takes a configuration when any Kong would, and leaves what a
// particular Kong lacks to Unsupported at apply time, once the connected
// Kong's version is known. Konnect accepts what it accepts.
var planVersion = Version{Major: 3, Minor: 10, Revision: 6, Enterprise: true}

// KonnectVersion is what a Konnect control plane accepts: Kong Gateway
// Enterprise's newest services and routes.
var KonnectVersion = planVersion

// ParseVersion reads a version as GET / reports it ("3.4.2", "3.10.0.6",
// "2.8.1.1-enterprise-edition"), with go-kong's parser. A pre-release
// suffix is dropped: "3.10.0-alpha.1" is 3.10.0.
func ParseVersion(s string) (Version, error) {
	kv, err := kong.ParseSemanticVersion(strings.TrimSpace(s))
	if err != nil {
		return Version{}, fmt.Errorf("not a Kong version: %q", s)
	}
	v := Version{Major: int(kv.Major()), Minor: int(kv.Minor()), Patch: int(kv.Patch()), Enterprise: kv.IsKongGatewayEnterprise()}
	// go-kong compares only three numbers when either side has three, so
	// the revision is kept here and compared by AtLeast.
	if rev, err := kv.Revision(); err == nil {
		v.Revision = int(rev)
	}
	return v, nil
}

// MustParseVersion is ParseVersion for constants.
func MustParseVersion(s string) Version {
	v, err := ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

// String is the version as Kong reports it: three numbers for Kong OSS,
// four for Kong Gateway Enterprise.
func (v Version) String() string {
	if v.Enterprise {
		return fmt.Sprintf("%d.%d.%d.%d", v.Major, v.Minor, v.Patch, v.Revision)
	}
	return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
}

// Edition is what GET / says of it since Kong 3.6: "enterprise" or "community".
func (v Version) Edition() string {
	if v.Enterprise {
		return "enterprise"
	}
	return "community"
}

// AtLeast compares all four numbers (an OSS version's revision is 0).
func (v Version) AtLeast(o Version) bool {
	a := [4]int{v.Major, v.Minor, v.Patch, v.Revision}
	b := [4]int{o.Major, o.Minor, o.Patch, o.Revision}
	for i := range a {
		if a[i] != b[i] {
			return a[i] > b[i]
		}
	}
	return true
}

// Describe names the version for messages: "Kong Gateway 3.4.2 (OSS)" or
// "Kong Gateway Enterprise 3.10.0.5".
func (v Version) Describe() string {
	if v.Enterprise {
		return "Kong Gateway Enterprise " + v.String()
	}
	return "Kong Gateway " + v.String() + " (OSS)"
}
