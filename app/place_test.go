package app

import (
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestPlaceField_ValidatesNameAndNamesThePath(t *testing.T) {
	parent := t.TempDir()
	if err := os.MkdirAll(filepath.Join(parent, "full", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(parent, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	p := newPlaceField(w, parent, "name the folder", nonEmptyDir("not empty"))
	for name, want := range map[string]string{
		"":        "name the folder",
		"a/b":     "a name cannot contain / \\ or :",
		"full":    "not empty",
		"empty":   "",
		" fresh ": "",
	} {
		err := p.name.Validator(name)
		if got := ""; err != nil {
			got = err.Error()
			if got != want {
				t.Errorf("%q: %q, want %q", name, got, want)
			}
		} else if want != "" {
			t.Errorf("%q: accepted, want %q", name, want)
		}
	}
	p.name.SetText(" fresh ")
	if got := p.Path(); got != filepath.Join(parent, "fresh") {
		t.Fatalf("Path() = %q", got)
	}
}
