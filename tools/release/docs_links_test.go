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

// TestDocsLinks checks every link in the repository's Markdown pages
// (README.md, design/, internal/localkong/README.md) and in docs/. A link
// to the repository or a relative one must name a file that exists; none
// may point at this provider's registry pages, which do not exist before
// the first release. docs/ pages are served by the registry, at
// docs/<kind>/<name> without ".md": they link to each other relatively in
// that form (guides/verify-an-implementation from the index,
// ../resources/route from a guide), which works in every version of the
// docs, and to the rest of the repository absolutely.
func TestDocsLinks(t *testing.T) {
	pages := []string{"README.md", "internal/localkong/README.md"}
	for _, dir := range []string{"docs", "design"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
				rel, _ := filepath.Rel(root, p)
				pages = append(pages, rel)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
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
			case strings.HasPrefix(page, "docs/") && strings.HasPrefix(link, repoURL+"/blob/main/docs/"):
				t.Errorf("%s: %s: link another docs page relatively (e.g. ../guides/<name>), so the registry shows the same version's page", page, link)
			case strings.HasPrefix(link, repoURL+"/blob/main/"):
				target = strings.TrimPrefix(link, repoURL+"/blob/main/")
			case link == repoURL || strings.HasPrefix(link, repoURL+"#"):
			case strings.Contains(link, "://") || strings.HasPrefix(link, "#") || strings.HasPrefix(link, "mailto:"):
			case strings.HasPrefix(page, "docs/"):
				name, _, _ := strings.Cut(link, "#")
				if strings.HasSuffix(name, ".md") {
					t.Errorf("%s: relative link %s: the registry serves pages without .md; link %s", page, link, strings.TrimSuffix(name, ".md"))
					continue
				}
				target = filepath.Join(filepath.Dir(page), name) + ".md"
				if !strings.HasPrefix(target, "docs/") {
					t.Errorf("%s: relative link %s leaves docs/: link %s/blob/main/… instead", page, link, repoURL)
					continue
				}
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
