package bundle_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"dossier/bundle"
	"dossier/notes"
	"dossier/project"
	"dossier/store"
)

// MustOpenProject opens a new project in a temporary folder with the five
// seed documents.
func MustOpenProject(tb testing.TB) *project.Project {
	tb.Helper()
	p, err := project.Open(context.Background(), filepath.Join(tb.TempDir(), "kant"), project.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { p.Close() })
	return p
}

var t0 = time.Date(2026, 11, 1, 9, 30, 0, 123456789, time.UTC)

// fixture is what MustFill adds to a project.
type fixture struct {
	noteA, noteB, quote1, quote2, rel, event string
}

// MustFill adds notes (one deleted), links, quotes, a relation, an event
// and a grade to p, through the load transaction (rows as the schema keeps
// them).
func MustFill(tb testing.TB, p *project.Project) fixture {
	tb.Helper()
	ctx := context.Background()
	docs, err := p.Store.Documents(ctx)
	if err != nil || len(docs) < 2 {
		tb.Fatalf("documents: %v %d", err, len(docs))
	}
	d0, d1 := docs[0], docs[1]
	d0.Grade, d0.GradeNote, d0.Tags = "B2", "local reporter", []string{"kant"}
	if err := p.Store.UpdateDocument(ctx, &d0); err != nil {
		tb.Fatal(err)
	}
	f := fixture{noteA: notes.NewID(), noteB: notes.NewID(), quote1: notes.NewID(), quote2: notes.NewID(),
		rel: notes.NewID(), event: notes.NewID()}
	tx, err := p.DB().BeginLoad(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(tx.PutNote(&notes.Note{ID: f.noteA, Title: "Kant base history", Body: "Opened in 2003, see [[Claims]] and [[source:" + d0.ID + "|the IWPR piece]].\n\n#kant",
		Tags: []string{"kant"}, Created: t0, Updated: t0, Version: 3}, ""))
	must(tx.PutNote(&notes.Note{ID: f.noteB, Title: "Claims", Body: "“Operational since 2017” — contradicts [[quote:" + f.quote1 + "|the ceremony]].",
		Created: t0, Updated: t0.Add(time.Hour), Version: 1}, ""))
	must(tx.PutNote(&notes.Note{ID: notes.NewID(), Title: "Old idea", Body: "gone", Created: t0, Updated: t0, Version: 2}, t0.Add(2*time.Hour).Format(time.RFC3339Nano)))
	must(tx.PutQuote(&notes.Quote{ID: f.quote1, DocID: d0.ID, Start: 10, End: 30, Exact: "opening ceremony", Prefix: "the ", Suffix: " on",
		Comment: "date of opening", Tags: []string{"date"}, Color: "yellow", Created: t0, Updated: t0}))
	must(tx.PutQuote(&notes.Quote{ID: f.quote2, DocID: d1.ID, Start: 5, End: 9, Exact: "2017", Page: 1, PageEnd: 2, Created: t0, Updated: t0}))
	_, err = tx.PutRelation(&notes.Relation{ID: f.rel, A: f.quote1, B: f.quote2, Kind: notes.RelContradicts, Note: "dates disagree", Created: t0})
	must(err)
	must(tx.PutEvent(&notes.Event{ID: f.event, Label: "Base opens", Date: notes.DayDate(2003, 10, 23), Note: "ceremony",
		Links: []string{d0.ID, f.quote1}, Created: t0, Updated: t0}))
	must(tx.Commit())
	// Rows written this way skip the index; rebuild it so tests can check
	// that merges keep it in step.
	must(p.Reindex(ctx, nil))
	return f
}

// snapshot is everything a user could see of a project, for comparison.
type snapshot struct {
	Documents []string
	Notes     []string
	Links     []string
	Quotes    []string
	Relations []string
	Events    []string
	Files     map[string]string // sha → hash of the file actually on disk
}

func MustSnapshot(tb testing.TB, p *project.Project) snapshot {
	tb.Helper()
	var s snapshot
	s.Files = map[string]string{}
	j := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			tb.Fatal(err)
		}
		return string(b)
	}
	err := p.DB().Dump(context.Background(), store.DumpFuncs{
		Document: func(d *notes.Document) error {
			s.Documents = append(s.Documents, j(d)+d.Published.String())
			b, err := p.Store.(*store.Store).ReadOriginal(d.SHA256)
			if err != nil {
				return err
			}
			h := sha256.Sum256(b)
			s.Files[d.SHA256] = hex.EncodeToString(h[:])
			return nil
		},
		Note:     func(n *notes.Note, del string) error { s.Notes = append(s.Notes, j(n)+del); return nil },
		Link:     func(l *notes.Link) error { s.Links = append(s.Links, j(l)); return nil },
		Quote:    func(q *notes.Quote) error { s.Quotes = append(s.Quotes, j(q)); return nil },
		Relation: func(r *notes.Relation) error { s.Relations = append(s.Relations, j(r)); return nil },
		Event:    func(e *notes.Event) error { s.Events = append(s.Events, j(e)); return nil },
	})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func MustCreate(tb testing.TB, p *project.Project) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "share"+bundle.Ext)
	if _, err := bundle.Create(context.Background(), p.DB(), path, bundle.CreateOptions{AppVersion: "test"}); err != nil {
		tb.Fatal(err)
	}
	return path
}

func TestRoundTrip_OpenElsewhereIsIdentical(t *testing.T) {
	ctx := context.Background()
	a := MustOpenProject(t)
	MustFill(t, a)
	path := MustCreate(t, a)

	var calls int
	dir := filepath.Join(t.TempDir(), "colleague")
	rep, err := bundle.OpenNew(ctx, path, dir, bundle.LoadOptions{Progress: func(done, total int) { calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	if calls == 0 {
		t.Error("no progress reported")
	}
	if got, want := rep.Added, (bundle.Counts{Documents: 5, Notes: 3, Quotes: 2, Relations: 1, Events: 1}); got != want {
		t.Errorf("added %+v, want %+v", got, want)
	}
	b, err := project.Open(ctx, dir, project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if got, want := MustSnapshot(t, b), MustSnapshot(t, a); !reflect.DeepEqual(got, want) {
		t.Fatalf("opened project differs:\n got %+v\nwant %+v", got, want)
	}
	// The index was rebuilt: the sources are searchable.
	res, err := b.Index.Search(ctx, notes.SearchRequest{Query: "kant"})
	if err != nil || res.Total == 0 {
		t.Fatalf("search in opened project: %v, %v", res, err)
	}
}

func TestVerify_SoundBundle(t *testing.T) {
	a := MustOpenProject(t)
	MustFill(t, a)
	r, err := bundle.Open(MustCreate(t, a), bundle.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.Verify(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	m := r.Manifest
	if m.FormatVersion != bundle.FormatVersion || m.Project.ID != a.DB().ProjectID() || m.Project.Name != "kant" || m.AppVersion != "test" {
		t.Errorf("manifest %+v", m)
	}
	if got, want := m.Counts, (bundle.Counts{Documents: 5, Notes: 3, Links: 3, Quotes: 2, Relations: 1, Events: 1, Files: 5}); got != want {
		t.Errorf("counts %+v, want %+v", got, want)
	}
}

func TestOpenNew_RefusesNonEmptyFolder(t *testing.T) {
	a := MustOpenProject(t)
	path := MustCreate(t, a)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "mine.txt"), []byte("keep me"), 0o644)
	_, err := bundle.OpenNew(context.Background(), path, dir, bundle.LoadOptions{})
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("err = %v, want a not-empty refusal", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "mine.txt")); string(b) != "keep me" {
		t.Fatal("the folder was changed")
	}
}

func TestMerge_IntoItsOwnProjectChangesNothing(t *testing.T) {
	a := MustOpenProject(t)
	MustFill(t, a)
	path := MustCreate(t, a)
	before := MustSnapshot(t, a)
	hist, _ := a.DB().AllHistory(context.Background())
	rep, err := bundle.Merge(context.Background(), a, path, bundle.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != (bundle.Counts{}) || rep.Updated != (bundle.Counts{}) || len(rep.Conflicts) != 0 {
		t.Fatalf("self-merge did something: %+v", rep)
	}
	if got := MustSnapshot(t, a); !reflect.DeepEqual(got, before) {
		t.Fatalf("self-merge changed the project")
	}
	if got, _ := a.DB().AllHistory(context.Background()); !reflect.DeepEqual(got, hist) {
		t.Fatalf("self-merge changed the bundle history")
	}
}

// editNote changes a note's body through the load transaction, as a save
// would.
func editNote(tb testing.TB, p *project.Project, id, body string) {
	tb.Helper()
	ctx := context.Background()
	tx, err := p.DB().BeginLoad(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	n, del, err := tx.NoteByID(id)
	if err != nil {
		tb.Fatal(err)
	}
	n.Body, n.Version, n.Updated = body, n.Version+1, n.Updated.Add(time.Minute)
	if err := tx.PutNote(n, del); err != nil {
		tb.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

func noteBody(tb testing.TB, p *project.Project, id string) string {
	tb.Helper()
	n, err := p.DB().Note(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return n.Body
}

// share makes a bundle of a and opens it as a new project b.
func share(t *testing.T, a *project.Project) *project.Project {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "b")
	if _, err := bundle.OpenNew(context.Background(), MustCreate(t, a), dir, bundle.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	b, err := project.Open(context.Background(), dir, project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func TestMerge_DisjointEditsBothArrive(t *testing.T) {
	a := MustOpenProject(t)
	f := MustFill(t, a)
	b := share(t, a)
	editNote(t, a, f.noteA, "edited in A")
	editNote(t, b, f.noteB, "edited in B")
	// B also adds a note of its own.
	tx, _ := b.DB().BeginLoad(context.Background())
	newID := notes.NewID()
	tx.PutNote(&notes.Note{ID: newID, Title: "From B", Body: "new", Created: t0, Updated: t0, Version: 1}, "")
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	rep, err := bundle.Merge(context.Background(), a, MustCreate(t, b), bundle.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Conflicts) != 0 {
		t.Fatalf("conflicts on disjoint edits: %+v", rep.Conflicts)
	}
	if rep.Added.Notes != 1 || rep.Updated.Notes != 1 {
		t.Errorf("added %+v updated %+v", rep.Added, rep.Updated)
	}
	if got := noteBody(t, a, f.noteA); got != "edited in A" {
		t.Errorf("A's edit lost: %q", got)
	}
	if got := noteBody(t, a, f.noteB); got != "edited in B" {
		t.Errorf("B's edit not taken: %q", got)
	}
	if got := noteBody(t, a, newID); got != "new" {
		t.Errorf("B's new note: %q", got)
	}
	// The index holds exactly the project's sources, live notes and quotes.
	docs, _ := a.Store.CountDocuments(context.Background())
	live, quotes, err := a.DB().CountNotebookItems(context.Background())
	if n, _ := a.Index.Count(); err != nil || n != uint64(docs+live+quotes) {
		t.Errorf("index holds %d items, want %d sources + %d notes + %d quotes (%v)", n, docs, live, quotes, err)
	}
	// The merged note is searchable in A.
	res, err := a.Index.Search(context.Background(), notes.SearchRequest{Query: "edited"})
	if err != nil || res.Total == 0 {
		t.Errorf("merged note not indexed: %v %v", res, err)
	}

	// And back: B takes A's edit and keeps its own.
	rep, err = bundle.Merge(context.Background(), b, MustCreate(t, a), bundle.LoadOptions{})
	if err != nil || len(rep.Conflicts) != 0 {
		t.Fatalf("merge back: %+v %v", rep, err)
	}
	if got := noteBody(t, b, f.noteA); got != "edited in A" {
		t.Errorf("B did not take A's edit: %q", got)
	}
	if got := noteBody(t, b, f.noteB); got != "edited in B" {
		t.Errorf("B lost its edit: %q", got)
	}
}

func TestMerge_SameEditOnBothSidesIsNoConflict(t *testing.T) {
	a := MustOpenProject(t)
	f := MustFill(t, a)
	b := share(t, a)
	editNote(t, a, f.noteA, "the same fix")
	editNote(t, b, f.noteA, "the same fix")
	rep, err := bundle.Merge(context.Background(), a, MustCreate(t, b), bundle.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Conflicts) != 0 || rep.Updated != (bundle.Counts{}) {
		t.Fatalf("same edit: %+v", rep)
	}
}

func TestMerge_ConflictingEditsKeepBoth(t *testing.T) {
	ctx := context.Background()
	a := MustOpenProject(t)
	f := MustFill(t, a)
	b := share(t, a)
	editNote(t, a, f.noteA, "A's version")
	editNote(t, b, f.noteA, "B's version")
	// The event is relabelled on both sides too.
	for _, p := range []*project.Project{a, b} {
		tx, _ := p.DB().BeginLoad(ctx)
		e, _ := tx.EventByID(f.event)
		e.Label = "Opening in " + filepath.Base(p.Dir)
		tx.PutEvent(e)
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	path := MustCreate(t, b)
	rep, err := bundle.Merge(ctx, a, path, bundle.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Conflicts) != 2 {
		t.Fatalf("conflicts %+v, want the note and the event", rep.Conflicts)
	}
	var c bundle.Conflict
	for _, x := range rep.Conflicts {
		if x.Kind == "note" {
			c = x
		}
	}
	if c.Kind != "note" || c.ID != f.noteA || c.CopyID == "" {
		t.Fatalf("conflict %+v", c)
	}
	if got := noteBody(t, a, f.noteA); got != "A's version" {
		t.Errorf("local note overwritten: %q", got)
	}
	cp, err := a.DB().Note(ctx, c.CopyID)
	if err != nil || cp.Body != "B's version" || cp.Title != "Kant base history (from b)" {
		t.Fatalf("bundle's version: %+v %v", cp, err)
	}
	// Merging the same bundle again adds no second copy.
	again, err := bundle.Merge(ctx, a, path, bundle.LoadOptions{})
	if err != nil || len(again.Conflicts) != 0 || again.Added != (bundle.Counts{}) {
		t.Fatalf("second merge: %+v %v", again, err)
	}
}

func TestMerge_FailureLeavesProjectAsItWas(t *testing.T) {
	a := MustOpenProject(t)
	f := MustFill(t, a)
	b := share(t, a)
	editNote(t, b, f.noteA, "B's")
	path := MustCreate(t, b)
	before := MustSnapshot(t, a)
	ctx, cancel := context.WithCancel(context.Background())
	// Cancel once the load pass has started: every entry is read twice.
	_, err := bundle.Merge(ctx, a, path, bundle.LoadOptions{Progress: func(done, total int) {
		if done > total/2+total/8 {
			cancel()
		}
	}})
	if err == nil {
		t.Fatal("cancelled merge succeeded")
	}
	if got := MustSnapshot(t, a); !reflect.DeepEqual(got, before) {
		t.Fatal("a cancelled merge changed the project")
	}
}

func TestMerge_SameFileImportedOnBothSidesIsOneSource(t *testing.T) {
	ctx := context.Background()
	a := MustOpenProject(t) // both import the seeds themselves: same files, other ids
	b := MustOpenProject(t)
	docs, _ := b.Store.Documents(ctx)
	bDoc := docs[0]
	aID, err := a.Store.DocumentBySHA(ctx, bDoc.SHA256)
	if err != nil || aID == bDoc.ID {
		t.Fatalf("fixture: ids %s %s %v", aID, bDoc.ID, err)
	}
	qID, nID := notes.NewID(), notes.NewID()
	tx, _ := b.DB().BeginLoad(ctx)
	tx.PutQuote(&notes.Quote{ID: qID, DocID: bDoc.ID, Start: 0, End: 4, Exact: "Kant", Created: t0, Updated: t0})
	tx.PutNote(&notes.Note{ID: nID, Title: "On the source", Body: "See [[source:" + bDoc.ID + "|it]].", Created: t0, Updated: t0, Version: 1}, "")
	tx.PutEvent(&notes.Event{ID: notes.NewID(), Label: "Published", Date: notes.YearDate(2023), Links: []string{bDoc.ID}, Created: t0, Updated: t0})
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	rep, err := bundle.Merge(ctx, a, MustCreate(t, b), bundle.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added.Documents != 0 || rep.Added.Quotes != 1 || rep.Added.Notes != 1 || rep.Added.Events != 1 {
		t.Fatalf("report %+v", rep)
	}
	q, err := a.DB().Quote(ctx, qID)
	if err != nil || q.DocID != aID {
		t.Fatalf("quote points at %v (%v), want the local source %s", q, err, aID)
	}
	n, _ := a.DB().Note(ctx, nID)
	if !strings.Contains(n.Body, "[[source:"+aID+"|it]]") {
		t.Errorf("note body %q does not link the local source", n.Body)
	}
	links, _ := a.DB().Links(ctx, nID)
	if len(links) != 1 || links[0].TargetID != aID {
		t.Errorf("links %+v", links)
	}
}
