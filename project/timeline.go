package project

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"dossier/notes"
	"dossier/store"
	"dossier/timeline"
)

// Events returns the store of the researcher's own timeline events.
func (p *Project) Events() notes.EventStore { return p.db }

// TimelineSet is everything the timeline shows: the entries, sorted by
// date with year-unknown ones last, and the documents without a
// publication date, which have no place on the axis but must not be
// forgotten.
type TimelineSet struct {
	Entries []timeline.Entry
	Undated []notes.Document // the fields of Store.Listing only
	// Extracted is how many documents had their text scanned for dates by
	// this call; the others came from the cache.
	Extracted int
}

// mentionCache keeps the dates found in each document's text. Texts never
// change after import (a new version has a new hash), so the dates of each
// are found once: the store keeps them (store.DateScan, read back on the
// first look after the project opens) and this cache holds the documents
// that mention any. It keeps each event as the extractor found it and
// resolves it against the document's publication date on every call,
// which is how setting a date places year-unknown events at once. Memory:
// the expression and a few numbers per event, no sentences (those are cut
// from the text on request, see FillSentences).
type mentionCache struct {
	mu     sync.Mutex
	docs   map[string]cachedDoc // by document id
	loaded bool                 // the store's scans are in docs
}

type cachedDoc struct {
	sha    string // of the text's original: a changed document is scanned again
	events []timeline.Event
	sent   []notes.Span // byte span of each event's sentence in the text
}

// storedEvent is how an event and its sentence's span are kept in the
// store, as JSON.
type storedEvent struct {
	timeline.Event
	SentStart int `json:"sent_start"`
	SentEnd   int `json:"sent_end"`
}

func encodeScan(cd cachedDoc) (string, error) {
	if len(cd.events) == 0 {
		return "", nil
	}
	evs := make([]storedEvent, len(cd.events))
	for i, ev := range cd.events {
		evs[i] = storedEvent{Event: ev, SentStart: cd.sent[i].Start, SentEnd: cd.sent[i].End}
	}
	b, err := json.Marshal(evs)
	return string(b), err
}

func decodeScan(sc store.DateScan) (cachedDoc, error) {
	var evs []storedEvent
	if err := json.Unmarshal([]byte(sc.Dates), &evs); err != nil {
		return cachedDoc{}, fmt.Errorf("dates found in document %s: %w", sc.DocID, err)
	}
	cd := cachedDoc{sha: sc.SHA256, events: make([]timeline.Event, len(evs)), sent: make([]notes.Span, len(evs))}
	for i, ev := range evs {
		cd.events[i], cd.sent[i] = ev.Event, notes.Span{Start: ev.SentStart, End: ev.SentEnd}
	}
	return cd, nil
}

// textBatch is how many texts are read per query while scanning.
const textBatch = 256

// saveEvery is how many scanned documents are saved to the store per
// transaction (each commit is a disk flush).
const saveEvery = 4096

// Timeline collects the project's timeline: publication dates, the dates
// the texts mention and the user's events. Texts never scanned before are
// read and scanned, reporting progress (documents scanned of those to
// scan) to progress, which may be nil; the dates found are saved, so each
// text is scanned once in the life of the project. If ctx is cancelled
// the documents scanned so far stay saved and ctx's error is returned.
func (p *Project) Timeline(ctx context.Context, progress notes.Progress) (*TimelineSet, error) {
	docs, err := p.Store.Listing(ctx)
	if err != nil {
		return nil, err
	}
	c := &p.mentions
	c.mu.Lock()
	if !c.loaded {
		scans, err := p.db.DateScans(ctx)
		if err != nil {
			c.mu.Unlock()
			return nil, err
		}
		c.docs = make(map[string]cachedDoc, len(scans))
		for _, sc := range scans {
			cd, err := decodeScan(sc)
			if err != nil {
				c.mu.Unlock()
				return nil, err
			}
			c.docs[sc.DocID] = cd
		}
		c.loaded = true
	}
	c.mu.Unlock()
	unscanned, err := p.db.Unscanned(ctx)
	if err != nil {
		return nil, err
	}
	// Scanned in this process but not saved (saving failed): no need to
	// scan again.
	missing := unscanned[:0]
	c.mu.Lock()
	for _, u := range unscanned {
		if cd, ok := c.docs[u.DocID]; !ok || cd.sha != u.SHA256 {
			missing = append(missing, u)
		}
	}
	c.mu.Unlock()

	set := &TimelineSet{Extracted: len(missing)}
	if err := p.scan(ctx, docs, missing, progress); err != nil {
		return nil, err
	}

	evs, err := p.db.EventsUnordered(ctx) // timeline.Sort orders them below
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	n := len(docs) + len(evs)
	for i := range docs {
		n += len(c.docs[docs[i].ID].events)
	}
	set.Entries = make([]timeline.Entry, 0, n)
	for i := range docs {
		d := &docs[i]
		if d.Published.Known() {
			set.Entries = append(set.Entries, timeline.Published(d))
		} else {
			set.Undated = append(set.Undated, *d)
		}
		cd := c.docs[d.ID]
		for k, ev := range cd.events {
			e := timeline.Mentioned(d, ev.Resolve(d.Published))
			e.SentStart, e.SentEnd = cd.sent[k].Start, cd.sent[k].End
			set.Entries = append(set.Entries, e)
		}
	}
	c.mu.Unlock()
	for i := range evs {
		set.Entries = append(set.Entries, timeline.Mine(&evs[i]))
	}
	timeline.Sort(set.Entries)
	return set, nil
}

// scan reads and scans the texts of the documents in missing, in batches,
// caches what it finds and saves it to the store.
func (p *Project) scan(ctx context.Context, docs []notes.Document, missing []store.DateScan, progress notes.Progress) (err error) {
	if len(missing) == 0 {
		return nil
	}
	byID := make(map[string]*notes.Document, len(docs))
	for i := range docs {
		byID[docs[i].ID] = &docs[i]
	}
	var unsaved []store.DateScan
	save := func() error {
		// Saved even when ctx is cancelled: the scanning is done.
		e := p.db.PutDateScans(context.WithoutCancel(ctx), unsaved)
		unsaved = unsaved[:0]
		return e
	}
	defer func() {
		if e := save(); err == nil {
			err = e
		}
	}()
	for lo := 0; lo < len(missing); lo += textBatch {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch := missing[lo:min(lo+textBatch, len(missing))]
		ids := make([]string, len(batch))
		for i := range batch {
			ids[i] = batch[i].DocID
		}
		texts, err := p.db.Texts(ctx, ids)
		if err != nil {
			return err
		}
		// Scanning is pure CPU: share each batch among the cores.
		found := make([]cachedDoc, len(ids))
		workers := min(runtime.GOMAXPROCS(0), len(ids))
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < len(ids); i += workers {
					found[i] = extract(byID[ids[i]], batch[i].SHA256, texts[ids[i]])
				}
			}()
		}
		wg.Wait()
		p.mentions.mu.Lock()
		for i, id := range ids {
			if len(found[i].events) > 0 {
				p.mentions.docs[id] = found[i]
			} else {
				delete(p.mentions.docs, id) // a new version that mentions no date
			}
		}
		p.mentions.mu.Unlock()
		for i, id := range ids {
			dates, err := encodeScan(found[i])
			if err != nil {
				return err
			}
			unsaved = append(unsaved, store.DateScan{DocID: id, SHA256: batch[i].SHA256, Dates: dates})
		}
		if len(unsaved) >= saveEvery {
			if err := save(); err != nil {
				return err
			}
		}
		if progress != nil {
			progress(lo+len(ids), len(missing))
		}
	}
	return nil
}

// extract finds the dates in the text of d, keeping nothing that points
// into the text: a substring would hold the whole text in memory.
func extract(d *notes.Document, sha, text string) cachedDoc {
	cd := cachedDoc{sha: sha}
	var published notes.Date
	if d != nil {
		published = d.Published
	}
	for _, ev := range timeline.Extract(text, published) {
		cd.sent = append(cd.sent, sentenceSpan(text, ev))
		ev.Text, ev.Sentence = strings.Clone(ev.Text), ""
		cd.events = append(cd.events, ev)
	}
	return cd
}

// sentenceSpan finds where ev.Sentence lies in text. The sentence contains
// the expression, so it starts at most its own length before it.
func sentenceSpan(text string, ev timeline.Event) notes.Span {
	lo := max(0, ev.Offset-len(ev.Sentence))
	hi := min(len(text), ev.Offset+len(ev.Sentence))
	if i := strings.Index(text[lo:hi], ev.Sentence); i >= 0 {
		return notes.Span{Start: lo + i, End: lo + i + len(ev.Sentence)}
	}
	return notes.Span{Start: ev.Offset, End: ev.EndOffset}
}

// FillSentences sets the Sentence of every mentioned-date entry in es,
// reading the texts it needs in batches.
func (p *Project) FillSentences(ctx context.Context, es []timeline.Entry) error {
	byDoc := map[string][]int{}
	var ids []string
	for i := range es {
		e := &es[i]
		if e.Kind != timeline.KindMentioned || e.Sentence != "" || e.SentEnd <= e.SentStart {
			continue
		}
		if _, ok := byDoc[e.Doc]; !ok {
			ids = append(ids, e.Doc)
		}
		byDoc[e.Doc] = append(byDoc[e.Doc], i)
	}
	for lo := 0; lo < len(ids); lo += textBatch {
		batch := ids[lo:min(lo+textBatch, len(ids))]
		texts, err := p.db.Texts(ctx, batch)
		if err != nil {
			return err
		}
		for _, id := range batch {
			text := texts[id]
			for _, i := range byDoc[id] {
				e := &es[i]
				if e.SentEnd <= len(text) {
					e.Sentence = text[e.SentStart:e.SentEnd]
				}
			}
		}
	}
	return nil
}
