package release

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// repoURL is where the repository's files are read on GitHub: links of
// this form work in the repository, on the registry, and before the first
// release.
const repoURL = "https://github.com/servicehub/terraform-provider-servicehub"

var mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// TestDocsLinks checks every link in README.md and docs/: a link to the
// repository or a relative one must name a file that exists; none may
// point at this provider's registry pages, which do not exist before the
// first release; and docs/ pages, which the registry serves at other paths
// than the repository's, link to the repository absolutely.
func TestDocsLinks(t *testing.T) {
	pages := []string{"README.md"}
	err := filepath.WalkDir(filepath.Join(root, "docs"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			rel, _ := filepath.Rel(root, p)
			pages = append(pages, rel)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, page := range pages {
		b, err := os.ReadFile(filepath.Join(root, page))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mdLink.FindAllStringSubmatch(string(b), -1) {
			link := m[1]
			target := ""
			switch {
			case strings.HasPrefix(link, "https://registry.terraform.io/providers/servicehub/"):
				t.Errorf("%s: %s is a registry page, which exists only after a release; link %s/blob/main/… instead", page, link, repoURL)
			case strings.HasPrefix(link, repoURL+"/blob/main/"):
				target = strings.TrimPrefix(link, repoURL+"/blob/main/")
			case link == repoURL || strings.HasPrefix(link, repoURL+"#"):
			case strings.Contains(link, "://") || strings.HasPrefix(link, "#") || strings.HasPrefix(link, "mailto:"):
			case strings.HasPrefix(page, "docs/"):
				t.Errorf("%s: relative link %s: the registry serves docs/ at other paths; link %s/blob/main/… instead", page, link, repoURL)
			default:
				target = filepath.Join(filepath.Dir(page), link)
			}
			if target == "" {
				continue
			}
			target, _, _ = strings.Cut(target, "#")
			if _, err := os.Stat(filepath.Join(root, target)); err != nil {
				t.Errorf("%s: link %s: no file %s in the repository", page, link, target)
			}
			checked++
		}
	}
	if checked < 5 {
		t.Errorf("only %d links checked: is the link pattern still right?", checked)
	}
}
