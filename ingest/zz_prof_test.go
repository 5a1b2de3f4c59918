package ingest_test

import (
	"os"
	"testing"

	"dossier/ingest"
)

func BenchmarkWiki(b *testing.B) {
	data, err := os.ReadFile(os.Getenv("RW_DIR") + "/" + os.Getenv("RW_PAGE") + "/source.html")
	if err != nil {
		b.Skip()
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		ingest.Parse("x.html", data)
	}
}
