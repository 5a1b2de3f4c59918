package timeline_test

import (
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dossier/notes"
	"dossier/seeds"
	"dossier/timeline"
)

var update = flag.Bool("update", false, "rewrite testdata/seeds.golden.json")

// seedPublished are the seeds' publication dates. 000, 001 and 002 carry
// none: 002 is from 2003 but says so nowhere, so its "October 23" stays
// year unknown.
var seedPublished = map[string]notes.Date{
	"003": notes.DayDate(2023, time.October, 11), // "Wed Oct 11 2023"
	"004": notes.DayDate(2023, time.October, 4),  // "Wednesday, October 4, 2023"
}

type goldenEvent struct {
	Text        string `json:"text"`
	Offset      int    `json:"offset"`
	Start       string `json:"start"`
	End         string `json:"end,omitempty"`
	Precision   string `json:"precision"`
	YearUnknown bool   `json:"year_unknown,omitempty"`
	Human       string `json:"human"`
}

func seedEvents(tb testing.TB) map[string][]timeline.Event {
	tb.Helper()
	names, err := fs.Glob(seeds.FS, "*.txt")
	if err != nil || len(names) != 5 {
		tb.Fatalf("seeds: %v %v", names, err)
	}
	out := map[string][]timeline.Event{}
	for _, n := range names {
		b, err := fs.ReadFile(seeds.FS, n)
		if err != nil {
			tb.Fatal(err)
		}
		out[n] = timeline.Extract(string(b), seedPublished[n[:3]])
	}
	return out
}

func TestExtract_SeedsGolden(t *testing.T) {
	got := map[string][]goldenEvent{}
	for name, es := range seedEvents(t) {
		g := []goldenEvent{}
		for _, e := range es {
			g = append(g, goldenEvent{e.Text, e.Offset, e.Start.String(), e.End.String(), e.Precision(), e.YearUnknown, e.Human()})
		}
		got[name] = g
	}
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	path := filepath.Join("testdata", "seeds.golden.json")
	if *update {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != string(b) {
		t.Fatalf("events differ from %s (run go test -update and review the diff):\n%s", path, b)
	}
}

// The seed examples of issue 7, asserted outright so that -update cannot
// bless a regression.
func TestExtract_SeedExamples(t *testing.T) {
	all := seedEvents(t)
	find := func(seed, text string) []timeline.Event {
		var out []timeline.Event
		for name, es := range all {
			if !strings.HasPrefix(name, seed) {
				continue
			}
			for _, e := range es {
				if e.Text == text {
					out = append(out, e)
				}
			}
		}
		if len(out) == 0 {
			t.Fatalf("seed %s: no event %q", seed, text)
		}
		return out
	}
	for _, tc := range []struct {
		seed, text, start, prec string
		unknown                 bool
	}{
		{"003", "on Wednesday", "2023-10-11", "day", false},
		{"003", "on Thursday", "2023-10-12", "day", false},
		{"004", "on May 8", "2023-05-08", "day", false},
		{"004", "On May 19", "2023-05-19", "day", false},
		{"004", "At the end of April", "2023-04", "month", false},
		{"001", "since 2017", "2017", "year", false},
		{"000", "on November 25", "", "unknown", true},
		{"000", "on November 27", "", "unknown", true},
		{"002", "October 23", "", "unknown", true},
	} {
		for _, e := range find(tc.seed, tc.text) {
			if e.Start.String() != tc.start || e.Precision() != tc.prec || e.YearUnknown != tc.unknown {
				t.Errorf("seed %s %q = %s %s unknown=%v, want %s %s unknown=%v", tc.seed, tc.text,
					e.Start, e.Precision(), e.YearUnknown, tc.start, tc.prec, tc.unknown)
			}
		}
	}
	// Year-unknown events resolve once the date is set.
	e := find("000", "on November 25")[0].Resolve(notes.DayDate(2025, time.November, 27))
	if got, want := e.Start, notes.DayDate(2025, time.November, 25); got != want || e.YearUnknown {
		t.Errorf("resolved %v, want %v", got, want)
	}
	// Seed 004 lists numbers that are not dates; none may become one.
	for _, e := range all["004_906f79ef549da850.txt"] {
		for _, bad := range []string{"107", "39", "25,000", "75", "424", "268", "215", "6"} {
			if strings.Contains(e.Text, bad) && !strings.Contains(e.Text, "2023") {
				t.Errorf("seed 004: %q looks like a number taken for a date", e.Text)
			}
		}
	}
}

func BenchmarkExtract(b *testing.B) {
	var sb strings.Builder
	names, _ := fs.Glob(seeds.FS, "*.txt")
	for sb.Len() < 1<<20 {
		for _, n := range names {
			t, _ := fs.ReadFile(seeds.FS, n)
			sb.Write(t)
			sb.WriteString("\n\n")
		}
	}
	text := sb.String()
	pub := notes.DayDate(2023, time.October, 11)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		timeline.Extract(text, pub)
	}
}

// BenchmarkExtract_Document measures one seed-sized document, the common
// case when importing.
func BenchmarkExtract_Document(b *testing.B) {
	t, _ := fs.ReadFile(seeds.FS, "004_906f79ef549da850.txt")
	text := string(t)
	pub := notes.DayDate(2023, time.October, 4)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		timeline.Extract(text, pub)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "docs/s")
}
