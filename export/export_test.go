package export_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"go.yaml.in/yaml/v3"

	"dossier/export"
	"dossier/notes"
	"dossier/project"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ from the current output")

var t0 = time.Date(2026, 11, 1, 9, 30, 0, 0, time.UTC)

// Fixed ids so the golden files do not change from run to run.
const (
	docIWPR   = "d0000000-0000-4000-8000-000000000001"
	docKabar  = "d0000000-0000-4000-8000-000000000002"
	docMemo   = "d0000000-0000-4000-8000-000000000003"
	noteBase  = "n0000000-0000-4000-8000-000000000001"
	noteClaim = "n0000000-0000-4000-8000-000000000002"
	noteOdd   = "n0000000-0000-4000-8000-000000000003"
	noteCon   = "n0000000-0000-4000-8000-000000000004"
	quote1    = "q0000000-0000-4000-8000-000000000001"
	quote2    = "q0000000-0000-4000-8000-000000000002"
	event1    = "e0000000-0000-4000-8000-000000000001"
	event2    = "e0000000-0000-4000-8000-000000000002"
)

// MustFixture builds a small project with every kind of item and the
// awkward cases: a title with characters no file system allows, a note
// named like a Windows device, two notes whose titles make the same file name, a
// link to a missing note, a link inside code, and an undated event.
func MustFixture(tb testing.TB) *project.Project {
	tb.Helper()
	ctx := context.Background()
	p, err := project.Open(ctx, filepath.Join(tb.TempDir(), "kant-airbase"), project.Options{NoSeeds: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { p.Close() })
	tx, err := p.DB().BeginLoad(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	sha := func(c byte) string { return strings.Repeat(string(c), 64) }
	must(tx.InsertDocument(&notes.Document{ID: docIWPR, Title: "Kyrgyzstan Sticks Close to Russia", Author: "Leila Saralaeva",
		Source: "IWPR", URL: "https://iwpr.net/global-voices/kyrgyzstan-sticks-close-russia", Published: notes.DayDate(2003, 10, 24),
		MediaType: "text/html", SHA256: sha('a'), Grade: "B2", GradeNote: "named local reporter", Tags: []string{"kant", "2003"},
		OriginalName: "iwpr.html", Importer: "html/1", ImportedAt: t0, Text: "…attended the October 23 opening ceremony of the base…"}))
	must(tx.InsertDocument(&notes.Document{ID: docKabar, Title: "Kant airbase: operational since 2017?", Source: "Kabar",
		Published: notes.MonthDate(2023, 10), MediaType: "text/plain", SHA256: sha('b'), Grade: "C3",
		OriginalName: "kabar.txt", Importer: "text/1", ImportedAt: t0, Text: "The base has been operational since 2017."}))
	must(tx.InsertDocument(&notes.Document{ID: docMemo, Title: "Leaked memo", MediaType: "message/rfc822", SHA256: sha('c'),
		OriginalName: "memo.eml", Importer: "email/1", ImportedAt: t0, Text: "Insiders say…", Pages: []int{0, 5}}))
	must(tx.PutNote(&notes.Note{ID: noteBase, Title: "Kant base history", Tags: []string{"kant", "history"}, Created: t0, Updated: t0.Add(time.Hour), Version: 2,
		Body: "The base opened in 2003 ([[source:" + docIWPR + "|IWPR]]), see [[quote:" + quote1 + "]].\n\n" +
			"Claims are in [[Claims: who/what?]] and [[Missing note]]; compare [[claims who WHAT|the other one]].\n\n" +
			"Code is not a link: `[[Kant base history]]`, nor is \\[[this]].\n\n```\n[[Neither]]\n```\n"}, ""))
	must(tx.PutNote(&notes.Note{ID: noteClaim, Title: "Claims: who/what?", Created: t0, Updated: t0, Version: 1,
		Body: "“Operational since 2017” — [[quote:" + quote2 + "|Kabar]] contradicts [[Kant base history#Opening|the history]]."}, ""))
	must(tx.PutNote(&notes.Note{ID: noteOdd, Title: "Claims who what", Created: t0, Updated: t0, Version: 1, Body: "Another title, the same file name."}, ""))
	must(tx.PutNote(&notes.Note{ID: noteCon, Title: "con", Created: t0, Updated: t0, Version: 1, Body: "A device name on Windows."}, ""))
	must(tx.PutNote(&notes.Note{ID: notes.NewID(), Title: "Deleted", Created: t0, Updated: t0, Version: 1, Body: "in the trash"}, t0.Format(time.RFC3339Nano)))
	must(tx.PutQuote(&notes.Quote{ID: quote1, DocID: docIWPR, Start: 14, End: 40, Exact: "October 23 opening ceremony", Prefix: "attended the ",
		Comment: "The opening date, *first hand*.", Tags: []string{"date"}, Created: t0, Updated: t0}))
	must(tx.PutQuote(&notes.Quote{ID: quote2, DocID: docKabar, Start: 19, End: 41, Exact: "operational since 2017", Page: 3, Created: t0, Updated: t0}))
	_, err = tx.PutRelation(&notes.Relation{ID: notes.NewID(), A: quote1, B: quote2, Kind: notes.RelContradicts, Created: t0})
	must(err)
	must(tx.PutEvent(&notes.Event{ID: event1, Label: "Base opens", Date: notes.DayDate(2003, 10, 23), Note: "Ceremony with both presidents.",
		Links: []string{docIWPR, quote1, noteBase}, Created: t0, Updated: t0}))
	must(tx.PutEvent(&notes.Event{ID: event2, Label: "Memo written", Links: []string{docMemo}, Created: t0, Updated: t0}))
	must(tx.Commit())
	return p
}

func MustExport(tb testing.TB, p *project.Project) string {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "vault")
	if _, err := export.Vault(context.Background(), p.DB(), dir, export.Options{Now: t0}); err != nil {
		tb.Fatal(err)
	}
	return dir
}

func walk(tb testing.TB, dir string) map[string][]byte {
	tb.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

func TestVault_Golden(t *testing.T) {
	got := walk(t, MustExport(t, MustFixture(t)))
	golden := filepath.Join("testdata", "vault")
	if *update {
		os.RemoveAll(golden)
		for name, b := range got {
			p := filepath.Join(golden, filepath.FromSlash(name))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := walk(t, golden)
	for name, b := range want {
		if g, ok := got[name]; !ok {
			t.Errorf("missing %s", name)
		} else if !bytes.Equal(g, b) {
			t.Errorf("%s differs from testdata/vault/%s (run go test ./export -update and review the diff):\n%s", name, name, g)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("unexpected file %s", name)
		}
	}
}

var wikilink = regexp.MustCompile(`\[\[([^\]|]+)(\|[^\]]*)?\]\]`)

// TestVault_EveryFileParsesAndEveryLinkResolves reads the vault as
// Obsidian and Pandoc would: YAML front matter through a YAML parser,
// Markdown through goldmark, and every link — Markdown links and
// [[wikilinks]], which Obsidian resolves by file name anywhere in the vault
// — must name a file of the vault.
func TestVault_EveryFileParsesAndEveryLinkResolves(t *testing.T) {
	dir := MustExport(t, MustFixture(t))
	files := walk(t, dir)
	byBase := map[string]int{}
	for name := range files {
		if strings.HasSuffix(name, ".md") {
			byBase[strings.ToLower(strings.TrimSuffix(path.Base(name), ".md"))]++
		}
	}
	md := goldmark.New()
	links := 0
	for name, b := range files {
		switch {
		case strings.HasSuffix(name, ".json"):
			var v []map[string]any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Errorf("%s: %v", name, err)
			}
			continue
		case !strings.HasSuffix(name, ".md"):
			continue
		}
		body := b
		if rest, ok := bytes.CutPrefix(b, []byte("---\n")); ok {
			fm, after, found := bytes.Cut(rest, []byte("\n---\n"))
			if !found {
				t.Errorf("%s: front matter not closed", name)
				continue
			}
			var meta map[string]any
			if err := yaml.Unmarshal(fm, &meta); err != nil {
				t.Errorf("%s: front matter: %v", name, err)
			}
			if meta["title"] == nil {
				t.Errorf("%s: front matter has no title: %v", name, meta)
			}
			body = after
		}
		if strings.HasPrefix(name, "notes/") {
			for _, k := range []string{"id", "title", "tags", "created", "updated"} {
				if !bytes.Contains(b, []byte("\n"+k+":")) {
					t.Errorf("%s: no %s in front matter", name, k)
				}
			}
		}
		doc := md.Parser().Parse(text.NewReader(body))
		err := ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			switch n := n.(type) {
			case *ast.Link:
				links++
				dest := string(n.Destination)
				if u, err := url.Parse(dest); err == nil && u.Scheme != "" {
					return ast.WalkContinue, nil // a web link
				}
				target := path.Join(path.Dir(name), strings.SplitN(dest, "#", 2)[0])
				if _, ok := files[target]; !ok {
					t.Errorf("%s: link to %q finds no file (%s)", name, dest, target)
				}
			}
			return ast.WalkContinue, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// CommonMark has no wikilinks (goldmark splits them into text at
		// the brackets), so they are found in the text: every one outside
		// code and not escaped must name exactly one file.
		for _, ix := range wikilink.FindAllSubmatchIndex(body, -1) {
			m := string(body[ix[0]:ix[1]])
			if ix[0] > 0 && body[ix[0]-1] == '\\' || bytes.Contains(body, []byte("`"+m+"`")) || m == "[[Neither]]" {
				continue // escaped or in code, as written in the fixture
			}
			links++
			target := string(body[ix[2]:ix[3]])
			base := strings.ToLower(strings.SplitN(target, "#", 2)[0])
			if byBase[base] != 1 {
				t.Errorf("%s: [[%s]] resolves to %d files", name, target, byBase[base])
			}
		}
	}
	if links < 20 {
		t.Errorf("only %d links checked; the walk is not seeing them", links)
	}
}

func TestVault_RefusesNonEmptyFolder(t *testing.T) {
	p := MustFixture(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "keep.md"), []byte("mine"), 0o644)
	if _, err := export.Vault(context.Background(), p.DB(), dir, export.Options{}); err == nil || notes.ErrorKind(err) != notes.EINVALID {
		t.Fatalf("err = %v, want EINVALID", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "keep.md")); string(b) != "mine" {
		t.Fatal("folder changed")
	}
}

func TestNotes_SingleFileGolden(t *testing.T) {
	p := MustFixture(t)
	var buf bytes.Buffer
	if err := export.Notes(context.Background(), p.DB(), []string{noteBase, "Claims: who/what?"}, &buf); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "notes.md")
	if *update {
		os.WriteFile(golden, buf.Bytes(), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("single-file export differs from %s (run with -update and review):\n%s", golden, buf.String())
	}
	if _, err := goldmark.New().Parser().Parse(text.NewReader(buf.Bytes())), error(nil); err != nil {
		t.Fatal(err)
	}
	if err := export.Notes(context.Background(), p.DB(), []string{"no such note"}, &buf); notes.ErrorKind(err) != notes.ENOTFOUND {
		t.Errorf("unknown note: err = %v, want ENOTFOUND", err)
	}
}
