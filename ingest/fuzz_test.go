package ingest_test

import (
	"encoding/hex"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"dossier/ingest"
	"dossier/notes"
	"dossier/seeds"
)

// addSeeds adds the testdata files matching the globs to the fuzz corpus.
func addSeeds(f *testing.F, globs ...string) {
	f.Helper()
	for _, g := range globs {
		files, err := filepath.Glob(filepath.Join("testdata", g))
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			f.Add(mustRead(f, file))
		}
	}
}

// fuzzParse is the property every importer keeps: no panic, and either a
// readable error or a document whose strings are valid UTF-8 and whose
// hash is the file's.
func fuzzParse(t *testing.T, name string, data []byte) {
	doc, err := ingest.Parse(name, data)
	if err != nil {
		var e *notes.Error
		if !errors.As(err, &e) || e.Kind != notes.EINVALID || e.Message == "" || doc != nil {
			t.Fatalf("Parse = %v, %#v: want nil and a *notes.Error of kind invalid", doc, err)
		}
		return
	}
	for field, s := range map[string]string{
		"Title": doc.Title, "Author": doc.Author, "Source": doc.Source,
		"URL": doc.URL, "Language": doc.Language, "Text": doc.Text,
	} {
		if !utf8.ValidString(s) {
			t.Fatalf("%s is not valid UTF-8: %q", field, s)
		}
	}
	if _, err := hex.DecodeString(doc.SHA256); err != nil || len(doc.SHA256) != 64 {
		t.Fatalf("SHA256 = %q, want 64 hex digits", doc.SHA256)
	}
	if doc.Size != int64(len(data)) {
		t.Fatalf("Size = %d, want %d", doc.Size, len(data))
	}
	if doc.Title == "" || utf8.RuneCountInString(doc.Title) > 201 {
		t.Fatalf("Title = %q, want 1 to ~200 runes", doc.Title)
	}
	if strings.TrimSpace(doc.Text) == "" {
		t.Fatalf("empty Text accepted")
	}
	if strings.Contains(doc.Text, "\r") && doc.MediaType != ingest.MediaEmail {
		t.Fatalf("Text keeps a CR: %q", doc.Text)
	}
}

func FuzzParseText(f *testing.F) {
	addSeeds(f, "text/*", "broken/*.txt")
	files, _ := fs.Glob(seeds.FS, "*.txt")
	for _, file := range files {
		b, _ := fs.ReadFile(seeds.FS, file)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, "f.txt", data) })
}

func FuzzParseMarkdown(f *testing.F) {
	addSeeds(f, "markdown/*", "broken/*.md")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, "f.md", data) })
}

func FuzzParseHTML(f *testing.F) {
	addSeeds(f, "html/*", "broken/*.html", "sniff/page")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, "f.html", data) })
}

func FuzzParseEmail(f *testing.F) {
	addSeeds(f, "email/*", "sniff/message")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, "f.eml", data) })
}

// FuzzParseSniffed feeds files without an extension, so sniffing picks the
// importer.
func FuzzParseSniffed(f *testing.F) {
	addSeeds(f, "sniff/*", "broken/*", "email/plain.eml", "html/news.html")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, "noext", data) })
}
