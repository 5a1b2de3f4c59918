package ingest_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"dossier/ingest"
)

func TestRealWorldHTML(t *testing.T) {
	dir := os.Getenv("RW_DIR")
	if dir == "" {
		t.Skip()
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "*", "source.html"))
	var total time.Duration
	for _, p := range pages {
		data, _ := os.ReadFile(p)
		start := time.Now()
		doc, err := ingest.Parse(p, data)
		el := time.Since(start)
		total += el
		name := filepath.Base(filepath.Dir(p))
		if err != nil {
			t.Logf("%-40s ERR %v", name, err)
			continue
		}
		t.Logf("%-36s %6dKB %5.1fms text=%6d | %.60q | %q | %s | %s", name, len(data)/1024, float64(el.Microseconds())/1000, utf8.RuneCountInString(doc.Text), doc.Title, doc.Author, doc.Published, doc.Source)
	}
	t.Logf("total %v for %d pages", total, len(pages))
}
