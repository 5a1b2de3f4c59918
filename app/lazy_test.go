package app

import (
	"testing"

	"fyne.io/fyne/v2/container"
)

// The tabs nobody sees at startup are not built with the window (their
// widgets are not in the tree, so nothing in them is measured); each is
// put in when first shown, fills its tab, and works from then on.
func TestUI_HiddenTabsBuiltOnFirstShow(t *testing.T) {
	p := mustOpenProject(t)
	u, l := newTestUI(t, p, Options{})
	u.win.Content().Refresh() // lay the window out, as its first frame does

	lazy := func(ti *container.TabItem) *lazyPane {
		t.Helper()
		lp, ok := ti.Content.(*lazyPane)
		if !ok {
			t.Fatalf("tab %q is built with the window", ti.Text)
		}
		return lp
	}
	tabs := []struct {
		tabs *container.AppTabs
		item *container.TabItem
	}{
		{u.tabs, u.readerTab}, {u.tabs, u.timelineTab}, {u.tabs, u.quotes.compareTab},
		{u.details.tabs, u.details.tabs.Items[0]}, {u.details.tabs, u.quotes.tab},
	}
	for _, tb := range tabs {
		if lazy(tb.item).filled() {
			t.Errorf("tab %q was built before it was shown", tb.item.Text)
		}
	}
	if lazy(u.readerTab).content.Size().Width != 0 {
		t.Error("the reader was laid out before it was shown")
	}

	for _, tb := range tabs {
		tb.tabs.Select(tb.item)
		lp := lazy(tb.item)
		if !lp.filled() {
			t.Errorf("tab %q is empty after it was shown", tb.item.Text)
			continue
		}
		if w := lp.content.Size().Width; w < 100 {
			t.Errorf("tab %q content is %v wide once shown", tb.item.Text, w)
		}
	}

	// Built, the tabs work as before: the timeline collects the corpus and
	// the reader shows a source opened from the library.
	l.until(t, "the timeline to load", func() bool { return u.timeline.set != nil && len(u.timeline.set.Entries) > 0 })
	u.open(u.docs[0].ID)
	l.until(t, "the reader to show the source", func() bool { return u.reader.doc != nil })
	if u.tabs.Selected() != u.readerTab {
		t.Error("opening a source did not show the reader")
	}
}
