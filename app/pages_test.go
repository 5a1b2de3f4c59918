package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dossier/notes"
	"dossier/project"
	"dossier/store"
)

// importPDF imports a PDF from ingest's test data into p and returns its
// document.
func importPDF(tb testing.TB, p *project.Project, name string) *notes.Document {
	tb.Helper()
	rep, err := p.Import(context.Background(), []string{filepath.Join("..", "ingest", "testdata", "pdf", name)}, nil)
	if err != nil || len(rep.Imported) != 1 {
		tb.Fatalf("import %s: %+v, %v", name, rep, err)
	}
	d, err := p.Store.Document(context.Background(), rep.Imported[0].ID)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func TestUI_PDFHitsSayTheirPageAndTheReaderGoesToPages(t *testing.T) {
	p := mustOpenProject(t)
	u, l := newTestUI(t, p, Options{})
	doc := importPDF(t, p, "fontconfig-user.pdf")
	u.reloadLibrary()
	l.until(t, "the library to list the PDF", func() bool { return len(u.docs) == 6 })

	q := `"Brief information about font matching"`
	typeQuery(u, q)
	waitResults(t, u, l, q)
	if len(u.results.hits) != 1 || u.results.hits[0].ID != doc.ID {
		t.Fatalf("hits %+v, want the PDF", u.results.hits)
	}
	s := u.results.hits[0].Snippets[0]
	parts := u.results.withPage(doc.ID, s, snippetParts(s, 70))
	if got := parts[0].text; got != "p. 4  " {
		t.Fatalf("snippet starts with %q, want its page, p. 4", got)
	}

	press(u, fyne.KeyReturn)
	l.until(t, "the reader to open the PDF", func() bool { return u.reader.Doc() != nil && u.reader.Doc().ID == doc.ID })
	if !u.reader.pages.box.Visible() || !u.reader.pages.goBtn.Visible() {
		t.Fatal("the page bar is hidden for a PDF")
	}
	if got := len(u.reader.view.tv.pages.starts); got != 15 {
		t.Fatalf("reader knows %d page starts, want 15", got)
	}
	u.reader.GoToPage(7)
	if got := u.reader.CurrentPage(); got != 7 {
		t.Fatalf("after GoToPage(7) the page in view is %d", got)
	}
	if got := u.reader.pages.label.Text; got != "Page 7 of 15" {
		t.Fatalf("page label %q, want Page 7 of 15", got)
	}
	// The rule above page 7 is drawn, labelled with its number.
	if got := rulesInView(u); !contains(got, "p. 7") {
		t.Fatalf("page rules in view %v, want p. 7 among them", got)
	}
	u.reader.GoToPage(99) // past the end: the last page, as far as the view scrolls
	if got := rulesInView(u); !contains(got, "p. 15") {
		t.Fatalf("GoToPage(99) shows rules %v, want the last page's", got)
	}

	// Ctrl+L asks for a page; typing it and Enter goes there.
	u.handleShortcut(shortcut(fyne.KeyL, ctrl))
	if top := u.win.Canvas().Overlays().Top(); top == nil {
		t.Fatal("Ctrl+L shows no Go to page dialog")
	}
	e, ok := u.win.Canvas().Focused().(*widget.Entry)
	if !ok {
		t.Fatalf("focus on %T, want the page field", u.win.Canvas().Focused())
	}
	test.Type(e, "3")
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if got := u.reader.CurrentPage(); got != 3 {
		t.Fatalf("after typing 3 and Enter the page in view is %d", got)
	}
	if top := u.win.Canvas().Overlays().Top(); top != nil {
		t.Fatal("the Go to page dialog stays open")
	}

	// A document without pages shows only Open original.
	seeds := u.docs[0]
	for _, d := range u.docs {
		if len(d.Pages) == 0 {
			seeds = d
		}
	}
	u.reader.Open(seeds.ID, "")
	l.until(t, "the reader to open a seed", func() bool { return u.reader.Doc() != nil && u.reader.Doc().ID == seeds.ID })
	if u.reader.pages.goBtn.Visible() || !u.reader.pages.open.Visible() || u.reader.CurrentPage() != 0 {
		t.Fatal("a text without pages offers Go to page, or lacks Open original")
	}
}

func rulesInView(u *UI) []string {
	var labels []string
	if r := u.reader.view.tv.r; r != nil {
		for _, lb := range r.rules.labels {
			if lb.Visible() {
				labels = append(labels, lb.Text)
			}
		}
	}
	return labels
}

func contains(ss []string, s string) bool {
	for _, v := range ss {
		if v == s {
			return true
		}
	}
	return false
}

func TestParsePage(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{{"3", 3, true}, {" p. 12 ", 12, true}, {"0", 0, false}, {"16", 0, false}, {"x", 0, false}} {
		got, err := parsePage(tc.in, 15)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("parsePage(%q)=%d, %v", tc.in, got, err)
		}
	}
}

func TestOpenCommand_PassesThePageWhereTheViewerTakesOne(t *testing.T) {
	for _, tc := range []struct {
		goos, viewer string
		page         int
		want         []string
	}{
		{"linux", "org.gnome.Evince.desktop", 12, []string{"evince", "--page-index=12", "/t/a.pdf"}},
		{"linux", "okularApplication_pdf.desktop", 3, []string{"okular", "--page", "3", "/t/a.pdf"}},
		{"linux", "org.pwmt.zathura-pdf-mupdf.desktop", 2, []string{"zathura", "--page=2", "/t/a.pdf"}},
		{"linux", "firefox.desktop", 5, []string{"xdg-open", "/t/a.pdf"}},
		{"linux", "org.gnome.Evince.desktop", 0, []string{"xdg-open", "/t/a.pdf"}},
		{"darwin", "", 5, []string{"open", "/t/a.pdf"}},
		{"windows", "", 5, []string{"rundll32", "url.dll,FileProtocolHandler", "/t/a.pdf"}},
	} {
		name, args := openCommand(tc.goos, tc.viewer, "/t/a.pdf", tc.page)
		if got := append([]string{name}, args...); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s %s p.%d: %q, want %q", tc.goos, tc.viewer, tc.page, got, tc.want)
		}
	}
}

func TestViewableCopy_NamesTheOriginalLikeTheImportedFile(t *testing.T) {
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	data := []byte("%PDF-1.7 original")
	h := sha256.Sum256(data)
	sha := hex.EncodeToString(h[:])
	if err := st.PutOriginals([]notes.Original{{SHA256: sha, Data: data}}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(filepath.Join(os.TempDir(), "dossier-originals", sha[:16])) })
	got, err := viewableCopy(st, "../../Report 2023.pdf", sha)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(got) != "Report 2023.pdf" || !strings.HasPrefix(got, os.TempDir()) {
		t.Fatalf("copy at %s", got)
	}
	if b, _ := os.ReadFile(got); string(b) != string(data) {
		t.Fatalf("copy holds %q", b)
	}
	again, err := viewableCopy(st, "../../Report 2023.pdf", sha)
	if err != nil || again != got {
		t.Fatalf("second copy %s, %v; want the first reused", again, err)
	}
	if _, err := viewableCopy(st, "x.pdf", strings.Repeat("cd", 32)); notes.ErrorKind(err) != notes.ENOTFOUND {
		t.Fatalf("missing original: %v, want not found", err)
	}
}
