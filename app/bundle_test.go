package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// overlayTexts returns every label's text in the topmost dialog.
func overlayTexts(u *UI) string {
	top := u.win.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	var b strings.Builder
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			b.WriteString(w.Text + "\n")
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range cache(w) {
				walk(c)
			}
		}
	}
	walk(top)
	return b.String()
}

func cache(w fyne.Widget) []fyne.CanvasObject {
	return w.CreateRenderer().Objects()
}

func TestUI_FileMenuOffersExportAndBundles(t *testing.T) {
	u, _ := newTestUI(t, mustOpenProject(t), Options{})
	var labels []string
	for _, it := range u.menus.Items[0].Items {
		labels = append(labels, it.Label)
		if it.Label == "Export" {
			for _, c := range it.ChildMenu.Items {
				labels = append(labels, "Export/"+c.Label)
			}
		}
	}
	got := strings.Join(labels, ",")
	for _, want := range []string{"Export/Markdown vault…", "Export/Notes to one Markdown file…", "Share bundle…", "Open bundle…"} {
		if !strings.Contains(got, want) {
			t.Errorf("File menu %q lacks %q", got, want)
		}
	}
}

func TestUI_ShareThenMergeBundleReportsWhatHappened(t *testing.T) {
	u, l := newTestUI(t, mustOpenProject(t), Options{})
	path := filepath.Join(t.TempDir(), "kant.dossier")
	u.shareBundle(path)
	l.until(t, "the bundle to be written", func() bool { return strings.HasPrefix(u.status.Text, "Bundle written") })
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	if got := overlayTexts(u); !strings.Contains(got, "5 sources") {
		t.Errorf("share dialog says %q", got)
	}
	u.mergeBundle(path)
	l.until(t, "the merge report", func() bool { return strings.Contains(overlayTexts(u), "Bundle merged") })
	if got := overlayTexts(u); !strings.Contains(got, "Added: nothing") || !strings.Contains(got, "Unchanged: 5 sources") {
		t.Errorf("merge report says %q", got)
	}
	if len(u.library.shown) != 5 {
		t.Errorf("library lists %d sources after a self-merge, want 5", len(u.library.shown))
	}
}

func TestUI_MergeOfDamagedBundleShowsErrorAndChangesNothing(t *testing.T) {
	u, l := newTestUI(t, mustOpenProject(t), Options{})
	path := filepath.Join(t.TempDir(), "junk.dossier")
	os.WriteFile(path, []byte("not a zip at all"), 0o644)
	u.mergeBundle(path)
	l.until(t, "an error dialog", func() bool { return strings.Contains(overlayTexts(u), "not a zip") })
	if len(u.library.shown) != 5 {
		t.Errorf("library lists %d sources, want 5", len(u.library.shown))
	}
}

func TestUI_ExportVaultWritesFolder(t *testing.T) {
	u, l := newTestUI(t, mustOpenProject(t), Options{})
	dir := filepath.Join(t.TempDir(), "vault")
	u.exportVault(dir)
	l.until(t, "the export to finish", func() bool { return strings.HasPrefix(u.status.Text, "Exported to") })
	if _, err := os.Stat(filepath.Join(dir, "index.md")); err != nil {
		t.Fatal(err)
	}
	if got := overlayTexts(u); !strings.Contains(got, "5 sources") {
		t.Errorf("export dialog says %q", got)
	}
}
