package project_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"dossier/notes"
	"dossier/project"
	"dossier/timeline"
)

const undatedSeed = "Kyrgyz President Emphasizes Strategic Role of Russian Airbase in Kant for Regional Stability"

func entriesOf(set *project.TimelineSet, doc, kind string) []timeline.Entry {
	var out []timeline.Entry
	for _, e := range set.Entries {
		if e.Doc == doc && e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

func TestTimeline_SettingPublicationDateResolvesYearUnknownEvents(t *testing.T) {
	p := MustOpen(t, t.TempDir(), project.Options{})
	ctx := context.Background()
	set, err := p.Timeline(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if set.Extracted != 5 {
		t.Fatalf("first call scanned %d texts, want the 5 seeds", set.Extracted)
	}
	var doc *notes.Document
	for i := range set.Undated {
		if set.Undated[i].Title == undatedSeed {
			doc = &set.Undated[i]
		}
	}
	if doc == nil {
		t.Fatalf("%q is not listed as undated: %+v", undatedSeed, set.Undated)
	}
	before := entriesOf(set, doc.ID, timeline.KindMentioned)
	unknown := map[string]bool{}
	for _, e := range before {
		if e.YearUnknown {
			unknown[e.Text] = true
		}
	}
	if !unknown["on November 25"] {
		t.Fatalf("want \"on November 25\" year-unknown before the date is set, got %+v", before)
	}
	if last := set.Entries[len(set.Entries)-1]; !last.YearUnknown {
		t.Fatalf("year-unknown entries must come last, the last is %+v", last)
	}

	// The user sets the date the way the source panel and `dossier source
	// set --published` do.
	full, err := p.Store.Document(ctx, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	full.Published = notes.DayDate(2023, time.November, 20)
	if err := p.Store.UpdateDocument(ctx, full); err != nil {
		t.Fatal(err)
	}

	set, err = p.Timeline(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if set.Extracted != 0 {
		t.Fatalf("second call scanned %d texts again; texts never change, the cache should answer", set.Extracted)
	}
	for _, d := range set.Undated {
		if d.ID == doc.ID {
			t.Fatal("the document is still listed as undated")
		}
	}
	if pub := entriesOf(set, doc.ID, timeline.KindPublished); len(pub) != 1 || pub[0].Start != full.Published {
		t.Fatalf("published entry = %+v, want one on %s", pub, full.Published)
	}
	after := entriesOf(set, doc.ID, timeline.KindMentioned)
	if len(after) != len(before) {
		t.Fatalf("%d mentioned entries after, %d before", len(after), len(before))
	}
	resolved := map[string]string{}
	for _, e := range after {
		if unknown[e.Text] {
			if e.YearUnknown || !e.Dated() {
				t.Errorf("%q is still year-unknown after the date was set", e.Text)
			}
			resolved[e.Text] = e.Start.String()
		}
	}
	if got, want := resolved["on November 25"], "2023-11-25"; got != want {
		t.Fatalf("\"on November 25\" resolved to %q, want %q", got, want)
	}
}

func TestTimeline_UserEventsAndSentences(t *testing.T) {
	p := MustOpen(t, t.TempDir(), project.Options{})
	ctx := context.Background()
	docs, err := p.Store.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ev := &notes.Event{Label: "Base opens", Date: notes.DayDate(2003, time.October, 23), Links: []string{docs[0].ID}}
	if err := p.Events().AddEvent(ctx, ev); err != nil {
		t.Fatal(err)
	}
	set, err := p.Timeline(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var mine []timeline.Entry
	for _, e := range set.Entries {
		if e.Kind == timeline.KindMine {
			mine = append(mine, e)
		}
	}
	if len(mine) != 1 || mine[0].EventID != ev.ID || mine[0].Label != "Base opens" || len(mine[0].Links) != 1 {
		t.Fatalf("user entries = %+v", mine)
	}
	if err := p.FillSentences(ctx, set.Entries); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range set.Entries {
		if e.Kind != timeline.KindMentioned {
			continue
		}
		n++
		text, err := p.Store.Text(ctx, e.Doc)
		if err != nil {
			t.Fatal(err)
		}
		r := []rune(text)
		if got := string(r[e.Offset:e.OffsetEnd]); got != e.Text {
			t.Errorf("offsets [%d,%d) read %q, want %q", e.Offset, e.OffsetEnd, got, e.Text)
		}
		if e.Sentence == "" || !strings.Contains(e.Sentence, e.Text) {
			t.Errorf("sentence %q does not contain %q", e.Sentence, e.Text)
		}
	}
	if n == 0 {
		t.Fatal("no mentioned dates in the seeds")
	}
}

// BenchmarkTimeline measures collecting the timeline of a project of 5,000
// news-like documents: "cold" scans every text (what the first look at the
// timeline costs, per document: docs/s), "warm" answers from the cache
// (every later look, after an import or a date change).
func BenchmarkTimeline(b *testing.B) {
	p := MustOpen(b, b.TempDir(), project.Options{NoSeeds: true})
	ctx := context.Background()
	const n = 5000
	docs := make([]*notes.Document, n)
	for i := range docs {
		text := fmt.Sprintf("Report %d. The parliament ratified the agreement on Thursday, officials said. "+
			"The base has been operational since 2017 and hosted %d aircraft at the end of April. "+
			"Talks are scheduled for May 8 and will run until November 25, 2023. %s",
			i, i%50, strings.Repeat("Nothing else of note happened in the region that week. ", 20))
		docs[i] = &notes.Document{Title: fmt.Sprintf("Report %d", i), Text: text, SHA256: fmt.Sprintf("%064x", i),
			Published: notes.DayDate(2020+i%4, time.Month(1+i%12), 1+i%28)}
	}
	if _, err := p.Store.AddDocuments(ctx, docs); err != nil {
		b.Fatal(err)
	}
	var entries int
	parent := b
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			p2 := reopen(parent, p) // closed when the whole benchmark ends
			b.StartTimer()
			set, err := p2.Timeline(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			entries = len(set.Entries)
			p = p2
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
		b.ReportMetric(float64(entries), "entries")
	})
	b.Run("warm", func(b *testing.B) {
		if _, err := p.Timeline(ctx, nil); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := p.Timeline(ctx, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// reopen closes p and opens its folder again, with an empty cache.
func reopen(tb testing.TB, p *project.Project) *project.Project {
	tb.Helper()
	dir := p.Dir
	if err := p.Close(); err != nil {
		tb.Fatal(err)
	}
	p2, err := project.Open(context.Background(), dir, project.Options{NoSeeds: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { p2.Close() })
	return p2
}

func TestTimeline_CancelledScanKeepsWhatItRead(t *testing.T) {
	p := MustOpen(t, t.TempDir(), project.Options{NoSeeds: true})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const n = 600 // three batches
	docs := make([]*notes.Document, n)
	for i := range docs {
		text := fmt.Sprintf("Note %d: the base has been operational since 2017.", i)
		docs[i] = &notes.Document{Title: fmt.Sprint(i), Text: text, SHA256: fmt.Sprintf("%064x", i)}
	}
	if _, err := p.Store.AddDocuments(ctx, docs); err != nil {
		t.Fatal(err)
	}
	var seen []int
	_, err := p.Timeline(ctx, func(done, total int) {
		seen = append(seen, done)
		cancel() // the window closes after the first batch
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled scan returned %v, want context.Canceled", err)
	}
	if len(seen) != 1 {
		t.Fatalf("progress after cancelling: %v", seen)
	}
	set, err := p.Timeline(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := set.Extracted, n-seen[0]; got != want {
		t.Fatalf("the next call scanned %d texts, want the %d not read before", got, want)
	}
	if got := len(set.Entries); got != n {
		t.Fatalf("%d entries, want one “since 2017” per document", got)
	}
}
