package search

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/single"
	"github.com/blevesearch/bleve/v2/registry"
)

// Names under which the analysis pieces are registered with Bleve. The
// index's stored mapping refers to them by name, so renaming one makes old
// indexes unopenable (Open then reports ErrCorrupt and the caller rebuilds).
const (
	wordsTokenizerName = "dossier_words"
	wordsAnalyzerName  = "dossier_words"
	lowerKeywordName   = "dossier_lower_keyword"
)

func init() {
	registry.RegisterTokenizer(wordsTokenizerName,
		func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) { return wordsTokenizer{}, nil })
	registry.RegisterAnalyzer(wordsAnalyzerName,
		func(_ map[string]any, c *registry.Cache) (analysis.Analyzer, error) { return wordsAnalyzer, nil })
	registry.RegisterAnalyzer(lowerKeywordName,
		func(_ map[string]any, c *registry.Cache) (analysis.Analyzer, error) { return lowerKeywordAnalyzer, nil })
}

// wordsAnalyzer splits text into words (see isWordRune) and lowercases them.
// It neither stems nor drops stop words: either would let a phrase query
// match text that does not contain the phrase.
var wordsAnalyzer = &analysis.DefaultAnalyzer{
	Tokenizer:    wordsTokenizer{},
	TokenFilters: []analysis.TokenFilter{lowercase.NewLowerCaseFilter()},
}

// lowerKeywordAnalyzer keeps a value whole but lowercased, for facet fields
// whose case carries no meaning (media types, kinds, grades), so that
// format:TEXT/PLAIN and grade:b2 work.
var lowerKeywordAnalyzer = &analysis.DefaultAnalyzer{
	Tokenizer:    single.NewSingleTokenTokenizer(),
	TokenFilters: []analysis.TokenFilter{lowercase.NewLowerCaseFilter()},
}

// isWordRune reports whether r belongs to a word. Everything else separates
// words, so "Russia’s" is the two words "russia" "s" and "2,000" is "2" "000".
// This is deliberately simpler than Unicode word segmentation (UAX #29, Bleve's
// "unicode" tokenizer), which keeps "Russia’s" whole: then a search for russia
// would miss it, and the phrase "russia s" could not be found although the
// text contains it once punctuation is ignored.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// isIdeograph reports whether r is written without spaces between words and
// so must be a token of its own, as Bleve's unicode tokenizer does, or a
// whole sentence of Chinese would be one word.
func isIdeograph(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r)
}

// asciiWord marks the ASCII bytes that belong to words, to avoid a Unicode
// table look-up for the common case.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := 0; c < utf8.RuneSelf; c++ {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

// wordsTokenizer emits runs of word runes. Invalid UTF-8 separates words
// (Bleve's character tokenizer stops at the first invalid byte and would
// silently drop the rest of the text).
type wordsTokenizer struct{}

func (wordsTokenizer) Tokenize(input []byte) analysis.TokenStream {
	// Tokens are allocated in slabs: one allocation per token is the largest
	// single cost of indexing otherwise.
	var slab []analysis.Token
	stream := make(analysis.TokenStream, 0, len(input)/6+1)
	emit := func(start, end int) {
		if len(slab) == 0 {
			slab = make([]analysis.Token, 256)
		}
		t := &slab[0]
		slab = slab[1:]
		*t = analysis.Token{
			Term:     input[start:end:end],
			Start:    start,
			End:      end,
			Position: len(stream) + 1,
			Type:     analysis.AlphaNumeric,
		}
		stream = append(stream, t)
	}
	start := -1
	for i := 0; i < len(input); {
		c := input[i]
		if c < utf8.RuneSelf {
			if asciiWord[c] {
				if start < 0 {
					start = i
				}
			} else if start >= 0 {
				emit(start, i)
				start = -1
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(input[i:])
		switch {
		case r == utf8.RuneError && size == 1, !isWordRune(r):
			if start >= 0 {
				emit(start, i)
				start = -1
			}
		case isIdeograph(r):
			if start >= 0 {
				emit(start, i)
				start = -1
			}
			emit(i, i+size)
		default:
			if start < 0 {
				start = i
			}
		}
		i += size
	}
	if start >= 0 {
		emit(start, len(input))
	}
	return stream
}

// words splits s the way the index does, lowercased. It is used to decide
// whether a query word is really several words (and so a phrase).
func words(s string) []string {
	var out []string
	for _, t := range wordsAnalyzer.Analyze([]byte(s)) {
		out = append(out, string(t.Term))
	}
	return out
}
