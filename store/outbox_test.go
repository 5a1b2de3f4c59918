package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"dossier/notes"
	"dossier/store"
)

// outboxIDs is the set of ids the outbox lists, sorted.
func outboxIDs(tb testing.TB, s *store.Store) []string {
	tb.Helper()
	es, err := s.Outbox(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	var ids []string
	for _, e := range es {
		if !slices.Contains(ids, e.ID) {
			ids = append(ids, e.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

func clearOutbox(tb testing.TB, s *store.Store) {
	tb.Helper()
	seq, err := s.OutboxSeq(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	if err := s.ClearOutbox(context.Background(), seq); err != nil {
		tb.Fatal(err)
	}
}

// Every change to an item the index holds leaves its id in the outbox, in
// the change's own transaction, whichever method makes it.
func TestOutbox_EveryWriteOfAnIndexedItemIsRecorded(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	d := mustQuoteDoc(t, s, "The airbase at Kant opened in 2003 and closed later.")
	n := &notes.Note{Title: "Kant", Body: "first"}
	if err := s.CreateNote(ctx, n); err != nil {
		t.Fatal(err)
	}
	q := &notes.Quote{DocID: d.ID, Start: 4, End: 11}
	if err := s.AddQuote(ctx, q); err != nil {
		t.Fatal(err)
	}
	if got, want := outboxIDs(t, s), sortedIDs(d.ID, n.ID, q.ID); !slices.Equal(got, want) {
		t.Fatalf("after adding: outbox %v, want %v", got, want)
	}

	for _, c := range []struct {
		name  string
		write func() error
		want  []string
	}{
		{"UpdateDocument", func() error { d.Title = "Renamed"; return s.UpdateDocument(ctx, d) }, []string{d.ID}},
		{"ReplaceDocument", func() error {
			nd := newDoc(7)
			nd.ID, nd.Text = d.ID, "Now: The airbase at Kant opened in 2003."
			nd.SHA256 = shaOf(nd.Text)
			_, err := s.ReplaceDocument(ctx, nd)
			return err
		}, sortedIDs(d.ID, q.ID)},
		{"SaveNote", func() error { n.Body = "second"; return s.SaveNote(ctx, n) }, []string{n.ID}},
		{"UpdateQuote", func() error { q.Tags = []string{"claim"}; return s.UpdateQuote(ctx, q) }, []string{q.ID}},
		{"DeleteNote", func() error { return s.DeleteNote(ctx, n.ID) }, []string{n.ID}},
		{"RestoreNote", func() error { _, err := s.RestoreNote(ctx, n.ID); return err }, []string{n.ID}},
		{"DeleteQuote", func() error { return s.DeleteQuote(ctx, q.ID) }, []string{q.ID}},
		{"Bulk", func() error {
			return s.Bulk(ctx, []*notes.Note{{Title: "Bulk note"}}, nil, nil)
		}, nil},
	} {
		clearOutbox(t, s)
		if err := c.write(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := outboxIDs(t, s)
		if c.want == nil {
			if len(got) != 1 {
				t.Errorf("%s: outbox %v, want the new note", c.name, got)
			}
			continue
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: outbox %v, want %v", c.name, got, c.want)
		}
	}
}

func sortedIDs(ids ...string) []string {
	slices.Sort(ids)
	return ids
}

// A change that fails leaves nothing in the outbox: the row is part of the
// transaction that is rolled back.
func TestOutbox_FailedWriteLeavesNoRow(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	a := newDoc(1)
	MustAdd(t, s, a)
	clearOutbox(t, s)
	b := newDoc(2)
	b.ID = a.ID // taken: the whole batch fails
	if _, err := s.AddDocuments(ctx, []*notes.Document{newDoc(3), b}); notes.ErrorKind(err) != notes.ECONFLICT {
		t.Fatalf("adding a taken id: %v", err)
	}
	if err := s.UpdateQuote(ctx, &notes.Quote{ID: "no-such-quote"}); !errors.Is(err, notes.ErrNotFound) {
		t.Fatalf("updating a missing quote: %v", err)
	}
	if got := outboxIDs(t, s); len(got) != 0 {
		t.Fatalf("failed writes left %v in the outbox", got)
	}
}

// Acknowledging a change deletes its row and never the row of a later
// change to the same item, which the index has not seen yet.
func TestOutbox_AckClearsOnlyWhatTheMarkCovers(t *testing.T) {
	s := MustOpen(t)
	n := &notes.Note{Title: "Twice", Body: "one"}
	if err := s.CreateNote(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	first, m1 := store.WithOutboxMark(context.Background())
	n.Body = "two"
	if err := s.SaveNote(first, n); err != nil {
		t.Fatal(err)
	}
	second, m2 := store.WithOutboxMark(context.Background())
	n.Body = "three"
	if err := s.SaveNote(second, n); err != nil {
		t.Fatal(err)
	}
	if m1.Seq() == 0 || m2.Seq() <= m1.Seq() {
		t.Fatalf("marks %d then %d: want two rising positions", m1.Seq(), m2.Seq())
	}
	// The first save's index batch finishes last, say: its ack must leave
	// the second save's row.
	if err := s.AckOutbox(context.Background(), []string{n.ID}, m1.Seq()); err != nil {
		t.Fatal(err)
	}
	if got := outboxIDs(t, s); !slices.Equal(got, []string{n.ID}) {
		t.Fatalf("after acknowledging the first save: outbox %v, want the second save's row", got)
	}
	if err := s.AckOutbox(context.Background(), []string{"another-id"}, m2.Seq()); err != nil {
		t.Fatal(err)
	}
	if got := outboxIDs(t, s); len(got) != 1 {
		t.Fatalf("acknowledging another item cleared this one: %v", got)
	}
	if err := s.AckOutbox(context.Background(), []string{n.ID}, m2.Seq()); err != nil {
		t.Fatal(err)
	}
	if got, err := s.OutboxLen(context.Background()); err != nil || got != 0 {
		t.Fatalf("after acknowledging both: %d rows, %v", got, err)
	}
}

// The rows survive closing and reopening the store: they are what a
// crashed process leaves for the next open.
func TestOutbox_SurvivesReopening(t *testing.T) {
	dir := t.TempDir()
	s, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	d := newDoc(1)
	if _, err := s.AddDocuments(context.Background(), []*notes.Document{d}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = MustOpenDir(t, dir)
	es, err := s.Outbox(context.Background())
	if err != nil || len(es) != 1 || es[0].ID != d.ID || es[0].Kind != notes.KindSource {
		t.Fatalf("outbox after reopening: %+v, %v", es, err)
	}
}

// BenchmarkOutbox_Bulk10k stores 10,000 notes in one transaction, as a
// generated notebook or a big merge does, and acknowledges all of them
// afterwards, as the index batch that follows does. bulk-s/op and
// ack-s/op split the time.
func BenchmarkOutbox_Bulk10k(b *testing.B) {
	ctx := context.Background()
	var bulk, ack time.Duration
	defer func() {
		b.ReportMetric(bulk.Seconds()/float64(b.N), "bulk-s/op")
		b.ReportMetric(ack.Seconds()/float64(b.N), "ack-s/op")
	}()
	for b.Loop() {
		b.StopTimer()
		s := MustOpen(b)
		ns := make([]*notes.Note, 10_000)
		for i := range ns {
			ns[i] = &notes.Note{Title: fmt.Sprintf("Note %d", i), Body: "text"}
		}
		b.StartTimer()
		mctx, m := store.WithOutboxMark(ctx)
		t0 := time.Now()
		if err := s.Bulk(mctx, ns, nil, nil); err != nil {
			b.Fatal(err)
		}
		bulk += time.Since(t0)
		ids := make([]string, len(ns))
		for i, n := range ns {
			ids[i] = n.ID
		}
		t0 = time.Now()
		if err := s.AckOutbox(ctx, ids, m.Seq()); err != nil {
			b.Fatal(err)
		}
		ack += time.Since(t0)
		if n, err := s.OutboxLen(ctx); err != nil || n != 0 {
			b.Fatalf("%d left, %v", n, err)
		}
	}
}
