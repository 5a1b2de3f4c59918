package store

import (
	"testing"
	"testing/fstest"
)

func TestLoadMigrations_EmbeddedAreNumberedFromOne(t *testing.T) {
	if len(migrations) == 0 {
		t.Fatal("no migrations embedded")
	}
	for i, m := range migrations {
		if m.version != i+1 {
			t.Fatalf("migration %d is %s (version %d)", i, m.name, m.version)
		}
	}
}

func TestLoadMigrations_RejectsGapsAndBadNames(t *testing.T) {
	sql := &fstest.MapFile{Data: []byte("CREATE TABLE t (x);")}
	for _, tc := range []struct {
		name  string
		files []string
		ok    bool
	}{
		{"in order", []string{"0001_a.sql", "0002_b.sql"}, true},
		{"gap", []string{"0001_a.sql", "0003_c.sql"}, false},
		{"starts at two", []string{"0002_b.sql"}, false},
		{"no number", []string{"0001_a.sql", "init.sql"}, false},
		{"no underscore", []string{"0001.sql"}, false},
		{"same number twice", []string{"0001_a.sql", "0001_b.sql"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, f := range tc.files {
				fsys["migrations/"+f] = sql
			}
			ms, err := loadMigrations(fsys)
			if got := err == nil; got != tc.ok {
				t.Fatalf("loadMigrations(%v) err=%v, want ok=%v", tc.files, err, tc.ok)
			}
			if tc.ok && len(ms) != len(tc.files) {
				t.Fatalf("got %d migrations, want %d", len(ms), len(tc.files))
			}
		})
	}
}

func TestDSN_EscapesURICharacters(t *testing.T) {
	got := dsn("/tmp/what? #1 100%/project.db", "_txlock=immediate")
	want := "file:/tmp/what%3F%20%231%20100%25/project.db?_txlock=immediate"
	if got != want {
		t.Fatalf("dsn=%q, want %q", got, want)
	}
}
