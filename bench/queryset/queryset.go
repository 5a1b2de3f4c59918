// Package queryset chooses the benchmark's fixed query set from the corpus
// itself, deterministically: common, medium and rare single words, two-word
// AND and OR, phrases, prefixes, and non-English words (German, French,
// Russian) that exercise Unicode. The same query is written in FTS5's
// syntax and in Dossier's, so both engines answer the same question.
package queryset

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"dossier/bench/corpus"
)

// Kinds of query.
const (
	Common  = "common"  // one frequent word (the first: the most frequent of all)
	Medium  = "medium"  // one word in 0.1–0.5% of documents
	Rare    = "rare"    // one word in 2–5 documents
	And     = "and"     // two words, both required
	Or      = "or"      // either of two words
	Phrase  = "phrase"  // two words in a row
	Prefix  = "prefix"  // every word starting with four letters
	Unicode = "unicode" // one German, French or Russian word with non-ASCII letters
)

// Query is one query of the set.
type Query struct {
	Kind  string   `json:"kind"`
	Terms []string `json:"terms"` // lower case; a prefix for Prefix
}

// FTS5 returns the query as an FTS5 MATCH expression. Terms are quoted so
// no word is read as an operator.
func (q Query) FTS5() string {
	quoted := make([]string, len(q.Terms))
	for i, t := range q.Terms {
		quoted[i] = `"` + t + `"`
	}
	switch q.Kind {
	case And:
		return strings.Join(quoted, " AND ")
	case Or:
		return strings.Join(quoted, " OR ")
	case Phrase:
		return `"` + strings.Join(q.Terms, " ") + `"`
	case Prefix:
		return quoted[0] + "*"
	}
	return quoted[0]
}

// Dossier returns the query in Dossier's query syntax (Bleve's query
// string: +required, space-separated alternatives, "phrase", prefix*).
func (q Query) Dossier() string {
	switch q.Kind {
	case And:
		return "+" + strings.Join(q.Terms, " +")
	case Or:
		return strings.Join(q.Terms, " ")
	case Phrase:
		return `"` + strings.Join(q.Terms, " ") + `"`
	case Prefix:
		return q.Terms[0] + "*"
	}
	return q.Terms[0]
}

// String names the query for reports.
func (q Query) String() string { return q.Kind + ": " + q.FTS5() }

// version names the selection rules; bump it when they change.
const version = 4

// Load returns the query set for docs, cached in dir as
// queries-vV-N.json, choosing it (reading every document) when not cached.
func Load(dir string, docs []corpus.Doc) ([]Query, error) {
	path := filepath.Join(dir, fmt.Sprintf("queries-v%d-%d.json", version, len(docs)))
	if b, err := os.ReadFile(path); err == nil {
		var qs []Query
		if json.Unmarshal(b, &qs) == nil && len(qs) > 0 {
			return qs, nil
		}
	}
	qs, err := Choose(docs)
	if err != nil {
		return nil, err
	}
	b, _ := json.MarshalIndent(qs, "", " ")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return nil, err
	}
	return qs, nil
}

type termStat struct {
	df    int32
	langs uint32 // bit i: seen in a document of language langIndex i
}

// Choose reads every document and picks the query set.
func Choose(docs []corpus.Doc) ([]Query, error) {
	if len(docs) == 0 {
		return nil, errors.New("queryset: no documents")
	}
	langIndex := map[string]int{}
	stats := map[string]*termStat{}
	bigrams := map[[2]string]int32{}
	seen := map[string]bool{}
	seenBi := map[[2]string]bool{}
	for i, d := range docs {
		b, err := os.ReadFile(d.Path)
		if err != nil {
			return nil, err
		}
		li, ok := langIndex[d.Lang]
		if !ok {
			li = len(langIndex)
			langIndex[d.Lang] = li
		}
		clear(seen)
		clear(seenBi)
		words := tokens(d.Title + "\n" + corpus.Body(b))
		for _, w := range words {
			if seen[w] {
				continue
			}
			seen[w] = true
			s := stats[w]
			if s == nil {
				s = &termStat{}
				stats[w] = s
			}
			s.df++
			s.langs |= 1 << (li % 32)
		}
		// Phrases: English two-word sequences, from every fourth document
		// to bound memory.
		if d.Lang == "en" && i%4 == 0 {
			for j := 1; j < len(words); j++ {
				a, c := words[j-1], words[j]
				if a == c || !plain(a, 4, 12) || !plain(c, 4, 12) || stop[a] || stop[c] || noise[a] || noise[c] {
					continue
				}
				k := [2]string{a, c}
				if !seenBi[k] {
					seenBi[k] = true
					bigrams[k]++
				}
			}
		}
	}
	n := int32(len(docs))
	type tdf struct {
		t  string
		df int32
	}
	var all []tdf
	for t, s := range stats {
		all = append(all, tdf{t, s.df})
	}
	// Most frequent first; ties in alphabetical order.
	slices.SortFunc(all, func(a, b tdf) int {
		if a.df != b.df {
			return int(b.df - a.df)
		}
		return strings.Compare(a.t, b.t)
	})
	pick := func(want int, ok func(tdf) bool) []string {
		var c []string
		for _, x := range all {
			if ok(x) {
				c = append(c, x.t)
			}
		}
		return spread(c, want)
	}
	// The most frequent words: the first 24 candidates, every third.
	var cands []string
	for _, x := range all {
		if plain(x.t, 4, 10) && !stop[x.t] {
			cands = append(cands, x.t)
			if len(cands) == 24 {
				break
			}
		}
	}
	// And the most frequent word of all (of three letters or more: a stop
	// word such as "the"): neither engine drops stop words, and it is the
	// worst case of search as you type.
	var common []string
	for _, x := range all {
		if plain(x.t, 3, 10) {
			common = append(common, x.t)
			break
		}
	}
	for i := 0; i < len(cands); i += 3 {
		common = append(common, cands[i])
	}
	medium := pick(14, func(x tdf) bool {
		return plain(x.t, 5, 12) && !stop[x.t] && x.df >= max(2, n/1000) && x.df <= max(3, n/200)
	})
	rare := pick(8, func(x tdf) bool { return plain(x.t, 6, 12) && x.df >= 2 && x.df <= 5 })

	var qs []Query
	add := func(kind string, terms ...string) { qs = append(qs, Query{Kind: kind, Terms: terms}) }
	for _, t := range common {
		add(Common, t)
	}
	for _, t := range medium[:min(6, len(medium))] {
		add(Medium, t)
	}
	for _, t := range rare {
		add(Rare, t)
	}
	for i := 1; i+1 < len(common); i += 2 {
		add(And, common[i], common[i+1])
	}
	for i := 0; i < 4 && i < len(common)-1 && 6+i < len(medium); i++ {
		add(And, common[len(common)-1-i], medium[6+i])
	}
	for i := 0; i+1 < min(len(medium), 12); i += 2 {
		add(Or, medium[i], medium[i+1])
	}
	if len(medium) >= 14 {
		add(Or, medium[12], medium[13])
	}

	type bdf struct {
		k  [2]string
		df int32
	}
	var bs []bdf
	for k, df := range bigrams {
		bs = append(bs, bdf{k, df})
	}
	slices.SortFunc(bs, func(a, b bdf) int {
		if a.df != b.df {
			return int(b.df - a.df)
		}
		return strings.Compare(a.k[0]+" "+a.k[1], b.k[0]+" "+b.k[1])
	})
	var phrases []string
	for _, b := range bs[:min(len(bs), 400)] {
		phrases = append(phrases, b.k[0]+" "+b.k[1])
	}
	for _, p := range spread(phrases, 8) {
		add(Phrase, strings.Fields(p)...)
	}

	// Prefixes: four letters shared by many frequent words.
	prefixDF := map[string]int64{}
	for _, x := range all {
		if plain(x.t, 6, 14) {
			prefixDF[x.t[:4]] += int64(x.df)
		}
	}
	type pdf struct {
		p  string
		df int64
	}
	var ps []pdf
	for p, df := range prefixDF {
		if !stop[p] {
			ps = append(ps, pdf{p, df})
		}
	}
	slices.SortFunc(ps, func(a, b pdf) int {
		if a.df != b.df {
			if a.df > b.df {
				return -1
			}
			return 1
		}
		return strings.Compare(a.p, b.p)
	})
	var prefixes []string
	for _, p := range ps[:min(len(ps), 60)] {
		prefixes = append(prefixes, p.p)
	}
	for _, p := range spread(prefixes, 6) {
		add(Prefix, p)
	}

	// Non-English words with non-ASCII letters, seen only in documents
	// of one language and in at least 0.05% of all documents.
	for _, lang := range []string{"de", "fr", "ru"} {
		li, ok := langIndex[lang]
		if !ok {
			continue
		}
		var c []string
		for _, x := range all {
			s := stats[x.t]
			if s.langs == 1<<(li%32) && x.df >= max(2, n/2000) && !isASCII(x.t) && utf8.RuneCountInString(x.t) >= 5 {
				c = append(c, x.t)
			}
		}
		for _, t := range spread(c[:min(len(c), 50)], 2) {
			add(Unicode, t)
		}
	}
	return qs, nil
}

// spread returns want items of c, evenly spaced, starting with the first.
func spread(c []string, want int) []string {
	if len(c) <= want {
		return c
	}
	out := make([]string, want)
	for i := range want {
		out[i] = c[i*len(c)/want]
	}
	return out
}

// tokens splits s into lower-case words of letters. Both engines split on
// anything that is not a letter or digit; words with digits are left out
// of the choice.
func tokens(s string) []string {
	var out []string
	start := -1
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, strings.ToLower(s[start:i]))
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, strings.ToLower(s[start:]))
	}
	return out
}

// plain reports whether w is an ASCII word of lo to hi letters.
func plain(w string, lo, hi int) bool {
	if len(w) < lo || len(w) > hi {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// noise holds words of dictionary and package markup ("[Obs.]", "Home:
// http://…") that make meaningless phrases.
var noise = map[string]bool{"http": true, "https": true, "html": true, "obs": true, "ness": true, "webster": true}

// stop holds English stop words, left out of the choice (bar the most
// frequent word) so that queries are words people search for.
var stop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a about above after again against all am an and any are as at be because
	been before being below between both but by can could did do does doing down during each few for from further
	had has have having he her here hers herself him himself his how i if in into is it its itself just me more
	most my myself no nor not now of off on once only or other ours ourselves out over own same she should so some
	such than that the their theirs them themselves then there these they this those through to too under until
	up very was we were what when where which while who whom why will with would you your yours yourself
	yourselves also used may one two see use which`) {
		m[w] = true
	}
	return m
}()
