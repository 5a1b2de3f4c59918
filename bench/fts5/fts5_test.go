package fts5

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dossier/bench/corpus"
)

func TestLoadAndQuery(t *testing.T) {
	sqlite3, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("no sqlite3 command (Debian package sqlite3)")
	}
	dir := t.TempDir()
	bodies := []string{"Zwölf Boxkämpfer jagen Viktor über den Deich.", "The quick brown fox.", "A quick fox, then a slow dog."}
	var docs []corpus.Doc
	for i, b := range bodies {
		p := filepath.Join(dir, fmt.Sprintf("%d.eml", i))
		if err := os.WriteFile(p, []byte("Subject: doc "+fmt.Sprint(i)+"\nFrom: x@y.invalid\n\n"+b+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, corpus.Doc{Path: p, Title: fmt.Sprintf("doc, \"%d\"", i)})
	}
	ctx := context.Background()
	db := filepath.Join(dir, "f.db")
	r, err := Load(ctx, sqlite3, db, docs)
	if err != nil {
		t.Fatal(err)
	}
	if r.Docs != 3 || r.Wall <= 0 || r.DBBytes == 0 {
		t.Errorf("LoadResult = %+v", r)
	}
	q, err := OpenQuerier(ctx, sqlite3, db)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	for _, tc := range []struct {
		match string
		rows  int
	}{{`"fox"`, 2}, {`"quick fox"`, 1}, {`"boxkämpfer"`, 1}, {`"from"`, 0}, {`"qui"*`, 2}} {
		rows, _, err := q.Query(tc.match)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != tc.rows {
			t.Errorf("%s: %d rows, want %d: %q", tc.match, len(rows), tc.rows, rows)
		}
	}
	rows, _, _ := q.Query(`"fox"`)
	if len(rows) > 0 && !strings.Contains(rows[0], "<mark>fox</mark>") {
		t.Errorf("no snippet mark in %q", rows[0])
	}
	// A bad query is reported on stderr and the process goes on.
	if _, _, err := q.Query(`"unbalanced`); err != nil {
		t.Fatal(err)
	}
	if rows, _, err := q.Query(`"dog"`); err != nil || len(rows) != 1 {
		t.Errorf("after a bad query: %d rows, %v", len(rows), err)
	}
	for range 100 {
		if q.Errors() != "" {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Error("Errors() does not report the bad query")
}
