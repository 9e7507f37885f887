package provider

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"
)

// The acceptance tests run whichever CLI TF_ACC_TERRAFORM_PATH names (else
// the terraform on PATH). Resource identity needs Terraform 1.12 and list
// resources (terraform query) Terraform 1.14; OpenTofu has neither. The
// tests of those skip, saying why and how to run them: make test runs them
// with Terraform 1.14 (scripts/terraform-1.14.sh).

// cliVersion is the CLI's name ("Terraform" or "OpenTofu") and version.
type cliVersion struct {
	name         string
	major, minor int
	text         string // e.g. "Terraform v1.14.2"
}

var cliVersionRE = regexp.MustCompile(`^(Terraform|OpenTofu) v(\d+)\.(\d+)\.\S*`)

// parseCLIVersion reads the first line of `terraform version` (or tofu's).
func parseCLIVersion(out string) (cliVersion, error) {
	m := cliVersionRE.FindStringSubmatch(out)
	if m == nil {
		return cliVersion{}, fmt.Errorf("unrecognised version output %q", out)
	}
	major, _ := strconv.Atoi(m[2])
	minor, _ := strconv.Atoi(m[3])
	return cliVersion{name: m[1], major: major, minor: minor, text: m[0]}, nil
}

func (v cliVersion) atLeast(major, minor int) bool {
	return v.name == "Terraform" && (v.major > major || v.major == major && v.minor >= minor)
}

var testCLI struct {
	once sync.Once
	v    cliVersion
	err  error
}

// acceptanceCLI is the version of the CLI the acceptance tests run, asked
// once.
func acceptanceCLI() (cliVersion, error) {
	testCLI.once.Do(func() {
		tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
		if tf == "" {
			if tf, testCLI.err = exec.LookPath("terraform"); testCLI.err != nil {
				return
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, tf, "version")
		cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
		out, err := cmd.Output()
		if err != nil {
			testCLI.err = fmt.Errorf("%s version: %w", tf, err)
			return
		}
		testCLI.v, testCLI.err = parseCLIVersion(string(out))
	})
	return testCLI.v, testCLI.err
}

// needsTerraform skips an acceptance test unless its CLI is Terraform
// major.minor or later; feature says what needs it.
func needsTerraform(t *testing.T, major, minor int, feature string) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	v, err := acceptanceCLI()
	if err != nil {
		t.Fatal(err)
	}
	if v.atLeast(major, minor) {
		return
	}
	if v.name == "OpenTofu" {
		skipBecause(t, fmt.Sprintf("%s needs Terraform %d.%d or later; %s has none", feature, major, minor, v.text))
	}
	skipBecause(t, fmt.Sprintf("%s needs Terraform %d.%d or later, and this run's CLI is %s "+
		"(make test runs these tests with Terraform 1.14: TF_ACC_TERRAFORM_PATH=$(scripts/terraform-1.14.sh))", feature, major, minor, v.text))
}

// The features, as the skips name them.
const (
	identityFeature = "resource identity (import by identity)"
	queryFeature    = "terraform query (list resources)"
)

func TestParseCLIVersion(t *testing.T) {
	for out, want := range map[string]cliVersion{
		"Terraform v1.14.2\non linux_amd64\n": {"Terraform", 1, 14, "Terraform v1.14.2"},
		"Terraform v1.11.4\non linux_amd64":   {"Terraform", 1, 11, "Terraform v1.11.4"},
		"OpenTofu v1.10.6\non linux_amd64":    {"OpenTofu", 1, 10, "OpenTofu v1.10.6"},
		"Terraform v1.15.0-alpha20260101\n":   {"Terraform", 1, 15, "Terraform v1.15.0-alpha20260101"},
	} {
		got, err := parseCLIVersion(out)
		if err != nil || got != want {
			t.Errorf("parseCLIVersion(%q) = %+v, %v; want %+v", out, got, err, want)
		}
	}
	if _, err := parseCLIVersion("tofu 1.10"); err == nil {
		t.Error("an unrecognised output parsed")
	}
	for _, c := range []struct {
		v            cliVersion
		major, minor int
		want         bool
	}{
		{cliVersion{name: "Terraform", major: 1, minor: 14}, 1, 14, true},
		{cliVersion{name: "Terraform", major: 1, minor: 13}, 1, 14, false},
		{cliVersion{name: "Terraform", major: 2, minor: 0}, 1, 14, true},
		{cliVersion{name: "Terraform", major: 1, minor: 12}, 1, 12, true},
		{cliVersion{name: "OpenTofu", major: 1, minor: 14}, 1, 14, false},
	} {
		if got := c.v.atLeast(c.major, c.minor); got != c.want {
			t.Errorf("%+v.atLeast(%d, %d) = %v", c.v, c.major, c.minor, got)
		}
	}
}
