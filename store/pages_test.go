package store_test

import (
	"context"
	"reflect"
	"testing"

	"dossier/notes"
)

func TestStore_Pages_RoundTrip(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	paged := &notes.Document{Title: "Report", SHA256: shaOf("paged"), Text: "one\ftwo\fthree",
		Pages: []int{0, 4, 8}}
	plain := &notes.Document{Title: "Article", SHA256: shaOf("plain"), Text: "no pages"}
	MustAdd(t, s, paged, plain)

	for _, tc := range []struct {
		doc  *notes.Document
		want []int
	}{{paged, []int{0, 4, 8}}, {plain, nil}} {
		got, err := s.Document(ctx, tc.doc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Pages, tc.want) {
			t.Errorf("Document(%q).Pages=%v, want %v", tc.doc.Title, got.Pages, tc.want)
		}
	}
	list, err := s.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range list {
		if d.Title == "Report" && !reflect.DeepEqual(d.Pages, []int{0, 4, 8}) {
			t.Errorf("Documents() Pages=%v", d.Pages)
		}
	}
	// Editing metadata leaves the pages alone: they belong to the text.
	paged.Title, paged.Pages = "Renamed", nil
	if err := s.UpdateDocument(ctx, paged); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Document(ctx, paged.ID); !reflect.DeepEqual(got.Pages, []int{0, 4, 8}) {
		t.Fatalf("after UpdateDocument Pages=%v", got.Pages)
	}
}
