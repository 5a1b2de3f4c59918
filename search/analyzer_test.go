package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	bindex "github.com/blevesearch/bleve_index_api"

	"dossier/notes"
)

func TestWords_SplitOnEverythingButLettersDigitsAndMarks(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Russia’s base", []string{"russia", "s", "base"}},
		{"don't", []string{"don", "t"}},
		{"2,000 km/h", []string{"2", "000", "km", "h"}},
		{"e-mail: a.b@c.org", []string{"e", "mail", "a", "b", "c", "org"}},
		{"ΟΔΥΣΣΕΥΣ", []string{"οδυσσευς"}}, // final sigma, as Bleve's to_lower
		{"Straße STRASSE", []string{"straße", "strasse"}},
		{"cafe\u0301 naïve", []string{"café", "naïve"}}, // a combining accent stays in its word, composed
		{"Mu\u0308ller MÜLLER", []string{"müller", "müller"}},
		{"I\u0307stanbul İstanbul", []string{"istanbul", "istanbul"}}, // composed before lowercasing
		{"\u212Bngstr\u00F6m", []string{"ångström"}},                  // the Angstrom sign is Å
		{"Bundes\u00ADregierung", []string{"bundesregierung"}},        // a soft hyphen joins
		{"ka\u200Dk", []string{"kak"}},                                // and so does ZWJ
		{"کتاب\u200Cها", []string{"کتاب", "ها"}},                      // ZWNJ separates (Persian)
		{"か\u3099っこう", []string{"が", "っ", "こ", "う"}},                  // a voicing mark stays with its kana, composed
		{"ΟΔΟΣ\u00AD ΟΔ\u00ADΟΣ", []string{"οδος", "οδος"}},           // a final sigma is final without them
		{"e\u00AD\u0301", []string{"é"}},                              // dropped before composing
		{"\u00ADsoft\u2060 \uFEFFhy\u2060phen\u00AD", []string{"soft", "hyphen"}},
		{"\u00AD \u200D", nil},                         // joiners alone are no word
		{"zero\u200Bwidth", []string{"zero", "width"}}, // a zero width space separates
		{"Кант-Бишкек", []string{"кант", "бишкек"}},
		{"中文文本", []string{"中", "文", "文", "本"}},
		{"ok\xffbad", []string{"ok", "bad"}}, // invalid UTF-8 separates
		{"under_score", []string{"under", "score"}},
		{"  ", nil},
	} {
		if got := words(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("words(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// fieldTerms returns each term of a wordsField with its positions, as a
// segment reads them (Slots and Term), after checking that Bleve's generic
// view of them (AnalyzedTokenFrequencies) says the same.
func fieldTerms(text string) map[string][]int {
	f := newWordsField("text", text, optWords)
	f.Analyze()
	out := map[string][]int{}
	for i := range f.Slots() {
		term, freq, positions := f.Term(i)
		if _, dup := out[term]; dup || freq != len(positions) || !slices.IsSorted(positions) {
			panic(fmt.Sprintf("term %q: repeated %v, frequency %d, positions %v", term, dup, freq, positions))
		}
		out[term] = []int{}
		for _, p := range positions {
			out[term] = append(out[term], int(p))
		}
	}
	generic := map[string][]int{}
	for term, tf := range f.AnalyzedTokenFrequencies() {
		if string(tf.Term) != term || tf.Frequency() != len(tf.Locations) {
			panic(fmt.Sprintf("term %q: key %q, frequency %d, %d locations", tf.Term, term, tf.Frequency(), len(tf.Locations)))
		}
		generic[term] = []int{}
		for _, l := range tf.Locations {
			generic[term] = append(generic[term], l.Position)
		}
		sort.Ints(generic[term])
	}
	if !reflect.DeepEqual(out, generic) {
		panic(fmt.Sprintf("Term says %v, AnalyzedTokenFrequencies %v", out, generic))
	}
	return out
}

// analyzerTerms returns the same as fieldTerms, from the analyzer queries use.
func analyzerTerms(text string) map[string][]int {
	out := map[string][]int{}
	for _, tok := range wordsAnalyzer.Analyze([]byte(text)) {
		out[string(tok.Term)] = append(out[string(tok.Term)], tok.Position)
	}
	return out
}

// checkWords is the property shared by the test and the fuzz target: the
// index and queries see the same terms at the same positions, and the
// spans found again for those positions hold those words.
func checkWords(t *testing.T, text string) {
	index, query := fieldTerms(text), analyzerTerms(text)
	if len(index) == 0 && len(query) == 0 {
		return
	}
	if !reflect.DeepEqual(index, query) {
		t.Fatalf("%q: index terms %v, query terms %v", text, index, query)
	}
	var positions []int
	byPos := map[int]string{}
	for term, ps := range index {
		for _, p := range ps {
			positions = append(positions, p)
			byPos[p] = term
		}
	}
	sort.Ints(positions)
	for i, sp := range wordSpans(text, positions) {
		w := text[sp.start:sp.end]
		if !utf8.ValidString(w) || string(appendLower(nil, w)) != byPos[positions[i]] {
			t.Fatalf("%q: position %d spans %q, term %q", text, positions[i], w, byPos[positions[i]])
		}
	}
}

func TestWordsField_AgreesWithQueryAnalyzer(t *testing.T) {
	alphabet := []rune("aZ9 ,.’'-\n\tÄöΣσςİıß中ひカ\u0301\u0307\u200b\u00AD\u200DIeКант€½²\U0001F600\u212B")
	r := rand.New(rand.NewPCG(5, 6))
	for range 2000 {
		b := make([]rune, r.IntN(40))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		s := string(b)
		if r.IntN(10) == 0 {
			s += "\xff\xfe"
		}
		checkWords(t, s)
	}
	for _, d := range seedDocuments(t) {
		checkWords(t, d.Text)
	}
}

// TestAppendLower_InertRunesNeedNoNormalizing checks what appendLower
// relies on to skip the NFC check: words made of ASCII and nfcInert runes
// are in NFC.
func TestAppendLower_InertRunesNeedNoNormalizing(t *testing.T) {
	var inert []rune
	for r := range rune(len(nfcInert)) {
		if r < utf8.RuneSelf || nfcInert[r] {
			inert = append(inert, r)
		}
	}
	if len(inert) < 1500 {
		t.Fatalf("only %d inert runes: the table is wrong", len(inert))
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 100000 {
		w := make([]rune, 1+r.IntN(4))
		for i := range w {
			w[i] = inert[r.IntN(len(inert))]
		}
		if s := string(w); !norm.NFC.IsNormalString(s) {
			t.Fatalf("%q (%U) is not in NFC", s, w)
		}
	}
	for _, s := range []string{"e\u0301", "\u212B", "\u0340", "\u0958"} {
		if got, want := string(appendLower(nil, s)), strings.ToLower(norm.NFC.String(s)); got != want {
			t.Errorf("appendLower(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestEachWord_JoinersStayInsideWords checks the spans of words with
// joiners: a joiner inside a word is in its span, so a snippet marks the
// word whole, and one before or after a word is in none.
func TestEachWord_JoinersStayInsideWords(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Die Bundes\u00ADregierung tagte", []string{"Die", "Bundes\u00ADregierung", "tagte"}},
		{"\u00ADword\u00AD\u200D, \u2060next\u00AD", []string{"word", "next"}},
		{"ka\u200D\u200Dk\u200D中", []string{"ka\u200D\u200Dk", "中"}},
		{"ΟΔ\u00ADΟΣ", []string{"ΟΔ\u00ADΟΣ"}},
	} {
		var got []string
		eachWord(tc.in, func(start, end int) { got = append(got, tc.in[start:end]) })
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("eachWord(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzWords(f *testing.F) {
	f.Add("Russia’s 2,000 ΟΔΥΣΣΕΥΣ cafe\u0301 Bundes\u00ADregierung 中文 \xff")
	f.Fuzz(func(t *testing.T, s string) { checkWords(t, s) })
}

func FuzzCompile(f *testing.F) {
	for _, q := range []string{`"a b" +c -d title:e f~2 g* published:>="2023-10" year:2020`,
		`"unclosed`, `title:`, `+`, `a^`, `/re/`, `published:>2023-13`, `x:"y`, `\"`} {
		f.Add(q, true)
	}
	f.Fuzz(func(t *testing.T, q string, prefix bool) {
		_, err := compile(q, prefix)
		if err != nil && notes.ErrorKind(err) != notes.EINVALID {
			t.Fatalf("%q: %v is not EINVALID", q, err)
		}
	})
}

func FuzzSnippets(f *testing.F) {
	f.Add("Kyrgyzstan opened a Russian airbase in Kant on October 23, 2003.", 5, 2)
	f.Add(strings.Repeat("日本語 ", 100), 40, 3)
	f.Fuzz(func(t *testing.T, text string, pos, n int) {
		var tps []termPos
		for p := range min(max(pos, 0), 500) {
			if p%3 == 0 {
				tps = append(tps, termPos{p + 1, p % 2})
			}
		}
		for _, s := range snippets(text, matchesIn(text, tps), min(max(n, 0), 5)) {
			if !utf8.ValidString(s.Text) {
				t.Fatalf("snippet is not valid UTF-8: %q", s.Text)
			}
			last := 0
			for _, m := range s.Marks {
				if m.Start < last || m.End > len(s.Text) || m.Start >= m.End {
					t.Fatalf("bad mark %v in %q", m, s.Text)
				}
				last = m.End
			}
		}
	})
}

func TestWordsField_SizeIsCheap(t *testing.T) {
	f := newWordsField("text", strings.Repeat("word ", 1000), optWords)
	f.Analyze()
	if f.Size() <= 5000 || f.AnalyzedLength() != 1000 || len(f.AnalyzedTokenFrequencies()) != 1 {
		t.Fatalf("size %d length %d terms %d", f.Size(), f.AnalyzedLength(), len(f.AnalyzedTokenFrequencies()))
	}
	// Without term vectors there are no locations.
	f = newWordsField("title", "a b a", bindex.IndexField)
	f.Analyze()
	if tf := f.AnalyzedTokenFrequencies()["a"]; tf.Frequency() != 2 || len(tf.Locations) != 0 {
		t.Fatalf("%+v", tf)
	}
}

func TestSearch_FacetsAcrossSegmentsDeletesAndReopen(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	var docs []*notes.Document
	for i := range 3000 {
		docs = append(docs, &notes.Document{ID: fmt.Sprintf("f%04d", i), Title: "t",
			Text:      []string{"alpha", "alpha beta", "gamma"}[r.IntN(3)],
			Source:    fmt.Sprintf("src%d", r.IntN(18)),
			MediaType: []string{"text/plain", "text/html"}[r.IntN(2)],
			Published: []notes.Date{{}, notes.YearDate(2000 + r.IntN(5))}[r.IntN(2)]})
	}
	dir := t.TempDir()
	src := &texts{}
	ix, err := Open(dir, src)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(docs); i += 250 { // many small segments
		MustIndex(t, ix, src, docs[i:i+250]...)
	}
	var deleted []string
	live := map[string]*notes.Document{}
	for _, d := range docs {
		live[d.ID] = d
	}
	for i := 0; i < len(docs); i += 7 {
		deleted = append(deleted, docs[i].ID)
		delete(live, docs[i].ID)
	}
	if err := ix.Delete(context.Background(), deleted); err != nil {
		t.Fatal(err)
	}
	check := func(ix *Index) {
		t.Helper()
		res := MustSearch(t, ix, notes.SearchRequest{Query: "alpha", Snippets: -1})
		want := map[string]map[string]int{"type": {}, "source": {}, "year": {}, "format": {}}
		for _, d := range live {
			if !strings.Contains(d.Text, "alpha") {
				continue
			}
			want["type"]["source"]++
			want["source"][d.Source]++
			want["format"][d.MediaType]++
			y := "undated"
			if d.Published.Known() {
				y = d.Published.String()
			}
			want["year"][y]++
		}
		for name, values := range want {
			got := map[string]int{}
			for _, f := range res.Facets[name] {
				got[f.Value] = f.Count
			}
			if len(values) > facetSize {
				t.Fatalf("test needs fewer %s values", name)
			}
			if !reflect.DeepEqual(got, values) {
				t.Fatalf("facet %s: got %v, want %v", name, got, values)
			}
		}
	}
	check(ix)
	ix.Close()
	ix, err = Open(dir, src)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	check(ix)
}

func TestIndex_ConcurrentSearchAndIndex(t *testing.T) {
	ix, src := MustOpen(t, corpus()...)
	done := make(chan error)
	go func() {
		for i := range 20 {
			docs := seq(fmt.Sprintf("c%d", i), 50)
			src.add(docs...)
			if err := ix.Index(context.Background(), docs); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for range 4 {
		go func() {
			for range 30 {
				if _, err := ix.Search(context.Background(), notes.SearchRequest{Query: "harbour ledger kant", PrefixLast: true}); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for range 5 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := ix.Count(); n != 4+20*50 {
		t.Fatalf("count %d", n)
	}
}

// newTestShard returns a new shard in a temporary folder, closed when the
// test ends.
func newTestShard(t *testing.T) *shard {
	t.Helper()
	dir := t.TempDir()
	if err := createShard(dir, true); err != nil {
		t.Fatal(err)
	}
	s, err := openShard(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.close() })
	return s
}

// A segment reads a words field in two passes, to size its tables and then
// to fill them; after the second the field must hold none of its analysis,
// so that the collector frees a batch's positions while its segment is
// still being built. This indexes real documents through Scorch, so a
// zap that stops telling the field it is done fails here rather than
// quietly keeping every batch.
func TestWordsField_LetsGoOfItsAnalysisOnceTheSegmentHasIt(t *testing.T) {
	s := newTestShard(t)
	b := s.idx.NewBatch()
	var fields []*wordsField
	for i := range 50 {
		doc := indexItem(&notes.Item{ID: fmt.Sprintf("d%02d", i), Title: "Kant air base",
			Text: strings.Repeat(fmt.Sprintf("the runway %d of Kant ", i), 20)}, i == 0)
		for _, f := range doc.Fields {
			if wf, ok := f.(*wordsField); ok {
				fields = append(fields, wf)
			}
		}
		if err := b.IndexAdvanced(doc); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.batch(b); err != nil {
		t.Fatal(err)
	}
	for _, f := range fields {
		if f.slots != nil || f.positions != nil || f.termEnds != nil {
			t.Fatalf("field %s: still holding %d terms and %d positions; want none", f.name, len(f.termEnds), len(f.positions))
		}
	}
	// Whatever asks again gets the same analysis.
	f := fields[0]
	got := f.AnalyzedTokenFrequencies()
	if tf := got["runway"]; tf == nil || tf.Frequency() != 20 || len(tf.Locations) != 20 {
		t.Fatalf("asked again: runway = %+v", tf)
	}
	// And the index found every word.
	res, err := s.idx.Search(bleve.NewSearchRequest(bleve.NewMatchPhraseQuery("runway 7 of kant")))
	if err != nil || res.Total != 1 {
		t.Fatalf("phrase search: %v, %d hits", err, res.Total)
	}
}

// A word far longer than any real one makes a term of at most
// maxWordBytes, and still finds its document: the query is cut the same way.
func TestLongWord_TermIsBoundedAndFound(t *testing.T) {
	long := strings.Repeat("ж", 5000) + "end" // 10 KB, no spaces
	f := newWordsField(fieldText, "before "+long+" after", optWords)
	f.Analyze()
	for term := range f.AnalyzedTokenFrequencies() {
		if len(term) > maxWordBytes || !utf8.ValidString(term) {
			t.Fatalf("a term of %d bytes (valid UTF-8: %v)", len(term), utf8.ValidString(term))
		}
	}
	if f.length != 3 {
		t.Fatalf("%d words, want 3: positions must not change", f.length)
	}
	ix, _ := MustOpen(t, &notes.Document{ID: "blob", Title: "Blob", Text: "before " + long + " after"},
		&notes.Document{ID: "other", Title: "Other", Text: "before " + strings.Repeat("ж", 100) + " after"})
	for _, q := range []string{long, `"before ` + long + ` after"`, strings.Repeat("ж", 600) + "*"} {
		if got := find(t, ix, q); !same(got, []string{"blob"}) {
			t.Errorf("query of %d bytes: %v, want the document", len(q), got)
		}
	}
}

// A document with two values of one words field (Dossier gives each field
// one, but zap must not lose the second): the segment reads them through
// Bleve's generic analysis then, and finds the words of both.
func TestWordsField_TwoValuesOfOneFieldAreBothIndexed(t *testing.T) {
	s := newTestShard(t)
	b := s.idx.NewBatch()
	two := document.NewDocument("two")
	two.AddField(newWordsField(fieldText, "alpha beta", optWords))
	two.AddField(newWordsField(fieldText, "gamma delta", optWords))
	one := document.NewDocument("one")
	one.AddField(newWordsField(fieldText, "beta gamma", optWords))
	for _, d := range []*document.Document{two, one} {
		if err := b.IndexAdvanced(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.batch(b); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]uint64{"alpha": 1, "delta": 1, "beta": 2, "gamma": 2} {
		res, err := s.idx.Search(bleve.NewSearchRequest(bleve.NewTermQuery(q)))
		if err != nil || res.Total != want {
			t.Errorf("%s: %v, %d hits, want %d", q, err, res.Total, want)
		}
	}
	res, err := s.idx.Search(bleve.NewSearchRequest(bleve.NewMatchPhraseQuery("beta gamma")))
	if err != nil || res.Total != 1 || res.Hits[0].ID != "one" {
		t.Fatalf("phrase: %v %v", err, res)
	}
}
