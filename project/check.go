package project

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"

	"dossier/notes"
)

// CheckReport is what Check found. Problems are sentences a user can act
// on; an empty list means the project is sound.
type CheckReport struct {
	Documents int    `json:"documents"`
	Originals int    `json:"originals_checked"`
	Indexed   uint64 `json:"indexed"`
	// PendingEdits counts store changes the index may not hold yet (the
	// store's outbox; see outbox.go), before any repair. They are not
	// Problems: any other open of the project indexes them, and after a
	// kill between an index batch and its acknowledgement the index has
	// them already.
	PendingEdits int      `json:"pending_edits"`
	Problems     []string `json:"problems"`
	Repaired     []string `json:"repaired,omitempty"`
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Pending says, for a person, what PendingEdits means; "" when there are
// none or a repair dealt with them.
func (r *CheckReport) Pending() string {
	if r.PendingEdits == 0 || len(r.Repaired) > 0 {
		return ""
	}
	return plural(r.PendingEdits, "edit", "edits") + " not yet in the search index, left by a crash; the next open indexes them (dossier check --repair does it now)"
}

// OK reports whether Check found nothing wrong (after any repair).
func (r *CheckReport) OK() bool { return len(r.Problems) == 0 }

// Check verifies the project: project.db's integrity, every original file
// against its SHA-256, quotes against their sources' text, links against
// their targets, and the search index against the store, and counts the
// edits the index may have missed (open the project with
// Options.LeaveIndexEdits to see them). With repair it rebuilds an index
// that disagrees and indexes those edits (the index is derived data, so
// this loses nothing); a damaged database or a missing or altered original
// cannot be repaired from inside the project and is only reported.
// progress counts originals checked.
func (p *Project) Check(ctx context.Context, repair bool, progress notes.Progress) (*CheckReport, error) {
	rep := &CheckReport{Problems: []string{}}
	if err := p.db.IntegrityCheck(ctx); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		rep.Problems = append(rep.Problems, err.Error())
	}
	docs, err := p.Store.Documents(ctx)
	if err != nil {
		return nil, err
	}
	rep.Documents = len(docs)
	for i, d := range docs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if msg := checkOriginal(p.Store, d.SHA256); msg != "" {
			rep.Problems = append(rep.Problems, fmt.Sprintf("original of %q (%s): %s", d.Title, d.ID, msg))
		}
		rep.Originals++
		if progress != nil {
			progress(i+1, len(docs))
		}
	}
	nb, err := p.db.CheckNotebook(ctx)
	if err != nil {
		return nil, err
	}
	rep.Problems = append(rep.Problems, nb...)
	want, err := p.indexWant(ctx)
	if err != nil {
		return nil, err
	}
	pending, err := p.PendingIndexEdits(ctx)
	if err != nil {
		return nil, err
	}
	got, err := p.Index.Count()
	if err != nil || got != want || p.indexMarkedStale() {
		msg := fmt.Sprintf("the search index holds %d items where the store has %d", got, want)
		if got == want {
			msg = "the search index may lag behind the store (an interrupted merge)"
		}
		if err != nil {
			msg = "the search index cannot be read: " + err.Error()
		}
		if !repair {
			rep.Problems = append(rep.Problems, msg+" (run dossier check --repair, or dossier reindex)")
		} else {
			if err := p.Reindex(ctx, nil); err != nil {
				return nil, fmt.Errorf("rebuilding the search index: %w", err)
			}
			rep.Repaired = append(rep.Repaired, msg+"; rebuilt it")
			got, _ = p.Index.Count()
		}
	} else if pending > 0 && repair {
		n, err := p.applyOutbox(ctx, nil)
		if err != nil {
			return nil, fmt.Errorf("indexing edits: %w", err)
		}
		rep.Repaired = append(rep.Repaired, fmt.Sprintf("%s not yet in the search index; indexed %s again",
			plural(pending, "edit", "edits"), plural(n, "item", "items")))
	}
	rep.PendingEdits = pending
	rep.Indexed = got
	return rep, nil
}

// indexWant is how many items a complete index holds: documents, live
// notes and quotes.
func (p *Project) indexWant(ctx context.Context) (uint64, error) {
	n, err := p.itemCount(ctx)
	return uint64(n), err
}

// checkOriginal returns "" when the original kept under this SHA-256 has
// that content, else what is wrong with it.
func checkOriginal(st notes.Store, want string) string {
	f, err := st.OpenOriginal(want)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "cannot read it: " + err.Error()
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return "its content changed (SHA-256 is now " + got[:12] + "…)"
	}
	return ""
}
