package anchor_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"dossier/anchor"
	"dossier/notes"
	"dossier/seeds"
)

// seed returns the text of an embedded seed file whose name starts with
// prefix: real prose, with typographic quotes (multi-byte) before most
// passages.
func seed(tb testing.TB, prefix string) string {
	tb.Helper()
	entries, err := seeds.FS.ReadDir(".")
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) {
			b, err := seeds.FS.ReadFile(e.Name())
			if err != nil {
				tb.Fatal(err)
			}
			return string(b)
		}
	}
	tb.Fatalf("no seed %s", prefix)
	return ""
}

// nth returns the code-point offsets of the n-th (0-based) occurrence of
// sub in text.
func nth(tb testing.TB, text, sub string, n int) (int, int) {
	tb.Helper()
	from := 0
	for i := 0; ; i++ {
		b := strings.Index(text[from:], sub)
		if b < 0 {
			tb.Fatalf("occurrence %d of %q not in text", n, sub)
		}
		if i == n {
			s := notes.RuneOffset(text, from+b)
			return s, s + len([]rune(sub))
		}
		from += b + len(sub)
	}
}

func mustSelect(tb testing.TB, text, sub string, n int) anchor.Selector {
	tb.Helper()
	s, e := nth(tb, text, sub, n)
	sel, err := anchor.Select(text, s, e)
	if err != nil {
		tb.Fatal(err)
	}
	return sel
}

func cut(text string, start, end int) string {
	return text[notes.ByteOffset(text, start):notes.ByteOffset(text, end)]
}

func TestSelect_CodePointsAndContext(t *testing.T) {
	text := "Бишкек, «Kant» airbase — operational since 2017."
	sel := mustSelect(t, text, "operational", 0)
	if sel.Start != 25 || sel.End != 36 {
		t.Errorf("offsets %d–%d, want 25–36 (code points)", sel.Start, sel.End)
	}
	if sel.Exact != "operational" || sel.Prefix != "Бишкек, «Kant» airbase — " || sel.Suffix != " since 2017." {
		t.Errorf("got %+v", sel)
	}
	long := strings.Repeat("x", 100) + "KANT" + strings.Repeat("y", 100)
	sel = mustSelect(t, long, "KANT", 0)
	if sel.Prefix != strings.Repeat("x", notes.ContextLen) || sel.Suffix != strings.Repeat("y", notes.ContextLen) {
		t.Errorf("context not cut to %d code points: %q %q", notes.ContextLen, sel.Prefix, sel.Suffix)
	}
	for _, r := range [][2]int{{0, 0}, {3, 2}, {-1, 2}, {0, len([]rune(text)) + 1}} {
		if _, err := anchor.Select(text, r[0], r[1]); notes.ErrorKind(err) != notes.EINVALID {
			t.Errorf("Select(%d, %d): %v, want EINVALID", r[0], r[1], err)
		}
	}
}

func TestLocate_RealEdits(t *testing.T) {
	s001 := seed(t, "001")
	s002 := seed(t, "002")
	const passage = "operational since 2017"
	for _, tc := range []struct {
		name  string
		old   string
		quote string
		n     int // which occurrence of quote is pinned
		edit  func(string) string
		// want is the passage expected in the new text (its wantN-th
		// occurrence), or "" for orphaned.
		want  string
		wantN int
		how   string
	}{
		{"unchanged", s001, passage, 0, func(s string) string { return s }, passage, 0, anchor.HowUnchanged},
		{"paragraph inserted at the top", s001, passage, 0,
			func(s string) string { return "Editor’s note: this article was updated on 12 October.\n" + s },
			passage, 0, anchor.HowExact},
		{"words inserted right before the passage", s001, passage, 0,
			func(s string) string {
				return strings.Replace(s, "The airbase, operational", "The airbase, which Russian sources describe as operational", 1)
			}, passage, 0, anchor.HowExact},
		{"text deleted before the passage", s001, passage, 0,
			func(s string) string {
				i := strings.Index(s, "In a rare, closed-door")
				j := strings.Index(s, "The airbase, operational")
				return s[:i] + s[j:]
			}, passage, 0, anchor.HowExact},
		{"word inserted inside the passage", s001, passage, 0,
			func(s string) string { return strings.Replace(s, passage, "operational, officials say, since 2017", 1) },
			"operational, officials say, since 2017", 0, anchor.HowContext},
		{"year corrected inside the passage", s001, passage, 0,
			func(s string) string { return strings.Replace(s, passage, "operational since 2003", 1) },
			"operational since 2003", 0, anchor.HowContext},
		{"passage and its context both edited", s001,
			"Kyrgyz officials have hinted at its dual use for rapid deployment", 0,
			func(s string) string {
				return strings.Replace(s, "‘peacekeeping outpost,’ Kyrgyz officials have hinted at its dual use for rapid deployment and intelligence",
					"‘peace-keeping outpost’, Kyrgyz officials had hinted at its dual use for rapid deployments and for intelligence", 1)
			}, "Kyrgyz officials had hinted at its dual use for rapid deployment", 0, anchor.HowFuzzy},
		{"sentence reflowed: newline becomes a space inside the passage", s001,
			"has long been a subject of speculation.\nWhile Moscow officially frames its role", 0,
			func(s string) string {
				return strings.Replace(s, "speculation.\nWhile", "speculation. While", 1)
			}, "has long been a subject of speculation. While Moscow officially frames its role", 0, anchor.HowContext},
		{"passage deleted", s001, passage, 0,
			func(s string) string {
				return strings.Replace(s, "The airbase, operational since 2017, has long", "The airbase has long", 1)
			},
			"", 0, anchor.HowOrphaned},
		{"whole paragraph deleted", s001, "a senior Russian general reportedly told Kyrgyz security officers", 0,
			func(s string) string {
				i := strings.Index(s, "During a tour of the facility")
				j := strings.Index(s, "The memo, which was later")
				return s[:i] + s[j:]
			}, "", 0, anchor.HowOrphaned},
		{"passage deleted while a similar sentence remains elsewhere", s001, passage, 0,
			func(s string) string {
				s = strings.Replace(s, "The airbase, operational since 2017, has long", "The airbase has long", 1)
				return s + "\nA separate depot, operational since 2015, is nearby."
			}, "", 0, anchor.HowOrphaned},
		{"same text twice: the second pinned, text inserted before the first", twice, "the base", 1,
			func(s string) string { return "Update: " + strings.Replace(s, "Moscow says", "Moscow now says", 1) },
			"the base", 1, anchor.HowExact},
		{"same text twice: the first pinned, the second's context edited", twice, "the base", 0,
			func(s string) string {
				return strings.Replace(s, "Bishkek denies that", "Officials in Bishkek deny that", 1)
			},
			"the base", 0, anchor.HowExact},
		{"same text twice: the pinned one deleted, its twin stays", twice, "the base", 0,
			func(s string) string { return strings.Replace(s, "Moscow says the base is a deterrent. ", "", 1) },
			"", 0, anchor.HowOrphaned},
		{"same text twice: the sentences swap places", twice, "the base", 0,
			func(s string) string {
				return "Bishkek denies that the base matters. Moscow says the base is a deterrent. Analysts doubt it."
			}, "the base", 1, anchor.HowExact},
		{"Unicode: Cyrillic text inserted before", s002, "October 23", 0,
			func(s string) string { return "Кант — авиабаза. Обновлено.\n" + s },
			"October 23", 0, anchor.HowExact},
		{"quote at the very start, title changed after it", s001, "Kyrgyz President Sadyr Japarov", 0,
			func(s string) string { return strings.Replace(s, "has underscored", "underscored", 1) },
			"Kyrgyz President Sadyr Japarov", 0, anchor.HowExact},
		{"quote at the very end, text appended", "Short note. The end of the story.", "end of the story.", 0,
			func(s string) string { return s + " Then another line." },
			"end of the story.", 0, anchor.HowExact},
		{"passage moved far away with its sentence", s001, passage, 0,
			func(s string) string {
				sentence := "The airbase, operational since 2017, has long been a subject of speculation.\n"
				s = strings.Replace(s, sentence, "", 1)
				return s + strings.Repeat("Filler text about other things. ", 200) + "\n" + sentence
			}, passage, 0, anchor.HowExact},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sel := mustSelect(t, tc.old, tc.quote, tc.n)
			text := tc.edit(tc.old)
			start, end, ok, how := anchor.Locate(text, sel)
			if how != tc.how {
				t.Errorf("how=%s, want %s", how, tc.how)
			}
			if tc.want == "" {
				if ok {
					t.Fatalf("found %q at %d–%d, want orphaned", cut(text, start, end), start, end)
				}
				return
			}
			if !ok {
				t.Fatalf("orphaned, want %q", tc.want)
			}
			ws, we := nth(t, text, tc.want, tc.wantN)
			if start != ws || end != we {
				t.Errorf("found %d–%d %q, want %d–%d %q", start, end, cut(text, start, end), ws, we, tc.want)
			}
		})
	}
}

const twice = "Moscow says the base is a deterrent. Bishkek denies that the base matters. Analysts doubt it."

func TestLocate_NeverPanicsOnOddSelectors(t *testing.T) {
	for _, sel := range []anchor.Selector{
		{}, {Exact: "x", Start: -5, End: -1}, {Exact: "Kant", Start: 1 << 40, End: 1<<40 + 4},
		{Exact: "\xff\xfe", Prefix: "\xff", Suffix: "\x80"}, {Exact: strings.Repeat("Kant ", 500), Start: 3},
	} {
		for _, text := range []string{"", "K", "Kant", "\xff\xfe Kant", strings.Repeat("Kant airbase. ", 300)} {
			s, e, ok, _ := anchor.Locate(text, sel)
			if ok && (s < 0 || e <= s || e > len([]rune(text))) {
				t.Errorf("Locate(%.20q, %+.20v) = %d–%d outside the text", text, sel, s, e)
			}
		}
	}
}

func FuzzLocate(f *testing.F) {
	s001 := seed(f, "001")
	f.Add(s001, 1000, 1022, 900, 5, "inserted words ")
	f.Add(twice, 12, 20, 0, 40, "")
	f.Add("Кант Кант Кант", 5, 9, 5, 4, "x")
	f.Fuzz(func(t *testing.T, old string, start, end, editAt, editLen int, insert string) {
		sel, err := anchor.Select(old, start, end)
		if err != nil {
			return
		}
		// Edit: delete editLen code points at editAt, insert insert.
		r := []rune(old)
		editAt = min(max(editAt, 0), len(r))
		editLen = min(max(editLen, 0), len(r)-editAt)
		text := string(r[:editAt]) + insert + string(r[editAt+editLen:])
		s, e, ok, how := anchor.Locate(text, sel)
		if !ok {
			if how != anchor.HowOrphaned {
				t.Fatalf("not found but how=%s", how)
			}
			return
		}
		n := len([]rune(text))
		if s < 0 || e <= s || e > n {
			t.Fatalf("Locate=%d–%d (%s) outside a text of %d code points", s, e, how, n)
		}
		if (how == anchor.HowExact || how == anchor.HowUnchanged) && string([]rune(text)[s:e]) != sel.Exact {
			t.Fatalf("%s match %q != exact %q", how, string([]rune(text)[s:e]), sel.Exact)
		}
	})
}

// megabyteText is about 1 MB of seed prose with the passage once, in the
// middle.
func megabyteText(tb testing.TB) (string, anchor.Selector) {
	tb.Helper()
	var b strings.Builder
	filler := strings.ReplaceAll(seed(tb, "000"), "2017", "20l7")
	for b.Len() < 500_000 {
		b.WriteString(filler)
	}
	b.WriteString("\nThe airbase, operational since 2017, has long been a subject of speculation.\n")
	for b.Len() < 1_000_000 {
		b.WriteString(filler)
	}
	text := b.String()
	return text, mustSelect(tb, text, "operational since 2017, has long been", 0)
}

func BenchmarkLocate_1MB(b *testing.B) {
	text, sel := megabyteText(b)
	for _, bc := range []struct {
		name string
		edit func(string) string
	}{
		{"exact after an insertion", func(s string) string { return "New first line.\n" + s }},
		{"edited inside", func(s string) string {
			return strings.Replace(s, "operational since 2017, has long", "operational, they say, since 2017, has long", 1)
		}},
		{"deleted (orphaned: every stage runs)", func(s string) string {
			return strings.Replace(s, "The airbase, operational since 2017, has long been a subject of speculation.\n", "", 1)
		}},
	} {
		newText := bc.edit(text)
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(newText)))
			for b.Loop() {
				anchor.Locate(newText, sel)
			}
		})
	}
}

// TestLocate_EditsOutsideThePassageNeverLoseIt: one random edit that does
// not touch the passage leaves at least one side of its context intact, so
// the passage must be found exactly, at its shifted offsets.
func TestLocate_EditsOutsideThePassageNeverLoseIt(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	alphabet := []rune("abcdefghijklmnopqrstuvwxyzабвгдеёжзиклмнопрстуфхцчшщэюя ’«»—.,\n")
	randomRunes := func(n int) []rune {
		r := make([]rune, n)
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return r
	}
	for i := 0; i < 3000; i++ {
		old := randomRunes(50 + rng.IntN(2000))
		start := rng.IntN(len(old) - 1)
		end := min(len(old), start+1+rng.IntN(60))
		sel, err := anchor.Select(string(old), start, end)
		if err != nil {
			t.Fatal(err)
		}
		// Edit before start or after end: delete up to 40, insert up to 40.
		var at int
		before := rng.IntN(2) == 0 && start > 0 || end == len(old)
		if before {
			at = rng.IntN(start + 1)
		} else {
			at = end + rng.IntN(len(old)-end+1)
		}
		del := rng.IntN(41)
		if before {
			del = min(del, start-at)
		} else {
			del = min(del, len(old)-at)
		}
		ins := randomRunes(rng.IntN(41))
		text := string(old[:at]) + string(ins) + string(old[at+del:])
		wantStart := start
		if before {
			wantStart += len(ins) - del
		}
		s, e, ok, how := anchor.Locate(text, sel)
		if !ok || s != wantStart || e != wantStart+(end-start) {
			t.Fatalf("round %d: quote %q at %d–%d, edit at %d (-%d +%d): got %d–%d ok=%v (%s), want %d",
				i, sel.Exact, start, end, at, del, len(ins), s, e, ok, how, wantStart)
		}
	}
}
