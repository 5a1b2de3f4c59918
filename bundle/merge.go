package bundle

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"dossier/notes"
	"dossier/project"
	"dossier/store"
)

// LoadOptions change how Merge and OpenNew read a bundle.
type LoadOptions struct {
	Limits Limits
	// Progress is told how many bytes of the bundle have been read, of
	// how many: every entry is read twice, once to check the whole bundle
	// before anything is written and once to load it.
	Progress notes.Progress
}

// Report says what a merge (or an open) did.
type Report struct {
	From      Project    `json:"from"`
	Added     Counts     `json:"added"`
	Updated   Counts     `json:"updated"`
	Unchanged Counts     `json:"unchanged"`
	Conflicts []Conflict `json:"conflicts"`
}

// Conflict is an item that both sides changed. The local version is always
// kept as it was; CopyID names the bundle's version where it was saved
// beside it (notes, quotes, events). For sources and relations, which
// cannot exist twice, Detail says what the bundle's version differs in.
type Conflict struct {
	Kind   string `json:"kind"` // document, note, quote, relation or event
	ID     string `json:"id"`
	Title  string `json:"title"`
	CopyID string `json:"copy_id,omitempty"`
	Detail string `json:"detail"`
}

// Merge adds the bundle at path to project p by id and returns what it did.
//
// The rule, per item (source, note, quote, relation, event):
//   - an id the project does not have is added;
//   - identical content is left alone;
//   - if the project once shared or received exactly the bundle's version
//     (its bundle history has that content hash), the project's edit is
//     newer: it is kept;
//   - if the bundle's history has the project's current version, only the
//     bundle's side edited it: the project takes the bundle's version;
//   - otherwise both sides edited it: a conflict. The project's version
//     stays; the bundle's is saved beside it as a new item (a note titled
//     "<Title> (from <bundle project>)", a quote whose comment and an event
//     whose label say where it came from) and listed in Report.Conflicts.
//
// A source imported on both sides from the same file (same SHA-256) is one
// source: the bundle's references to it are pointed at the local id.
//
// The whole bundle is checked before anything is written; the rows are then
// loaded in one SQLite transaction, so on any error (a bad entry, a cancel)
// the project is exactly as it was, apart from originals appended to a pack
// that no row names. Merging a bundle into the project it was made from
// changes nothing.
func Merge(ctx context.Context, p *project.Project, path string, opts LoadOptions) (*Report, error) {
	r, err := Open(path, opts.Limits)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	pc := &progressCounter{total: 2 * r.total, fn: opts.Progress}
	if err := r.verify(ctx, pc); err != nil {
		return nil, err
	}
	// Should the process die between the commit and the index update,
	// the mark makes the next open rebuild the index.
	if err := p.MarkIndexStale(); err != nil {
		return nil, notes.Errorf(notes.EINTERNAL, "cannot write to project folder %s: %w", p.Dir, err)
	}
	// The load and the index batches share an outbox mark, so indexing
	// the merged items clears the store's record of them (project/outbox.go).
	ctx, _ = store.WithOutboxMark(ctx)
	rep, ch, err := load(ctx, p.DB(), r, pc)
	if err != nil {
		_ = p.IndexCaughtUp() // nothing was committed
		return nil, err
	}
	if err := ch.index(ctx, p); err != nil {
		return rep, notes.Errorf(notes.EINTERNAL,
			"the bundle was merged, but updating the search index failed (run dossier reindex): %w", err)
	}
	if err := p.IndexCaughtUp(); err != nil {
		return rep, err
	}
	return rep, nil
}

// OpenNew creates a new project in dir from the bundle at path. dir must not
// exist or be an empty folder; if anything fails, dir is removed again (or
// emptied, if it existed).
func OpenNew(ctx context.Context, path, dir string, opts LoadOptions) (rep *Report, err error) {
	existed := false
	if entries, err := os.ReadDir(dir); err == nil {
		if len(entries) > 0 {
			return nil, notes.Errorf(notes.EINVALID, "folder %s is not empty: choose a new or empty folder for the project", dir)
		}
		existed = true
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, notes.Errorf(notes.EINVALID, "cannot use folder %s: %w", dir, err)
	}
	r, err := Open(path, opts.Limits)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	pc := &progressCounter{total: 2 * r.total, fn: opts.Progress}
	if err := r.verify(ctx, pc); err != nil {
		return nil, err
	}
	p, err := project.Open(ctx, dir, project.Options{NoSeeds: true})
	if err != nil {
		return nil, err
	}
	defer func() {
		cerr := p.Close()
		if err == nil {
			err = cerr
		}
		if err != nil {
			removeProject(dir, existed)
		}
	}()
	rep, _, err = load(ctx, p.DB(), r, pc)
	if err != nil {
		return nil, err
	}
	if err := p.Reindex(ctx, nil); err != nil {
		return nil, err
	}
	return rep, nil
}

// removeProject undoes a failed OpenNew.
func removeProject(dir string, keepDir bool) {
	if !keepDir {
		_ = os.RemoveAll(dir)
		return
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		_ = os.RemoveAll(dir + string(os.PathSeparator) + e.Name())
	}
}

type action int

const (
	actAdd      action = iota // new here
	actSame                   // identical
	actKeep                   // the project's version is newer
	actTake                   // the bundle's version is newer
	actConflict               // both changed
)

// merger loads one bundle's records through one transaction.
type merger struct {
	tx     *store.LoadTx
	r      *Reader
	rep    *Report
	suffix string
	// docIDs maps a bundle's document id to the local id of the same file.
	docIDs   map[string]string
	newFiles []string
	ch       *changes
}

// changes lists what the search index must learn after the commit.
type changes struct {
	docs, notes, quotes, gone []string
}

func load(ctx context.Context, db *store.Store, r *Reader, pc *progressCounter) (*Report, *changes, error) {
	tx, err := db.BeginLoad(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	from := r.Manifest.Project
	name := from.Name
	if name == "" {
		name = "bundle"
	}
	m := &merger{tx: tx, r: r, rep: &Report{From: from, Conflicts: []Conflict{}}, suffix: " (from " + name + ")",
		docIDs: map[string]string{}, ch: &changes{}}
	var noteRecs []*NoteRecord
	var total int64
	err = r.eachRecord(ctx, &total, pc, recordFuncs{
		document: m.document,
		// Notes are loaded last, so that the [[links]] of their bodies,
		// rebuilt as they are saved, find the sources and quotes they name.
		// The bundle's links records are derived from the bodies and not
		// needed here.
		note:     func(n *NoteRecord) error { noteRecs = append(noteRecs, n); return nil },
		quote:    m.quote,
		relation: m.relation,
		event:    m.event,
	})
	if err != nil {
		return nil, nil, err
	}
	for _, n := range noteRecs {
		if err := m.note(n); err != nil {
			return nil, nil, err
		}
	}
	if err := m.writeOriginals(ctx, db, &total, pc); err != nil {
		return nil, nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, nil, err
	}
	if pc.fn != nil {
		pc.fn(int(pc.total), int(pc.total))
	}
	return m.rep, m.ch, nil
}

// decide applies Merge's rule to an item that exists on both sides.
func (m *merger) decide(id, local, bundle string, bundleHistory []string) (action, error) {
	if local == bundle {
		return actSame, nil
	}
	h, err := m.tx.History(id)
	if err != nil {
		return 0, err
	}
	switch {
	case slices.Contains(h, bundle):
		return actKeep, nil
	case slices.Contains(bundleHistory, local):
		return actTake, nil
	}
	return actConflict, nil
}

// remember records the versions this merge saw for id, so the next merge
// can tell which side moved.
func (m *merger) remember(id string, hashes []string, more ...string) error {
	for _, h := range append(slices.Clone(hashes), more...) {
		if len(h) != 64 {
			continue // not a hash we made; ignore rather than store junk
		}
		if err := m.tx.AddHistory(id, h); err != nil {
			return err
		}
	}
	return nil
}

func (c *Counts) bump(kind string, by int) {
	switch kind {
	case "document":
		c.Documents += by
	case "note":
		c.Notes += by
	case "quote":
		c.Quotes += by
	case "relation":
		c.Relations += by
	case "event":
		c.Events += by
	}
}

func (m *merger) count(kind string, a action) {
	switch a {
	case actAdd:
		m.rep.Added.bump(kind, 1)
	case actTake:
		m.rep.Updated.bump(kind, 1)
	case actSame, actKeep:
		m.rep.Unchanged.bump(kind, 1)
	}
}

func (m *merger) document(rec *DocumentRecord) error {
	d, err := rec.Document()
	if err != nil {
		return invalid(m.r.name, "document %s: %v", rec.ID, err)
	}
	if d.ID == "" || len(d.SHA256) != 64 {
		return invalid(m.r.name, "a document has no id or no valid SHA-256")
	}
	local, err := m.tx.DocumentByID(d.ID)
	if errors.Is(err, notes.ErrNotFound) {
		// The same file imported on both sides has two ids; the local one
		// wins and the bundle's references follow it.
		if id, err := m.tx.DocumentIDBySHA(d.SHA256); err == nil {
			m.docIDs[d.ID] = id
			d.ID = id
			local, err = m.tx.DocumentByID(id)
			if err != nil {
				return err
			}
		} else if !errors.Is(err, notes.ErrNotFound) {
			return err
		}
	} else if err != nil {
		return err
	}
	b := docHash(d)
	if local == nil {
		if err := m.tx.InsertDocument(d); err != nil {
			return invalid(m.r.name, "cannot add document %q: %v", d.Title, err)
		}
		if m.r.hasFile(d.SHA256) {
			m.newFiles = append(m.newFiles, d.SHA256)
		}
		m.ch.docs = append(m.ch.docs, d.ID)
		m.count("document", actAdd)
		return m.remember(d.ID, rec.History, b)
	}
	l := docHash(local)
	a, err := m.decide(d.ID, l, b, rec.History)
	if err != nil {
		return err
	}
	switch a {
	case actTake:
		if err := m.tx.UpdateDocumentMeta(d); err != nil {
			return err
		}
		m.ch.docs = append(m.ch.docs, d.ID)
		return m.remember(d.ID, rec.History, l, b)
	case actConflict:
		m.rep.Conflicts = append(m.rep.Conflicts, Conflict{Kind: "document", ID: d.ID, Title: local.Title,
			Detail: "the bundle's " + docDiff(local, d) + "; kept this project's"})
	}
	m.count("document", a)
	return m.remember(d.ID, rec.History, b)
}

// docDiff names the metadata the bundle's version of a source differs in,
// with the bundle's values, so the user can resolve it by hand.
func docDiff(local, b *notes.Document) string {
	var out []string
	f := func(name, l, v string) {
		if l != v {
			out = append(out, fmt.Sprintf("%s is %q", name, v))
		}
	}
	f("title", local.Title, b.Title)
	f("author", local.Author, b.Author)
	f("source", local.Source, b.Source)
	f("URL", local.URL, b.URL)
	f("date", local.Published.String(), b.Published.String())
	f("grade", local.Grade, b.Grade)
	f("grade note", local.GradeNote, b.GradeNote)
	f("tags", strings.Join(local.Tags, ", "), strings.Join(b.Tags, ", "))
	if len(out) == 0 {
		return "metadata differs"
	}
	return strings.Join(out, ", ")
}

// remapBody points [[source:ID links of a note body at local ids.
func (m *merger) remapBody(body string) string {
	for from, to := range m.docIDs {
		body = strings.ReplaceAll(body, "[[source:"+from, "[[source:"+to)
	}
	return body
}

func (m *merger) remapID(id string) string {
	if to, ok := m.docIDs[id]; ok {
		return to
	}
	return id
}

func (m *merger) note(rec *NoteRecord) error {
	n := rec.Note
	if n.ID == "" || strings.TrimSpace(n.Title) == "" {
		return invalid(m.r.name, "a note has no id or no title")
	}
	n.Body = m.remapBody(n.Body)
	n.Deleted = rec.DeletedAt != ""
	b := noteHash(&n, rec.DeletedAt)
	local, deleted, err := m.tx.NoteByID(n.ID)
	if errors.Is(err, notes.ErrNotFound) {
		if err := m.putNote(&n, rec.DeletedAt, true); err != nil {
			return err
		}
		m.count("note", actAdd)
		return m.remember(n.ID, rec.History, b)
	}
	if err != nil {
		return err
	}
	l := noteHash(local, deleted)
	a, err := m.decide(n.ID, l, b, rec.History)
	if err != nil {
		return err
	}
	switch a {
	case actTake:
		if err := m.putNote(&n, rec.DeletedAt, true); err != nil {
			return err
		}
		m.count("note", a)
		return m.remember(n.ID, rec.History, l, b)
	case actConflict:
		c := Conflict{Kind: "note", ID: n.ID, Title: local.Title}
		if rec.DeletedAt != "" {
			// A deletion cannot sit beside the note; the local edit wins
			// and the user hears of it.
			c.Detail = "deleted in the bundle, changed here; kept this project's"
		} else {
			cp := n
			cp.ID = notes.NewID()
			cp.Deleted = false
			// The local note has the title, so the copy is renamed.
			if err := m.putNote(&cp, "", false); err != nil {
				return err
			}
			c.CopyID = cp.ID
			c.Detail = fmt.Sprintf("changed on both sides; the bundle's version is the note %q", cp.Title)
			if err := m.remember(cp.ID, nil, noteHash(&cp, "")); err != nil {
				return err
			}
		}
		m.rep.Conflicts = append(m.rep.Conflicts, c)
	}
	m.count("note", a)
	return m.remember(n.ID, rec.History, b)
}

// putNote saves a note from the bundle. Live notes' titles are unique: if
// another note here already has n's title, n is saved as "<Title> (from
// <bundle project>)" (numbered if need be), and the clash is listed when
// report is set.
func (m *merger) putNote(n *notes.Note, deletedAt string, report bool) error {
	if deletedAt == "" {
		title := n.Title
		for i := 1; ; i++ {
			taken, err := m.tx.TitleTaken(title, n.ID)
			if err != nil {
				return err
			}
			if !taken {
				break
			}
			title = n.Title + m.suffix
			if i > 1 {
				title = fmt.Sprintf("%s%s %d", n.Title, m.suffix, i)
			}
		}
		if title != n.Title && report {
			m.rep.Conflicts = append(m.rep.Conflicts, Conflict{Kind: "note", ID: n.ID, Title: n.Title,
				Detail: fmt.Sprintf("another note here has this title; the bundle's note is saved as %q", title)})
		}
		n.Title = title
	}
	if err := m.tx.PutNote(n, deletedAt); err != nil {
		return err
	}
	if deletedAt == "" {
		m.ch.notes = append(m.ch.notes, n.ID)
	} else {
		m.ch.gone = append(m.ch.gone, n.ID)
	}
	return nil
}

func (m *merger) quote(rec *QuoteRecord) error {
	q := rec.Quote
	q.DocID = m.remapID(q.DocID)
	if q.ID == "" {
		return invalid(m.r.name, "a quote has no id")
	}
	if _, err := m.tx.DocumentByID(q.DocID); err != nil {
		if errors.Is(err, notes.ErrNotFound) {
			return invalid(m.r.name, "quote %s is from document %s, which is in neither the bundle nor this project", q.ID, q.DocID)
		}
		return err
	}
	b := quoteHash(&q)
	local, err := m.tx.QuoteByID(q.ID)
	if errors.Is(err, notes.ErrNotFound) {
		if err := m.tx.PutQuote(&q); err != nil {
			return err
		}
		m.ch.quotes = append(m.ch.quotes, q.ID)
		m.count("quote", actAdd)
		return m.remember(q.ID, rec.History, b)
	}
	if err != nil {
		return err
	}
	l := quoteHash(local)
	a, err := m.decide(q.ID, l, b, rec.History)
	if err != nil {
		return err
	}
	switch a {
	case actTake:
		if err := m.tx.PutQuote(&q); err != nil {
			return err
		}
		m.ch.quotes = append(m.ch.quotes, q.ID)
		m.count("quote", a)
		return m.remember(q.ID, rec.History, l, b)
	case actConflict:
		cp := q
		cp.ID = notes.NewID()
		cp.Comment = strings.TrimSpace(q.Comment + m.suffix)
		if err := m.tx.PutQuote(&cp); err != nil {
			return err
		}
		m.ch.quotes = append(m.ch.quotes, cp.ID)
		m.rep.Conflicts = append(m.rep.Conflicts, Conflict{Kind: "quote", ID: q.ID, Title: ellipsis(local.Exact, 60),
			CopyID: cp.ID, Detail: "changed on both sides; the bundle's version is kept beside it"})
		if err := m.remember(cp.ID, nil, quoteHash(&cp)); err != nil {
			return err
		}
	}
	m.count("quote", a)
	return m.remember(q.ID, rec.History, b)
}

func (m *merger) relation(rec *RelationRecord) error {
	rel := rec.Relation
	if rel.ID == "" {
		return invalid(m.r.name, "a relation has no id")
	}
	for _, q := range []string{rel.A, rel.B} {
		if _, err := m.tx.QuoteByID(q); err != nil {
			if errors.Is(err, notes.ErrNotFound) {
				return invalid(m.r.name, "relation %s links quote %s, which is in neither the bundle nor this project", rel.ID, q)
			}
			return err
		}
	}
	if rel.Kind != notes.RelContradicts && rel.Kind != notes.RelSupports {
		return invalid(m.r.name, "relation %s has unknown kind %q", rel.ID, rel.Kind)
	}
	b := relationHash(&rel)
	local, err := m.tx.RelationByID(rel.ID)
	if errors.Is(err, notes.ErrNotFound) {
		added, err := m.tx.PutRelation(&rel)
		if err != nil {
			return err
		}
		if !added {
			// Another relation already says the same of the same quotes.
			m.count("relation", actSame)
			return nil
		}
		m.count("relation", actAdd)
		return m.remember(rel.ID, rec.History, b)
	}
	if err != nil {
		return err
	}
	l := relationHash(local)
	a, err := m.decide(rel.ID, l, b, rec.History)
	if err != nil {
		return err
	}
	switch a {
	case actTake:
		if _, err := m.tx.PutRelation(&rel); err != nil {
			return err
		}
		m.count("relation", a)
		return m.remember(rel.ID, rec.History, l, b)
	case actConflict:
		m.rep.Conflicts = append(m.rep.Conflicts, Conflict{Kind: "relation", ID: rel.ID, Title: local.Kind,
			Detail: fmt.Sprintf("the bundle's says %s with note %q; kept this project's", rel.Kind, rel.Note)})
	}
	m.count("relation", a)
	return m.remember(rel.ID, rec.History, b)
}

func (m *merger) event(rec *EventRecord) error {
	e := rec.Event
	if e.ID == "" {
		return invalid(m.r.name, "an event has no id")
	}
	for i, id := range e.Links {
		e.Links[i] = m.remapID(id)
	}
	b := eventHash(&e)
	local, err := m.tx.EventByID(e.ID)
	if errors.Is(err, notes.ErrNotFound) {
		if err := m.tx.PutEvent(&e); err != nil {
			return err
		}
		m.count("event", actAdd)
		return m.remember(e.ID, rec.History, b)
	}
	if err != nil {
		return err
	}
	l := eventHash(local)
	a, err := m.decide(e.ID, l, b, rec.History)
	if err != nil {
		return err
	}
	switch a {
	case actTake:
		if err := m.tx.PutEvent(&e); err != nil {
			return err
		}
		m.count("event", a)
		return m.remember(e.ID, rec.History, l, b)
	case actConflict:
		cp := e
		cp.ID = notes.NewID()
		cp.Label = e.Label + m.suffix
		if err := m.tx.PutEvent(&cp); err != nil {
			return err
		}
		m.rep.Conflicts = append(m.rep.Conflicts, Conflict{Kind: "event", ID: e.ID, Title: local.Label, CopyID: cp.ID,
			Detail: fmt.Sprintf("changed on both sides; the bundle's version is the event %q", cp.Label)})
		if err := m.remember(cp.ID, nil, eventHash(&cp)); err != nil {
			return err
		}
	}
	m.count("event", a)
	return m.remember(e.ID, rec.History, b)
}

// writeOriginals keeps the originals of added documents, in batches that
// bound memory, recorded in the load's transaction: they are on disk
// before the rows that name them commit.
func (m *merger) writeOriginals(ctx context.Context, db *store.Store, total *int64, pc *progressCounter) error {
	const batchBytes = 64 << 20
	var batch []notes.Original
	size := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := m.tx.PutOriginals(batch)
		batch, size = nil, 0
		return err
	}
	for _, sha := range m.newFiles {
		if db.HasOriginal(sha) {
			continue
		}
		data, err := m.r.readFile(ctx, sha, total, pc)
		if err != nil {
			return err
		}
		batch = append(batch, notes.Original{SHA256: sha, Data: data})
		size += len(data)
		if size >= batchBytes {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// index tells the search index about what the merge added or changed.
func (ch *changes) index(ctx context.Context, p *project.Project) error {
	const batch = 500
	for i := 0; i < len(ch.docs); i += batch {
		var docs []*notes.Document
		for _, id := range ch.docs[i:min(i+batch, len(ch.docs))] {
			d, err := p.Store.Document(ctx, id)
			if err != nil {
				return err
			}
			docs = append(docs, d)
		}
		if err := p.Index.Index(ctx, docs); err != nil {
			return err
		}
	}
	var items []*notes.Item
	db := p.DB()
	for _, id := range ch.notes {
		n, err := db.Note(ctx, id)
		if err != nil {
			return err
		}
		items = append(items, project.NoteItem(n))
	}
	for _, id := range ch.quotes {
		q, err := db.Quote(ctx, id)
		if err != nil {
			return err
		}
		d, err := p.Store.Document(ctx, q.DocID)
		if err != nil {
			return err
		}
		items = append(items, project.QuoteItem(q, d))
	}
	if len(items) > 0 {
		if err := p.Index.IndexItems(ctx, items); err != nil {
			return err
		}
	}
	if len(ch.gone) > 0 {
		return p.Index.Delete(ctx, ch.gone)
	}
	return nil
}

func ellipsis(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
