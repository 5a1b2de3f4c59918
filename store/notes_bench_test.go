package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"dossier/notes"
	"dossier/store"
)

// BenchmarkNotes_List10k lists 10,000 notes (without bodies), sorted by
// title and by last edit, as the notes pane does when it opens.
func BenchmarkNotes_List10k(b *testing.B) {
	dir := b.TempDir()
	s := MustOpenDir(b, dir)
	fillNotes(b, dir, 10_000)
	ctx := context.Background()
	for _, sort := range []string{notes.NoteSortTitle, notes.NoteSortUpdated} {
		b.Run(sort, func(b *testing.B) {
			for b.Loop() {
				list, err := s.Notes(ctx, notes.NoteFilter{Sort: sort})
				if err != nil || len(list) != 10_000 {
					b.Fatalf("Notes: %d, %v", len(list), err)
				}
			}
		})
	}
}

// fillNotes inserts n notes of about 2,000 characters with two tags in one
// transaction: creating them one by one would time the fsyncs of setup.
func fillNotes(tb testing.TB, dir string, n int) {
	tb.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, store.DBFile))
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		tb.Fatal(err)
	}
	body := fmt.Sprintf("%02000d", 0)
	now := time.Now().UTC()
	for i := 0; i < n; i++ {
		title := fmt.Sprintf("Note %05d about Kant", n-i)
		ts := now.Add(time.Duration(i) * time.Second).Format(time.RFC3339Nano)
		if _, err := tx.Exec(`INSERT INTO notes (id, title, title_key, body, tags, created_at, updated_at)
			VALUES (?, ?, ?, ?, '["kant","history/base"]', ?, ?)`, notes.NewID(), title, notes.TitleKey(title), body, ts, ts); err != nil {
			tb.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}
