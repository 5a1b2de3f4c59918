package store

import (
	"fmt"
	"strconv"
	"strings"
)

// encodePages writes page starts as the JSON array documents.pages holds;
// no pages is "[]". Integers need no JSON encoder, and a 2,000-page
// document is written with every batch it is in.
func encodePages(pages []int) string {
	if len(pages) == 0 {
		return "[]"
	}
	b := make([]byte, 0, 2+len(pages)*7)
	b = append(b, '[')
	for i, p := range pages {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(p), 10)
	}
	return string(append(b, ']'))
}

// decodePages reads what encodePages writes. Most documents have no pages,
// and listing 100,000 of them must not pay for a decoder.
func decodePages(s string) ([]int, error) {
	s = strings.TrimSpace(s)
	if s == "[]" || s == "" {
		return nil, nil
	}
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return nil, fmt.Errorf("pages: not a JSON array: %.40q", s)
	}
	fields := strings.Split(s[1:len(s)-1], ",")
	pages := make([]int, len(fields))
	for i, f := range fields {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("pages: %w", err)
		}
		pages[i] = n
	}
	return pages, nil
}
