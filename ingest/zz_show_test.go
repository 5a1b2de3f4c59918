package ingest_test

import (
	"os"
	"testing"

	"dossier/ingest"
)

func TestShow(t *testing.T) {
	p := os.Getenv("SHOW")
	if p == "" {
		t.Skip()
	}
	data, _ := os.ReadFile(p)
	doc, err := ingest.Parse(p, data)
	if err != nil {
		t.Fatal(err)
	}
	n := len(doc.Text)
	t.Logf("TITLE %q\n---\n%s\n...\n%s", doc.Title, doc.Text[:min(n, 1200)], doc.Text[max(0, n-600):])
}
