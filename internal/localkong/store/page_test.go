package store

import "testing"

func TestTagFilterSyntax(t *testing.T) {
	for s, want := range map[string]bool{
		"a": true, "a,b": true, "a,": true, ",a": false, "a,,b": false, "a b": true,
		"a/b": false, "\x1f": false, "é": true,
	} {
		if got := tagFilterOK(s, ','); got != want {
			t.Errorf("tagFilterOK(%q, ',') = %v", s, got)
		}
	}
	if !tagFilterOK("a/b", '/') || tagFilterOK("a,b", '/') {
		t.Errorf("OR syntax")
	}
}
