package search

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"dossier/notes"
)

// markedSnippet returns the first snippet of hit id for q, its marks in
// brackets, or fails.
func markedSnippet(tb testing.TB, ix *Index, q, id string) string {
	tb.Helper()
	res := MustSearch(tb, ix, notes.SearchRequest{Query: q, Limit: 100})
	for _, h := range res.Hits {
		if h.ID == id {
			if len(h.Snippets) == 0 {
				tb.Fatalf("%s: %s has no snippet", q, id)
			}
			return h.Snippets[0].Marked("[", "]")
		}
	}
	tb.Fatalf("%s: %s not found in %v", q, id, ids(res))
	return ""
}

// markedSpans returns the text of each span Matches gives for q in id.
func markedSpans(tb testing.TB, ix *Index, src *texts, q, id string) []string {
	tb.Helper()
	spans, err := ix.Matches(context.Background(), id, q)
	if err != nil {
		tb.Fatalf("Matches %s: %v", q, err)
	}
	text, _ := src.Text(context.Background(), id)
	var out []string
	for _, sp := range spans {
		out = append(out, text[sp.Start:sp.End])
	}
	return out
}

// TestSearch_AccentsMatchHoweverTheyAreEncoded checks that a letter with
// an accent matches whether it is written as one character (NFC, as
// keyboards type it) or as a letter and a combining mark (NFD, as macOS
// file names and some PDFs have it), in documents and in queries alike.
func TestSearch_AccentsMatchHoweverTheyAreEncoded(t *testing.T) {
	nfd := "Cafe\u0301 cre\u0300me at Mu\u0308ller’s."
	nfc := "Café crème chez Müller."
	ix, src := MustOpen(t,
		&notes.Document{ID: "nfd", Title: "Decomposed", Text: nfd},
		&notes.Document{ID: "nfc", Title: "Composed", Text: nfc},
		&notes.Document{ID: "plain", Title: "Plain", Text: "Cafe creme at Muller's."})
	both := set("nfd", "nfc")
	for _, q := range []string{
		"café", `"café crème"`, "müller", "MÜLLER", "café*", "mül*", "müll?r", "müler~1", "text:café",
		"cafe\u0301", "\"cafe\u0301 cre\u0300me\"", "mu\u0308ller", "MU\u0308LLER", "mu\u0308l*", "cafe\u0301*",
	} {
		if got := find(t, ix, q); !same(got, both) {
			t.Errorf("%s: got %v, want %v", q, got, both)
		}
	}
	// Accents still count.
	if got := find(t, ix, "cafe"); !same(got, set("plain")) {
		t.Errorf("cafe: got %v, want only the text without accents", got)
	}
	// Marks cover the decomposed letters whole, wherever the query's form.
	for _, q := range []string{"müller", "mu\u0308ller", "mül*"} {
		if got, want := markedSnippet(t, ix, q, "nfd"), "Cafe\u0301 cre\u0300me at [Mu\u0308ller]’s."; got != want {
			t.Errorf("%s: snippet %q, want %q", q, got, want)
		}
		if got, want := markedSpans(t, ix, src, q, "nfd"), []string{"Mu\u0308ller"}; !reflect.DeepEqual(got, want) {
			t.Errorf("%s: spans %q, want %q", q, got, want)
		}
	}
	if got, want := markedSnippet(t, ix, `"café crème"`, "nfd"), "[Cafe\u0301] [cre\u0300me] at Mu\u0308ller’s."; got != want {
		t.Errorf("phrase: snippet %q, want %q", got, want)
	}
}

// TestSearch_JoinersDoNotSplitWords checks that a soft hyphen, a zero width
// joiner or non-joiner, or a word joiner inside a word leaves it one word,
// found without them, and marked whole.
func TestSearch_JoinersDoNotSplitWords(t *testing.T) {
	docs := []*notes.Document{
		{ID: "shy", Title: "Soft hyphen", Text: "Die Bundes\u00ADregierung tagte gestern."},
		{ID: "zwj", Title: "Joiner", Text: "Die Bundes\u200Dregierung tagte heute."},
		{ID: "wj", Title: "Word joiner", Text: "Die Bundes\u2060regie\u00ADrung tagte nie."},
		{ID: "plain", Title: "Plain", Text: "Die Bundesregierung tagte."},
	}
	ix, src := MustOpen(t, append(docs, &notes.Document{ID: "split", Title: "Split", Text: "Die Bundes regierung."})...)
	all := set("shy", "zwj", "wj", "plain")
	for _, q := range []string{
		"bundesregierung", "BUNDESREGIERUNG", "Bundes\u00ADregierung", "bundes\u200Dregierung",
		`"die bundesregierung tagte"`, "\"Die Bundes\u00ADregierung tagte\"", "bundesreg*", "bundes\u00ADreg*",
		"bundesr?gierung", "bundesregirung~1", "text:bundesregierung", "+bundesregierung +tagte",
	} {
		if got := find(t, ix, q); !same(got, all) {
			t.Errorf("%q: got %v, want %v", q, got, all)
		}
	}
	if got := find(t, ix, "regierung"); !same(got, set("split")) {
		t.Errorf("regierung: got %v, want only the text where it is a word", got)
	}
	if got := ids(MustSearch(t, ix, notes.SearchRequest{Query: "Bundes\u00ADregier", PrefixLast: true})); !same(got, all) {
		t.Errorf("typed with a soft hyphen: got %v, want %v", got, all)
	}
	for _, d := range docs[:3] {
		word := strings.Fields(d.Text)[1]
		want := strings.Replace(d.Text, word, "["+word+"]", 1)
		for _, q := range []string{"bundesregierung", "bundes*"} {
			if got := markedSnippet(t, ix, q, d.ID); got != want {
				t.Errorf("%s in %s: snippet %q, want %q", q, d.ID, got, want)
			}
		}
		if got, want := markedSpans(t, ix, src, `"die bundesregierung tagte"`, d.ID), []string{"Die " + word + " tagte"}; !reflect.DeepEqual(got, want) {
			t.Errorf("phrase in %s: spans %q, want %q", d.ID, got, want)
		}
	}
}

// TestSearch_CapitalSigmaInEveryQueryForm checks that every form of query
// term lowercases a capital sigma as the documents' words are: ς at the
// end of a word, σ inside; and that a prefix ending in Σ finds both the
// word it spells and longer words, where the sigma is σ.
func TestSearch_CapitalSigmaInEveryQueryForm(t *testing.T) {
	ix, _ := MustOpen(t,
		&notes.Document{ID: "odos", Title: "ΟΔΟΣ ΑΘΗΝΩΝ", Text: "ΟΔΟΣ ΑΘΗΝΩΝ και ΕΛΛΗΝΙΚΗ ΔΗΜΟΚΡΑΤΙΑ."},
		&notes.Document{ID: "odostroma", Title: "Οδόστρωμα", Text: "Το ΟΔΟΣΤΡΩΜΑ είναι νέο."},
		&notes.Document{ID: "nomos", Title: "Νόμος", Text: "Ο νόμος ισχύει."})
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"ΟΔΟΣ", set("odos")},
		{"οδος", set("odos")},
		{"ΟΔΟΣ*", set("odos", "odostroma")},
		{"οδος*", set("odos", "odostroma")},
		{"οδοσ*", set("odostroma")},
		{"ΟΔΟΣΤ*", set("odostroma")},
		{"ΟΔΟ?", set("odos")},
		{"ΟΔΟΣ?ΡΩΜΑ", set("odostroma")},
		{"?ΔΟΣ", set("odos")},
		{"ΟΔΟΣ~1", set("odos")},
		{"ΟΔΟΣ\u00AD", set("odos")},
		{"text:ΟΔΟΣ", set("odos")},
		{"title:ΟΔΟΣ", set("odos")},
		{"title:ΟΔΟΣ*", set("odos")},
		{`"ΟΔΟΣ ΑΘΗΝΩΝ"`, set("odos")},
		{`title:"ΟΔΟΣ ΑΘΗΝΩΝ"`, set("odos")},
		{"ΝΌΜΟΣ", set("nomos")},
		{"ΝΌΜ*Σ", set("nomos")},
		{"ΝΌΜΟΣ*", set("nomos")},
	} {
		if got := find(t, ix, tc.q); !same(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.q, got, tc.want)
		}
	}
	if got := ids(MustSearch(t, ix, notes.SearchRequest{Query: "ΟΔΟΣ", PrefixLast: true})); !same(got, set("odos", "odostroma")) {
		t.Errorf("ΟΔΟΣ typed: got %v, want both", got)
	}
	if got, want := markedSnippet(t, ix, "ΟΔΟΣ*", "odos"), "[ΟΔΟΣ] ΑΘΗΝΩΝ και ΕΛΛΗΝΙΚΗ ΔΗΜΟΚΡΑΤΙΑ."; got != want {
		t.Errorf("snippet %q, want %q", got, want)
	}
}

// A zero width non-joiner joins the parts of a Persian word in writing
// only: کتاب‌ها (the books) is found by کتاب, as Lucene's Persian analysis
// finds it.
func TestSearch_NonJoinerSeparatesWords(t *testing.T) {
	ix, _ := MustOpen(t, &notes.Document{ID: "fa", Title: "Persian", Text: "این کتاب\u200Cها را می\u200Cخواهم"})
	for _, q := range []string{"کتاب", "خواهم", `"کتاب ها"`} {
		if got := find(t, ix, q); !same(got, set("fa")) {
			t.Errorf("%q: got %v, want the document", q, got)
		}
	}
}

// Kana with a voicing mark written apart (か + U+3099, as macOS stores が)
// is found by the composed letter, and the other way round.
func TestSearch_DecomposedKanaMatchesComposed(t *testing.T) {
	ix, src := MustOpen(t,
		&notes.Document{ID: "nfd", Title: "NFD", Text: "か\u3099っこうに行く"},
		&notes.Document{ID: "nfc", Title: "NFC", Text: "がっこうに行く"})
	for _, q := range []string{"が", "がっこう", "か\u3099っこう"} {
		if got := find(t, ix, q); !same(got, set("nfc", "nfd")) {
			t.Errorf("%q: got %v, want both", q, got)
		}
	}
	if got, want := markedSpans(t, ix, src, "が", "nfd"), []string{"か\u3099"}; !reflect.DeepEqual(got, want) {
		t.Errorf("marks in the decomposed text: %q, want %q", got, want)
	}
}

// A word longer than a term may be is cut after it is composed, so the
// same word finds it however its accents are encoded.
func TestSearch_LongDecomposedWord(t *testing.T) {
	for _, n := range []int{400, 2000} {
		ix, _ := MustOpen(t, &notes.Document{ID: "nfd", Title: "Long", Text: "a " + strings.Repeat("e\u0301", n) + " b"})
		if got := find(t, ix, strings.Repeat("é", n)); !same(got, set("nfd")) {
			t.Errorf("%d letters: got %v, want the document", n, got)
		}
	}
}
