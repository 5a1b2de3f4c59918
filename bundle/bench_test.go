package bundle_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dossier/bundle"
	"dossier/notes"
	"dossier/project"
)

// benchProject makes a project of n sources of about 10 KB each (with
// their originals), n/2 notes and n quotes.
func benchProject(b *testing.B, n int) *project.Project {
	b.Helper()
	ctx := context.Background()
	p, err := project.Open(ctx, filepath.Join(b.TempDir(), "bench"), project.Options{NoSeeds: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { p.Close() })
	tx, err := p.DB().BeginLoad(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var origs []notes.Original
	for i := range n {
		text := strings.Repeat(fmt.Sprintf("Sentence %d about the airbase in Kant, source %d. ", i%97, i), 160)
		h := sha256.Sum256([]byte(text))
		sha := hex.EncodeToString(h[:])
		origs = append(origs, notes.Original{SHA256: sha, Data: []byte(text)})
		d := &notes.Document{ID: notes.NewID(), Title: fmt.Sprintf("Source %d", i), SHA256: sha, Text: text,
			MediaType: "text/plain", Published: notes.YearDate(2000 + i%25), ImportedAt: t0}
		if err := tx.InsertDocument(d); err != nil {
			b.Fatal(err)
		}
		if err := tx.PutQuote(&notes.Quote{ID: notes.NewID(), DocID: d.ID, Start: 0, End: 8, Exact: "Sentence", Created: t0, Updated: t0}); err != nil {
			b.Fatal(err)
		}
		if i%2 == 0 {
			if err := tx.PutNote(&notes.Note{ID: notes.NewID(), Title: fmt.Sprintf("Note %d", i), Body: "About [[source:" + d.ID + "]].",
				Created: t0, Updated: t0, Version: 1}, ""); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if err := p.Store.PutOriginals(origs); err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkBundle measures writing, checking, opening and self-merging a
// bundle of 300 sources (≈3 MB of text, ≈6 MB inflated with originals).
func BenchmarkBundle(b *testing.B) {
	p := benchProject(b, 300)
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "bench.dossier")
	if _, err := bundle.Create(ctx, p.DB(), path, bundle.CreateOptions{}); err != nil {
		b.Fatal(err)
	}
	r, err := bundle.Open(path, bundle.Limits{})
	if err != nil {
		b.Fatal(err)
	}
	size := r.TotalSize()
	r.Close()
	mbps := func(b *testing.B) {
		b.ReportMetric(float64(size)*float64(b.N)/b.Elapsed().Seconds()/1e6, "MB/s")
	}
	b.Run("create", func(b *testing.B) {
		for b.Loop() {
			if _, err := bundle.Create(ctx, p.DB(), path, bundle.CreateOptions{}); err != nil {
				b.Fatal(err)
			}
		}
		mbps(b)
	})
	b.Run("verify", func(b *testing.B) {
		for b.Loop() {
			r, err := bundle.Open(path, bundle.Limits{})
			if err != nil {
				b.Fatal(err)
			}
			if err := r.Verify(ctx, nil); err != nil {
				b.Fatal(err)
			}
			r.Close()
		}
		mbps(b)
	})
	b.Run("merge-self", func(b *testing.B) {
		for b.Loop() {
			if _, err := bundle.Merge(ctx, p, path, bundle.LoadOptions{}); err != nil {
				b.Fatal(err)
			}
		}
		mbps(b)
	})
	b.Run("open-new", func(b *testing.B) {
		for b.Loop() {
			dir := filepath.Join(b.TempDir(), "new")
			if _, err := bundle.OpenNew(ctx, path, dir, bundle.LoadOptions{}); err != nil {
				b.Fatal(err)
			}
			os.RemoveAll(dir)
		}
		mbps(b)
	})
}
