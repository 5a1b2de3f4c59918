package store_test

import (
	"context"
	"testing"

	"dossier/notes"
)

func TestStore_Bulk_StoresNotesQuotesAndEventsTogether(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	d := mustQuoteDoc(t, s, kantText)
	start, end := span(t, kantText, "operational since 2017")
	ns := []*notes.Note{{Title: "Kant", Body: "See [[Base]]. #place/kant"}, {Title: "Base", Body: "Back to [[Kant]]."}}
	qs := []*notes.Quote{{DocID: d.ID, Start: start, End: end, Tags: []string{"Kant"}}}
	es := []*notes.Event{{Label: "Opening", Date: notes.DayDate(2003, 10, 23), Links: []string{d.ID}}}
	if err := s.Bulk(ctx, ns, qs, es); err != nil {
		t.Fatal(err)
	}
	if qs[0].Exact != "operational since 2017" || qs[0].ID == "" {
		t.Errorf("quote stored as %+v", qs[0])
	}
	links, err := s.Links(ctx, ns[0].ID)
	if err != nil || len(links) != 1 || links[0].TargetID != ns[1].ID {
		t.Errorf("links of Kant = %+v, %v; want one to Base (%s)", links, err, ns[1].ID)
	}
	evs, err := s.Events(ctx)
	if err != nil || len(evs) != 1 || evs[0].ID != es[0].ID {
		t.Errorf("events = %+v, %v", evs, err)
	}
}

func TestStore_Bulk_OneBadItemStoresNothing(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	d := mustQuoteDoc(t, s, kantText)
	ns := []*notes.Note{{Title: "Kept only if all are"}}
	qs := []*notes.Quote{{DocID: d.ID, Start: 0, End: 5}, {DocID: d.ID, Start: 5, End: 100000}}
	err := s.Bulk(ctx, ns, qs, nil)
	if err == nil {
		t.Fatal("a quote past the end of its document was stored")
	}
	if ns[0].ID != "" {
		t.Errorf("the note was given id %q although nothing was stored", ns[0].ID)
	}
	got, err := s.Notes(ctx, notes.NoteFilter{})
	if err != nil || len(got) != 0 {
		t.Errorf("notes after a failed bulk = %d, %v; want none", len(got), err)
	}
	if qq, err := s.Quotes(ctx, notes.QuoteFilter{}); err != nil || len(qq) != 0 {
		t.Errorf("quotes after a failed bulk = %d, %v; want none", len(qq), err)
	}
	if err := s.Bulk(ctx, nil, nil, []*notes.Event{{Label: "no date"}}); notes.ErrorKind(err) != notes.EINVALID {
		t.Errorf("an event without a date: %v, want EINVALID", err)
	}
}
