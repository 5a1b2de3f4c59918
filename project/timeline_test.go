package project_test

import (
	"context"
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
