package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"dossier/notes"
	"dossier/store"
)

// kantText has multi-byte characters before the passages, so byte and
// code-point offsets differ.
const kantText = "Бишкек — «Kant». The airbase at Kant has been operational since 2017, " +
	"insiders say. Officials attended the opening ceremony on October 23, 2003."

func mustQuoteDoc(tb testing.TB, s *store.Store, text string) *notes.Document {
	tb.Helper()
	d := &notes.Document{Title: "Kant", Text: text, SHA256: shaOf(text), MediaType: "text/plain"}
	MustAdd(tb, s, d)
	return d
}

// span returns the code-point offsets of the first sub in text.
func span(tb testing.TB, text, sub string) (int, int) {
	tb.Helper()
	b := strings.Index(text, sub)
	if b < 0 {
		tb.Fatalf("%q not in text", sub)
	}
	start := notes.RuneOffset(text, b)
	return start, start + len([]rune(sub))
}

func TestStore_AddQuote_FillsSelectorsFromTheText(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	d := mustQuoteDoc(t, s, kantText)
	start, end := span(t, kantText, "operational since 2017")
	q := &notes.Quote{DocID: d.ID, Start: start, End: end, Comment: "contradicts 002", Tags: []string{"kant", " Kant", "#dates", ""}, Color: "yellow"}
	if err := s.AddQuote(ctx, q); err != nil {
		t.Fatal(err)
	}
	if q.ID == "" || q.Created.IsZero() || q.Updated.IsZero() {
		t.Errorf("id/created/updated not filled: %+v", q)
	}
	if got, want := q.Exact, "operational since 2017"; got != want {
		t.Errorf("Exact=%q, want %q", got, want)
	}
	if got, want := q.Prefix, "«Kant». The airbase at Kant has been "[len("«Kant». The airbase at Kant has been ")-len(q.Prefix):]; got != want || len([]rune(got)) != notes.ContextLen {
		t.Errorf("Prefix=%q (%d code points), want the 32 before the passage", got, len([]rune(got)))
	}
	if got, want := q.Suffix, ", insiders say. Officials attende"; got != want[:len(got)] || len([]rune(got)) != notes.ContextLen {
		t.Errorf("Suffix=%q", got)
	}
	if got, want := strings.Join(q.Tags, ","), "kant,dates"; got != want {
		t.Errorf("Tags=%q, want %q", got, want)
	}

	got, err := s.Quote(ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Exact != q.Exact || got.Prefix != q.Prefix || got.Suffix != q.Suffix || got.Start != start ||
		got.End != end || got.DocID != d.ID || got.Comment != q.Comment || got.Color != "yellow" ||
		strings.Join(got.Tags, ",") != "kant,dates" || got.Orphaned || !got.Created.Equal(q.Created) {
		t.Errorf("read back %+v, want %+v", got, q)
	}
}

func TestStore_AddQuote_ContextIsShortAtTheEdges(t *testing.T) {
	s := MustOpen(t)
	d := mustQuoteDoc(t, s, "Kant airbase.")
	q := &notes.Quote{DocID: d.ID, Start: 0, End: 13}
	if err := s.AddQuote(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	if q.Exact != "Kant airbase." || q.Prefix != "" || q.Suffix != "" {
		t.Errorf("got exact=%q prefix=%q suffix=%q", q.Exact, q.Prefix, q.Suffix)
	}
}

func TestStore_AddQuote_Rejects(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	d := mustQuoteDoc(t, s, kantText)
	n := len([]rune(kantText))
	for _, tc := range []struct {
		name       string
		doc        string
		start, end int
		kind       string
	}{
		{"empty passage", d.ID, 5, 5, notes.EINVALID},
		{"end before start", d.ID, 9, 5, notes.EINVALID},
		{"negative start", d.ID, -1, 5, notes.EINVALID},
		{"end past the text (code points, not bytes)", d.ID, 0, n + 1, notes.EINVALID},
		{"unknown document", "no-such-doc", 0, 5, notes.ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := &notes.Quote{DocID: tc.doc, Start: tc.start, End: tc.end}
			err := s.AddQuote(ctx, q)
			if got := notes.ErrorKind(err); got != tc.kind {
				t.Fatalf("error %v of kind %s, want %s", err, got, tc.kind)
			}
			if q.ID != "" || q.Exact != "" {
				t.Errorf("failed add changed the quote: %+v", q)
			}
		})
	}
	if err := s.AddQuote(ctx, &notes.Quote{DocID: d.ID, Start: 0, End: n}); err != nil {
		t.Errorf("whole text: %v", err)
	}
	qs, err := s.Quotes(ctx, notes.QuoteFilter{})
	if err != nil || len(qs) != 1 {
		t.Errorf("Quotes=%d, %v; want only the valid one", len(qs), err)
	}
}

func TestStore_AddQuote_PagesFromTheDocument(t *testing.T) {
	dir := t.TempDir()
	s := MustOpenDir(t, dir)
	ctx := context.Background()
	d := mustQuoteDoc(t, s, kantText)
	db := rawDB(t, dir)
	if _, err := db.Exec(`UPDATE documents SET pages = '[0, 20, 60]' WHERE id = ?`, d.ID); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ start, end, page, pageEnd int }{
		{0, 5, 1, 0}, {20, 25, 2, 0}, {15, 65, 1, 3}, {60, 61, 3, 0}, {19, 20, 1, 0},
	} {
		q := &notes.Quote{DocID: d.ID, Start: tc.start, End: tc.end}
		if err := s.AddQuote(ctx, q); err != nil {
			t.Fatal(err)
		}
		if q.Page != tc.page || q.PageEnd != tc.pageEnd {
			t.Errorf("[%d,%d): page %d–%d, want %d–%d", tc.start, tc.end, q.Page, q.PageEnd, tc.page, tc.pageEnd)
		}
	}
}

func TestStore_Quotes_FilterAndOrder(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	a := mustQuoteDoc(t, s, kantText)
	b := mustQuoteDoc(t, s, kantText+" Another version.")
	add := func(d *notes.Document, start, end int, tags ...string) *notes.Quote {
		q := &notes.Quote{DocID: d.ID, Start: start, End: end, Tags: tags}
		if err := s.AddQuote(ctx, q); err != nil {
			t.Fatal(err)
		}
		return q
	}
	q1 := add(a, 50, 60, "Kant")
	q2 := add(b, 0, 4)
	q3 := add(a, 10, 20)
	q4 := add(a, 10, 15, "kant", "csto")

	ids := func(qs []notes.Quote, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, q := range qs {
			out = append(out, q.ID)
		}
		return strings.Join(out, " ")
	}
	for _, tc := range []struct {
		name string
		f    notes.QuoteFilter
		want []*notes.Quote
	}{
		{"all, in pinning order", notes.QuoteFilter{}, []*notes.Quote{q1, q2, q3, q4}},
		{"one document, in text order", notes.QuoteFilter{DocID: a.ID}, []*notes.Quote{q4, q3, q1}},
		{"tag ignores case", notes.QuoteFilter{Tag: "KANT"}, []*notes.Quote{q1, q4}},
		{"tag and document", notes.QuoteFilter{DocID: a.ID, Tag: "#csto"}, []*notes.Quote{q4}},
		{"no match", notes.QuoteFilter{DocID: b.ID, Tag: "kant"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var want []string
			for _, q := range tc.want {
				want = append(want, q.ID)
			}
			if got := ids(s.Quotes(ctx, tc.f)); got != strings.Join(want, " ") {
				t.Errorf("got %s, want %s", got, strings.Join(want, " "))
			}
		})
	}
}

func TestStore_UpdateQuote_ChangesOnlyCommentTagsColour(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	d := mustQuoteDoc(t, s, kantText)
	q := &notes.Quote{DocID: d.ID, Start: 3, End: 9, Comment: "old", Color: "yellow"}
	if err := s.AddQuote(ctx, q); err != nil {
		t.Fatal(err)
	}
	edit := *q
	edit.Comment, edit.Tags, edit.Color = "new", []string{"x"}, "blue"
	edit.Start, edit.End, edit.Exact, edit.DocID = 0, 1, "forged", "other"
	if err := s.UpdateQuote(ctx, &edit); err != nil {
		t.Fatal(err)
	}
	got, err := s.Quote(ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Comment != "new" || got.Color != "blue" || strings.Join(got.Tags, ",") != "x" {
		t.Errorf("edit not saved: %+v", got)
	}
	if got.Start != 3 || got.End != 9 || got.Exact != q.Exact || got.DocID != d.ID {
		t.Errorf("update changed the anchor: %+v", got)
	}
	if !got.Updated.After(q.Updated) && !got.Updated.Equal(edit.Updated) {
		t.Errorf("Updated not advanced: %v then %v", q.Updated, got.Updated)
	}
	if err := s.UpdateQuote(ctx, &notes.Quote{ID: "missing"}); !errors.Is(err, notes.ErrNotFound) {
		t.Errorf("update of a missing quote: %v", err)
	}
}

func TestStore_DeleteQuote_RemovesItsRelationsAndCanBeRestored(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	d := mustQuoteDoc(t, s, kantText)
	a := &notes.Quote{DocID: d.ID, Start: 0, End: 5, Comment: "keep me"}
	b := &notes.Quote{DocID: d.ID, Start: 10, End: 15}
	for _, q := range []*notes.Quote{a, b} {
		if err := s.AddQuote(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddRelation(ctx, a.ID, b.ID, notes.RelContradicts, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteQuote(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Quote(ctx, a.ID); !errors.Is(err, notes.ErrNotFound) {
		t.Errorf("deleted quote still there: %v", err)
	}
	if rs, err := s.Relations(ctx, b.ID); err != nil || len(rs) != 0 {
		t.Errorf("relations of the deleted quote remain: %v %v", rs, err)
	}
	if err := s.DeleteQuote(ctx, a.ID); !errors.Is(err, notes.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	// Undo: add the same quote back.
	restored := *a
	if err := s.AddQuote(ctx, &restored); err != nil {
		t.Fatal(err)
	}
	got, err := s.Quote(ctx, a.ID)
	if err != nil || got.Comment != "keep me" || !got.Created.Equal(a.Created) {
		t.Errorf("restored quote %+v, %v", got, err)
	}
	if err := s.AddQuote(ctx, &restored); notes.ErrorKind(err) != notes.ECONFLICT {
		t.Errorf("adding a taken id: %v", err)
	}
}

func TestStore_Relations(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	d := mustQuoteDoc(t, s, kantText)
	var q [3]*notes.Quote
	for i := range q {
		q[i] = &notes.Quote{DocID: d.ID, Start: i * 10, End: i*10 + 5}
		if err := s.AddQuote(ctx, q[i]); err != nil {
			t.Fatal(err)
		}
	}
	r1, err := s.AddRelation(ctx, q[0].ID, q[1].ID, notes.RelContradicts, "2017 vs 2003")
	if err != nil {
		t.Fatal(err)
	}
	r2, err := s.AddRelation(ctx, q[1].ID, q[2].ID, notes.RelSupports, "")
	if err != nil {
		t.Fatal(err)
	}
	// Contradiction is symmetric: B contradicts A is the same relation.
	if _, err := s.AddRelation(ctx, q[1].ID, q[0].ID, notes.RelContradicts, ""); notes.ErrorKind(err) != notes.ECONFLICT {
		t.Errorf("reverse duplicate: %v, want conflict", err)
	}
	for _, tc := range []struct {
		name, a, b, kind, want string
	}{
		{"itself", q[0].ID, q[0].ID, notes.RelSupports, notes.EINVALID},
		{"unknown kind", q[0].ID, q[2].ID, "refutes", notes.EINVALID},
		{"missing quote", q[0].ID, "nope", notes.RelSupports, notes.ENOTFOUND},
	} {
		if _, err := s.AddRelation(ctx, tc.a, tc.b, tc.kind, ""); notes.ErrorKind(err) != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
		}
	}
	rs, err := s.Relations(ctx, q[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].ID != r1.ID || rs[1].ID != r2.ID || rs[0].Note != "2017 vs 2003" || rs[0].Kind != notes.RelContradicts {
		t.Errorf("Relations(q1)=%+v", rs)
	}
	if rs, _ := s.Relations(ctx, q[2].ID); len(rs) != 1 || rs[0].ID != r2.ID {
		t.Errorf("Relations(q2)=%+v", rs)
	}
	if err := s.DeleteRelation(ctx, r1.ID); err != nil {
		t.Fatal(err)
	}
	if rs, _ := s.Relations(ctx, ""); len(rs) != 1 || rs[0].ID != r2.ID {
		t.Errorf("after delete, all relations = %+v", rs)
	}
	if err := s.DeleteRelation(ctx, r1.ID); !errors.Is(err, notes.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
}
