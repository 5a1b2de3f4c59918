package search

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"dossier/notes"
)

// TestHighlighter_AgreesWithTheIndex checks that the words the highlighter
// marks in each hit's text are exactly those Bleve reports as the query's
// locations, for every query form a user can type.
func TestHighlighter_AgreesWithTheIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	docs := append(seedDocuments(t), generate(r, sentences(seedDocuments(t)), 300)...)
	for i, d := range docs {
		d.Published = notes.YearDate(2020 + i%5)
	}
	ix, _ := MustOpen(t, docs...)
	queries := []string{
		"kant", "KANT", "airbase russia", "+kant +russia", "kant -putin", `"air base"`, `"the kant" base`,
		`"russian airbase in kant"`, "presid*", "air*", "+kyrgyz* -base", "airbse~1", "kyrgystan~2",
		"k?nt", "*base", "/ai.b.se/", "title:generated kant", "text:kant", "text:presid*",
		"kant year:2023", "-kant", "kant OR manas OR bishkek", `+"air base" +kant`, "russia’s",
		"air-base", "2017", "base~1 russia*",
	}
	for _, q := range queries {
		c, err := compile(q, false)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if c.matchAll {
			continue
		}
		h, ok := newHighlighter(c.q)
		if !ok {
			t.Errorf("%s: the highlighter cannot read it", q)
			continue
		}
		res := MustSearch(t, ix, notes.SearchRequest{Query: q, Limit: 1000, Snippets: -1})
		if len(res.Hits) == 0 {
			t.Errorf("%s: no hits, the test checks nothing", q)
		}
		checked := 0
		for _, hit := range res.Hits {
			s := ix.shards[ix.shardOf(hit.ID)]
			want, err := s.locations(context.Background(), c.q, []string{hit.ID})
			if err != nil {
				t.Fatal(err)
			}
			text, _ := ix.texts.Text(context.Background(), hit.ID)
			if got, exp := posOf(h.positions(text)), posOf(want[hit.ID]); !slices.Equal(got, exp) {
				t.Errorf("%s in %s: highlighter %v, index %v", q, hit.ID, got, exp)
			}
			checked++
		}
		t.Logf("%-28s %d hits", q, checked)
	}
}

func posOf(tps []termPos) []int {
	out := make([]int, 0, len(tps))
	for _, tp := range tps {
		if len(out) == 0 || out[len(out)-1] != tp.pos {
			out = append(out, tp.pos)
		}
	}
	return out
}

func TestWithin(t *testing.T) {
	for _, c := range []struct {
		a, b string
		k    int
		want bool
	}{
		{"kant", "kant", 0, true}, {"kant", "kunt", 1, true}, {"kant", "kan", 1, true},
		{"kant", "kanto", 1, true}, {"kant", "kn", 1, false}, {"kant", "knat", 1, false},
		{"kant", "knat", 2, true}, {"japarov", "japarow", 1, true}, {"москва", "москве", 1, true},
		{"", "a", 1, true}, {"ab", "", 1, false},
	} {
		if got := within(c.a, c.k)(c.b); got != c.want {
			t.Errorf("within(%q, %d)(%q) = %v", c.a, c.k, c.b, got)
		}
	}
}
