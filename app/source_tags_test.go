package app

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

func TestSourcePanel_TagsSaveAndAreSearchable(t *testing.T) {
	p := mustOpenProject(t)
	u, l := newTestUI(t, p, Options{})
	doc, _, _ := docWith(t, p, "operational since 2017")
	openDoc(t, u, l, doc.ID)
	ed := u.details.editor
	ed.delay = 20 * time.Millisecond
	if ed.tags.Text != "" {
		t.Fatalf("tags field = %q for an untagged source", ed.tags.Text)
	}

	test.Type(ed.tags, "Kant, airbase , kant,")
	l.until(t, "the tags to be saved", func() bool { return strings.HasPrefix(ed.status.Text, "Saved") })
	got, err := p.Store.Document(context.Background(), doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Kant", "airbase"}; !slices.Equal(got.Tags, want) {
		t.Fatalf("stored tags = %q, want %q", got.Tags, want)
	}
	if m := u.reader.meta.Segments[0].Textual(); !strings.Contains(m, "#Kant #airbase") {
		t.Errorf("reader header = %q, want the tags", m)
	}

	typeQuery(u, "tag:airbase")
	waitResults(t, u, l, "tag:airbase")
	if len(u.results.hits) != 1 || u.results.hits[0].ID != doc.ID {
		t.Fatalf("tag:airbase found %+v, want the source", u.results.hits)
	}

	// Showing the source again shows its tags as saved.
	u.details.editor.Show(nil)
	openDoc(t, u, l, doc.ID)
	if ed.tags.Text != "Kant, airbase" {
		t.Errorf("tags field = %q after reopening", ed.tags.Text)
	}
}
