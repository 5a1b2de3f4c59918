package timeline_test

import (
	"io/fs"
	"strings"
	"testing"
	"unicode/utf8"

	"dossier/notes"
	"dossier/seeds"
	"dossier/timeline"
)

func FuzzExtract(f *testing.F) {
	names, _ := fs.Glob(seeds.FS, "*.txt")
	for _, n := range names {
		b, _ := fs.ReadFile(seeds.FS, n)
		f.Add(string(b), int64(0))
	}
	for _, s := range []string{
		"on Thursday", "from 25 to 27 November 2003", "2003–2005", "in the 1990s", "11/10/2023 25/10/2023",
		"Wed Oct 11 2023", "between May 8 and May 19", "mid-2017", "2023-10-11T09:00", "May 8–19,",
		"since 2017\xff\xfe", "on\u00a0Thursday\u2028", "Feb 29", "the 23rd of", "from 2003 to",
	} {
		f.Add(s, int64(1696982400)) // 2023-10-11
	}
	f.Fuzz(func(t *testing.T, text string, unix int64) {
		pub := notes.Date{}
		if unix != 0 {
			// Any day from year 1 to about 9999.
			d := notes.DayDate(1, 1, 1)
			d.Time = d.Time.AddDate(0, 0, int(uint64(unix)%3650000))
			pub = d
		}
		starts := map[int]bool{len(text): true}
		for i := range text {
			starts[i] = true
		}
		last := 0
		for _, e := range timeline.Extract(text, pub) {
			if e.Offset < last || e.Offset >= e.EndOffset || e.EndOffset > len(text) {
				t.Fatalf("bad span [%d,%d) after %d in %d bytes", e.Offset, e.EndOffset, last, len(text))
			}
			last = e.EndOffset
			if !starts[e.Offset] || !starts[e.EndOffset] {
				t.Fatalf("span [%d,%d) splits a rune", e.Offset, e.EndOffset)
			}
			if text[e.Offset:e.EndOffset] != e.Text {
				t.Fatalf("Text=%q, text[%d:%d]=%q", e.Text, e.Offset, e.EndOffset, text[e.Offset:e.EndOffset])
			}
			if r := utf8.RuneCountInString(text[:e.Offset]); r != e.RuneOffset {
				t.Fatalf("RuneOffset=%d, want %d", e.RuneOffset, r)
			}
			if r := utf8.RuneCountInString(text[:e.EndOffset]); r != e.RuneEnd {
				t.Fatalf("RuneEnd=%d, want %d", e.RuneEnd, r)
			}
			if !strings.Contains(text, e.Sentence) || !strings.Contains(e.Sentence, e.Text) {
				t.Fatalf("Sentence %q is not around %q", e.Sentence, e.Text)
			}
			if e.YearUnknown == e.Start.Known() {
				t.Fatalf("YearUnknown=%v with Start %v", e.YearUnknown, e.Start)
			}
			if e.End.Known() && !e.End.Time.After(e.Start.Time) {
				t.Fatalf("range %v..%v ends before it starts (%q)", e.Start, e.End, e.Text)
			}
			_ = e.Human()
		}
	})
}
