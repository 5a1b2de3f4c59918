// Package anchor finds a quoted passage again in a changed text. A quote
// is described the way the W3C Web Annotation model describes a
// selection: by position (TextPositionSelector: start and end in code
// points) and by quote (TextQuoteSelector: the exact text with some
// context before and after). When a source's text changes, Locate looks
// for the exact text, preferring the occurrence whose context and position
// fit best, then for the closest approximate match near the old position;
// a passage found nowhere is orphaned.
package anchor

import "dossier/notes"

// Selector is a passage of a text: Start and End are code-point offsets,
// Exact the passage, Prefix and Suffix up to notes.ContextLen code points
// of text before and after it.
type Selector struct {
	Start, End            int
	Exact, Prefix, Suffix string
}

// Select cuts the selector of the passage [start, end) (code points) out
// of text. An empty passage or offsets outside the text give an error of
// kind EINVALID.
func Select(text string, start, end int) (Selector, error) {
	n := notes.RuneOffset(text, len(text))
	if start < 0 || end > n || start >= end {
		return Selector{}, notes.Errorf(notes.EINVALID,
			"cannot quote characters %d to %d: the document has %d characters and a quote needs at least one", start, end, n)
	}
	bs, be := notes.ByteOffset(text, start), notes.ByteOffset(text, end)
	bp := notes.ByteOffset(text, max(0, start-notes.ContextLen))
	bx := notes.ByteOffset(text, end+notes.ContextLen)
	return Selector{Start: start, End: end, Exact: text[bs:be], Prefix: text[bp:bs], Suffix: text[be:bx]}, nil
}
