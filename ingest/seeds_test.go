package ingest_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"io/fs"
	"maps"
	"os"
	"slices"
	"testing"

	"dossier/ingest"
	"dossier/notes"
	"dossier/seeds"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the current output")

// seedMeta is the metadata of one seed as the golden file keeps it; the
// text is kept as its length and first line so the file stays readable.
type seedMeta struct {
	File      string `json:"file"`
	Title     string `json:"title"`
	Author    string `json:"author"`
	Source    string `json:"source"`
	URL       string `json:"url"`
	Published string `json:"published"`
	Precision string `json:"precision"`
	MediaType string `json:"media_type"`
	Importer  string `json:"importer"`
	SHA256    string `json:"sha256"`
	Size      int64  `json:"size"`
	TextLen   int    `json:"text_len"`
}

func parseSeeds(tb testing.TB) map[string]*notes.Document {
	tb.Helper()
	files, err := fs.Glob(seeds.FS, "*.txt")
	if err != nil || len(files) != 5 {
		tb.Fatalf("seeds: %d files, %v", len(files), err)
	}
	docs := map[string]*notes.Document{}
	for _, f := range files {
		data, err := fs.ReadFile(seeds.FS, f)
		if err != nil {
			tb.Fatal(err)
		}
		doc, err := ingest.Parse(f, data)
		if err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
		checkInvariants(tb, f, data, doc)
		if doc.Text != string(data) {
			tb.Errorf("%s: Text differs from the file; seeds are UTF-8 with LF and must be kept as is", f)
		}
		docs[f] = doc
	}
	return docs
}

func TestSeeds_Golden(t *testing.T) {
	docs := parseSeeds(t)
	var got []seedMeta
	for _, f := range slices.Sorted(maps.Keys(docs)) {
		d := docs[f]
		got = append(got, seedMeta{
			File: f, Title: d.Title, Author: d.Author, Source: d.Source, URL: d.URL,
			Published: d.Published.String(), Precision: d.Published.Precision.String(),
			MediaType: d.MediaType, Importer: d.Importer, SHA256: d.SHA256, Size: d.Size,
			TextLen: len(d.Text),
		})
	}
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	const golden = "testdata/seeds.golden.json"
	if *update {
		if err := os.WriteFile(golden, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./ingest -run TestSeeds_Golden -update)", err)
	}
	if !bytes.Equal(b, want) {
		t.Errorf("seed metadata differs from %s (rerun with -update if the change is intended):\n%s", golden, b)
	}
}

// TestSeeds_Metadata states the values the rest of Dossier relies on,
// independently of the golden file.
func TestSeeds_Metadata(t *testing.T) {
	docs := parseSeeds(t)
	d0 := docs["000_705ccf73183b0e5e.txt"]
	if got, want := d0.Title, "Kyrgyz President Emphasizes Strategic Role of Russian Airbase in Kant for Regional Stability"; got != want {
		t.Errorf("000 Title = %q, want %q", got, want)
	}
	for _, f := range []string{"000_705ccf73183b0e5e.txt", "001_004fef79e15e77f5.txt"} {
		if p := docs[f].Published; p.Known() {
			t.Errorf("%s Published = %v: these pieces carry no date and none may be guessed", f, p)
		}
	}
	d2 := docs["002_5937e69cfba3e3de.txt"]
	if got, want := d2.Title, "Kyrgyzstan Sticks Close to Russia"; got != want {
		t.Errorf("002 Title = %q, want %q", got, want)
	}
	if got, want := d2.URL, "https://iwpr.net/global-voices/kyrgyzstan-sticks-close-russia"; got != want {
		t.Errorf("002 URL = %q, want %q", got, want)
	}
	if got, want := d2.Author, "Leila Saralaeva"; got != want {
		t.Errorf("002 Author = %q, want %q", got, want)
	}
	if got, want := d2.Source, "iwpr.net"; got != want {
		t.Errorf("002 Source = %q, want %q", got, want)
	}
	if d2.Published.Known() {
		t.Errorf("002 Published = %v, want unknown (October 23 in the text is an event, not the dateline)", d2.Published)
	}
	for f, want := range map[string]notes.Date{
		"003_06371ef91ace98d5.txt": notes.DayDate(2023, 10, 11),
		"004_906f79ef549da850.txt": notes.DayDate(2023, 10, 4),
	} {
		if got := docs[f].Published; got != want {
			t.Errorf("%s Published = %v (%v), want %v (day)", f, got, got.Precision, want)
		}
	}
}
