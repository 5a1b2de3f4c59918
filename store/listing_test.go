package store_test

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"testing"
	"time"

	"dossier/notes"
	"dossier/store"
)

// The library's listing shows the same documents in the same order as
// Documents (dated by period start, undated last, then title ignoring
// case), with the fields the window shows, including a PDF's pages and a
// grade set later.
func TestListing_MatchesDocuments(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	var docs []*notes.Document
	for i, c := range []struct {
		title, source string
		published     notes.Date
		pages         []int
	}{
		{"zebra report", "Reuters", notes.YearDate(2023), nil},
		{"Apple memo", "AP", notes.DayDate(2023, time.March, 2), []int{0, 120, 340}},
		{"apple minutes", "", notes.DayDate(2023, time.March, 2), nil},
		{"Undated note", "Blog", notes.Date{}, nil},
		{"Mid-year", "AP", notes.MonthDate(2022, time.June), nil},
		{"another undated", "", notes.Date{}, []int{0, 9}},
	} {
		d := newDoc(i)
		d.Title, d.Source, d.Published, d.Pages = c.title, c.source, c.published, c.pages
		docs = append(docs, d)
	}
	MustAdd(t, s, docs...)
	graded := *docs[4]
	graded.Grade = "B2"
	if err := s.UpdateDocument(ctx, &graded); err != nil {
		t.Fatal(err)
	}

	full, err := s.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Listing(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(full) {
		t.Fatalf("Listing has %d documents, Documents %d", len(got), len(full))
	}
	for i := range full {
		want := notes.Document{ID: full[i].ID, Title: full[i].Title, Source: full[i].Source,
			Published: full[i].Published, Grade: full[i].Grade, Pages: full[i].Pages}
		if !reflect.DeepEqual(got[i], want) {
			t.Errorf("Listing[%d] = %+v\nwant %+v", i, got[i], want)
		}
	}
	if got[0].Title != "Mid-year" || got[len(got)-1].Title != "Undated note" || got[0].Grade != "B2" {
		t.Errorf("order or grade wrong: first %q (grade %q), last %q", got[0].Title, got[0].Grade, got[len(got)-1].Title)
	}
}

// BenchmarkListing compares the library's listing with Documents, in wall
// and CPU time (cpu-ms/op, the whole process's, so it counts the GC). With
// DOSSIER_BENCH_PROJECT set to a project folder it reads that project's
// store (at 100,000 documents: docs/PERFORMANCE.md); else it builds 100,000
// documents first.
func BenchmarkListing(b *testing.B) {
	ctx := context.Background()
	var s *store.Store
	if dir := os.Getenv("DOSSIER_BENCH_PROJECT"); dir != "" {
		s = MustOpenDir(b, dir)
	} else {
		s = MustOpen(b)
		batch := make([]*notes.Document, 0, 1000)
		for i := range 100_000 {
			d := newDoc(i)
			if i%3 == 0 {
				d.Published = notes.DayDate(2000+i%25, time.Month(1+i%12), 1+i%28)
			}
			batch = append(batch, d)
			if len(batch) == cap(batch) {
				MustAdd(b, s, batch...)
				batch = batch[:0]
			}
		}
	}
	for _, m := range []struct {
		name string
		list func(context.Context) ([]notes.Document, error)
	}{{"Listing", s.Listing}, {"Documents", s.Documents}} {
		b.Run(m.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				docs, err := m.list(ctx)
				if err != nil || len(docs) == 0 {
					b.Fatal(fmt.Sprint(len(docs)), err)
				}
			}
			b.ReportMetric(float64((cpuTime()-cpu).Milliseconds())/float64(b.N), "cpu-ms/op")
		})
	}
}
