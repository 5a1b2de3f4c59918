package notes

import "unicode/utf8"

// Offsets that users, quotes, events and exported files see count Unicode
// code points (as W3C Web Annotation selectors do); Go strings and Span
// count bytes. These two convert, and are the only place that does.

// ByteOffset returns the byte offset of code point r in s, clamped to
// [0, len(s)].
func ByteOffset(s string, r int) int {
	if r <= 0 {
		return 0
	}
	n := 0
	for i := range s {
		if n == r {
			return i
		}
		n++
	}
	return len(s)
}

// RuneOffset returns the number of code points in s before byte offset b,
// clamped to s. A b inside a multi-byte character counts that character.
func RuneOffset(s string, b int) int {
	b = max(0, min(b, len(s)))
	return utf8.RuneCountInString(s[:b])
}

// EditDistance is the Levenshtein distance between a and b in code points:
// the insertions, deletions and substitutions that turn one into the other.
func EditDistance(a, b []rune) int {
	if len(a) < len(b) {
		a, b = b, a
	}
	row := make([]int, len(b)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(a); i++ {
		diag := row[0]
		row[0] = i
		for j := 1; j <= len(b); j++ {
			c := diag
			if a[i-1] != b[j-1] {
				c++
			}
			c = min(c, row[j]+1, row[j-1]+1)
			diag, row[j] = row[j], c
		}
	}
	return row[len(b)]
}
