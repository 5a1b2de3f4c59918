package search

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"dossier/notes"
)

// texts is the TextSource of the tests: a map from id to text, standing in
// for the store.
type texts struct {
	mu sync.RWMutex
	m  map[string]string
}

func (t *texts) Text(_ context.Context, id string) (string, error) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	s, ok := t.m[id]
	if !ok {
		return "", notes.ErrNotFound
	}
	return s, nil
}

func (t *texts) set(id, text string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.m[id] = text
}

func (t *texts) add(docs ...*notes.Document) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = map[string]string{}
	}
	for _, d := range docs {
		t.m[d.ID] = d.Text
	}
}

// MustOpen opens an index in a new temporary folder and indexes docs.
func MustOpen(tb testing.TB, docs ...*notes.Document) (*Index, *texts) {
	tb.Helper()
	src := &texts{}
	ix, err := Open(filepath.Join(tb.TempDir(), "index"), src)
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() { ix.Close() })
	MustIndex(tb, ix, src, docs...)
	return ix, src
}

// MustIndex indexes docs and records their texts in src.
func MustIndex(tb testing.TB, ix *Index, src *texts, docs ...*notes.Document) {
	tb.Helper()
	src.add(docs...)
	for len(docs) > 0 {
		n := min(len(docs), 1000)
		if err := ix.Index(context.Background(), docs[:n]); err != nil {
			tb.Fatalf("index: %v", err)
		}
		docs = docs[n:]
	}
}

// MustSearch runs a search that must succeed.
func MustSearch(tb testing.TB, ix *Index, r notes.SearchRequest) *notes.SearchResult {
	tb.Helper()
	res, err := ix.Search(context.Background(), r)
	if err != nil {
		tb.Fatalf("search %+v: %v", r, err)
	}
	return res
}

// ids returns the ids of the hits, sorted: ties in score may come back in
// either order, so results are compared as sets.
func ids(res *notes.SearchResult) []string {
	out := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	sort.Strings(out)
	return out
}

// find returns the sorted ids of every document matching q.
func find(tb testing.TB, ix *Index, q string) []string {
	tb.Helper()
	return ids(MustSearch(tb, ix, notes.SearchRequest{Query: q, Limit: 100000, Snippets: -1}))
}

func set(s ...string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}

func same(a, b []string) bool { return strings.Join(a, "\x00") == strings.Join(b, "\x00") }

// corpus is a small set of documents with every kind of metadata.
func corpus() []*notes.Document {
	return []*notes.Document{
		{
			ID: "iwpr", Title: "Kyrgyzstan Sticks Close to Russia", Author: "Leila Saralaeva",
			Source: "IWPR", Published: notes.DayDate(2003, time.October, 30), MediaType: "text/html", Grade: "B2",
			Text: "Kyrgyzstan opened a Russian airbase in Kant on October 23, 2003.\n\n" +
				"President Vladimir Putin attended the opening ceremony, which insiders called a turning point. " +
				"The Kant base is 20 km from Bishkek.",
		},
		{
			ID: "rferl", Title: "Kant Base Operational Since 2017", Author: "John Smith",
			Source: "RFE/RL", Published: notes.YearDate(2017), MediaType: "text/plain", Grade: "C3",
			Text: "The airbase has been operational since 2017, officials said. Russia’s presence grows; " +
				"the deployment of new aircraft is planned.",
		},
		{
			ID: "eurasianet", Title: "Manas and Kant", Author: "Ann Lee",
			Source: "Eurasianet", Published: notes.MonthDate(2023, time.October), MediaType: "text/html",
			Text: "Unlike Manas, the Kant airbase stayed. A leaked memo describes the deployment of drones. " +
				"Kyrgyz President Sadyr Japarov praised the base.",
		},
		{
			ID: "memo", Title: "Notes on the memo", Source: "Eurasianet", MediaType: "text/plain",
			Text: "Anonymous insiders say the memo is genuine. Nothing about the base here; Japarow is misspelt.",
		},
	}
}

// seq makes n documents whose texts hold word-<i>.
func seq(prefix string, n int) []*notes.Document {
	docs := make([]*notes.Document, n)
	for i := range docs {
		docs[i] = &notes.Document{ID: fmt.Sprintf("%s-%d", prefix, i), Title: fmt.Sprintf("Doc %d", i),
			Text: fmt.Sprintf("The ledger entry %s%04d mentions the harbour.", prefix, i)}
	}
	return docs
}
