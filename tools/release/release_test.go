package release

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

const root = "../.."

type config struct {
	Version int     `yaml:"version"`
	Builds  []build `yaml:"builds"`
	Archive []struct {
		ID           string   `yaml:"id"`
		IDs          []string `yaml:"ids"`
		Formats      []string `yaml:"formats"`
		NameTemplate string   `yaml:"name_template"`
	} `yaml:"archives"`
	Checksum struct {
		IDs          []string    `yaml:"ids"`
		NameTemplate string      `yaml:"name_template"`
		Algorithm    string      `yaml:"algorithm"`
		ExtraFiles   []extraFile `yaml:"extra_files"`
	} `yaml:"checksum"`
	Signs []struct {
		Artifacts string   `yaml:"artifacts"`
		Args      []string `yaml:"args"`
	} `yaml:"signs"`
	Release struct {
		ExtraFiles []extraFile `yaml:"extra_files"`
	} `yaml:"release"`
}

type build struct {
	ID      string   `yaml:"id"`
	Main    string   `yaml:"main"`
	Binary  string   `yaml:"binary"`
	Env     []string `yaml:"env"`
	Flags   []string `yaml:"flags"`
	Ldflags []string `yaml:"ldflags"`
	Goos    []string `yaml:"goos"`
	Goarch  []string `yaml:"goarch"`
}

type extraFile struct {
	Glob         string `yaml:"glob"`
	NameTemplate string `yaml:"name_template"`
}

const manifestName = "{{ .ProjectName }}_{{ .Version }}_manifest.json"

func load(t *testing.T) config {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, ".goreleaser.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var c config
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf(".goreleaser.yml: %v", err)
	}
	if c.Version != 2 {
		t.Errorf("version = %d, want 2 (goreleaser v2)", c.Version)
	}
	return c
}

func (c config) build(t *testing.T, id string) build {
	t.Helper()
	for _, b := range c.Builds {
		if b.ID == id {
			return b
		}
	}
	t.Fatalf("no build %q", id)
	return build{}
}

func hasManifest(files []extraFile) bool {
	return slices.Contains(files, extraFile{Glob: "terraform-registry-manifest.json", NameTemplate: manifestName})
}

func TestProviderRelease(t *testing.T) {
	c := load(t)

	b := c.build(t, "provider")
	// The registry installs terraform-provider-<name>_v<version> from the zip.
	if b.Binary != "{{ .ProjectName }}_v{{ .Version }}" {
		t.Errorf("provider binary = %q", b.Binary)
	}
	if b.Main != "" && b.Main != "." {
		t.Errorf("provider main = %q, want the module root", b.Main)
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") || !slices.Contains(b.Flags, "-trimpath") {
		t.Errorf("provider build is not static and reproducible: env %q, flags %q", b.Env, b.Flags)
	}
	if !strings.Contains(strings.Join(b.Ldflags, " "), "-X main.version={{ .Version }}") {
		t.Errorf("ldflags %q do not set main.version", b.Ldflags)
	}
	for _, goos := range []string{"linux", "darwin", "windows", "freebsd"} {
		if !slices.Contains(b.Goos, goos) {
			t.Errorf("provider not built for %s", goos)
		}
	}
	for _, arch := range []string{"amd64", "arm64"} {
		if !slices.Contains(b.Goarch, arch) {
			t.Errorf("provider not built for %s", arch)
		}
	}

	var zipped bool
	for _, a := range c.Archive {
		if !slices.Contains(a.IDs, "provider") {
			continue
		}
		zipped = true
		if !slices.Equal(a.Formats, []string{"zip"}) {
			t.Errorf("provider archive formats = %q, want [zip]", a.Formats)
		}
		if a.NameTemplate != "{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}" {
			t.Errorf("provider archive name = %q", a.NameTemplate)
		}
	}
	if !zipped {
		t.Error("no archive of the provider build")
	}

	if c.Checksum.NameTemplate != "{{ .ProjectName }}_{{ .Version }}_SHA256SUMS" || c.Checksum.Algorithm != "sha256" {
		t.Errorf("checksum = %q (%s), want <name>_<version>_SHA256SUMS (sha256)", c.Checksum.NameTemplate, c.Checksum.Algorithm)
	}
	// Without ids goreleaser rewrites the sums after signing to add the
	// signature, and the signature no longer verifies.
	var archives []string
	for _, a := range c.Archive {
		archives = append(archives, a.ID)
	}
	if !slices.Equal(c.Checksum.IDs, archives) {
		t.Errorf("checksum.ids = %q, want the archives %q", c.Checksum.IDs, archives)
	}
	// The manifest is both listed in SHA256SUMS and uploaded as a release asset.
	if !hasManifest(c.Checksum.ExtraFiles) {
		t.Errorf("checksum.extra_files %+v lacks the manifest", c.Checksum.ExtraFiles)
	}
	if !hasManifest(c.Release.ExtraFiles) {
		t.Errorf("release.extra_files %+v lacks the manifest", c.Release.ExtraFiles)
	}

	var signed bool
	for _, s := range c.Signs {
		if s.Artifacts == "checksum" && slices.Contains(s.Args, "--detach-sign") {
			signed = true
		}
	}
	if !signed {
		t.Errorf("signs %+v: want a detached signature of the checksum file", c.Signs)
	}
}

func TestRegistryManifest(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, "terraform-registry-manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m.Version != 1 || !slices.Equal(m.Metadata.ProtocolVersions, []string{"6.0"}) {
		t.Errorf("manifest = %+v, want version 1 and protocol_versions [6.0]", m)
	}
	// Protocol 6 is what the plugin framework's providerserver serves, or
	// its protocol 6 server served by tf6server: main.go hands over to
	// internal/server, which does that.
	mainSrc, err := os.ReadFile(filepath.Join(root, "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(root, "internal", "server", "serve.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(mainSrc), "server.Serve(") ||
		!(strings.Contains(string(src), "tf6server.Serve(") && strings.Contains(string(src), "providerserver.NewProtocol6(")) {
		t.Error("main.go does not serve the provider with providerserver's protocol 6 server (through internal/server)")
	}
}

// TestLocalkongRelease: localkong ships as its own archive for module
// authors' CI, built from a main package that exists.
func TestLocalkongRelease(t *testing.T) {
	c := load(t)
	b := c.build(t, "localkong")
	if b.Binary != "localkong" {
		t.Errorf("localkong binary = %q", b.Binary)
	}
	src, err := os.ReadFile(filepath.Join(root, b.Main, "main.go"))
	if err != nil {
		t.Fatalf("localkong main %q: %v", b.Main, err)
	}
	if !strings.Contains(string(src), "package main") {
		t.Errorf("%s is not a main package", b.Main)
	}
	var archived bool
	for _, a := range c.Archive {
		if slices.Equal(a.IDs, []string{"localkong"}) && strings.HasPrefix(a.NameTemplate, "localkong_") {
			archived = true
		}
	}
	if !archived {
		t.Error("no archive of its own for localkong")
	}
}
