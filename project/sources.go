package project

import (
	"context"
	"fmt"
	"strconv"

	"dossier/ingest"
	"dossier/notes"
)

// UpdateSourceMeta saves a source's editable metadata (title, author,
// source/publisher, URL, published date and precision, grade, grade note,
// tags) from d, whose ID names the document; its text is never changed
// here. The grade is checked and normalised first (see notes.ParseGrade),
// so "b2" is stored as "B2" and "G7" is refused with EINVALID. The document
// and its quotes, whose search items carry the source's title, date and
// grade, are reindexed, so a grade:E filter hides the quotes too.
func (p *Project) UpdateSourceMeta(ctx context.Context, d *notes.Document) error {
	ctx = tracked(ctx)
	if d == nil {
		return notes.Errorf(notes.EINVALID, "no source to update")
	}
	g, err := notes.ParseGrade(d.Grade)
	if err != nil {
		return err
	}
	d.Grade = g
	d.Tags = notes.NormalizeTags(d.Tags)
	if err := p.Store.UpdateDocument(ctx, d); err != nil {
		return err
	}
	return p.reindexSource(ctx, d.ID)
}

// SetGrade grades a source with an Admiralty code such as "B2" (case does
// not matter; "" removes the grade) and a note on why; see
// UpdateSourceMeta.
func (p *Project) SetGrade(ctx context.Context, docID, grade, note string) error {
	d, err := p.Store.Document(ctx, docID)
	if err != nil {
		return err
	}
	d.Grade, d.GradeNote = grade, note
	return p.UpdateSourceMeta(ctx, d)
}

// reindexSource indexes a document again together with its quotes.
func (p *Project) reindexSource(ctx context.Context, docID string) error {
	d, err := p.Store.Document(ctx, docID)
	if err != nil {
		return err
	}
	qs, err := p.db.Quotes(ctx, notes.QuoteFilter{DocID: docID})
	if err != nil {
		return err
	}
	items := make([]*notes.Item, 0, len(qs)+1)
	items = append(items, d.Item())
	for i := range qs {
		items = append(items, QuoteItem(&qs[i], d))
	}
	if err := p.Index.IndexItems(ctx, items); err != nil {
		return fmt.Errorf("source saved, but updating the search index failed (Reindex repairs it): %w", err)
	}
	return nil
}

// SourceUpdate says what a new version of a source did.
type SourceUpdate struct {
	Doc *notes.Document `json:"-"`
	// Unchanged is set when the file has the content already stored:
	// nothing was done.
	Unchanged bool `json:"unchanged"`
	Quotes    int  `json:"quotes"`   // quotes of the source
	Moved     int  `json:"moved"`    // found again at other offsets or with edited text
	Orphaned  int  `json:"orphaned"` // not found in the new text: kept, flagged
}

// String summarises the update for a person: "3 quotes found again (1
// moved), 1 orphaned".
func (u *SourceUpdate) String() string {
	if u.Unchanged {
		return "same content as the stored version; nothing changed"
	}
	if u.Quotes == 0 {
		return "no quotes to re-anchor"
	}
	found := u.Quotes - u.Orphaned
	s := fmt.Sprintf("%d of %d quotes found again (%d moved)", found, u.Quotes, u.Moved)
	if u.Orphaned > 0 {
		s += fmt.Sprintf(", %d orphaned", u.Orphaned)
	}
	return s
}

// UpdateSource makes the file at path the new version of document docID:
// a corrected article, a re-downloaded page. The new original is kept in
// files/ beside the old one; the document keeps its id, grade, note and
// tags, takes the new text and the metadata the new file has, and every
// quote is found again in the new text or flagged orphaned (see
// store.ReplaceDocument). Store and quotes change in one transaction, so
// on error nothing changed; then the document and its quotes are
// reindexed. A file with the content already stored changes nothing.
func (p *Project) UpdateSource(ctx context.Context, docID, path string) (*SourceUpdate, error) {
	cur, err := p.Store.Document(ctx, docID)
	if err != nil {
		return nil, err
	}
	d, data, err := ingest.ParseFile(path)
	if err != nil {
		return nil, notes.Errorf(notes.EINVALID, "cannot read %s: %s", path, reason(err))
	}
	if d.SHA256 == cur.SHA256 {
		return &SourceUpdate{Doc: cur, Unchanged: true}, nil
	}
	return p.replaceSource(ctx, docID, d, data)
}

// replaceSource stores d (parsed from data) as the new version of docID and
// reindexes it with its quotes.
func (p *Project) replaceSource(ctx context.Context, docID string, d *notes.Document, data []byte) (*SourceUpdate, error) {
	ctx = tracked(ctx)
	if err := p.Store.PutOriginals([]notes.Original{{SHA256: d.SHA256, Data: data}}); err != nil {
		return nil, err
	}
	d.ID = docID
	res, err := p.db.ReplaceDocument(ctx, d)
	if err != nil {
		return nil, err
	}
	u := &SourceUpdate{Doc: d, Quotes: len(res)}
	items := make([]*notes.Item, 0, len(res)+1)
	items = append(items, d.Item())
	for i := range res {
		if res[i].Moved {
			u.Moved++
		}
		if res[i].Quote.Orphaned {
			u.Orphaned++
		}
		items = append(items, QuoteItem(&res[i].Quote, d))
	}
	if err := p.Index.IndexItems(ctx, items); err != nil {
		return u, fmt.Errorf("new version saved, but updating the search index failed (Reindex repairs it): %w", err)
	}
	return u, nil
}

// takeNewVersions takes out of batch the files that are new versions of
// stored documents: same non-empty URL as a stored document, content not
// in the project yet. Each is stored as that document's new version
// (replaceSource) and reported in rep.Updated; one that fails is reported
// in rep.Failed. The rest of the batch is returned for adding.
func (p *Project) takeNewVersions(ctx context.Context, batch []parsed, rep *ImportReport, report func(parsed, func())) []parsed {
	urls := make([]string, 0, len(batch))
	for _, r := range batch {
		if r.doc.URL != "" {
			urls = append(urls, r.doc.URL)
		}
	}
	if len(urls) == 0 {
		return batch
	}
	byURL, err := p.db.DocumentsByURL(ctx, urls)
	if err != nil || len(byURL) == 0 {
		// Adding them as new documents loses nothing.
		return batch
	}
	rest := batch[:0]
	for _, r := range batch {
		id, ok := byURL[r.doc.URL]
		if !ok {
			rest = append(rest, r)
			continue
		}
		if _, err := p.Store.DocumentBySHA(ctx, r.doc.SHA256); err == nil {
			rest = append(rest, r) // already stored: AddDocuments reports it skipped
			continue
		}
		old, err := p.Store.Document(ctx, id)
		if err != nil {
			rest = append(rest, r)
			continue
		}
		u, err := p.replaceSource(ctx, id, r.doc, r.data)
		if err != nil && u == nil {
			report(r, func() {
				rep.Failed = append(rep.Failed, ImportItem{Path: r.path, ID: id, Title: old.Title, Reason: "new version of " + strconv.Quote(old.Title) + ": " + reason(err)})
			})
			continue
		}
		msg := fmt.Sprintf("new version of %q: %s", old.Title, u)
		report(r, func() {
			rep.Updated = append(rep.Updated, ImportItem{Path: r.path, ID: id, Title: u.Doc.Title, Reason: msg})
		})
	}
	return rest
}
