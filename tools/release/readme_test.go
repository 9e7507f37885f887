package release

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeProviderBlocks: the README's provider blocks are the ones the
// registry's index page shows (examples/provider/*/provider.tf, which
// `make examples` validates), so the two cannot drift apart.
func TestReadmeProviderBlocks(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(root, "examples/provider/*/provider.tf"))
	if err != nil {
		t.Fatal(err)
	}
	var examples []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		examples = append(examples, string(b))
	}
	blocks := regexp.MustCompile("(?s)```terraform\n(provider \"servicehub\" \\{\n.*?\n\\}\n)```").FindAllStringSubmatch(string(readme), -1)
	if len(blocks) != len(files) || len(files) < 3 {
		t.Fatalf("README.md has %d provider blocks, examples/provider has %d platforms (Kong, Enterprise, Konnect)", len(blocks), len(files))
	}
	for _, b := range blocks {
		found := false
		for _, ex := range examples {
			found = found || strings.Contains(ex, b[1])
		}
		if !found {
			t.Errorf("README.md's block\n%s\nis in none of examples/provider/*/provider.tf", b[1])
		}
	}
}
