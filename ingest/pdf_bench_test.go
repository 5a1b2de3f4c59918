package ingest_test

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"dossier/ingest"
)

// bookPages returns n pages of about 40 lines of prose each, the density
// of a typical report.
func bookPages(n int) []pdfPage {
	words := strings.Fields(`the base at Kant opened on October 23 2003 and has been operational
		since then according to officials who spoke at the ceremony attended by Russian and Kyrgyz
		delegations while insiders cited a leaked memo about new aircraft`)
	pages := make([]pdfPage, n)
	w := 0
	for i := range pages {
		lines := make([]string, 32)
		for l := range lines {
			var b strings.Builder
			b.WriteString(strconv.Itoa(i + 1))
			for b.Len() < 85 {
				b.WriteByte(' ')
				b.WriteString(words[w%len(words)])
				w++
			}
			lines[l] = b.String()
		}
		pages[i] = pdfPage{font: []string{"Helvetica", "Times", "Courier"}[i%3], lines: lines}
	}
	return pages
}

// BenchmarkParsePDF_500Pages is the bar: a 500-page PDF imports
// in under 10 seconds with bounded memory. PDFium is started (and its
// compiled code loaded from the cache) before the timer; the first PDF of
// a process pays that once, reported by TestPDFStartup.
func BenchmarkParsePDF_500Pages(b *testing.B) {
	data := makePDF(b, pdfOpts{title: "Book"}, bookPages(500)...)
	if _, err := ingest.Parse("warm.pdf", makePDF(b, pdfOpts{}, pdfPage{lines: []string{"warm"}})); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	var chars int
	for b.Loop() {
		doc, err := ingest.Parse("book.pdf", data)
		if err != nil {
			b.Fatal(err)
		}
		if len(doc.Pages) != 500 {
			b.Fatalf("%d pages", len(doc.Pages))
		}
		chars = len(doc.Text)
	}
	b.ReportMetric(float64(500*b.N)/b.Elapsed().Seconds(), "pages/s")
	b.ReportMetric(float64(chars)/1e6, "MB-text")
	b.ReportMetric(float64(len(data))/1e6, "MB-file")
	b.ReportMetric(float64(peakRSS())/1e6, "MB-peak-RSS")
}

// peakRSS returns the process's peak resident set (VmHWM) in bytes, or the
// Go runtime's view where /proc is missing.
func peakRSS() int64 {
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if f := strings.Fields(l); len(f) == 3 && f[0] == "VmHWM:" {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				return kb << 10
			}
		}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.Sys)
}

// TestPDFStartup logs what the first PDF of a process costs: starting
// PDFium, with its compiled code from the cache when there is one.
func TestPDFStartup(t *testing.T) {
	if testing.Short() {
		t.Skip("timing only")
	}
	data := makePDF(t, pdfOpts{}, pdfPage{lines: []string{"one"}})
	t0 := time.Now()
	if _, err := ingest.Parse("first.pdf", data); err != nil {
		t.Fatal(err)
	}
	first := time.Since(t0)
	t0 = time.Now()
	if _, err := ingest.Parse("second.pdf", data); err != nil {
		t.Fatal(err)
	}
	t.Logf("first PDF %v, second %v", first, time.Since(t0))
}
