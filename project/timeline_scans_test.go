package project_test

import (
	"context"
	"reflect"
	"testing"

	"dossier/project"
)

// The dates found in the texts outlive the process: the first look at the
// timeline after reopening the project scans nothing and shows the same
// entries (at 100,000 documents the scan takes many seconds).
func TestTimeline_ScannedDatesKeptAcrossOpens(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	p, err := project.Open(ctx, dir, project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	first, err := p.Timeline(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if first.Extracted != 5 {
		t.Fatalf("first look scanned %d texts, want the 5 seeds", first.Extracted)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}

	p = MustOpen(t, dir, project.Options{})
	again, err := p.Timeline(ctx, func(done, total int) { t.Errorf("scanning again: %d of %d", done, total) })
	if err != nil {
		t.Fatal(err)
	}
	if again.Extracted != 0 {
		t.Errorf("after reopening, the first look scanned %d texts, want none", again.Extracted)
	}
	if !reflect.DeepEqual(again.Entries, first.Entries) {
		t.Errorf("entries differ after reopening: %d entries, were %d", len(again.Entries), len(first.Entries))
	}
}
