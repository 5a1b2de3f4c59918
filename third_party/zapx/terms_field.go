//  Dossier's addition to zapx (see DOSSIER.md); Apache 2.0 like the rest.

package zap

import (
	"math"

	index "github.com/blevesearch/bleve_index_api"
)

// TermsField is a field whose analysis a new segment reads as it is: its
// distinct terms, each with its frequency and, with term vectors, its
// positions, and nothing else (no byte offsets, array positions or
// locations in other fields). Dossier's words fields are such fields.
//
// Through index.TokenFrequencies a field costs about 70 bytes a word (a
// location and a pointer to it) and two look-ups of each term in the
// segment's dictionary, one per pass over the batch; read this way it
// costs what the field keeps (four bytes a word in Dossier's) and one
// look-up, as the segment keeps each term's postings list in Slots between
// its passes.
type TermsField interface {
	index.Field
	// Term returns the i-th term, its frequency, and its positions
	// (1-based, ascending; none without term vectors).
	Term(i int) (term string, freq int, positions []uint32)
	// Slots returns one integer per term, which the segment keeps
	// between its passes; their number is the number of terms.
	Slots() []uint64
	// Done tells the field that the segment has all it needs of it.
	Done()
}

// locExtra is what an interimLoc cannot hold: a position over 32 bits,
// byte offsets, array positions.
type locExtra struct {
	pos, start, end uint64
	arrayposs       []uint64
}

// addLoc appends a location to locs, in an interimLoc alone when it fits.
func (io *invertedIndexOpaque) addLoc(locs []interimLoc, fieldID uint16, pos, start, end uint64, arrayposs []uint64) []interimLoc {
	if start == 0 && end == 0 && len(arrayposs) == 0 && pos <= math.MaxUint32 {
		return append(locs, interimLoc{pos: uint32(pos), fieldID: fieldID})
	}
	io.locExtras = append(io.locExtras, locExtra{pos, start, end, arrayposs})
	return append(locs, interimLoc{fieldID: fieldID, extra: uint32(len(io.locExtras))})
}

// loc returns the values of l.
func (io *invertedIndexOpaque) loc(l interimLoc) (pos, start, end uint64, arrayposs []uint64) {
	if l.extra == 0 {
		return uint64(l.pos), 0, 0, nil
	}
	e := &io.locExtras[l.extra-1]
	return e.pos, e.start, e.end, e.arrayposs
}
