package project

import (
	"context"
	"strings"

	"dossier/notes"
)

// TagSource adds tags to a source and removes others (either may be
// empty), ignoring case when matching a tag already there; the
// spelling a tag was first given is kept. The source and its quotes are
// reindexed, so tag:NAME finds the source at once. It returns the
// source as saved.
func (p *Project) TagSource(ctx context.Context, docID string, add, remove []string) (*notes.Document, error) {
	d, err := p.Store.Document(ctx, docID)
	if err != nil {
		return nil, err
	}
	drop := map[string]bool{}
	for _, t := range notes.NormalizeTags(remove) {
		drop[strings.ToLower(t)] = true
	}
	var tags []string
	for _, t := range append(d.Tags, notes.NormalizeTags(add)...) {
		if !drop[strings.ToLower(strings.TrimPrefix(strings.TrimSpace(t), "#"))] {
			tags = append(tags, t)
		}
	}
	d.Tags = tags
	if err := p.UpdateSourceMeta(ctx, d); err != nil {
		return nil, err
	}
	return d, nil
}
