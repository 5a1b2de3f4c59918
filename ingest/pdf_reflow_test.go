package ingest

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// BenchmarkReflowPDF reflows the text of 500 pages of 45 prose lines,
// the size of the 500-page benchmark's book, to show that the reflow
// adds little to reading the PDF.
func BenchmarkReflowPDF(b *testing.B) {
	line := "The airbase at Kant was handed over to the Russian air force in 2003 and"
	page := strings.TrimSuffix(strings.Repeat(line+"\n", 45), "\n")
	pages := make([]string, 500)
	for i := range pages {
		pages[i] = page
	}
	b.SetBytes(int64(len(page) * len(pages)))
	for b.Loop() {
		full := fullLine(pages)
		for _, p := range pages {
			if out := reflowPDF(p, full); utf8.RuneCountInString(out) != len(page) {
				b.Fatal("reflow changed the page's length")
			}
		}
	}
}
