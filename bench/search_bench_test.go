// Package bench_test holds Go benchmarks of Dossier's import and query
// paths on a small slice of the benchmark corpus (`go test -bench . ./bench/`).
// The full comparison with SQLite FTS5 at 100,000 documents is
// bench/cmd/dossierbench (`make bench`).
package bench_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"dossier/bench/corpus"
	"dossier/bench/queryset"
	"dossier/notes"
	"dossier/project"
)

const benchDocs = 2000

// mustCorpus returns the first benchDocs messages of the corpus, skipping
// the benchmark when its sources have not been fetched.
func mustCorpus(b *testing.B) []corpus.Doc {
	b.Helper()
	dir := corpus.DefaultDir()
	if _, err := os.Stat(filepath.Join(dir, "src", ".complete")); err != nil {
		b.Skip("corpus sources not fetched: run bench/fetch-corpus.sh")
	}
	docs, err := corpus.Build(context.Background(), dir, benchDocs)
	if err != nil {
		b.Fatal(err)
	}
	return docs
}

func paths(docs []corpus.Doc) []string {
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = d.Path
	}
	return out
}

func mustImport(b *testing.B, dir string, docs []corpus.Doc) *project.Project {
	b.Helper()
	ctx := context.Background()
	p, err := project.Open(ctx, dir, project.Options{NoSeeds: true})
	if err != nil {
		b.Fatal(err)
	}
	rep, err := p.Import(ctx, paths(docs), nil)
	if err != nil {
		p.Close()
		b.Fatal(err)
	}
	if len(rep.Imported) != len(docs) {
		p.Close()
		b.Fatalf("imported %d of %d (%d failed)", len(rep.Imported), len(docs), len(rep.Failed))
	}
	return p
}

// BenchmarkImport imports benchDocs corpus messages into a new project.
func BenchmarkImport(b *testing.B) {
	docs := mustCorpus(b)
	var bytes int64
	for _, d := range docs {
		bytes += int64(d.FileBytes)
	}
	b.SetBytes(bytes)
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		b.StartTimer()
		p := mustImport(b, dir, docs)
		if err := p.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(docs)*b.N)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkSearch runs each kind of query of the benchmark's query set,
// with 20 hits and 3 snippets each, on benchDocs messages.
func BenchmarkSearch(b *testing.B) {
	docs := mustCorpus(b)
	qs, err := queryset.Choose(docs)
	if err != nil {
		b.Fatal(err)
	}
	p := mustImport(b, b.TempDir(), docs)
	defer p.Close()
	ctx := context.Background()
	byKind := map[string][]queryset.Query{}
	var kinds []string
	for _, q := range qs {
		if byKind[q.Kind] == nil {
			kinds = append(kinds, q.Kind)
		}
		byKind[q.Kind] = append(byKind[q.Kind], q)
	}
	for _, k := range kinds {
		b.Run(k, func(b *testing.B) {
			i := 0
			for b.Loop() {
				q := byKind[k][i%len(byKind[k])]
				i++
				if _, err := p.Index.Search(ctx, notes.SearchRequest{Query: q.Dossier(), Limit: 20, Snippets: 3, NoFacets: true}); err != nil {
					b.Fatalf("%s: %v", q.Dossier(), err)
				}
			}
		})
	}
}
