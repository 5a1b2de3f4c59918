package project_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"dossier/notes"
	"dossier/project"
)

const articleURL = "https://example.org/kant-airbase"

// article is a source file as a text importer reads it: title, byline with
// the URL, body. The body quotes "the base" twice.
func article(body string) string {
	return "Kant Airbase Under Scrutiny\nSource URL: " + articleURL + "\n\n" + body
}

const body1 = "Moscow says the base is a deterrent. The airbase, operational since 2017, " +
	"has long been a subject of speculation. A leaked memo suggested the base could be activated " +
	"within hours of a crisis in the region. Bishkek denies that the base matters."

// mustImportOne imports one file and returns its document.
func mustImportOne(tb testing.TB, p *project.Project, path string) *notes.Document {
	tb.Helper()
	rep, err := p.Import(context.Background(), []string{path}, nil)
	if err != nil || len(rep.Imported) != 1 {
		tb.Fatalf("import %s: %+v, %v", path, rep, err)
	}
	d, err := p.Store.Document(context.Background(), rep.Imported[0].ID)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// pin pins the n-th occurrence of sub in d's text.
func pin(tb testing.TB, p *project.Project, d *notes.Document, sub string, n int) *notes.Quote {
	tb.Helper()
	from := 0
	for i := 0; ; i++ {
		b := strings.Index(d.Text[from:], sub)
		if b < 0 {
			tb.Fatalf("occurrence %d of %q not in %q", n, sub, d.Text)
		}
		if i == n {
			start := notes.RuneOffset(d.Text, from+b)
			q := &notes.Quote{DocID: d.ID, Start: start, End: start + len([]rune(sub)), Comment: sub}
			if err := p.AddQuote(context.Background(), q); err != nil {
				tb.Fatal(err)
			}
			return q
		}
		from += b + len(sub)
	}
}

// checkAnchors fails unless every quote of doc that is not orphaned has
// its exact text at its offsets (code points) in the stored text.
func checkAnchors(tb testing.TB, p *project.Project, docID string) []notes.Quote {
	tb.Helper()
	ctx := context.Background()
	text, err := p.Store.Text(ctx, docID)
	if err != nil {
		tb.Fatal(err)
	}
	qs, err := p.Quotes().Quotes(ctx, notes.QuoteFilter{DocID: docID})
	if err != nil {
		tb.Fatal(err)
	}
	r := []rune(text)
	for _, q := range qs {
		if q.Orphaned {
			continue
		}
		if q.Start < 0 || q.End > len(r) || q.Start >= q.End {
			tb.Fatalf("quote %q: offsets %d–%d outside a text of %d code points", q.Exact, q.Start, q.End, len(r))
		}
		if got := string(r[q.Start:q.End]); got != q.Exact {
			tb.Fatalf("quote at %d–%d: text there is %q, exact is %q", q.Start, q.End, got, q.Exact)
		}
	}
	return qs
}

func TestUpdateSource_ReanchorsEveryQuote(t *testing.T) {
	ctx := context.Background()
	p := MustOpen(t, t.TempDir(), project.Options{NoSeeds: true})
	src := t.TempDir()
	path := filepath.Join(src, "kant.txt")
	writeFiles(t, src, map[string]string{"kant.txt": article(body1)})
	d := mustImportOne(t, p, path)
	oldSHA := d.SHA256
	if err := p.SetGrade(ctx, d.ID, "b2", "IWPR, named author"); err != nil {
		t.Fatal(err)
	}

	second := pin(t, p, d, "the base", 1) // "…suggested the base could…"
	inside := pin(t, p, d, "operational since 2017", 0)
	gone := pin(t, p, d, "within hours of a crisis", 0)
	last := pin(t, p, d, "Bishkek denies that the base matters.", 0)

	edited := "Editor’s note: corrected on 12 October.\n" +
		strings.NewReplacer(
			"operational since 2017", "operational, officials say, since 2017",
			" within hours of a crisis in the region", "",
			"Moscow says", "Moscow insists").Replace(body1)
	writeFiles(t, src, map[string]string{"kant-v2.txt": article(edited)})
	u, err := p.UpdateSource(ctx, d.ID, filepath.Join(src, "kant-v2.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if u.Quotes != 4 || u.Orphaned != 1 || u.Moved != 3 {
		t.Errorf("update = %+v (%s), want 4 quotes, 3 moved, 1 orphaned", u, u)
	}

	qs := checkAnchors(t, p, d.ID)
	byID := map[string]notes.Quote{}
	for _, q := range qs {
		byID[q.ID] = q
	}
	if q := byID[second.ID]; q.Orphaned || q.Exact != "the base" || !strings.HasPrefix(q.Suffix, " could be activated") {
		t.Errorf("second \"the base\" re-anchored to %+v", q)
	}
	if q := byID[inside.ID]; q.Orphaned || q.Exact != "operational, officials say, since 2017" {
		t.Errorf("edited passage: %+v", q)
	}
	if q := byID[gone.ID]; !q.Orphaned || q.Exact != "within hours of a crisis" || q.Comment != "within hours of a crisis" {
		t.Errorf("deleted passage must be orphaned with its text kept: %+v", q)
	}
	if q := byID[last.ID]; q.Orphaned || q.Exact != last.Exact {
		t.Errorf("last sentence: %+v", q)
	}

	got, err := p.Store.Document(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.SHA256 == oldSHA || !strings.Contains(got.Text, "Editor’s note") || got.Grade != "B2" || got.GradeNote != "IWPR, named author" {
		t.Errorf("document after update: sha changed=%v grade=%q note=%q", got.SHA256 != oldSHA, got.Grade, got.GradeNote)
	}
	if !p.Store.HasOriginal(oldSHA) {
		t.Error("old original not kept")
	}
	if !p.Store.HasOriginal(got.SHA256) {
		t.Error("new original not kept")
	}
	// The index has the new text, for the document and its re-anchored quote.
	if ids := searchIDs(t, p, `"officials say"`); !slices.Equal(ids, sortedSet(d.ID, inside.ID)) {
		t.Errorf(`search "officials say" = %v, want the document and the edited quote`, ids)
	}
	if ids := searchIDs(t, p, `"moscow says"`); len(ids) != 0 {
		t.Errorf(`old wording still found: %v`, ids)
	}

	// The same file again changes nothing.
	u, err = p.UpdateSource(ctx, d.ID, filepath.Join(src, "kant-v2.txt"))
	if err != nil || !u.Unchanged {
		t.Errorf("same content again: %+v, %v", u, err)
	}
}

func sortedSet(ids ...string) []string {
	slices.Sort(ids)
	return ids
}

func TestUpdateSource_FailureChangesNothing(t *testing.T) {
	ctx := context.Background()
	p := MustOpen(t, t.TempDir(), project.Options{NoSeeds: true})
	src := t.TempDir()
	writeFiles(t, src, map[string]string{
		"a.txt": article(body1),
		"b.txt": "Another source\n\nSomething else entirely about the base.",
	})
	a := mustImportOne(t, p, filepath.Join(src, "a.txt"))
	b := mustImportOne(t, p, filepath.Join(src, "b.txt"))
	q := pin(t, p, a, "operational since 2017", 0)

	// b's file as the new version of a: its content is already a document.
	_, err := p.UpdateSource(ctx, a.ID, filepath.Join(src, "b.txt"))
	if notes.ErrorKind(err) != notes.ECONFLICT || !strings.Contains(err.Error(), "Another source") {
		t.Fatalf("got %v, want a conflict naming the other document", err)
	}
	if _, err := p.UpdateSource(ctx, a.ID, filepath.Join(src, "missing.txt")); notes.ErrorKind(err) != notes.EINVALID {
		t.Errorf("missing file: %v", err)
	}
	if _, err := p.UpdateSource(ctx, "no-such-id", filepath.Join(src, "b.txt")); !errors.Is(err, notes.ErrNotFound) {
		t.Errorf("unknown document: %v", err)
	}
	got, err := p.Store.Document(ctx, a.ID)
	if err != nil || got.Text != a.Text || got.SHA256 != a.SHA256 {
		t.Fatalf("failed update changed the document: %v", err)
	}
	gq, err := p.Quotes().Quote(ctx, q.ID)
	if err != nil || gq.Start != q.Start || gq.Exact != q.Exact || gq.Orphaned {
		t.Errorf("failed update changed the quote: %+v, %v", gq, err)
	}
	_ = b
}

func TestImport_SameURLNewContentIsANewVersion(t *testing.T) {
	ctx := context.Background()
	p := MustOpen(t, t.TempDir(), project.Options{NoSeeds: true})
	v1, v2 := t.TempDir(), t.TempDir()
	writeFiles(t, v1, map[string]string{"kant.txt": article(body1)})
	writeFiles(t, v2, map[string]string{"kant.txt": article("Update: " + body1)})
	d := mustImportOne(t, p, filepath.Join(v1, "kant.txt"))
	q := pin(t, p, d, "operational since 2017", 0)

	rep, err := p.Import(ctx, []string{filepath.Join(v2, "kant.txt")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Imported) != 0 || len(rep.Updated) != 1 || rep.Updated[0].ID != d.ID {
		t.Fatalf("report %+v, want one update of %s", rep, d.ID)
	}
	if r := rep.Updated[0].Reason; !strings.Contains(r, `new version of "Kant Airbase Under Scrutiny"`) || !strings.Contains(r, "1 of 1 quotes found again") {
		t.Errorf("reason %q", r)
	}
	if n, _ := p.Store.CountDocuments(ctx); n != 1 {
		t.Errorf("%d documents, want still 1", n)
	}
	gq, err := p.Quotes().Quote(ctx, q.ID)
	if err != nil || gq.Start != q.Start+len([]rune("Update: ")) || gq.Exact != q.Exact {
		t.Errorf("quote after the new version: %+v, %v", gq, err)
	}
	// The same version again is a duplicate: skipped, not a new version.
	rep, err = p.Import(ctx, []string{filepath.Join(v2, "kant.txt")}, nil)
	if err != nil || len(rep.Skipped) != 1 || len(rep.Updated) != 0 {
		t.Errorf("same version again: %+v, %v", rep, err)
	}
}

// TestUpdateSource_RandomEditsKeepEveryAnchorExact is the property: after
// any number of new versions with random edits, every quote that is not
// orphaned has its exact text at its offsets.
func TestUpdateSource_RandomEditsKeepEveryAnchorExact(t *testing.T) {
	ctx := context.Background()
	p := MustOpen(t, t.TempDir(), project.Options{NoSeeds: true})
	src := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("Kant airbase Бишкек «Japarov» the base operational since 2017 memo insiders ‘cornerstone’ " +
		"CSTO deterrent 2003 ceremony October Кант officials said — é")
	randomText := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(words[rng.IntN(len(words))])
			if rng.IntN(8) == 0 {
				b.WriteString(".\n")
			} else {
				b.WriteByte(' ')
			}
		}
		return b.String()
	}
	writeFiles(t, src, map[string]string{"v0.txt": article(randomText(300))})
	d := mustImportOne(t, p, filepath.Join(src, "v0.txt"))
	for i := 0; i < 12; i++ {
		r := []rune(d.Text)
		start := rng.IntN(len(r) - 1)
		end := min(len(r), start+1+rng.IntN(40))
		if err := p.AddQuote(ctx, &notes.Quote{DocID: d.ID, Start: start, End: end}); err != nil {
			t.Fatal(err)
		}
	}
	body := []rune(d.Text)
	for round := 0; round < 25; round++ {
		// One to three random edits: insert, delete or replace a run.
		for range 1 + rng.IntN(3) {
			at := rng.IntN(len(body))
			del := min(len(body)-at, rng.IntN(30))
			ins := ""
			if rng.IntN(3) > 0 {
				ins = randomText(rng.IntN(6))
			}
			body = []rune(string(body[:at]) + ins + string(body[at+del:]))
		}
		name := fmt.Sprintf("v%d.txt", round+1)
		writeFiles(t, src, map[string]string{name: string(body)})
		if _, err := p.UpdateSource(ctx, d.ID, filepath.Join(src, name)); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		checkAnchors(t, p, d.ID)
		// The stored text is what the importer made of the file; edit
		// that next.
		nd, err := p.Store.Document(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		body = []rune(nd.Text)
		if len(body) < 10 {
			body = []rune(randomText(50))
		}
	}
	qs := checkAnchors(t, p, d.ID)
	if len(qs) != 12 {
		t.Errorf("%d quotes after the re-imports, want all 12 kept", len(qs))
	}
}

// TestGrade_FiltersHideSourcesAndTheirQuotes grades one source E and one
// B2, each with a quote; excluding E and F (by query or by facet filter)
// must hide the E source and its quote, and regrading must move both.
func TestGrade_FiltersHideSourcesAndTheirQuotes(t *testing.T) {
	ctx := context.Background()
	p := MustOpen(t, t.TempDir(), project.Options{NoSeeds: true})
	src := t.TempDir()
	writeFiles(t, src, map[string]string{
		"rumour.txt":   "Anonymous blog\n\nInsiders say the airbase at Kant will double in size.",
		"reliable.txt": "IWPR report\n\nOfficials opened the airbase at Kant on October 23, 2003.",
	})
	rumour := mustImportOne(t, p, filepath.Join(src, "rumour.txt"))
	reliable := mustImportOne(t, p, filepath.Join(src, "reliable.txt"))
	rq := pin(t, p, rumour, "airbase at Kant will double", 0)
	gq := pin(t, p, reliable, "airbase at Kant on October 23", 0)
	if err := p.SetGrade(ctx, rumour.ID, "e5", "anonymous, unconfirmed"); err != nil {
		t.Fatal(err)
	}
	if err := p.SetGrade(ctx, reliable.ID, "B2", ""); err != nil {
		t.Fatal(err)
	}

	search := func(q string, filters map[string][]string) []string {
		t.Helper()
		res, err := p.Index.Search(ctx, notes.SearchRequest{Query: q, Limit: 100, Snippets: -1, Filters: filters})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		slices.Sort(ids)
		return ids
	}
	all := sortedSet(rumour.ID, rq.ID, reliable.ID, gq.ID)
	good := sortedSet(reliable.ID, gq.ID)
	for _, tc := range []struct {
		name    string
		q       string
		filters map[string][]string
		want    []string
	}{
		{"no filter", "airbase", nil, all},
		{"query excludes E and F", "airbase -grade:E -grade:F", nil, good},
		{"query excludes, lower case", "airbase -grade:e5", nil, good},
		{"grade qualifier", "airbase grade:E5", nil, sortedSet(rumour.ID, rq.ID)},
		{"facet filter to the good grades", "airbase", map[string][]string{"grade": {"A1", "B2", "C3"}}, good},
		{"facet filter by reliability letter", "airbase", map[string][]string{"grade": {"A", "B", "C", "D"}}, good},
		{"credibility digit", "airbase grade:5", nil, sortedSet(rumour.ID, rq.ID)},
		{"quotes only, E and F hidden", "airbase type:quote -grade:E -grade:F", nil, []string{gq.ID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := search(tc.q, tc.filters); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}

	// Hits carry the grade, quotes their source's.
	res, err := p.Index.Search(ctx, notes.SearchRequest{Query: "double", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		if h.Grade != "E5" {
			t.Errorf("hit %s (%s) grade %q, want E5", h.ID, h.Type, h.Grade)
		}
	}

	// Regrading moves the quote with its source.
	if err := p.SetGrade(ctx, rumour.ID, "C3", "confirmed by a second outlet"); err != nil {
		t.Fatal(err)
	}
	if got := search("airbase -grade:E -grade:F", nil); !slices.Equal(got, all) {
		t.Errorf("after regrading to C3: %v, want all", got)
	}
	// A bad grade is refused and changes nothing.
	err = p.SetGrade(ctx, rumour.ID, "G7", "")
	if notes.ErrorKind(err) != notes.EINVALID || !strings.Contains(err.Error(), "A–F") {
		t.Errorf("SetGrade(G7): %v", err)
	}
	if d, _ := p.Store.Document(ctx, rumour.ID); d.Grade != "C3" || d.GradeNote != "confirmed by a second outlet" {
		t.Errorf("after a refused grade: %q %q", d.Grade, d.GradeNote)
	}
}

func TestQuotes_SearchableAsQuotesWithTheirSource(t *testing.T) {
	ctx := context.Background()
	p := MustOpen(t, t.TempDir(), project.Options{})
	docs, err := p.Store.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var d001 *notes.Document
	for i := range docs {
		if strings.HasPrefix(filepath.Base(docs[i].OriginalName), "001") {
			d001, _ = p.Store.Document(ctx, docs[i].ID)
		}
	}
	q := pin(t, p, d001, "operational since 2017", 0)
	res, err := p.Index.Search(ctx, notes.SearchRequest{Query: `"operational since 2017" type:quote`, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || res.Hits[0].ID != q.ID || res.Hits[0].Type != notes.KindQuote || res.Hits[0].Title != d001.Title {
		t.Fatalf("hits %+v, want the quote titled by its source", res.Hits)
	}
	// Tagging it makes the tag a facet of it; deleting removes it.
	q.Tags = []string{"Contradiction"}
	if err := p.UpdateQuote(ctx, q); err != nil {
		t.Fatal(err)
	}
	if ids := searchIDs(t, p, "tag:contradiction"); !slices.Equal(ids, []string{q.ID}) {
		t.Errorf("tag not searchable: %v", ids)
	}
	if err := p.DeleteQuote(ctx, q.ID); err != nil {
		t.Fatal(err)
	}
	if ids := searchIDs(t, p, "type:quote"); len(ids) != 0 {
		t.Errorf("deleted quote still found: %v", ids)
	}
}

func TestCheck_CountsQuotesInTheIndex(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	p := MustOpen(t, dir, project.Options{})
	docs, err := p.Store.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d, err := p.Store.Document(ctx, docs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AddQuote(ctx, &notes.Quote{DocID: d.ID, Start: 0, End: 10}); err != nil {
		t.Fatal(err)
	}
	rep, err := p.Check(ctx, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) != 0 {
		t.Errorf("a project with a quote is reported unsound: %v", rep.Problems)
	}
	// Reopening keeps the quote searchable (the index is not rebuilt
	// without it).
	p.Close()
	p = MustOpen(t, dir, project.Options{})
	if ids := searchIDs(t, p, "type:quote"); len(ids) != 1 {
		t.Errorf("after reopening, type:quote finds %v", ids)
	}
}
