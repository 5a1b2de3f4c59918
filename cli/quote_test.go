package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type quoteOut struct {
	ID, Doc, Exact, Prefix, Suffix, Comment, Title, Color string
	Start, End                                            int
	Orphaned                                              bool
	Tags                                                  []string
	Relations                                             []struct{ ID, A, B, Kind, Note string }
}

func quotesJSON(t *testing.T, dir string, args ...string) []quoteOut {
	t.Helper()
	code, out, errs := run(t, dir, append([]string{"quotes", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("quotes --json: %d %s", code, errs)
	}
	var qs []quoteOut
	if err := json.Unmarshal([]byte(out), &qs); err != nil {
		t.Fatalf("quotes --json is not JSON: %v\n%s", err, out)
	}
	return qs
}

// runeSpan finds sub in the document's text and returns its offsets in
// code points, the way a user of the CLI counts them.
func runeSpan(t *testing.T, text, sub string) (int, int) {
	t.Helper()
	b := strings.Index(text, sub)
	if b < 0 {
		t.Fatalf("%q not in text", sub)
	}
	s := len([]rune(text[:b]))
	return s, s + len([]rune(sub))
}

func showText(t *testing.T, dir, id string) string {
	t.Helper()
	code, out, errs := run(t, dir, "show", "--json", id)
	if code != 0 {
		t.Fatalf("show: %s", errs)
	}
	var d doc
	if err := json.Unmarshal([]byte(out), &d); err != nil || d.Text == nil {
		t.Fatalf("show --json: %v", err)
	}
	return *d.Text
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestQuoteCommands_AddListRelateDelete(t *testing.T) {
	dir := t.TempDir()
	// The seeds' disagreement: one says the base has been operational
	// since 2017, another reports its opening ceremony in 2003.
	var d001, d002 doc
	var text1, text2 string
	for _, d := range seedDocs(t, dir) {
		switch text := showText(t, dir, d.ID); {
		case strings.Contains(text, "operational since 2017"):
			d001, text1 = d, text
		case strings.Contains(text, "October 23"):
			d002, text2 = d, text
		}
	}
	if d001.ID == "" || d002.ID == "" {
		t.Fatal("seed documents missing")
	}
	s1, e1 := runeSpan(t, text1, "operational since 2017")
	s2, e2 := runeSpan(t, text2, "October 23")

	code, out, errs := run(t, dir, "quote", "add", "--doc", d001.ID, "--start", itoa(s1), "--end", itoa(e1),
		"--comment", "contradicts the 2003 ceremony", "--tags", "dates, kant", "--json")
	if code != 0 {
		t.Fatalf("quote add: %d %s", code, errs)
	}
	var a quoteOut
	if err := json.Unmarshal([]byte(out), &a); err != nil || a.Exact != "operational since 2017" || a.Start != s1 || a.End != e1 {
		t.Fatalf("quote add --json: %v %+v", err, a)
	}
	code, out, errs = run(t, dir, "quote", "add", "--doc", d002.ID, "--start", itoa(s2), "--end", itoa(e2))
	if code != 0 || !strings.Contains(out, `"October 23"`) {
		t.Fatalf("quote add: %d %s %s", code, out, errs)
	}

	qs := quotesJSON(t, dir)
	if len(qs) != 2 {
		t.Fatalf("%d quotes, want 2", len(qs))
	}
	q, b := qs[0], qs[1]
	if q.Doc != d001.ID || q.Exact != "operational since 2017" || q.Start != s1 || q.End != e1 || q.Orphaned ||
		q.Prefix == "" || q.Suffix == "" || q.Title != d001.Title || strings.Join(q.Tags, ",") != "dates,kant" {
		t.Errorf("quotes --json [0] = %+v", q)
	}
	// Offsets are code points: the text's runes at them are the exact text.
	if got := string([]rune(text1)[q.Start:q.End]); got != q.Exact {
		t.Errorf("text at %d–%d is %q", q.Start, q.End, got)
	}
	if got := quotesJSON(t, dir, "--doc", d002.ID); len(got) != 1 || got[0].ID != b.ID {
		t.Errorf("--doc filter: %+v", got)
	}
	if got := quotesJSON(t, dir, "--tag", "KANT"); len(got) != 1 || got[0].ID != q.ID {
		t.Errorf("--tag filter: %+v", got)
	}

	if code, _, errs := run(t, dir, "quote", "relate", q.ID, b.ID, "--contradicts", "--note", "2017 vs 2003"); code != 0 {
		t.Fatalf("quote relate: %s", errs)
	}
	if code, _, errs := run(t, dir, "quote", "relate", b.ID, q.ID, "--contradicts"); code != 1 || !strings.Contains(errs, "already marked") {
		t.Errorf("duplicate relation: %d %s", code, errs)
	}
	qs = quotesJSON(t, dir)
	if len(qs[0].Relations) != 1 || qs[0].Relations[0].Kind != "contradicts" || qs[0].Relations[0].B != b.ID || qs[0].Relations[0].Note != "2017 vs 2003" {
		t.Errorf("relations: %+v", qs[0].Relations)
	}

	// Quotes are found by search, under their source.
	code, out, _ = run(t, dir, "search", "--json", `"operational since 2017" type:quote`)
	if code != 0 || !strings.Contains(out, q.ID) || !strings.Contains(out, `"type": "quote"`) {
		t.Errorf("search for the quote: %s", out)
	}

	if code, _, errs := run(t, dir, "quote", "edit", q.ID, "--color", "red", "--comment", ""); code != 0 {
		t.Fatalf("quote edit: %s", errs)
	}
	if qs = quotesJSON(t, dir, "--doc", d001.ID); qs[0].Color != "red" || qs[0].Comment != "" || len(qs[0].Tags) != 2 {
		t.Errorf("after edit: %+v", qs[0])
	}

	if code, out, errs := run(t, dir, "quote", "delete", q.ID); code != 0 || !strings.Contains(out, "Deleted") {
		t.Fatalf("quote delete: %d %s", code, errs)
	}
	if qs = quotesJSON(t, dir); len(qs) != 1 || len(qs[0].Relations) != 0 {
		t.Errorf("after delete: %+v", qs)
	}
	code, out, _ = run(t, dir, "search", "--json", "type:quote")
	if strings.Contains(out, q.ID) {
		t.Errorf("deleted quote still found: %s", out)
	}
}

func TestQuoteCommands_Errors(t *testing.T) {
	dir := t.TempDir()
	docs := seedDocs(t, dir)
	id := docs["Kyrgyzstan Sticks Close to Russia"].ID
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no offsets", []string{"quote", "add", "--doc", id}, 2, "--start N --end M"},
		{"past the end", []string{"quote", "add", "--doc", id, "--start", "0", "--end", "999999"}, 1, "characters"},
		{"empty", []string{"quote", "add", "--doc", id, "--start", "5", "--end", "5"}, 1, "at least one"},
		{"unknown doc", []string{"quote", "add", "--doc", "nope", "--start", "0", "--end", "3"}, 1, "no document with id nope"},
		{"relate needs a kind", []string{"quote", "relate", "a", "b"}, 2, "--contradicts or --supports"},
		{"delete unknown", []string{"quote", "delete", "nope"}, 1, "no quote with id nope"},
		{"unknown subcommand", []string{"quote", "pin"}, 2, "unknown subcommand"},
		{"bad grade", []string{"source", "grade", id, "G7"}, 1, "A–F"},
		{"grade missing", []string{"source", "grade", id}, 2, "e.g. B2"},
		{"bad date", []string{"source", "set", id, "--published", "Oct 2023"}, 1, "YYYY-MM"},
		{"set nothing", []string{"source", "set", id}, 2, "at least one"},
		{"update from a missing file", []string{"source", "update", id, filepath.Join(dir, "nope.txt")}, 1, "cannot read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := run(t, dir, tc.args...)
			if code != tc.code || !strings.Contains(errs, tc.msg) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, tc.code, tc.msg)
			}
		})
	}
}

func TestQuoteAdd_HelpSaysCodePoints(t *testing.T) {
	code, out, _ := run(t, t.TempDir(), "quote", "--help")
	if code != 0 || !strings.Contains(out, "code points") {
		t.Errorf("quote --help: %d %s", code, out)
	}
}

func TestSourceCommands_GradeSetAndNewVersion(t *testing.T) {
	dir := t.TempDir()
	src := t.TempDir()
	v1 := "Kant Airbase Under Scrutiny\nSource URL: https://example.org/kant\n\nThe airbase, operational since 2017, has long been a subject of speculation. A leaked memo suggested more."
	v2 := strings.Replace(v1, "A leaked memo suggested more.", "", 1) + " Corrected: the base opened in 2003."
	if err := os.WriteFile(filepath.Join(src, "v1.txt"), []byte(v1), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "v2.txt"), []byte(v2), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := run(t, dir, "--no-seeds", "import", filepath.Join(src, "v1.txt")); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	var id string
	for _, d := range seedDocs(t, dir) {
		id = d.ID
	}
	text := showText(t, dir, id)
	for _, sub := range []string{"operational since 2017", "A leaked memo"} {
		s, e := runeSpan(t, text, sub)
		if code, _, errs := run(t, dir, "quote", "add", "--doc", id, "--start", itoa(s), "--end", itoa(e)); code != 0 {
			t.Fatalf("quote add: %s", errs)
		}
	}

	if code, out, errs := run(t, dir, "source", "grade", id, "e5", "--note", "anonymous insiders"); code != 0 || !strings.Contains(out, "grade E5") {
		t.Fatalf("source grade: %d %s %s", code, out, errs)
	}
	code, out, _ := run(t, dir, "search", "--json", "airbase -grade:E -grade:F")
	if code != 0 || !strings.Contains(out, `"total": 0`) {
		t.Errorf("E-graded source and its quotes must be hidden: %s", out)
	}
	code, out, _ = run(t, dir, "search", "--json", "airbase grade:E")
	if code != 0 || !strings.Contains(out, `"total": 3`) {
		t.Errorf("grade:E finds the source and its two quotes: %s", out)
	}

	code, out, errs := run(t, dir, "source", "set", id, "--published", "2023-10", "--publisher", "example.org", "--author", "A. Writer", "--json")
	if code != 0 {
		t.Fatalf("source set: %s", errs)
	}
	var d struct{ Published, Precision, Source, Author, Grade, GradeNote string }
	if err := json.Unmarshal([]byte(out), &d); err != nil || d.Published != "2023-10" || d.Precision != "month" ||
		d.Source != "example.org" || d.Author != "A. Writer" || d.Grade != "E5" {
		t.Errorf("source set --json: %v %+v", err, d)
	}
	code, out, _ = run(t, dir, "show", id)
	if code != 0 || !strings.Contains(out, "anonymous insiders") || !strings.Contains(out, "Oct 2023") {
		t.Errorf("show after set: %s", out)
	}
	if code, _, errs := run(t, dir, "source", "set", id, "--published", ""); code != 0 {
		t.Errorf("clearing the date: %s", errs)
	}

	code, out, errs = run(t, dir, "source", "update", id, filepath.Join(src, "v2.txt"))
	if code != 0 || !strings.Contains(out, "1 of 2 quotes found again") || !strings.Contains(out, "1 orphaned") {
		t.Fatalf("source update: %d %s %s", code, out, errs)
	}
	qs := quotesJSON(t, dir)
	newText := showText(t, dir, id)
	orphans := 0
	for _, q := range qs {
		if q.Orphaned {
			orphans++
			if q.Exact != "A leaked memo" {
				t.Errorf("orphan lost its text: %+v", q)
			}
			continue
		}
		if got := string([]rune(newText)[q.Start:q.End]); got != q.Exact {
			t.Errorf("text at %d–%d is %q, exact %q", q.Start, q.End, got, q.Exact)
		}
	}
	if orphans != 1 {
		t.Errorf("%d orphans, want 1", orphans)
	}
	code, out, _ = run(t, dir, "quotes")
	if code != 0 || !strings.Contains(out, "[orphaned") {
		t.Errorf("quotes text output does not flag the orphan: %s", out)
	}

	// An import of a third version by the same URL is reported as such.
	v3 := v2 + " Third version."
	if err := os.WriteFile(filepath.Join(src, "v3.txt"), []byte(v3), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs = run(t, dir, "import", filepath.Join(src, "v3.txt"))
	if code != 0 || !strings.Contains(out, `new version of "Kant Airbase Under Scrutiny"`) {
		t.Errorf("import of a new version: %d %s %s", code, out, errs)
	}
	if n := len(seedDocs(t, dir)); n != 1 {
		t.Errorf("%d documents after the new version, want 1", n)
	}
}
