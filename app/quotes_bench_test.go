package app

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"dossier/notes"
)

// BenchmarkQuotesPane_Filter2000 is one keystroke in the quotes pane's
// filter field with 2,000 quotes pinned: filter, sort and size the cards.
func BenchmarkQuotesPane_Filter2000(b *testing.B) {
	test.NewTempApp(b)
	p := newQuotesPane(func(f func()) { f() })
	w := test.NewTempWindow(b, p.content)
	w.Resize(fyne.NewSize(320, 700))
	docs := make([]*notes.Document, 50)
	for i := range docs {
		docs[i] = &notes.Document{ID: fmt.Sprint("doc", i), Title: fmt.Sprintf("Source number %d about the Kant airbase", i),
			Source: "iwpr.net", Published: notes.DayDate(2003, 10, 1+i%28), Grade: "B2"}
	}
	vs := make([]quoteView, 2000)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range vs {
		vs[i] = quoteView{doc: docs[i%len(docs)], q: notes.Quote{
			ID: fmt.Sprint("q", i), DocID: docs[i%len(docs)].ID, Start: i, End: i + 80,
			Exact:   fmt.Sprintf("Passage %d: Russian president Vladimir Putin and his Kyrgyz counterpart attended the October 23 ceremony at the base", i),
			Comment: "a comment", Tags: []string{fmt.Sprint("tag", i%7)}, Created: t0.Add(time.Duration(i) * time.Minute)}}
	}
	p.SetQuotes(vs)
	queries := []string{"p", "pu", "put", "puti", "putin", ""}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		p.filter.SetText(queries[i%len(queries)])
	}
	b.ReportMetric(float64(len(p.all)), "quotes")
}
