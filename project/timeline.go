package project

import (
	"context"
	"runtime"
	"strings"
	"sync"

	"dossier/notes"
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
	Undated []notes.Document // metadata only, no text
	// Extracted is how many documents had their text scanned for dates by
	// this call; the others came from the cache.
	Extracted int
}

// mentionCache keeps the dates found in each document's text, so the
// timeline of a large project is scanned once per process, not on every
// look. Texts never change after import, so an entry stays valid for as
// long as the document exists; the cache keeps each event as the
// extractor found it and resolves it against the document's publication
// date on every call, which is how setting a date places year-unknown
// events at once. Memory: the expression and a few numbers per event, no
// sentences (those are cut from the text on request, see FillSentences).
type mentionCache struct {
	mu   sync.Mutex
	docs map[string]cachedDoc // by document id
}

type cachedDoc struct {
	sha    string // of the text's original: a changed document is scanned again
	events []timeline.Event
	sent   []notes.Span // byte span of each event's sentence in the text
}

// textBatch is how many texts are read per query while scanning.
const textBatch = 256

// Timeline collects the project's timeline: publication dates, the dates
// the texts mention and the user's events. Texts not seen before by this
// Project are read and scanned, reporting progress (documents scanned of
// those to scan) to progress, which may be nil; the rest comes from memory.
// If ctx is cancelled the documents scanned so far stay cached and ctx's
// error is returned.
func (p *Project) Timeline(ctx context.Context, progress notes.Progress) (*TimelineSet, error) {
	docs, err := p.Store.Documents(ctx)
	if err != nil {
		return nil, err
	}
	c := &p.mentions
	c.mu.Lock()
	if c.docs == nil {
		c.docs = make(map[string]cachedDoc, len(docs))
	}
	var missing []string
	for i := range docs {
		if cd, ok := c.docs[docs[i].ID]; !ok || cd.sha != docs[i].SHA256 {
			missing = append(missing, docs[i].ID)
		}
	}
	c.mu.Unlock()

	set := &TimelineSet{Extracted: len(missing)}
	if err := p.scan(ctx, docs, missing, progress); err != nil {
		return nil, err
	}

	evs, err := p.db.Events(ctx)
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
// and caches what it finds.
func (p *Project) scan(ctx context.Context, docs []notes.Document, missing []string, progress notes.Progress) error {
	if len(missing) == 0 {
		return nil
	}
	byID := make(map[string]*notes.Document, len(docs))
	for i := range docs {
		byID[docs[i].ID] = &docs[i]
	}
	for lo := 0; lo < len(missing); lo += textBatch {
		if err := ctx.Err(); err != nil {
			return err
		}
		ids := missing[lo:min(lo+textBatch, len(missing))]
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
					found[i] = extract(byID[ids[i]], texts[ids[i]])
				}
			}()
		}
		wg.Wait()
		p.mentions.mu.Lock()
		for i, id := range ids {
			p.mentions.docs[id] = found[i]
		}
		p.mentions.mu.Unlock()
		if progress != nil {
			progress(lo+len(ids), len(missing))
		}
	}
	return nil
}

// extract finds the dates in the text of d, keeping nothing that points
// into the text: a substring would hold the whole text in memory.
func extract(d *notes.Document, text string) cachedDoc {
	cd := cachedDoc{sha: d.SHA256}
	for _, ev := range timeline.Extract(text, d.Published) {
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
