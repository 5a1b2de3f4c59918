package search

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"dossier/notes"
	"dossier/seeds"
)

// scanWords is the reference notion of words the phrase test checks the
// index against, written independently of the analyzer: lowercase, split on
// anything that is not a letter, digit or combining mark.
func scanWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	})
}

// containsRun reports whether words holds phrase as a contiguous run.
func containsRun(words, phrase []string) bool {
outer:
	for i := 0; i+len(phrase) <= len(words); i++ {
		for j, w := range phrase {
			if words[i+j] != w {
				continue outer
			}
		}
		return true
	}
	return false
}

// seedDocuments returns the seed texts as documents.
func seedDocuments(tb testing.TB) []*notes.Document {
	tb.Helper()
	var docs []*notes.Document
	err := fs.WalkDir(seeds.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(seeds.FS, path)
		if err != nil {
			return err
		}
		text := string(b)
		title, _, _ := strings.Cut(text, "\n")
		docs = append(docs, &notes.Document{ID: "seed-" + path, Title: title, Text: text})
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if len(docs) != 5 {
		tb.Fatalf("%d seeds, want 5", len(docs))
	}
	return docs
}

var sentenceEnd = regexp.MustCompile(`[.!?]["”’]?\s+`)

// sentences returns the sentences of the texts.
func sentences(docs []*notes.Document) []string {
	var out []string
	for _, d := range docs {
		for _, s := range sentenceEnd.Split(d.Text, -1) {
			if s = strings.TrimSpace(s); len(s) > 20 {
				out = append(out, s)
			}
		}
	}
	return out
}

// generate recombines sentences into n documents, roughing up their case
// and punctuation the way real texts vary: capitals, line breaks, curly and
// straight apostrophes, dashes and commas between words.
func generate(r *rand.Rand, sents []string, n int) []*notes.Document {
	seps := []string{" ", " ", " ", " ", ", ", " - ", "\n", "\n\n", " — ", ": ", " (", ") ", "/", "’", "'"}
	docs := make([]*notes.Document, n)
	for i := range docs {
		var b strings.Builder
		for range 3 + r.IntN(8) {
			for j, w := range strings.Fields(sents[r.IntN(len(sents))]) {
				if j > 0 {
					b.WriteString(seps[r.IntN(len(seps))])
				}
				switch r.IntN(12) {
				case 0:
					w = strings.ToUpper(w)
				case 1:
					w = strings.ToLower(w)
				}
				b.WriteString(w)
			}
			b.WriteString(". ")
		}
		docs[i] = &notes.Document{ID: fmt.Sprintf("gen-%03d", i), Title: fmt.Sprintf("Generated %d", i), Text: b.String()}
	}
	return docs
}

// TestSearch_PhraseFindsExactlyTheTextsContainingIt checks phrase search
// against a plain scan of the texts: for every phrase, the documents found
// must be exactly those whose words contain the phrase's words in a row.
func TestSearch_PhraseFindsExactlyTheTextsContainingIt(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	docs := seedDocuments(t)
	docs = append(docs, generate(r, sentences(docs), 300)...)
	ix, _ := MustOpen(t, docs...)

	words := make([][]string, len(docs))
	var vocabulary []string
	for i, d := range docs {
		words[i] = scanWords(d.Text)
		vocabulary = append(vocabulary, words[i]...)
	}

	var phrases [][]string
	for range 400 { // windows of the texts: each is found at least once
		w := words[r.IntN(len(words))]
		n := 2 + r.IntN(3)
		i := r.IntN(len(w) - n)
		phrases = append(phrases, w[i:i+n])
	}
	for range 200 { // words of the texts in an order that is mostly nowhere
		n := 2 + r.IntN(3)
		p := make([]string, n)
		for j := range p {
			p[j] = vocabulary[r.IntN(len(vocabulary))]
		}
		phrases = append(phrases, p)
	}
	phrases = append(phrases, []string{"kant"}, []string{"operational", "since", "2017"},
		[]string{"russia", "s"}, []string{"collective", "security", "treaty", "organization"},
		[]string{"zeppelin", "airbase"})

	// Each phrase is written the way a user might: any case, any
	// punctuation between the words.
	seps := []string{" ", " ", ", ", " - ", "’", "; ", "  "}
	found := 0
	for _, p := range phrases {
		var q strings.Builder
		q.WriteByte('"')
		for j, w := range p {
			if j > 0 {
				q.WriteString(seps[r.IntN(len(seps))])
			}
			if r.IntN(3) == 0 {
				w = strings.ToUpper(w)
			}
			q.WriteString(w)
		}
		q.WriteByte('"')

		var want []string
		for i, w := range words {
			if containsRun(w, p) {
				want = append(want, docs[i].ID)
			}
		}
		if got := find(t, ix, q.String()); !same(got, set(want...)) {
			t.Errorf("%s: index finds %d documents, the scan %d\n index: %v\n scan:  %v", q.String(), len(got), len(want), got, set(want...))
		}
		if len(want) > 0 {
			found++
		}
	}
	if found < 400 {
		t.Fatalf("only %d of %d phrases occur anywhere: the test checks too little", found, len(phrases))
	}
	t.Logf("%d phrases, %d of them in some text, over %d documents", len(phrases), found, len(docs))
}
