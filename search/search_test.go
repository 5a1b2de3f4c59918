package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"dossier/notes"
)

func TestSearch_QueryForms(t *testing.T) {
	ix, _ := MustOpen(t, corpus()...)
	all := set("iwpr", "rferl", "eurasianet", "memo")
	for _, tc := range []struct {
		name, q string
		want    []string
	}{
		{"word", "airbase", set("iwpr", "rferl", "eurasianet")},
		{"word ignores case", "KANT", set("iwpr", "rferl", "eurasianet")},
		{"words are ORed", "bishkek drones", set("iwpr", "eurasianet")},
		{"word in title only", "sticks", set("iwpr")},
		{"no stemming", "bases", nil},
		{"no stop words", "the", all},
		{"phrase", `"operational since 2017"`, set("rferl")},
		{"phrase ignores case and punctuation", `"KANT, on october 23 2003"`, set("iwpr")},
		{"phrase across punctuation", `"kant on october 23 2003"`, set("iwpr")},
		{"phrase across a line break", `"2003 president vladimir"`, set("iwpr")},
		{"phrase searches text not title", `"sticks close"`, nil},
		{"phrase word order", `"since operational"`, nil},
		{"apostrophe word is a phrase", "russia's", set("rferl")},
		{"apostrophe splits words", "russia", set("rferl", "iwpr")},
		{"hyphenated word is a phrase", "kant-base", set("iwpr", "rferl")},
		{"must", "+kant +memo", set("eurasianet")},
		{"must and should", "+memo insiders", set("eurasianet", "memo")},
		{"must not", "kant -manas", set("iwpr", "rferl")},
		{"only must not", "-kant", set("memo")},
		{"must not phrase", `base -"leaked memo"`, set("iwpr", "rferl", "memo")},
		{"title field", "title:kant", set("rferl", "eurasianet")},
		{"title phrase", `title:"sticks close"`, set("iwpr")},
		{"text field", "text:manas", set("eurasianet")},
		{"author field", "author:saralaeva", set("iwpr")},
		{"author phrase", `author:"leila saralaeva"`, set("iwpr")},
		{"author field ignores case", "author:SMITH", set("rferl")},
		{"source field word", "source:rfe", set("rferl")},
		{"source field phrase", "source:rfe/rl", set("rferl")},
		{"source field ignores case", "source:eurasianet", set("eurasianet", "memo")},
		{"type field", "type:source", all},
		{"type field ignores case", "type:SOURCE", all},
		{"year field", "year:2023", set("eurasianet")},
		{"year undated", "year:undated", set("memo")},
		{"format field", "format:text/plain", set("rferl", "memo")},
		{"format field ignores case", "format:TEXT/HTML", set("iwpr", "eurasianet")},
		{"grade field", "grade:b2", set("iwpr")},
		{"fuzzy", "japarov~", set("eurasianet", "memo")},
		{"fuzzy 2", "japerow~2", set("eurasianet", "memo")},
		{"fuzzy exact only", "japarov", set("eurasianet")},
		{"prefix", "deploy*", set("rferl", "eurasianet")},
		{"prefix ignores case", "DEPLOY*", set("rferl", "eurasianet")},
		{"prefix in title", "operat*", set("rferl")},
		{"wildcard", "k?nt", set("iwpr", "rferl", "eurasianet")},
		{"star alone", "*", all},
		{"date range", `published:>="2017-01-01" published:<"2024-01-01"`, set("rferl", "eurasianet")},
		{"date range must", `+published:>="2017-01-01" +published:<"2023-01-01"`, set("rferl")},
		{"date range with words", `+kant +published:<"2010-01-01"`, set("iwpr")},
		{"date greater", `published:>"2017-06-01"`, set("eurasianet")},
		{"date partial month", `published:<="2023-10"`, set("iwpr", "rferl", "eurasianet")},
		{"date partial excludes month", `published:<"2023-10"`, set("iwpr", "rferl")},
		{"date year unquoted", `published:>=2017`, set("rferl", "eurasianet")},
		{"date year greater", `published:>2017`, set("eurasianet")},
		{"date year less or equal", `published:<=2017`, set("iwpr", "rferl")},
		{"year range", `year:>=2017`, set("rferl", "eurasianet")},
		{"published period", `published:2003`, set("iwpr")},
		{"qualifier narrows", "kant year:2023", set("eurasianet")},
		{"qualifier values are alternatives", "year:2003 year:2023", set("iwpr", "eurasianet")},
		{"qualifiers are combined", "year:2023 source:eurasianet format:text/html", set("eurasianet")},
		{"source narrows", "kant source:eurasianet", set("eurasianet")},
		{"qualifier with must", "+kant +memo type:source", set("eurasianet")},
		{"qualifier with must not", "type:source -kant", set("memo")},
		{"excluded qualifier", "kant -year:2023", set("iwpr", "rferl")},
		{"required qualifier", "+year:2003", set("iwpr")},
		{"required qualifier with optional word", "+year:2003 memo", set("iwpr")},
		{"required qualifiers all hold", "+year:2003 +year:2023", nil},
		{"required and unmarked qualifiers", "+format:text/html year:2003 year:2023", set("iwpr", "eurasianet")},
		{"author does not narrow", "kant author:lee", set("iwpr", "rferl", "eurasianet")},
		{"published month", `published:"2003-10"`, set("iwpr")},
		{"number", "2017", set("rferl")},
		{"number in title", "title:2017", set("rferl")},
		{"boost", "kant^3 memo", all},
		{"punctuation only", "+kant +&", set("iwpr", "rferl", "eurasianet")},
		{"must prefix of nothing", "+kant +xyzzy*", nil},
		{"must fuzzy of nothing", "+kant +qqqqqqqq~1", nil},
		{"must empty range", `+kant +published:>"2030-01-01"`, nil},
		{"empty range narrows to nothing", `kant published:>"2023-01-02" published:<"2023-01-01"`, nil},
		{"should prefix of nothing", "bishkek xyzzy*", set("iwpr")},
		{"must not prefix of nothing", "bishkek -xyzzy*", set("iwpr")},
		{"white space", "  kant\t-manas\n", set("iwpr", "rferl")},
		{"empty", "", all},
		{"nowhere", "zeppelin", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := find(t, ix, tc.q); !same(got, tc.want) {
				t.Fatalf("%s: got %v, want %v", tc.q, got, tc.want)
			}
		})
	}
}

func TestSearch_MalformedQueryIsInvalid(t *testing.T) {
	ix, _ := MustOpen(t, corpus()...)
	for _, q := range []string{
		`"unclosed`,
		`title:`,
		`+`,
		`-`,
		`title:"unclosed`,
		`nosuchfield:x`,
		`Title:kant`,
		`japarov~3`,
		`published:>"someday"`,
		`published:>="2023-13-01"`,
		`published:>5`,
		`title:>5`,
		`kant title:>5`,
		`kant year:>5`,
		`title:>="2023-01-01"`,
		`published:kant*`,
		`x~y`,
		`@#$%^&`,
		`~`,
		`:`,
		`grade:`,
		`+-kant`,
		strings.Repeat("a* ", maxPatterns+1),
	} {
		t.Run(q, func(t *testing.T) {
			_, err := ix.Search(context.Background(), notes.SearchRequest{Query: q})
			if err == nil {
				t.Fatalf("%s: no error", q)
			}
			if got := notes.ErrorKind(err); got != notes.EINVALID {
				t.Fatalf("%s: kind %s (%v), want %s", q, got, err, notes.EINVALID)
			}
			if _, err := ix.Matches(context.Background(), "iwpr", q); notes.ErrorKind(err) != notes.EINVALID {
				t.Fatalf("Matches %s: %v, want EINVALID", q, err)
			}
		})
	}
}

func TestSearch_MalformedQuerySaysWhatIsWrong(t *testing.T) {
	ix, _ := MustOpen(t, corpus()...)
	for _, tc := range []struct{ q, want string }{
		{`-`, "nothing after '-'"},
		{`kant +`, "nothing after '+'"},
		{`+-kant`, "a single + or -"},
		{`~`, "'~' must follow a word"},
		{`x~y`, "'~' can be followed only by 1 or 2"},
		{`:`, "':' must follow a field name"},
		{`:kant`, "':' must follow a field name"},
		{`title:`, "title: needs a value, as in title:WORD"},
		{`kant title:`, "title: needs a value, as in title:WORD"},
		{`grade:`, "grade: needs a value, as in grade:B2"},
		{`published:>=`, "published: needs a value, as in published:>=2023"},
		{`>2023`, "'>' compares dates"},
		{`title:~`, "'~' must follow a word"},
		{`@#$%^&`, "'^' must be followed by a number"},
		{`kant^x`, "'^' must be followed by a number"},
		{`^2`, "'^' must follow a word"},
		{`a:b:c`, "only one field name"},
		{`"unclosed`, "quotation mark"},
		{`title:"unclosed`, "quotation mark"},
		{strings.Repeat("a* ", maxPatterns+1), "at most 16"},
		{strings.Repeat("kant~ ", 10) + strings.Repeat("k?nt ", 7), "at most 16"},
		{strings.Repeat("ж", 1<<20), "a query may be up to 16 KB"}, // would take minutes to read
	} {
		t.Run(tc.q, func(t *testing.T) {
			_, err := ix.Search(context.Background(), notes.SearchRequest{Query: tc.q})
			if notes.ErrorKind(err) != notes.EINVALID {
				t.Fatalf("%s: %v, want EINVALID", tc.q, err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) {
				t.Errorf("%s: %q does not say %q", tc.q, msg, tc.want)
			}
			for _, jargon := range []string{"syntax error", "strconv", "parse error", "boost", "fuzziness value"} {
				if strings.Contains(msg, jargon) {
					t.Errorf("%s: %q speaks of %s", tc.q, msg, jargon)
				}
			}
		})
	}
	// The cap is on the terms that expand; up to it, a query runs, and
	// search as you type does not make a last word one too many.
	MustSearch(t, ix, notes.SearchRequest{Query: strings.Repeat("k* ", maxPatterns) + "kant manas"})
	MustSearch(t, ix, notes.SearchRequest{Query: strings.Repeat("k* ", maxPatterns) + "kant", PrefixLast: true})
}

func TestSearch_HitsCarryMetadata(t *testing.T) {
	ix, _ := MustOpen(t, corpus()...)
	res := MustSearch(t, ix, notes.SearchRequest{Query: "saralaeva sticks"})
	if len(res.Hits) == 0 || res.Hits[0].ID != "iwpr" {
		t.Fatalf("hits %+v", res.Hits)
	}
	h := res.Hits[0]
	want := notes.Hit{ID: "iwpr", Type: notes.KindSource, Title: "Kyrgyzstan Sticks Close to Russia",
		Score: h.Score, Source: "IWPR", Author: "Leila Saralaeva", Published: corpus()[0].Published, Grade: "B2"}
	h.Snippets = nil
	if !reflect.DeepEqual(h, want) {
		t.Fatalf("hit\n%+v, want\n%+v", h, want)
	}
	if h.Score <= 0 {
		t.Fatalf("score %v", h.Score)
	}
	// Precision survives the index.
	for _, h := range MustSearch(t, ix, notes.SearchRequest{Query: "", Limit: 10}).Hits {
		var want notes.Date
		for _, d := range corpus() {
			if d.ID == h.ID {
				want = d.Published
			}
		}
		if h.Published != want {
			t.Errorf("%s published %+v, want %+v", h.ID, h.Published, want)
		}
	}
}

func TestSearch_RanksTitleAndFrequency(t *testing.T) {
	ix, _ := MustOpen(t,
		&notes.Document{ID: "text", Title: "Other", Text: "One mention of the garrison among many other words here."},
		&notes.Document{ID: "title", Title: "Garrison", Text: "One mention of the garrison among many other words here."},
	)
	res := MustSearch(t, ix, notes.SearchRequest{Query: "garrison"})
	if len(res.Hits) != 2 || res.Hits[0].ID != "title" || res.Hits[0].Score <= res.Hits[1].Score {
		t.Fatalf("a title match must rank first: %+v", res.Hits)
	}
}

// TestSearch_RequiredQualifiersScoreFinitely checks that required clauses
// on fields that do not score (type, year, format, grade, tag, published)
// leave every score a number, which JSON can encode, and the ranking to
// the words of the query.
func TestSearch_RequiredQualifiersScoreFinitely(t *testing.T) {
	docs := corpus()
	docs[1].Tags = []string{"Airbase"}
	ix, _ := MustOpen(t, docs...)
	for _, q := range []string{
		"+type:source", "+year:2023", "+year:undated", "+format:text/html", "+grade:B2", "+grade:B", "+grade:2",
		"+tag:airbase", "+published:>=2017", `+published:<"2024-01-01"`, "+published:2003", "+year:>=2017",
		"kant +year:2023", "+year:2023 kant", "+kant +type:source", "kant^3 +format:text/plain memo",
		"+type:source -kant", "+type:source +year:2017 +tag:airbase",
	} {
		res := MustSearch(t, ix, notes.SearchRequest{Query: q, Limit: 100})
		if len(res.Hits) == 0 {
			t.Errorf("%s: no hits", q)
		}
		for _, h := range res.Hits {
			if math.IsNaN(h.Score) || math.IsInf(h.Score, 0) {
				t.Errorf("%s: %s scores %v", q, h.ID, h.Score)
			}
		}
		if _, err := json.Marshal(res.Hits); err != nil {
			t.Errorf("%s: %v", q, err)
		}
	}
	order := func(q string) []string {
		var out []string
		for _, h := range MustSearch(t, ix, notes.SearchRequest{Query: q, Limit: 100}).Hits {
			out = append(out, h.ID)
		}
		return out
	}
	kant := order("kant")
	if got := order("+kant +type:source"); !reflect.DeepEqual(got, kant) {
		t.Errorf("+kant +type:source ranks %v, kant %v", got, kant)
	}
	// kant is optional here: memo, of type source, comes after its matches.
	if got := order("kant +type:source"); !reflect.DeepEqual(got, append(kant, "memo")) {
		t.Errorf("kant +type:source ranks %v, kant %v", got, kant)
	}
	if got := order("+year:2023 japarov airbase bishkek"); len(got) != 1 || got[0] != "eurasianet" {
		t.Errorf("+year:2023 and words: %v", got)
	}
}

func TestSearch_TotalLimitOffset(t *testing.T) {
	ix, _ := MustOpen(t, seq("p", 50)...)
	res := MustSearch(t, ix, notes.SearchRequest{Query: "ledger", Limit: 10, Offset: 45})
	if res.Total != 50 || len(res.Hits) != 5 {
		t.Fatalf("total %d hits %d, want 50 and 5", res.Total, len(res.Hits))
	}
	res = MustSearch(t, ix, notes.SearchRequest{Query: "ledger"})
	if len(res.Hits) != defaultLimit {
		t.Fatalf("default limit: %d hits", len(res.Hits))
	}
	seen := map[string]bool{}
	for off := 0; off < 50; off += 7 {
		for _, h := range MustSearch(t, ix, notes.SearchRequest{Query: "", Limit: 7, Offset: off}).Hits {
			if seen[h.ID] {
				t.Fatalf("%s on two pages", h.ID)
			}
			seen[h.ID] = true
		}
	}
	if len(seen) != 50 {
		t.Fatalf("paging saw %d of 50", len(seen))
	}
}

func TestSearch_Facets(t *testing.T) {
	ix, _ := MustOpen(t, corpus()...)
	res := MustSearch(t, ix, notes.SearchRequest{Query: ""})
	want := map[string][]notes.Facet{
		"type":   {{Value: "source", Count: 4}},
		"source": {{Value: "Eurasianet", Count: 2}, {Value: "IWPR", Count: 1}, {Value: "RFE/RL", Count: 1}},
		"year":   {{Value: "2003", Count: 1}, {Value: "2017", Count: 1}, {Value: "2023", Count: 1}, {Value: "undated", Count: 1}},
		"format": {{Value: "text/html", Count: 2}, {Value: "text/plain", Count: 2}},
		"grade":  {{Value: "B2", Count: 1}, {Value: "C3", Count: 1}},
		"tag":    {},
	}
	if !reflect.DeepEqual(res.Facets, want) {
		t.Fatalf("facets\n%v, want\n%v", res.Facets, want)
	}
	res = MustSearch(t, ix, notes.SearchRequest{Query: "memo"})
	if got := res.Facets["source"]; !reflect.DeepEqual(got, []notes.Facet{{Value: "Eurasianet", Count: 2}}) {
		t.Fatalf("facets of memo: %v", got)
	}
	if got := res.Facets["year"]; !reflect.DeepEqual(got, []notes.Facet{{Value: "2023", Count: 1}, {Value: "undated", Count: 1}}) {
		t.Fatalf("years of memo: %v", got)
	}
}

func TestSearch_FacetsKeepTopTwentyByCount(t *testing.T) {
	var docs []*notes.Document
	for i := range 30 {
		for j := 0; j <= i; j++ {
			docs = append(docs, &notes.Document{ID: fmt.Sprintf("%d-%d", i, j), Title: "t", Text: "harbour",
				Source: fmt.Sprintf("source %02d", i)})
		}
	}
	ix, _ := MustOpen(t, docs...)
	got := MustSearch(t, ix, notes.SearchRequest{Query: "harbour"}).Facets["source"]
	if len(got) != facetSize || got[0] != (notes.Facet{Value: "source 29", Count: 30}) ||
		got[19] != (notes.Facet{Value: "source 10", Count: 11}) {
		t.Fatalf("source facet: %v", got)
	}
}

func TestSearch_Filters(t *testing.T) {
	ix, _ := MustOpen(t, corpus()...)
	for _, tc := range []struct {
		name    string
		q       string
		filters map[string][]string
		want    []string
	}{
		{"one value", "", map[string][]string{"source": {"Eurasianet"}}, set("eurasianet", "memo")},
		{"values ORed", "", map[string][]string{"year": {"2003", "undated"}}, set("iwpr", "memo")},
		{"facets ANDed", "", map[string][]string{"source": {"Eurasianet"}, "year": {"2023"}}, set("eurasianet")},
		{"with query", "insiders", map[string][]string{"format": {"text/plain"}}, set("memo")},
		{"type", "kant", map[string][]string{"type": {notes.KindSource}}, set("iwpr", "rferl", "eurasianet")},
		{"other type", "kant", map[string][]string{"type": {notes.KindNote}}, nil},
		{"grade", "", map[string][]string{"grade": {"C3"}}, set("rferl")},
		{"empty list ignored", "memo", map[string][]string{"year": {}}, set("eurasianet", "memo")},
		{"source is exact", "", map[string][]string{"source": {"eurasianet"}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := MustSearch(t, ix, notes.SearchRequest{Query: tc.q, Filters: tc.filters, Limit: 100})
			if got := ids(res); !same(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			if res.Total != uint64(len(tc.want)) {
				t.Fatalf("total %d, want %d", res.Total, len(tc.want))
			}
		})
	}
	_, err := ix.Search(context.Background(), notes.SearchRequest{Filters: map[string][]string{"colour": {"red"}}})
	if notes.ErrorKind(err) != notes.EINVALID {
		t.Fatalf("unknown filter: %v", err)
	}
}

func TestSearch_FiltersDoNotChangeScores(t *testing.T) {
	ix, _ := MustOpen(t, corpus()...)
	a := MustSearch(t, ix, notes.SearchRequest{Query: "kant base"})
	b := MustSearch(t, ix, notes.SearchRequest{Query: "kant base", Filters: map[string][]string{"type": {"source"}}})
	if len(a.Hits) != len(b.Hits) {
		t.Fatalf("%d vs %d hits", len(a.Hits), len(b.Hits))
	}
	for i := range a.Hits {
		if a.Hits[i].ID != b.Hits[i].ID || a.Hits[i].Score != b.Hits[i].Score {
			t.Fatalf("hit %d: %s %v vs %s %v", i, a.Hits[i].ID, a.Hits[i].Score, b.Hits[i].ID, b.Hits[i].Score)
		}
	}
}

func TestSearch_PrefixLast(t *testing.T) {
	ix, _ := MustOpen(t, corpus()...)
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"kyrgyz pres", set("eurasianet", "iwpr", "rferl")}, // president, presence
		{"+kant +deplo", set("rferl", "eurasianet")},
		{"kant -mana", set("iwpr", "rferl")},
		{"deplo ", nil},                                // a trailing space ends the word
		{"insiders m", set("iwpr", "memo")},            // one letter is not a prefix
		{"insiders me", set("iwpr", "memo")},           // nor are two
		{`"leaked mem"`, nil},                          // phrases are exact
		{"title:manas ano", set("eurasianet", "memo")}, // anonymous
		{"author:sara", nil},                           // fielded words are exact
		{"japarov~", set("eurasianet", "memo")},
		{"deploy*", set("rferl", "eurasianet")},
		{"", set("iwpr", "rferl", "eurasianet", "memo")},
	} {
		t.Run(tc.q, func(t *testing.T) {
			res := MustSearch(t, ix, notes.SearchRequest{Query: tc.q, PrefixLast: true, Limit: 100, Snippets: -1})
			if got := ids(res); !same(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSearch_PrefixLastFallsBackWhenPrefixIsTooWide(t *testing.T) {
	// More words than the cap in each shard.
	ix, _ := MustOpen(t, append(seq("zqx", 2*maxExpansion+200),
		&notes.Document{ID: "exact", Title: "t", Text: "The word zqx alone."})...)
	res := MustSearch(t, ix, notes.SearchRequest{Query: "ledger zqx", PrefixLast: true, Limit: 5})
	if res.Total != uint64(2*maxExpansion+201) {
		t.Fatalf("total %d", res.Total)
	}
	if res.Hits[0].ID != "exact" {
		t.Fatalf("the exact word must rank first after the fallback: %+v", res.Hits[0])
	}
	// Typed explicitly, the too-wide prefix is an error the user can act on.
	_, err := ix.Search(context.Background(), notes.SearchRequest{Query: "zqx*"})
	if notes.ErrorKind(err) != notes.EINVALID || !strings.Contains(err.Error(), "longer") {
		t.Fatalf("zqx*: %v", err)
	}
	// A longer prefix expands fine.
	if got := MustSearch(t, ix, notes.SearchRequest{Query: "zqx00", PrefixLast: true}).Total; got != 100 {
		t.Fatalf("zqx00*: %d hits, want 100", got)
	}
}

func TestSearch_Snippets(t *testing.T) {
	ix, _ := MustOpen(t, corpus()...)
	marked := func(q string, n int) []string {
		t.Helper()
		res := MustSearch(t, ix, notes.SearchRequest{Query: q, Snippets: n})
		if len(res.Hits) == 0 {
			t.Fatalf("%s: no hits", q)
		}
		var out []string
		for _, s := range res.Hits[0].Snippets {
			out = append(out, s.Marked("<mark>", "</mark>"))
		}
		return out
	}
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{`"operational since 2017"`, []string{"The airbase has been <mark>operational</mark> <mark>since</mark> <mark>2017</mark>, officials said. Russia’s presence grows; the deployment of new aircraft is planned."}},
		{"bishkek", []string{"…a Russian airbase in Kant on October 23, 2003. President Vladimir Putin attended the opening ceremony, which insiders called a turning point. The Kant base is 20 km from <mark>Bishkek</mark>."}},
		// Marks are words: the apostrophe between them is not marked.
		{"russia's", []string{"The airbase has been operational since 2017, officials said. <mark>Russia</mark>’<mark>s</mark> presence grows; the deployment of new aircraft is planned."}},
		{"+japarov~ +insiders", []string{"Anonymous <mark>insiders</mark> say the memo is genuine. Nothing about the base here; <mark>Japarow</mark> is misspelt."}},
		// A hit on the title alone shows the beginning of the text.
		{"title:sticks", []string{"Kyrgyzstan opened a Russian airbase in Kant on October 23, 2003. President Vladimir Putin attended the opening ceremony, which insiders called a turning point. The Kant base is…"}},
	} {
		if got := marked(tc.q, 0); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.q, got, tc.want)
		}
	}
	if res := MustSearch(t, ix, notes.SearchRequest{Query: "kant", Snippets: -1}); res.Hits[0].Snippets != nil {
		t.Errorf("Snippets -1 must give none: %+v", res.Hits[0].Snippets)
	}
}

func TestSearch_SnippetsOfALongText(t *testing.T) {
	var b strings.Builder
	for i := range 400 {
		fmt.Fprintf(&b, "Сентенция номер %d о пустяках и мелочах. ", i)
		switch i {
		case 50, 200, 390:
			b.WriteString("Здесь упомянут аэродром Кант рядом с Бишкеком. ")
		case 300:
			b.WriteString("Аэродром упомянут без названия.\n\n")
		}
	}
	doc := &notes.Document{ID: "long", Title: "Длинный текст", Text: b.String()}
	ix, _ := MustOpen(t, doc)
	res := MustSearch(t, ix, notes.SearchRequest{Query: "аэродром кант"})
	snips := res.Hits[0].Snippets
	if len(snips) != 3 {
		t.Fatalf("%d snippets, want 3", len(snips))
	}
	last := -1
	for _, s := range snips {
		n := len([]rune(s.Text))
		if n < 120 || n > 230 {
			t.Errorf("snippet of %d characters: %q", n, s.Text)
		}
		if !strings.HasPrefix(s.Text, "…") || !strings.HasSuffix(s.Text, "…") {
			t.Errorf("cut snippet without ellipses: %q", s.Text)
		}
		if strings.Contains(s.Marked("[", "]"), "[Кант]") == false {
			t.Errorf("snippet should show both words: %q", s.Marked("[", "]"))
		}
		for _, m := range s.Marks {
			w := strings.ToLower(s.Text[m.Start:m.End])
			if w != "аэродром" && w != "кант" {
				t.Errorf("mark %q in %q", w, s.Text)
			}
		}
		pos := strings.Index(doc.Text, strings.Trim(s.Text, "…"))
		if pos < 0 || pos <= last {
			t.Errorf("snippets must be cut from the text, in order: %q", s.Text)
		}
		last = pos
	}
	// Words are never cut: every snippet starts and ends on a word edge.
	for _, s := range snips {
		inner := strings.Trim(s.Text, "…")
		start := strings.Index(doc.Text, inner)
		if start > 0 && !strings.ContainsRune(" \n", rune(doc.Text[start-1])) {
			t.Errorf("snippet starts inside a word: %q", s.Text)
		}
	}
}

// TestSearch_SnippetEllipsisOnlyWhereTextIsCut checks that an ellipsis
// marks text left out, not the white space that ends (or begins) a file.
func TestSearch_SnippetEllipsisOnlyWhereTextIsCut(t *testing.T) {
	long := strings.Repeat("Filler words before the end. ", 20)
	ix, _ := MustOpen(t,
		&notes.Document{ID: "markup", Title: "Markup", Text: "Markup\n\nIn the text: x < y && y > z, and a literal <mark>fake</mark> tag.\n"},
		&notes.Document{ID: "blank", Title: "Blank", Text: "\n\n  \t Blank lines around a single word.\r\n\n\u00A0\n"},
		&notes.Document{ID: "head", Title: "Head", Text: "Headword first. " + long + "\n"},
		&notes.Document{ID: "tail", Title: "Tail", Text: long + "The tailword last.\n\n"})
	for _, tc := range []struct{ q, id, want string }{
		{"fake", "markup", "Markup In the text: x < y && y > z, and a literal <mark>[fake]</mark> tag."},
		{"single", "blank", "Blank lines around a [single] word."},
		{"title:blank", "blank", "Blank lines around a single word."},
	} {
		if got := markedSnippet(t, ix, tc.q, tc.id); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.q, got, tc.want)
		}
	}
	// Where the text goes on, the ellipsis stays.
	if got := markedSnippet(t, ix, "headword", "head"); !strings.HasPrefix(got, "[Headword] first. Filler") || !strings.HasSuffix(got, "…") {
		t.Errorf("headword: %q", got)
	}
	if got := markedSnippet(t, ix, "tailword", "tail"); !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "end. The [tailword] last.") {
		t.Errorf("tailword: %q", got)
	}
}

func TestSnippets_NeverCutRunes(t *testing.T) {
	// Every rune wider than a byte, no spaces to cut at: the cut must still
	// land between runes.
	text := strings.Repeat("日本語のテキスト", 200) + "対象" + strings.Repeat("日本語のテキスト", 200)
	ix, _ := MustOpen(t, &notes.Document{ID: "ja", Title: "t", Text: text})
	res := MustSearch(t, ix, notes.SearchRequest{Query: "対"})
	if len(res.Hits) != 1 || len(res.Hits[0].Snippets) != 1 {
		t.Fatalf("hits %+v", res.Hits)
	}
	s := res.Hits[0].Snippets[0]
	if !utf8Valid(s.Text) || s.Marked("[", "]") == s.Text || !strings.Contains(s.Marked("[", "]"), "[対]") {
		t.Fatalf("snippet %q marks %v", s.Text, s.Marks)
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

func TestMatches_AreWhereTheWordsAre(t *testing.T) {
	ix, _ := MustOpen(t, corpus()...)
	text := corpus()[0].Text
	spansOf := func(words ...string) []notes.Span {
		var out []notes.Span
		lower := strings.ToLower(text)
		for i := 0; i < len(lower); i++ {
			for _, w := range words {
				if strings.HasPrefix(lower[i:], w) && (i == 0 || !isWordRune(rune(lower[i-1]))) &&
					(i+len(w) == len(lower) || !isWordRune(rune(lower[i+len(w)]))) {
					out = append(out, notes.Span{Start: i, End: i + len(w)})
				}
			}
		}
		return out
	}
	for _, tc := range []struct {
		q    string
		want []notes.Span
	}{
		{"kant", spansOf("kant")},
		{"kant bishkek", spansOf("kant", "bishkek")},
		{"+kant -nothing", spansOf("kant")},
		{"pres*", spansOf("president")},
		{"title:kyrgyzstan", nil},
		{"", nil},
		{"zeppelin", nil},
	} {
		got, err := ix.Matches(context.Background(), "iwpr", tc.q)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 && len(tc.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.q, got, tc.want)
		}
	}
	// A phrase matches only where its words stand together ("the" occurs
	// three times, once in the phrase), and each occurrence is one span,
	// so the reader counts phrases, not words.
	got, _ := ix.Matches(context.Background(), "iwpr", `"the opening ceremony"`)
	i := strings.Index(text, "the opening ceremony")
	if want := []notes.Span{{Start: i, End: i + 20}}; !reflect.DeepEqual(got, want) {
		t.Errorf("phrase spans %v, want %v", got, want)
	}
	got, _ = ix.Matches(context.Background(), "iwpr", `"kant base"`)
	i = strings.Index(text, "Kant base")
	if want := []notes.Span{{Start: i, End: i + 9}}; !reflect.DeepEqual(got, want) {
		t.Errorf("phrase spans %v, want %v", got, want)
	}
	if got, err := ix.Matches(context.Background(), "nosuchdoc", "kant"); err != nil || len(got) != 0 {
		t.Errorf("unknown document: %v %v", got, err)
	}
}

func TestIndex_DeleteRemoves(t *testing.T) {
	ix, _ := MustOpen(t, corpus()...)
	if err := ix.Delete(context.Background(), []string{"iwpr", "nosuch"}); err != nil {
		t.Fatal(err)
	}
	if got := find(t, ix, "kant"); !same(got, set("rferl", "eurasianet")) {
		t.Fatalf("after delete kant finds %v", got)
	}
	if n, _ := ix.Count(); n != 3 {
		t.Fatalf("count %d, want 3", n)
	}
	res := MustSearch(t, ix, notes.SearchRequest{})
	if got := res.Facets["year"]; len(got) != 3 {
		t.Fatalf("deleted document still in facets: %v", got)
	}
}

func TestIndex_ReplacesDocumentWithSameID(t *testing.T) {
	ix, src := MustOpen(t, corpus()...)
	d := *corpus()[0]
	d.Text = "Entirely new words about a zeppelin."
	d.Title = "Renamed"
	MustIndex(t, ix, src, &d)
	if n, _ := ix.Count(); n != 4 {
		t.Fatalf("count %d, want 4", n)
	}
	if got := find(t, ix, "zeppelin"); !same(got, set("iwpr")) {
		t.Fatalf("zeppelin: %v", got)
	}
	if got := find(t, ix, "bishkek"); len(got) != 0 {
		t.Fatalf("old text still found: %v", got)
	}
}

func TestIndex_CancelledContext(t *testing.T) {
	ix, _ := MustOpen(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ix.Index(ctx, corpus()); !errors.Is(err, context.Canceled) {
		t.Fatalf("Index: %v, want context.Canceled", err)
	}
	if n, _ := ix.Count(); n != 0 {
		t.Fatalf("a cancelled batch indexed %d documents", n)
	}
	if err := ix.Delete(ctx, []string{"x"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := ix.Search(ctx, notes.SearchRequest{Query: "kant"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Search: %v", err)
	}
	if _, err := ix.Matches(ctx, "iwpr", "kant"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Matches: %v", err)
	}
}

func TestIndex_DocumentWithoutIDIsInvalid(t *testing.T) {
	ix, _ := MustOpen(t)
	err := ix.Index(context.Background(), []*notes.Document{{Title: "x", Text: "y"}})
	if notes.ErrorKind(err) != notes.EINVALID {
		t.Fatalf("%v", err)
	}
}

func TestSearch_MissingTextStillReturnsHit(t *testing.T) {
	ix, src := MustOpen(t, corpus()...)
	src.mu.Lock()
	delete(src.m, "iwpr")
	src.mu.Unlock()
	res := MustSearch(t, ix, notes.SearchRequest{Query: "bishkek"})
	if len(res.Hits) != 1 || res.Hits[0].Snippets != nil {
		t.Fatalf("%+v", res.Hits)
	}
}

func TestIndexItems_NotesAndQuotesAreTypedAndTagged(t *testing.T) {
	ix, src := MustOpen(t, corpus()...)
	items := []*notes.Item{
		{ID: "n1", Kind: notes.KindNote, Title: "Kant timeline", Text: "The base opened in 2003. #Kant #open-question", Tags: []string{"Kant", "open-question"}},
		{ID: "q1", Kind: notes.KindQuote, Title: "Kant airbase", Text: "operational since 2017", Source: "Eurasianet", Grade: "b2", Tags: []string{"#claims"}},
	}
	for _, it := range items {
		src.set(it.ID, it.Text)
	}
	if err := ix.IndexItems(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	res := MustSearch(t, ix, notes.SearchRequest{Query: "tag:kant"})
	if len(res.Hits) != 1 || res.Hits[0].ID != "n1" || res.Hits[0].Type != notes.KindNote {
		t.Fatalf("tag:kant = %+v, want the note", res.Hits)
	}
	res = MustSearch(t, ix, notes.SearchRequest{Query: "operational", Filters: map[string][]string{"type": {"quote"}}})
	if len(res.Hits) != 1 || res.Hits[0].ID != "q1" || res.Hits[0].Grade != "b2" || len(res.Hits[0].Snippets) == 0 {
		t.Fatalf("quote search = %+v", res.Hits)
	}
	res = MustSearch(t, ix, notes.SearchRequest{Query: "grade:B2 type:quote"})
	if res.Total != 1 {
		t.Fatalf("grade:B2 type:quote total %d, want 1", res.Total)
	}
	res = MustSearch(t, ix, notes.SearchRequest{Query: ""})
	wantTags := []notes.Facet{{Value: "claims", Count: 1}, {Value: "kant", Count: 1}, {Value: "open-question", Count: 1}}
	if !reflect.DeepEqual(res.Facets["tag"], wantTags) {
		t.Fatalf("tag facet %v, want %v", res.Facets["tag"], wantTags)
	}
	var kinds []string
	for _, f := range res.Facets["type"] {
		kinds = append(kinds, f.Value)
	}
	if strings.Join(kinds, ",") != "source,note,quote" {
		t.Fatalf("type facet %v", res.Facets["type"])
	}
}
