package search

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"

	"dossier/notes"
)

// maxExpansion caps how many index terms a prefix, wildcard, regexp or
// fuzzy term may expand to. Without a cap a one-letter prefix becomes a
// disjunction of tens of thousands of terms and takes seconds. At 4,096,
// comp* over 100,000 documents (34,889 matches) takes about 70 ms.
const maxExpansion = 4096

// maxPatterns caps the prefix, wildcard, regexp and fuzzy terms of one
// query. maxExpansion bounds each, but each is expanded and searched on
// its own: over the benchmark's 20,000 documents a* takes about 0.3 s and
// every further a* as much again (32 took 9 s, 1,000 half a gigabyte
// before Bleve gave up). Sixteen is more than anyone types on purpose, such
// as a list of word stems, and keeps the worst case to seconds.
const maxPatterns = 16

// maxQueryBytes caps a query's length. Reading one takes time that grows
// with the square of the longest word: an 80 KB word took 0.4 s, a 2 MB
// one minutes. A pasted page is not a query; a paragraph still is.
const maxQueryBytes = 16 << 10

// titleBoost weighs a match in the title above one in the text.
const titleBoost = 2.0

func init() {
	// Bleve reads this process-wide setting when it builds a searcher; it
	// is zero (no limit) by default. Dossier is the only user of Bleve in
	// the process, so setting it here is safe.
	searcher.DisjunctionMaxClauseCount = maxExpansion
}

// userFields maps the field names of the query syntax to index fields.
var userFields = map[string]string{
	"text":      fieldText,
	"title":     fieldTitle,
	"author":    fieldAuthor,
	"source":    fieldSource,
	"type":      fieldType,
	"year":      fieldYear,
	"format":    fieldFormat,
	"grade":     fieldGrade,
	"tag":       fieldTag,
	"published": fieldPublished,
}

func fieldNames() string {
	names := make([]string, 0, len(userFields))
	for n := range userFields {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func isWordField(f string) bool {
	return f == fieldText || f == fieldTitle || f == fieldAuthor || f == fieldSource
}

// compiled is a parsed query ready to run.
type compiled struct {
	q query.Query
	// matchAll is set for the empty query.
	matchAll bool
	// prefixed is set when PrefixLast turned the last word into a prefix;
	// exact is then the same query without it, to fall back on when the
	// prefix expands to too many terms.
	prefixed bool
	exact    string
}

// compile parses a query in the syntax described in the package comment.
// A malformed query returns an *notes.Error of kind EINVALID carrying the
// parser's message.
func compile(raw string, prefixLast bool) (c compiled, err error) {
	if len(raw) > maxQueryBytes {
		return c, notes.Errorf(notes.EINVALID, "the query is %d KB long; a query may be up to %d KB", (len(raw)+1023)>>10, maxQueryBytes>>10)
	}
	s := normalizeSpace(raw)
	if s == "" {
		return compiled{q: query.NewMatchAllQuery(), matchAll: true}, nil
	}
	if prefixLast {
		if p, ok := prefixLastWord(s); ok {
			c.prefixed, c.exact = true, s
			s = p
		}
	}
	s, err = rewriteRanges(s)
	if err != nil {
		return c, err
	}
	if s == "*" {
		c.q, c.matchAll = query.NewMatchAllQuery(), true
		return c, nil
	}
	q, err := parse(s)
	if err != nil {
		return c, err
	}
	if n := patterns(q); n > maxPatterns {
		if c.prefixed {
			// The prefix was not typed: search the word as typed.
			return compile(c.exact, false)
		}
		return c, notes.Errorf(notes.EINVALID,
			"the query has %d prefix, wildcard or fuzzy terms; at most %d are allowed", n, maxPatterns)
	}
	c.q, err = rewriteTop(q)
	return c, err
}

// patterns counts the terms of a parsed query that are expanded against
// the term dictionary: prefixes, wildcards, regexps and fuzzy words.
func patterns(q query.Query) int {
	n := 0
	switch q := q.(type) {
	case *query.BooleanQuery:
		for _, sub := range []query.Query{q.Must, q.Should, q.MustNot} {
			if sub != nil {
				n += patterns(sub)
			}
		}
	case *query.ConjunctionQuery:
		for _, sub := range q.Conjuncts {
			n += patterns(sub)
		}
	case *query.DisjunctionQuery:
		for _, sub := range q.Disjuncts {
			n += patterns(sub)
		}
	case *query.WildcardQuery, *query.RegexpQuery:
		n = 1
	case *query.MatchQuery:
		if q.Fuzziness > 0 {
			n = len(words(q.Match))
		}
	}
	return n
}

// qualifiers are the fields that describe a document rather than its words.
// Unmarked clauses on them narrow the results, as facet filters do, instead
// of being one more alternative: kant year:2023 means kant in 2023, and
// published:>="2023-01-01" published:<"2024-01-01" is a range. Values of
// one field are alternatives (year:2003 year:2023); different fields, and
// each date comparison, must all hold.
var qualifiers = map[string]bool{
	"type": true, "year": true, "format": true, "grade": true, "published": true, "source": true,
	"tag": true,
}

// rewriteTop rewrites the parser's top-level query: clauses with no words
// are dropped, unmarked qualifier clauses and required clauses on keyword
// fields move into a filter, and the rest is rebuilt out of the parser's
// query-string mode. That mode skips every clause whose searcher matches
// nothing, meant for clauses that analyze to nothing; but it also skipped
// +xyzzy* when no word starts with xyzzy (or, in one shard,
// +published:>=2017 when the shard has nothing that recent), turning a
// clause that must hold into one that is ignored.
//
// Keyword fields must not be scored: they are indexed without frequencies
// or norms (optKeyword), and Bleve's tf-idf then scores their matches
// 0 × +Inf, NaN, which spread to the whole score of +type:source or
// kant +year:2023.
func rewriteTop(q query.Query) (query.Query, error) {
	b, ok := q.(*query.BooleanQuery)
	if !ok {
		return rewrite(q)
	}
	clauses := func(q query.Query) []query.Query {
		switch q := q.(type) {
		case *query.ConjunctionQuery:
			return q.Conjuncts
		case *query.DisjunctionQuery:
			return q.Disjuncts
		}
		return nil
	}
	var must, should, mustNot, required []query.Query
	byField := map[string][]query.Query{}
	var fields []string
	for _, group := range []struct {
		from []query.Query
		to   *[]query.Query
	}{{clauses(b.Must), &must}, {clauses(b.Should), &should}, {clauses(b.MustNot), &mustNot}} {
		for _, sub := range group.from {
			f := leafField(sub)
			_, isRange := sub.(*query.DateRangeQuery)
			r, err := rewrite(sub)
			switch {
			case err != nil:
				return nil, err
			case r == noWords:
				continue
			case group.to == &should && qualifiers[f]:
				if isRange {
					// Each comparison is a bound of its own: all must hold.
					f = fmt.Sprintf("%s#%d", f, len(fields))
				}
				if byField[f] == nil {
					fields = append(fields, f)
				}
				byField[f] = append(byField[f], r)
			case group.to == &must && f != "" && !isWordField(userFields[f]):
				required = append(required, r)
			default:
				*group.to = append(*group.to, r)
			}
		}
	}
	if len(required) > 0 && len(must) == 0 && len(should) > 0 {
		// Without a required clause Bleve requires one of the others:
		// +year:2023 kant would lose the documents of 2023 without kant.
		must = append(must, query.NewMatchAllQuery())
	}
	out := query.NewBooleanQuery(must, should, mustNot)
	out.BoostVal = b.BoostVal
	if len(fields) > 0 || len(required) > 0 {
		all := required
		for _, f := range fields {
			all = append(all, query.NewDisjunctionQuery(byField[f]))
		}
		out.AddFilter(query.NewConjunctionQuery(all))
	}
	return out, nil
}

// noWords stands for a clause that has nothing to search for, such as a
// word of punctuation only (+&): rewriteTop drops it.
var noWords = query.NewMatchNoneQuery()

// leafField returns the user's field name of a parsed leaf clause, or "".
func leafField(q query.Query) string {
	switch q := q.(type) {
	case *query.DisjunctionQuery:
		if m := parsedNumber(q); m != nil {
			return m.FieldVal
		}
	case query.FieldableQuery:
		return q.Field()
	}
	return ""
}

// parsedNumber returns the term of what the parser makes of a number (2017,
// year:2023): the term or the same value as a number, in one field. Other
// disjunctions, such as the clauses of kant title:>5, give nil.
func parsedNumber(d *query.DisjunctionQuery) *query.MatchQuery {
	if len(d.Disjuncts) != 2 {
		return nil
	}
	m, ok := d.Disjuncts[0].(*query.MatchQuery)
	n, ok2 := d.Disjuncts[1].(*query.NumericRangeQuery)
	if !ok || !ok2 || m.FieldVal != n.FieldVal || n.Min == nil || n.Max == nil || *n.Min != *n.Max {
		return nil
	}
	return m
}

// parse runs Bleve's query string parser, which reports most errors as
// errors but some as panics.
func parse(s string) (q query.Query, err error) {
	defer func() {
		if r := recover(); r != nil {
			q, err = nil, parseError(s, fmt.Sprint(r))
		}
	}()
	q, err = query.NewQueryStringQuery(s).Parse()
	if err != nil {
		return nil, parseError(s, err.Error())
	}
	return q, nil
}

// parseError is the error for a query the parser rejected with msg. The
// parser's messages are written for programmers ("syntax error", "invalid
// boost value: strconv.ParseFloat: …"), so the query is looked at again
// for a mistake that can be named; only when none is found does msg show.
func parseError(s, msg string) error {
	if p := syntaxProblem(s); p != "" {
		return notes.Errorf(notes.EINVALID, "cannot read the query: %s", p)
	}
	return notes.Errorf(notes.EINVALID, "cannot read the query: %s", strings.ReplaceAll(msg, "\n", "; "))
}

// syntaxProblem describes the first mistake in s that Bleve's parser
// rejects, or returns "" if it finds none. It reads each space-separated
// part as Bleve's lexer does: an optional + or -, an optional field name
// and colon, the value, then ^boost or ~fuzziness running to the space.
func syntaxProblem(s string) string {
	parts, balanced := chunks(s)
	if !balanced {
		return `a quotation mark (") is not closed`
	}
	misplaced := func(c byte) string {
		switch c {
		case ':':
			return "':' must follow a field name, as in title:WORD"
		case '>', '<', '=':
			return fmt.Sprintf("'%c' compares dates and must follow published: or year:, as in published:>=2023", c)
		case '^':
			return "'^' must follow a word, as in kant^2"
		case '~':
			return "'~' must follow a word, as in japarov~ or japarov~2"
		}
		return ""
	}
	for _, p := range parts {
		chunk := s[p[0]:p[1]]
		rest := strings.TrimLeft(chunk, "+-")
		switch {
		case len(chunk)-len(rest) > 1:
			return fmt.Sprintf("%q: put a single + or - before a word", chunk)
		case rest == "" && chunk == "+":
			return "nothing after '+': write +WORD for a word that must be there"
		case rest == "":
			return "nothing after '-': write -WORD for a word that must not be there"
		}
		if m := misplaced(rest[0]); m != "" {
			return m
		}
		field := -1 // where the value begins, after the field's colon
		var l lexer
		for i := 0; i < len(rest); i++ {
			c := rest[i]
			if !l.bare(c) {
				continue
			}
			switch {
			case c == ':' && field >= 0:
				return fmt.Sprintf("%q: a word can have only one field name; put words with ':' in quotes", chunk)
			case c == ':':
				name, value := rest[:i], rest[i+1:]
				if strings.Trim(value, "<>=") == "" {
					return fmt.Sprintf("%s: needs a value, as in %s:%s", name, name, fieldExample(name, value))
				}
				if m := misplaced(value[0]); m != "" && value[0] != '<' && value[0] != '>' {
					return m
				}
				field = i + 1
			case c == '^':
				if b := rest[i+1:]; b != "" && !isNumber(b) {
					return "'^' must be followed by a number, as in kant^2"
				}
				if i == field {
					return misplaced(c)
				}
				i = len(rest) // the boost runs to the end of the part
			case c == '~':
				if f := rest[i+1:]; f != "" && !isNumber(f) {
					return "'~' can be followed only by 1 or 2, as in japarov~2"
				}
				if i == field {
					return misplaced(c)
				}
				i = len(rest) // the fuzziness runs to the end of the part
			}
		}
	}
	return ""
}

// fieldExample is a value to show after name: in an error message;
// compare is the comparison the user began, if any.
func fieldExample(name, compare string) string {
	switch name {
	case "published", "year":
		if compare != "" {
			return compare + "2023"
		}
		return "2023"
	case "type":
		return "source"
	case "format":
		return "text/html"
	case "grade":
		return "B2"
	}
	return "WORD"
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// normalizeSpace turns every kind of white space into a plain space, the
// only separator Bleve's lexer knows (a tab or newline would otherwise glue
// two words into one term), and trims the start. A space at the end stays:
// it tells prefixLastWord that the last word is finished.
func normalizeSpace(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, s)
	return strings.TrimLeftFunc(s, unicode.IsSpace)
}

// chunks splits a query into its space-separated parts, keeping phrases
// whole and honouring backslash escapes as Bleve's lexer does. balanced is
// false when a phrase is left open.
func chunks(s string) (parts [][2]int, balanced bool) {
	var l lexer
	start := -1
	for i := 0; i < len(s); i++ {
		if l.bare(s[i]) && s[i] == ' ' {
			if start >= 0 {
				parts = append(parts, [2]int{start, i})
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		parts = append(parts, [2]int{start, len(s)})
	}
	return parts, !l.inPhrase
}

// lexer follows a query byte by byte as Bleve's lexer reads it: a
// backslash escapes the next byte, and quotation marks open and close
// phrases.
type lexer struct{ inPhrase, escaped bool }

// bare reports whether c, the next byte, stands outside phrases and
// escapes, where it can be syntax.
func (l *lexer) bare(c byte) bool {
	switch {
	case l.escaped:
		l.escaped = false
	case c == '\\':
		l.escaped = true
	case c == '"':
		l.inPhrase = !l.inPhrase
	default:
		return !l.inPhrase
	}
	return false
}

// prefixLastWord makes the last word of s a prefix (word*) when it is a
// bare word of at least three letters: not a phrase, not fielded, not already
// fuzzy or a wildcard, and not followed by a space (a space means the user
// finished the word). Shorter prefixes expand to thousands of words in a
// large project, which would make every keystroke slow for results no one
// reads; typed explicitly (co*) they are searched.
func prefixLastWord(s string) (string, bool) {
	if strings.HasSuffix(s, " ") {
		return s, false
	}
	parts, balanced := chunks(s)
	if !balanced || len(parts) == 0 {
		return s, false
	}
	last := s[parts[len(parts)-1][0]:]
	last = strings.TrimLeft(last, "+-")
	if utf8.RuneCountInString(last) < 3 {
		return s, false
	}
	for _, r := range last {
		if !isWordRune(r) && !isJoiner(r) {
			return s, false
		}
	}
	return s + "*", true
}

// rangeChunk matches a date comparison: published:>="2023-10",
// published:<2024, year:>=2020, with an optional leading + or -.
var rangeChunk = regexp.MustCompile(`^([+-]?)(published|year):(>=|<=|>|<)"?(\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?)"?$`)

// rewriteRanges turns date comparisons into the full dates Bleve's parser
// reads, giving partial dates their natural meaning: published:<="2023-10"
// includes all of October and published:>2023 starts in 2024. year: ranges
// become published: ranges because years are stored as facet values, not
// numbers.
func rewriteRanges(s string) (string, error) {
	parts, _ := chunks(s)
	var b strings.Builder
	last := 0
	for _, p := range parts {
		m := rangeChunk.FindStringSubmatch(s[p[0]:p[1]])
		if m == nil {
			continue
		}
		start, end, err := period(m[4])
		if err != nil {
			return "", err
		}
		var r string
		switch m[3] {
		case ">=":
			r = `>="` + start.Format(time.DateOnly)
		case ">":
			r = `>="` + end.Format(time.DateOnly)
		case "<":
			r = `<"` + start.Format(time.DateOnly)
		case "<=":
			r = `<"` + end.Format(time.DateOnly)
		}
		b.WriteString(s[last:p[0]])
		b.WriteString(m[1] + "published:" + r + `"`)
		last = p[1]
	}
	b.WriteString(s[last:])
	return b.String(), nil
}

// period reads YYYY, YYYY-MM or YYYY-MM-DD as the half-open time range it
// covers.
func period(v string) (start, end time.Time, err error) {
	// Accept single-digit months and days as people type them.
	parts := strings.Split(v, "-")
	for i := 1; i < len(parts); i++ {
		if len(parts[i]) == 1 {
			parts[i] = "0" + parts[i]
		}
	}
	d, perr := notes.ParseDate(strings.Join(parts, "-"))
	if perr != nil || !d.Known() {
		return start, end, notes.Errorf(notes.EINVALID, "cannot read the date %q: use YYYY, YYYY-MM or YYYY-MM-DD", v)
	}
	start = d.Time
	switch d.Precision {
	case notes.PrecisionYear:
		end = start.AddDate(1, 0, 0)
	case notes.PrecisionMonth:
		end = start.AddDate(0, 1, 0)
	default:
		end = start.AddDate(0, 0, 1)
	}
	return start, end, nil
}

func periodQuery(v string) (query.Query, error) {
	start, end, err := period(strings.TrimSpace(v))
	if err != nil {
		return nil, err
	}
	return dateRange(start, end), nil
}

// rewrite walks the parsed query: it sends unfielded words to the text and
// the title, unfielded phrases to the text only, maps user field names to
// index fields, normalizes keyword values and prefixes, and rejects fields
// and comparisons the index cannot answer. Compound queries are changed in
// place; rewriteTop rebuilds the top level.
func rewrite(q query.Query) (query.Query, error) {
	var err error
	switch q := q.(type) {
	case *query.BooleanQuery:
		for _, sub := range []*query.Query{&q.Must, &q.Should, &q.MustNot} {
			if *sub != nil {
				if *sub, err = rewrite(*sub); err != nil {
					return nil, err
				}
			}
		}
		return q, nil
	case *query.ConjunctionQuery:
		for i := range q.Conjuncts {
			if q.Conjuncts[i], err = rewrite(q.Conjuncts[i]); err != nil {
				return nil, err
			}
		}
		return q, nil
	case *query.DisjunctionQuery:
		// The parser turns a number (2017, year:2023) into "the term or
		// the numeric value"; nothing here is numeric, so keep the term.
		if m := parsedNumber(q); m != nil {
			return rewrite(m)
		}
		for i := range q.Disjuncts {
			if q.Disjuncts[i], err = rewrite(q.Disjuncts[i]); err != nil {
				return nil, err
			}
		}
		return q, nil
	case *query.MatchQuery:
		return rewriteLeaf(q.FieldVal, q.BoostVal, func(f string) (query.Query, error) {
			return textQuery(f, q.Match, q.Fuzziness)
		})
	case *query.MatchPhraseQuery:
		if q.FieldVal == "" {
			// Phrases search the text only, so that a phrase finds exactly
			// the documents whose text contains it.
			t, err := textQuery(fieldText, q.MatchPhrase, 0)
			return boosted(t, q.BoostVal), err
		}
		return rewriteLeaf(q.FieldVal, q.BoostVal, func(f string) (query.Query, error) {
			return textQuery(f, q.MatchPhrase, 0)
		})
	case *query.WildcardQuery:
		if q.FieldVal == "" && strings.Trim(q.Wildcard, "*") == "" {
			return query.NewMatchAllQuery(), nil
		}
		return rewriteLeaf(q.FieldVal, q.BoostVal, func(f string) (query.Query, error) {
			return wildcardQuery(f, q.Wildcard)
		})
	case *query.RegexpQuery:
		return rewriteLeaf(q.FieldVal, q.BoostVal, func(f string) (query.Query, error) {
			if f == fieldPublished {
				return nil, notes.Errorf(notes.EINVALID, "published: takes a date or a date range, not a pattern")
			}
			r := query.NewRegexpQuery(q.Regexp)
			r.SetField(f)
			return r, nil
		})
	case *query.DateRangeQuery:
		f, err := userField(q.FieldVal)
		if err != nil {
			return nil, err
		}
		if f != fieldPublished && f != fieldYear {
			return nil, notes.Errorf(notes.EINVALID, "%s: cannot be compared with a date; use published:>=\"2023-01-01\"", q.FieldVal)
		}
		incl := func(b *bool, def bool) bool {
			if b == nil {
				return def
			}
			return *b
		}
		from, to := dayBounds(q.Start.Time, q.End.Time, incl(q.InclusiveStart, true), incl(q.InclusiveEnd, false))
		return boosted(dateRange(from, to), q.BoostVal), nil
	case *query.NumericRangeQuery:
		if f, _ := userField(q.FieldVal); f == fieldPublished || f == fieldYear {
			return nil, notes.Errorf(notes.EINVALID, "%s: compare with a year or a date, e.g. published:>=2023 or published:<\"2024-06-01\"", q.FieldVal)
		}
		return nil, notes.Errorf(notes.EINVALID, "%s: has no numbers to compare; only published: and year: take ranges", q.FieldVal)
	}
	return q, nil
}

// rewriteLeaf builds a leaf for its field, or for the text and the title
// (the latter boosted) when it has none.
func rewriteLeaf(field string, boost *query.Boost, build func(field string) (query.Query, error)) (query.Query, error) {
	if field == "" {
		text, err := build(fieldText)
		if err != nil {
			return nil, err
		}
		title, err := build(fieldTitle)
		if err != nil {
			return nil, err
		}
		if text == noWords {
			return text, nil
		}
		boosted(title, ptrBoost(titleBoost))
		return boosted(query.NewDisjunctionQuery([]query.Query{text, title}), boost), nil
	}
	f, err := userField(field)
	if err != nil {
		return nil, err
	}
	q, err := build(f)
	if err != nil {
		return nil, err
	}
	return boosted(q, boost), nil
}

func userField(name string) (string, error) {
	f, ok := userFields[name]
	if !ok {
		return "", notes.Errorf(notes.EINVALID, "unknown field %q; fields are %s", name, fieldNames())
	}
	return f, nil
}

func ptrBoost(b float64) *query.Boost { v := query.Boost(b); return &v }

func boosted(q query.Query, b *query.Boost) query.Query {
	if b != nil {
		if bq, ok := q.(query.BoostableQuery); ok {
			bq.SetBoost(float64(*b))
		}
	}
	return q
}

// textQuery matches s in field f. In a word field a single word is a term,
// several words (written together, as in russia's or kant-manas, or quoted)
// are a phrase; a fuzzy s needs every word, each within the fuzziness.
func textQuery(f, s string, fuzziness int) (query.Query, error) {
	switch {
	case f == fieldPublished:
		return periodQuery(s)
	case !isWordField(f):
		return keywordQuery(f, s), nil
	}
	if fuzziness < 0 || fuzziness > 2 {
		return nil, notes.Errorf(notes.EINVALID, "%s~%d: fuzziness is 1 or 2 letters", s, fuzziness)
	}
	w := words(s)
	switch {
	case len(w) == 0:
		return noWords, nil
	case fuzziness > 0:
		m := query.NewMatchQuery(s)
		m.SetField(f)
		m.SetFuzziness(fuzziness)
		m.SetOperator(query.MatchQueryOperatorAnd)
		return m, nil
	case len(w) == 1:
		t := query.NewTermQuery(w[0])
		t.SetField(f)
		return t, nil
	}
	return query.NewPhraseQuery(w, f), nil
}

// wildcardQuery matches a pattern with * and ? in field f. Bleve does not
// analyze patterns, so they are lowercased here like the indexed words. A
// pattern whose only wildcard is a final * is a prefix query, which Bleve
// answers from the term dictionary without a regular expression.
func wildcardQuery(f, pattern string) (query.Query, error) {
	switch {
	case f == fieldPublished:
		return nil, notes.Errorf(notes.EINVALID, "published: takes a date or a date range, not a pattern")
	case isWordField(f):
		pattern = lowerPattern(pattern)
		if strings.Contains(pattern, "ς*") || strings.Contains(pattern, "ς?") {
			// A capital sigma before a wildcard lowercases as at the end of
			// a word, ς; but the wildcard may go on with the word, where it
			// is σ: ΟΔΟΣ* means οδος and οδοσ…, which only a regexp says.
			q := query.NewRegexpQuery(strings.ReplaceAll(wildcardRegexp(pattern), "ς.", "[σς]."))
			q.SetField(f)
			return q, nil
		}
	default:
		pattern = normalizeKeyword(f, pattern)
	}
	if p, ok := strings.CutSuffix(pattern, "*"); ok && !strings.ContainsAny(p, "*?") && p != "" {
		q := query.NewPrefixQuery(p)
		q.SetField(f)
		return q, nil
	}
	q := query.NewWildcardQuery(pattern)
	q.SetField(f)
	return q, nil
}

// lowerPattern lowercases a wildcard pattern as appendLower lowercases
// the words of documents, taking each run between wildcards for a whole
// word, so that a capital sigma before a wildcard becomes ς.
func lowerPattern(pattern string) string {
	var b []byte
	for {
		i := strings.IndexAny(pattern, "*?")
		if i < 0 {
			return string(appendLower(b, pattern))
		}
		b = append(appendLower(b, pattern[:i]), pattern[i])
		pattern = pattern[i+1:]
	}
}

// facetFields maps the facet names of SearchRequest.Filters and
// SearchResult.Facets to index fields.
var facetFields = map[string]string{
	"type":   fieldType,
	"source": fieldSourceFacet,
	"year":   fieldYear,
	"format": fieldFormat,
	"grade":  fieldGrade,
	"tag":    fieldTag,
}

// filterQuery builds the facet filters: values of one facet are ORed,
// facets are ANDed. It returns nil when there are none.
func filterQuery(filters map[string][]string) (query.Query, error) {
	var all []query.Query
	names := make([]string, 0, len(filters))
	for n := range filters {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		values := filters[name]
		if len(values) == 0 {
			continue
		}
		f, ok := facetFields[name]
		if !ok {
			return nil, notes.Errorf(notes.EINVALID, "cannot filter by %q; filters are type, source, year, format and grade", name)
		}
		oneOf := make([]query.Query, len(values))
		for i, v := range values {
			oneOf[i] = keywordQuery(f, v)
		}
		all = append(all, query.NewDisjunctionQuery(oneOf))
	}
	if len(all) == 0 {
		return nil, nil
	}
	return query.NewConjunctionQuery(all), nil
}

// keywordQuery matches value v of keyword field f. A grade may be given
// by half: grade:E is every grade of an E source (E1–E6), grade:2 every
// grade with credibility 2, so "-grade:E -grade:F" hides unreliable
// sources and their quotes.
func keywordQuery(f, v string) query.Query {
	v = normalizeKeyword(f, v)
	if f == fieldGrade && len(v) == 1 {
		var q query.FieldableQuery
		switch {
		case v[0] >= 'A' && v[0] <= 'F':
			q = query.NewPrefixQuery(v)
		case v[0] >= '1' && v[0] <= '6':
			q = query.NewWildcardQuery("?" + v)
		}
		if q != nil {
			q.SetField(f)
			return q
		}
	}
	t := query.NewTermQuery(v)
	t.SetField(f)
	return t
}

// tooManyTerms reports whether err is Bleve's refusal to expand a prefix,
// wildcard or fuzzy term past maxExpansion.
func tooManyTerms(err error) bool {
	return err != nil && strings.Contains(err.Error(), "TooManyClauses")
}

var errTooManyTerms = notes.Errorf(notes.EINVALID,
	"a prefix, wildcard or fuzzy term matches more than %d words; make it longer", maxExpansion)
