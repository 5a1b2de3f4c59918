package search

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	index "github.com/blevesearch/bleve_index_api"
	zap "github.com/blevesearch/zapx/v17"
)

// Names under which the analysis pieces are registered with Bleve. The
// index's stored mapping refers to them by name, so renaming one makes old
// indexes unopenable (Open then reports ErrCorrupt and the caller rebuilds).
const (
	wordsTokenizerName = "dossier_words"
	wordsAnalyzerName  = "dossier_words"
)

func init() {
	registry.RegisterTokenizer(wordsTokenizerName,
		func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) { return wordsTokenizer{}, nil })
	registry.RegisterAnalyzer(wordsAnalyzerName,
		func(map[string]any, *registry.Cache) (analysis.Analyzer, error) { return wordsAnalyzer, nil })
}

// wordsAnalyzer splits text into words (see isWordRune) and lowercases them.
// It neither stems nor drops stop words: either would let a phrase query
// match text that does not contain the phrase. Queries use it; documents
// are analyzed by wordsField, which produces the same terms.
var wordsAnalyzer = &analysis.DefaultAnalyzer{
	Tokenizer:    wordsTokenizer{},
	TokenFilters: []analysis.TokenFilter{lowerFilter{}},
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

// isJoiner reports whether r is an invisible character that sits inside a
// word without ending it: a soft hyphen (Bundes\u00ADregierung, where a line
// may break), the zero width joiner (Indic spelling, emoji) and the word
// joiners. A word keeps them in its span, so snippets mark it whole, but
// its term drops them, so that bundesregierung finds it. Left out, as they
// separate words: U+200B, the zero width space, which marks where a word
// ends in Thai, Khmer and Burmese; and U+200C, the zero width non-joiner,
// which in Persian joins a word's parts (کتاب‌ها, the books) that are
// searched apart, as Lucene's Persian analysis does.
func isJoiner(r rune) bool {
	switch r {
	case '\u00AD', '\u200D', '\u2060', '\uFEFF':
		return true
	}
	return false
}

// isIdeograph reports whether r is written without spaces between words and
// so must be a word of its own, as in Bleve's unicode tokenizer, or a whole
// sentence of Chinese would be one word.
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

// eachWord calls fn with the byte range of every word of s, in order.
// Invalid UTF-8 separates words. Joiners (see isJoiner) continue a word
// but neither begin nor end one, so every word is bounded by letters,
// digits or marks.
func eachWord(s string, fn func(start, end int)) {
	start := -1
	joined := false // the open word holds a joiner
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if asciiWord[c] {
				if start < 0 {
					start = i
				}
			} else if start >= 0 {
				fn(start, wordEnd(s, start, i, joined))
				start, joined = -1, false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1, !isWordRune(r):
			if isJoiner(r) {
				joined = start >= 0
			} else if start >= 0 {
				fn(start, wordEnd(s, start, i, joined))
				start, joined = -1, false
			}
		case isIdeograph(r):
			if start >= 0 {
				fn(start, wordEnd(s, start, i, joined))
				start, joined = -1, false
			}
			// The kana voicing marks that follow it are its own: か and
			// U+3099 is が as macOS stores it, and composes to it.
			for i+size+3 <= len(s) && (s[i+size:i+size+3] == "\u3099" || s[i+size:i+size+3] == "\u309A") {
				size += 3
			}
			fn(i, i+size)
		default:
			if start < 0 {
				start = i
			}
		}
		i += size
	}
	if start >= 0 {
		fn(start, wordEnd(s, start, len(s), joined))
	}
}

// wordEnd returns where the word s[start:end] really ends: before any
// joiners it ends with, which belong to no word.
func wordEnd(s string, start, end int, joined bool) int {
	for joined && end > start {
		r, size := utf8.DecodeLastRuneInString(s[start:end])
		if !isJoiner(r) {
			break
		}
		end -= size
	}
	return end
}

// appendLower appends the term of word to dst: word without joiners (see
// isJoiner), in Unicode normal form C, lowercased exactly as Bleve's
// to_lower filter does, final capital sigma included. Documents and
// queries both make their terms here, so that they agree; normal form C
// makes a word typed with precomposed letters (é) find one written with
// combining accents (e + U+0301), as macOS file names and some PDFs have it.
//
// A word that is not canonical is made so and lowercased from its start
// again: composing may change letters already written (the e of
// e + U+0301), and normalizing before lowercasing makes I + U+0307 the i
// that İ becomes.
func appendLower(dst []byte, word string) []byte {
	// Cut long before the term is, so that its work is bounded too.
	if len(word) > 4*maxWordBytes {
		word = word[:runeStartBefore(word, 4*maxWordBytes)]
	}
	start := len(dst)
	checked := false // word is known to be in NFC
	for i := 0; i < len(word); {
		c := word[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(word[i:])
		if r >= rune(len(nfcInert)) || !nfcInert[r] {
			if isJoiner(r) || !checked && norm.NFC.QuickSpanString(word) < len(word) {
				word, i, dst, checked = canonicalWord(word), 0, dst[:start], true
				continue
			}
			checked = true
		}
		l := unicode.ToLower(r)
		if l != r && l == 'σ' && i+size == len(word) {
			l = 'ς'
		}
		dst = utf8.AppendRune(dst, l)
		i += size
	}
	if len(dst)-start > maxWordBytes {
		dst = dst[:start+runeStartBefore(string(dst[start:]), maxWordBytes)]
	}
	return dst
}

// maxWordBytes is how long a term may be. A longer "word" is a base64
// blob, a DNA sequence or a log line without spaces: a 30 MB one took
// 3.8 GB to import whole. Lucene splits words at 255 characters; this
// keeps 1 KB, so that scripts written without spaces (Thai, long Katakana
// runs) keep whole sentences. The term is cut after it is made, so the
// word itself still finds its document however its accents are encoded.
const maxWordBytes = 1024

// runeStartBefore returns the last index at or before n where a rune of s
// starts.
func runeStartBefore(s string, n int) int {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return n
}

// nfcInert marks the two-byte runes (Latin, Greek, Cyrillic, Hebrew,
// Arabic…) that are in NFC and that nothing before them combines with,
// joiners excepted. A
// word of such runes and ASCII is in NFC, as normalization works on the
// pieces between such runes separately. A look-up here is cheaper than
// norm's quick check, which made splitting and lowercasing text in those
// scripts a third slower.
var nfcInert = func() (t [0x800]bool) {
	for r := range t {
		s := string(rune(r))
		t[r] = !isJoiner(rune(r)) && norm.NFC.PropertiesString(s).BoundaryBefore() && norm.NFC.IsNormalString(s)
	}
	return t
}()

// canonicalWord returns word in normal form C and without joiners.
// Joiners go first, as one between a letter and its accent would keep the
// two from composing.
func canonicalWord(word string) string {
	word = strings.Map(func(r rune) rune {
		if isJoiner(r) {
			return -1
		}
		return r
	}, word)
	return norm.NFC.String(word)
}

// wordsTokenizer emits the words of eachWord.
type wordsTokenizer struct{}

func (wordsTokenizer) Tokenize(input []byte) analysis.TokenStream {
	var stream analysis.TokenStream
	eachWord(string(input), func(start, end int) {
		stream = append(stream, &analysis.Token{
			Term:     input[start:end:end],
			Start:    start,
			End:      end,
			Position: len(stream) + 1,
			Type:     analysis.AlphaNumeric,
		})
	})
	return stream
}

// lowerFilter lowercases terms with appendLower.
type lowerFilter struct{}

func (lowerFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, t := range input {
		t.Term = appendLower(nil, string(t.Term))
	}
	return input
}

// words splits s the way the index does, lowercased. It is used to decide
// whether a query word is really several words (and so a phrase).
func words(s string) []string {
	var out []string
	eachWord(s, func(start, end int) {
		out = append(out, string(appendLower(nil, s[start:end])))
	})
	return out
}

// wordSpans returns the byte ranges in s of the words at the given
// positions (1-based, as the index counts them, sorted ascending); a
// position past the last word gets an empty span.
func wordSpans(s string, positions []int) []span {
	out := make([]span, len(positions))
	pos, next := 0, 0
	eachWord(s, func(start, end int) {
		pos++
		for next < len(positions) && positions[next] == pos {
			out[next] = span{start, end}
			next++
		}
	})
	return out
}

type span struct{ start, end int }

// wordsField is a text field analyzed into words. It does the work of a
// Bleve TextField with the words analyzer, with differences that matter
// for speed and size:
//
//   - it goes straight from the text to its distinct terms and their
//     positions, kept in a few slabs (four bytes a word, about sixteen a
//     term), and a segment reads them as they are (zap.TermsField) instead
//     of through index.TokenFrequencies, which cost a location and a
//     pointer per word (~70 bytes) and a second look-up of every term;
//   - its positions carry no byte offsets (zero). Phrase queries need only
//     positions; snippets and Matches find the offsets by splitting the
//     text (from the TextSource) into words again. This saves two to four
//     bytes per word, a sixth of the index;
//   - once the segment has it (Done), it lets go of its analysis, which
//     would otherwise stay until the whole batch is built.
//
// The text itself is never stored.
type wordsField struct {
	name    string
	text    string
	options index.FieldIndexingOptions
	length  int // words

	// The analysis, held from analyze to Done; slots is nil outside it.
	terms    string   // the distinct terms, lowercased, one after another
	termEnds []uint32 // term i is terms[termEnds[i-1]:termEnds[i]]
	posEnds  []uint32 // term i is at positions[posEnds[i-1]:posEnds[i]]
	// positions, 1-based, grouped by term, ascending in each group; only
	// with term vectors, else posEnds alone counts each term's words
	positions []uint32
	slots     []uint64 // zap's, see zap.TermsField
}

var _ zap.TermsField = (*wordsField)(nil)

func newWordsField(name, text string, options index.FieldIndexingOptions) *wordsField {
	return &wordsField{name: name, text: text, options: options}
}

func (f *wordsField) Name() string                        { return f.name }
func (f *wordsField) ArrayPositions() []uint64            { return nil }
func (f *wordsField) Options() index.FieldIndexingOptions { return f.options }
func (f *wordsField) Value() []byte                       { return []byte(f.text) }
func (f *wordsField) NumPlainTextBytes() uint64           { return uint64(len(f.text)) }
func (f *wordsField) EncodedFieldType() byte              { return 't' }
func (f *wordsField) AnalyzedLength() int                 { return f.length }

// Size estimates the memory the analyzed field holds, for Scorch's
// accounting.
func (f *wordsField) Size() int {
	return 64 + len(f.name) + len(f.text) + len(f.terms) + 4*len(f.positions) + 16*len(f.termEnds)
}

// Slots, Term and Done are what a segment reads (zap.TermsField).
func (f *wordsField) Slots() []uint64 {
	f.analyze()
	return f.slots
}

func (f *wordsField) Term(i int) (term string, freq int, positions []uint32) {
	var t0, p0 uint32
	if i > 0 {
		t0, p0 = f.termEnds[i-1], f.posEnds[i-1]
	}
	if f.positions != nil {
		positions = f.positions[p0:f.posEnds[i]]
	}
	return f.terms[t0:f.termEnds[i]], int(f.posEnds[i] - p0), positions
}

// Done lets go of the analysis: the segment being built has all it needs.
// Held until the batch's segment is built, the analyses were the largest
// part of an indexing batch's memory. Whatever asks again (no Bleve version
// here does) gets the text analysed again: slower, never wrong.
func (f *wordsField) Done() {
	f.terms, f.termEnds, f.posEnds, f.positions, f.slots = "", nil, nil, nil, nil
}

// AnalyzedTokenFrequencies is Bleve's generic way to read the analysis,
// which zap uses only for a second value of the field in one document and
// Bleve for composite fields (Dossier has neither).
func (f *wordsField) AnalyzedTokenFrequencies() index.TokenFrequencies {
	f.analyze()
	out := make(index.TokenFrequencies, len(f.termEnds))
	for i := range f.termEnds {
		term, freq, positions := f.Term(i)
		tf := &index.TokenFreq{Term: []byte(term)}
		tf.SetFrequency(freq)
		for _, p := range positions {
			tf.Locations = append(tf.Locations, &index.TokenLocation{Position: int(p)})
		}
		out[term] = tf
	}
	return out
}

func (f *wordsField) Analyze() { f.analyze() }

// termIDs maps a field's terms to their numbers while it is analysed. The
// maps are reused: growing a new one for every field of every document was
// a large part of analysing it.
var termIDs = sync.Pool{New: func() any { return map[string]uint32{} }}

func (f *wordsField) analyze() {
	if f.slots != nil {
		return
	}
	f.length = 0
	if f.text == "" {
		// An empty field (see indexItem).
		f.slots = []uint64{}
		return
	}
	ids := termIDs.Get().(map[string]uint32)
	defer func() {
		clear(ids)
		termIDs.Put(ids)
	}()
	var (
		// Sizes guessed for prose: a word every six bytes, a new term
		// every ten or so.
		terms    = make([]byte, 0, len(f.text)/2+16)
		termEnds = make([]uint32, 0, len(f.text)/10+1)
		words    = make([]uint32, 0, len(f.text)/5+1) // each word's term
		scratch  []byte
	)
	eachWord(f.text, func(start, end int) {
		scratch = appendLower(scratch[:0], f.text[start:end])
		id, ok := ids[string(scratch)]
		if !ok {
			id = uint32(len(termEnds))
			n := len(terms)
			terms = append(terms, scratch...)
			termEnds = append(termEnds, uint32(len(terms)))
			// The key shares the term's bytes instead of copying them:
			// nothing ever writes over them, and should terms grow into a
			// new array, the old one stays as it is.
			ids[unsafe.String(&terms[n], len(scratch))] = id
		}
		words = append(words, id)
	})
	f.length = len(words)
	f.terms = unsafe.String(unsafe.SliceData(terms), len(terms))
	f.termEnds = termEnds
	f.slots = make([]uint64, len(termEnds))
	// Each term's words are counted, the counts summed into where each
	// term's positions end, and the positions placed from the back.
	ends := make([]uint32, len(termEnds))
	for _, id := range words {
		ends[id]++
	}
	var sum uint32
	for i, n := range ends {
		sum += n
		ends[i] = sum
	}
	f.posEnds = ends
	if !f.options.IncludeTermVectors() {
		return
	}
	positions := make([]uint32, len(words))
	starts := slices.Clone(ends)
	for i := len(words) - 1; i >= 0; i-- {
		id := words[i]
		starts[id]--
		positions[starts[id]] = uint32(i + 1)
	}
	f.positions = positions
}
