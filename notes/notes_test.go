package notes_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"dossier/notes"
)

func TestDate_StringParseRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    notes.Date
		want string
	}{
		{"day", notes.DayDate(2023, time.October, 11), "2023-10-11"},
		{"month", notes.MonthDate(2023, time.April), "2023-04"},
		{"year", notes.YearDate(2017), "2017"},
		{"unknown", notes.Date{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.d.String(); got != tc.want {
				t.Fatalf("String()=%q, want %q", got, tc.want)
			}
			back, err := notes.ParseDate(tc.want)
			if err != nil {
				t.Fatal(err)
			}
			if back != tc.d {
				t.Fatalf("ParseDate(%q)=%v, want %v", tc.want, back, tc.d)
			}
			b, _ := json.Marshal(tc.d)
			if string(b) != `"`+tc.want+`"` {
				t.Fatalf("JSON=%s", b)
			}
		})
	}
}

func TestParseDate_RejectsNonsense(t *testing.T) {
	for _, s := range []string{"2023-13-01", "11/10/2023", "yesterday", "2023-02-30"} {
		if _, err := notes.ParseDate(s); notes.ErrorKind(err) != notes.EINVALID {
			t.Errorf("ParseDate(%q) err=%v, want EINVALID", s, err)
		}
	}
}

func TestDate_Human(t *testing.T) {
	if got := notes.DayDate(2023, 10, 4).Human(); got != "4 Oct 2023" {
		t.Fatalf("got %q", got)
	}
	if got := (notes.Date{}).Human(); got != "undated" {
		t.Fatalf("got %q", got)
	}
}

func TestSnippet_Marked(t *testing.T) {
	s := notes.Snippet{Text: "the air base in Kant", Marks: []notes.Span{{4, 7}, {8, 12}, {16, 20}}}
	if got, want := s.Marked("<mark>", "</mark>"), "the <mark>air</mark> <mark>base</mark> in <mark>Kant</mark>"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	bad := notes.Snippet{Text: "abc", Marks: []notes.Span{{2, 9}, {1, 2}}}
	if got := bad.Marked("[", "]"); got != "a[b]c" {
		t.Fatalf("out-of-range marks must be skipped, got %q", got)
	}
	// Text that looks like markup must not pass for a mark.
	html := notes.Snippet{Text: "x < y && a literal <mark>fake</mark>", Marks: []notes.Span{{0, 1}}}
	if got, want := html.MarkedHTML(), "<mark>x</mark> &lt; y &amp;&amp; a literal &lt;mark&gt;fake&lt;/mark&gt;"; got != want {
		t.Fatalf("MarkedHTML = %q, want %q", got, want)
	}
}

func TestErrorf_WrapsAndKeepsKind(t *testing.T) {
	err := notes.Errorf(notes.ENOTFOUND, "no document with id %s: %w", "x", notes.ErrNotFound)
	if !errors.Is(err, notes.ErrNotFound) {
		t.Fatal("Errorf with %w must wrap")
	}
	if notes.ErrorKind(err) != notes.ENOTFOUND {
		t.Fatalf("kind=%s", notes.ErrorKind(err))
	}
	if notes.ErrorKind(errors.New("plain")) != notes.EINTERNAL {
		t.Fatal("plain errors are internal")
	}
}

func TestDate_UnmarshalJSON(t *testing.T) {
	var d notes.Date
	if err := json.Unmarshal([]byte(`"2023-10"`), &d); err != nil || d != notes.MonthDate(2023, time.October) {
		t.Fatalf("got %v %v", d, err)
	}
	if err := json.Unmarshal([]byte(`"soon"`), &d); err == nil {
		t.Fatal("nonsense date accepted")
	}
}

func TestOffsets_RoundTripOverMultibyteText(t *testing.T) {
	s := "Ош — «Кант» 🇰🇬 base"
	runes := []rune(s)
	for r := 0; r <= len(runes); r++ {
		b := notes.ByteOffset(s, r)
		if got := string(runes[:r]); s[:b] != got {
			t.Fatalf("ByteOffset(%d)=%d gives %q, want %q", r, b, s[:b], got)
		}
		if back := notes.RuneOffset(s, b); back != r {
			t.Fatalf("RuneOffset(%d)=%d, want %d", b, back, r)
		}
	}
	if notes.ByteOffset(s, -3) != 0 || notes.ByteOffset(s, 999) != len(s) {
		t.Fatal("out-of-range offsets must clamp")
	}
}

func TestExplain_DiskErrorsBecomeAdvice(t *testing.T) {
	other := errors.New("boom")
	for _, tc := range []struct {
		err  error
		want string // in the message; "" means unchanged
	}{
		{&os.PathError{Op: "write", Path: "/p/files/x", Err: syscall.ENOSPC}, "is full"},
		{fmt.Errorf("store: adding documents: %w", errors.New("database or disk is full (13)")), "is full"},
		{&os.PathError{Op: "open", Path: "/p/x", Err: syscall.EROFS}, "read-only medium"},
		{errors.New("attempt to write a readonly database (8)"), "read-only medium"},
		{other, ""},
		{nil, ""},
	} {
		got := notes.Explain(tc.err)
		if tc.want == "" {
			if got != tc.err {
				t.Errorf("Explain(%v) = %v, want it unchanged", tc.err, got)
			}
			continue
		}
		if notes.ErrorKind(got) != notes.EDISK || !strings.Contains(got.Error(), tc.want) || !errors.Is(got, tc.err) {
			t.Errorf("Explain(%v) = %v (kind %s)", tc.err, got, notes.ErrorKind(got))
		}
	}
}
