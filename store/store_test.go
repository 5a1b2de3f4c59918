package store_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"dossier/notes"
	"dossier/store"
)

// MustOpen opens a store in a fresh temporary folder and closes it when the
// test ends.
func MustOpen(tb testing.TB) *store.Store {
	tb.Helper()
	return MustOpenDir(tb, tb.TempDir())
}

// MustOpenDir opens the store in dir and closes it when the test ends.
func MustOpenDir(tb testing.TB, dir string) *store.Store {
	tb.Helper()
	s, err := store.Open(dir)
	if err != nil {
		tb.Fatalf("Open(%s): %v", dir, err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

// MustAdd adds docs and fails the test unless every one was added.
func MustAdd(tb testing.TB, s *store.Store, docs ...*notes.Document) {
	tb.Helper()
	added, err := s.AddDocuments(context.Background(), docs)
	if err != nil {
		tb.Fatalf("AddDocuments: %v", err)
	}
	for i, ok := range added {
		if !ok {
			tb.Fatalf("document %d (%q) was not added", i, docs[i].Title)
		}
	}
}

func shaOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// newDoc returns a small document whose hash is that of its text, so
// documents with different n never collide.
func newDoc(n int) *notes.Document {
	text := fmt.Sprintf("Text of document %d. The airbase at Kant opened in 2003.", n)
	return &notes.Document{
		Title:     fmt.Sprintf("Document %06d", n),
		Text:      text,
		SHA256:    shaOf(text),
		MediaType: "text/plain",
		Size:      int64(len(text)),
		Importer:  "test/1",
	}
}

func TestOpen_CreatesProjectFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kant-airbase")
	s := MustOpenDir(t, dir)
	for _, name := range []string{store.DBFile, store.FilesDir} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s missing: %v", name, err)
		}
	}
	if _, err := uuid.Parse(s.ProjectID()); err != nil {
		t.Errorf("ProjectID()=%q is not a UUID: %v", s.ProjectID(), err)
	}
	if got, err := s.Meta(store.MetaName); err != nil || got != "kant-airbase" {
		t.Errorf("Meta(name)=%q, %v; want kant-airbase", got, err)
	}
	created, err := s.Meta(store.MetaCreated)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := time.Parse(time.RFC3339, created); err != nil {
		t.Errorf("Meta(created)=%q: %v", created, err)
	}
}

func TestStore_AddDocuments_RoundTripsEveryField(t *testing.T) {
	at := time.Date(2024, time.March, 5, 14, 30, 15, 123456789, time.UTC)
	for _, tc := range []struct {
		name      string
		published notes.Date
		tags      []string
	}{
		{"day", notes.DayDate(2023, time.October, 11), []string{"kant", "russia"}},
		{"month", notes.MonthDate(2003, time.April), []string{"csto"}},
		{"year", notes.YearDate(2017), nil},
		{"undated", notes.Date{}, []string{"unicode “quotes”", "Кант"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := MustOpen(t)
			ctx := context.Background()
			want := &notes.Document{
				ID:           notes.NewID(),
				Title:        "Kyrgyzstan Sticks Close to Russia",
				Author:       "Leila Saralaeva",
				Source:       "iwpr.net",
				URL:          "https://iwpr.net/global-voices/kyrgyzstan-sticks-close-russia",
				Published:    tc.published,
				MediaType:    "text/html",
				Language:     "en",
				SHA256:       shaOf(tc.name),
				Text:         "The base at Kant opened on October 23, 2003.\nКант — авиабаза.",
				Grade:        "B2",
				GradeNote:    "Named reporter; one anonymous source.",
				Tags:         tc.tags,
				OriginalName: "kant.html",
				Size:         12345,
				Importer:     "html/1",
				ImportedAt:   at,
			}
			in := *want
			MustAdd(t, s, &in)

			got, err := s.Document(ctx, want.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !got.ImportedAt.Equal(want.ImportedAt) {
				t.Errorf("ImportedAt=%v, want %v", got.ImportedAt, want.ImportedAt)
			}
			got.ImportedAt = want.ImportedAt
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Document()=\n%+v\nwant\n%+v", got, want)
			}

			list, err := s.Documents(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 1 {
				t.Fatalf("Documents() has %d, want 1", len(list))
			}
			noText := *want
			noText.Text = ""
			list[0].ImportedAt = want.ImportedAt
			if !reflect.DeepEqual(&list[0], &noText) {
				t.Errorf("Documents()[0]=\n%+v\nwant\n%+v", list[0], noText)
			}

			if text, err := s.Text(ctx, want.ID); err != nil || text != want.Text {
				t.Errorf("Text()=%q, %v; want %q", text, err, want.Text)
			}
			if id, err := s.DocumentBySHA(ctx, want.SHA256); err != nil || id != want.ID {
				t.Errorf("DocumentBySHA()=%q, %v; want %q", id, err, want.ID)
			}
		})
	}
}

func TestStore_AddDocuments_FillsIDAndImportedAt(t *testing.T) {
	s := MustOpen(t)
	d := newDoc(1)
	before := time.Now()
	MustAdd(t, s, d)
	if _, err := uuid.Parse(d.ID); err != nil {
		t.Errorf("ID=%q is not a UUID", d.ID)
	}
	if d.ImportedAt.Before(before.Add(-time.Second)) || d.ImportedAt.After(time.Now().Add(time.Second)) {
		t.Errorf("ImportedAt=%v, want about now", d.ImportedAt)
	}
	if d.ImportedAt.Location() != time.UTC {
		t.Errorf("ImportedAt is in %v, want UTC", d.ImportedAt.Location())
	}
	got, err := s.Document(context.Background(), d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.ImportedAt.Equal(d.ImportedAt) {
		t.Errorf("stored ImportedAt=%v, want %v", got.ImportedAt, d.ImportedAt)
	}
}

func TestStore_AddDocuments_SkipsDuplicateSHA(t *testing.T) {
	for _, tc := range []struct {
		name    string
		batches [][]*notes.Document
		want    [][]bool
	}{
		{
			name: "across batches",
			batches: [][]*notes.Document{
				{newDoc(1), newDoc(2)},
				{newDoc(3), newDoc(1), newDoc(2)},
			},
			want: [][]bool{{true, true}, {true, false, false}},
		},
		{
			name:    "within one batch",
			batches: [][]*notes.Document{{newDoc(1), newDoc(2), newDoc(1), newDoc(1)}},
			want:    [][]bool{{true, true, false, false}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := MustOpen(t)
			ctx := context.Background()
			firstID := map[string]string{}    // sha → id of the document that was kept
			firstTitle := map[string]string{} // sha → title of the first document with it
			for b, batch := range tc.batches {
				for _, d := range batch {
					d.Title += fmt.Sprintf(" (batch %d)", b)
				}
				added, err := s.AddDocuments(ctx, batch)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(added, tc.want[b]) {
					t.Fatalf("batch %d: added=%v, want %v", b, added, tc.want[b])
				}
				for i, d := range batch {
					if added[i] {
						firstID[d.SHA256], firstTitle[d.SHA256] = d.ID, d.Title
					} else if d.ID != "" {
						t.Errorf("batch %d: skipped document %d was given id %q", b, i, d.ID)
					}
				}
			}
			n, err := s.CountDocuments(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n != len(firstID) {
				t.Fatalf("CountDocuments()=%d, want %d", n, len(firstID))
			}
			// The first document with a hash is the one kept, untouched.
			for sha, id := range firstID {
				got, err := s.DocumentBySHA(ctx, sha)
				if err != nil || got != id {
					t.Errorf("DocumentBySHA(%s)=%q, %v; want %q", sha, got, err, id)
				}
				d, err := s.Document(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if d.Title != firstTitle[sha] {
					t.Errorf("stored document is %q, want the first one imported, %q", d.Title, firstTitle[sha])
				}
			}
		})
	}
}

func TestStore_AddDocuments_FailedBatchStoresNothing(t *testing.T) {
	for _, tc := range []struct {
		name  string
		batch func(existing *notes.Document) []*notes.Document
		ctx   func() context.Context
		kind  string
	}{
		{
			name: "missing SHA-256",
			batch: func(*notes.Document) []*notes.Document {
				bad := newDoc(3)
				bad.SHA256 = ""
				return []*notes.Document{newDoc(2), bad}
			},
			kind: notes.EINVALID,
		},
		{
			name: "nil document",
			batch: func(*notes.Document) []*notes.Document {
				return []*notes.Document{newDoc(2), nil}
			},
			kind: notes.EINVALID,
		},
		{
			name: "id already taken",
			batch: func(existing *notes.Document) []*notes.Document {
				clash := newDoc(3)
				clash.ID = existing.ID
				return []*notes.Document{newDoc(2), clash}
			},
			kind: notes.ECONFLICT,
		},
		{
			name: "cancelled",
			batch: func(*notes.Document) []*notes.Document {
				return []*notes.Document{newDoc(2), newDoc(3)}
			},
			ctx: func() context.Context {
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				return ctx
			},
			kind: notes.EINTERNAL,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := MustOpen(t)
			existing := newDoc(1)
			MustAdd(t, s, existing)
			ctx := context.Background()
			if tc.ctx != nil {
				ctx = tc.ctx()
			}
			batch := tc.batch(existing)
			_, err := s.AddDocuments(ctx, batch)
			if err == nil {
				t.Fatal("AddDocuments succeeded, want an error")
			}
			if got := notes.ErrorKind(err); got != tc.kind {
				t.Errorf("kind=%s, want %s (err: %v)", got, tc.kind, err)
			}
			if n, _ := s.CountDocuments(context.Background()); n != 1 {
				t.Errorf("CountDocuments()=%d after a failed batch, want 1", n)
			}
			if batch[0].ID != "" || !batch[0].ImportedAt.IsZero() {
				t.Errorf("a failed batch changed the caller's document: ID=%q ImportedAt=%v", batch[0].ID, batch[0].ImportedAt)
			}
		})
	}
}

func TestStore_AddDocuments_ConflictMessageReadsWell(t *testing.T) {
	s := MustOpen(t)
	d := newDoc(1)
	MustAdd(t, s, d)
	clash := newDoc(2)
	clash.ID = d.ID
	_, err := s.AddDocuments(context.Background(), []*notes.Document{clash})
	if got, want := err.Error(), fmt.Sprintf("cannot add %q: the project already has a document with id %s", clash.Title, d.ID); got != want {
		t.Fatalf("err=%q, want %q", got, want)
	}
}

func TestStore_AddDocuments_EmptyBatch(t *testing.T) {
	s := MustOpen(t)
	added, err := s.AddDocuments(context.Background(), nil)
	if err != nil || len(added) != 0 {
		t.Fatalf("AddDocuments(nil)=%v, %v; want [], nil", added, err)
	}
}

func TestStore_NotFound(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	MustAdd(t, s, newDoc(1))
	missing := "4f1c2b8e-0000-4000-8000-000000000000"
	for _, tc := range []struct {
		name string
		call func() error
		msg  string
	}{
		{"Document", func() error { _, err := s.Document(ctx, missing); return err },
			"no document with id " + missing},
		{"Text", func() error { _, err := s.Text(ctx, missing); return err },
			"no document with id " + missing},
		{"DocumentBySHA", func() error { _, err := s.DocumentBySHA(ctx, shaOf("nothing")); return err },
			"no document was imported from a file with SHA-256 " + shaOf("nothing")},
		{"UpdateDocument", func() error { return s.UpdateDocument(ctx, &notes.Document{ID: missing, Title: "x"}) },
			"no document with id " + missing},
		{"Meta", func() error { _, err := s.Meta("colour"); return err },
			`the project has no "colour" setting`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if !errors.Is(err, notes.ErrNotFound) {
				t.Fatalf("err=%v, want one that wraps notes.ErrNotFound", err)
			}
			if got := notes.ErrorKind(err); got != notes.ENOTFOUND {
				t.Errorf("kind=%s, want %s", got, notes.ENOTFOUND)
			}
			if got := err.Error(); got != tc.msg {
				t.Errorf("message=%q, want %q", got, tc.msg)
			}
		})
	}
}

func TestStore_Documents_OrderedByDateUndatedLastThenTitle(t *testing.T) {
	s := MustOpen(t)
	doc := func(title string, d notes.Date) *notes.Document {
		x := newDoc(0)
		x.Title, x.Published, x.SHA256 = title, d, shaOf(title)
		return x
	}
	// Added out of order on purpose.
	MustAdd(t, s,
		doc("undated b", notes.Date{}),
		doc("2023-10-11", notes.DayDate(2023, time.October, 11)),
		doc("Undated a", notes.Date{}),
		doc("2003", notes.YearDate(2003)),
		doc("2023-10 second", notes.MonthDate(2023, time.October)),
		doc("2023-10 First", notes.MonthDate(2023, time.October)),
		doc("b 2023 (= 1 Jan)", notes.YearDate(2023)),
		doc("a 2023-01-01", notes.DayDate(2023, time.January, 1)),
		doc("2017-05-08", notes.DayDate(2017, time.May, 8)),
	)
	docs, err := s.Documents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range docs {
		got = append(got, d.Title)
		if d.Text != "" {
			t.Errorf("Documents() returned the text of %q", d.Title)
		}
	}
	want := []string{
		"2003",
		"2017-05-08",
		"a 2023-01-01",
		"b 2023 (= 1 Jan)",
		"2023-10 First",
		"2023-10 second",
		"2023-10-11",
		"Undated a",
		"undated b",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("order:\n got %q\nwant %q", got, want)
	}
}

func TestStore_Documents_EmptyProject(t *testing.T) {
	s := MustOpen(t)
	docs, err := s.Documents(context.Background())
	if err != nil || len(docs) != 0 {
		t.Fatalf("Documents()=%v, %v; want none", docs, err)
	}
}

func TestStore_EachDocument_VisitsAllInAddedOrderWithText(t *testing.T) {
	s := MustOpen(t)
	var want []string
	for b := 0; b < 3; b++ {
		var batch []*notes.Document
		for i := 0; i < 5; i++ {
			// Titles in reverse, so title order would be wrong.
			batch = append(batch, newDoc(100-(b*5+i)))
		}
		MustAdd(t, s, batch...)
		for _, d := range batch {
			want = append(want, d.ID)
		}
	}
	for run := 0; run < 2; run++ {
		var got []string
		err := s.EachDocument(context.Background(), func(d *notes.Document) error {
			if d.Text == "" || d.SHA256 != shaOf(d.Text) {
				t.Errorf("document %s came without its text", d.ID)
			}
			got = append(got, d.ID)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("run %d: order\n got %v\nwant %v", run, got, want)
		}
	}
}

func TestStore_EachDocument_StopsAtFirstError(t *testing.T) {
	s := MustOpen(t)
	for i := 0; i < 10; i++ {
		MustAdd(t, s, newDoc(i))
	}
	errStop := errors.New("stop here")
	calls := 0
	err := s.EachDocument(context.Background(), func(*notes.Document) error {
		calls++
		if calls == 3 {
			return errStop
		}
		return nil
	})
	if err != errStop {
		t.Fatalf("err=%v, want fn's error unchanged", err)
	}
	if calls != 3 {
		t.Fatalf("fn called %d times, want 3", calls)
	}
}

func TestStore_EachDocument_StopsWhenCancelled(t *testing.T) {
	s := MustOpen(t)
	for i := 0; i < 10; i++ {
		MustAdd(t, s, newDoc(i))
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	err := s.EachDocument(ctx, func(*notes.Document) error {
		calls++
		if calls == 2 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err=%v, want context.Canceled", err)
	}
	if calls != 2 {
		t.Fatalf("fn called %d times, want 2: none after the cancel", calls)
	}
}

// A callback that reads and writes the store must not deadlock: rebuilding
// the index reads texts while imports may still be committing.
func TestStore_EachDocument_CallbackMayUseTheStore(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		MustAdd(t, s, newDoc(i))
	}
	visited := 0
	err := s.EachDocument(ctx, func(d *notes.Document) error {
		visited++
		if _, err := s.Text(ctx, d.ID); err != nil {
			return err
		}
		d.Tags = []string{"seen"}
		if err := s.UpdateDocument(ctx, d); err != nil {
			return err
		}
		_, err := s.AddDocuments(ctx, []*notes.Document{newDoc(1000 + visited)})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if visited != 5 {
		t.Fatalf("visited %d documents, want the 5 that existed when it started", visited)
	}
	if n, _ := s.CountDocuments(ctx); n != 10 {
		t.Fatalf("CountDocuments()=%d, want 10", n)
	}
}

func TestStore_CountDocuments(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	for want := 0; want <= 3; want++ {
		if n, err := s.CountDocuments(ctx); err != nil || n != want {
			t.Fatalf("CountDocuments()=%d, %v; want %d", n, err, want)
		}
		MustAdd(t, s, newDoc(want))
	}
}

func TestStore_UpdateDocument_ChangesMetadataNeverTextOrSHA(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	orig := newDoc(1)
	orig.Language, orig.OriginalName, orig.Importer = "en", "one.txt", "txt/1"
	MustAdd(t, s, orig)
	stored, err := s.Document(ctx, orig.ID)
	if err != nil {
		t.Fatal(err)
	}

	edit := *stored
	edit.Title = "Kant airbase opening"
	edit.Author = "Leila Saralaeva"
	edit.Source = "iwpr.net"
	edit.URL = "https://iwpr.net/x"
	edit.Published = notes.DayDate(2003, time.October, 23)
	edit.Grade = "B2"
	edit.GradeNote = "Named reporter"
	edit.Tags = []string{"kant", "csto"}
	// Fields that must not change, whatever the caller sends.
	edit.Text = "rewritten text"
	edit.SHA256 = shaOf("other")
	edit.MediaType = "text/html"
	edit.Language = "ru"
	edit.OriginalName = "other.html"
	edit.Size = 1
	edit.Importer = "html/9"
	edit.ImportedAt = time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := s.UpdateDocument(ctx, &edit); err != nil {
		t.Fatal(err)
	}

	got, err := s.Document(ctx, orig.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := *stored
	want.Title, want.Author, want.Source, want.URL = edit.Title, edit.Author, edit.Source, edit.URL
	want.Published, want.Grade, want.GradeNote, want.Tags = edit.Published, edit.Grade, edit.GradeNote, edit.Tags
	if !reflect.DeepEqual(got, &want) {
		t.Fatalf("after update\n got %+v\nwant %+v", got, &want)
	}
	if id, err := s.DocumentBySHA(ctx, orig.SHA256); err != nil || id != orig.ID {
		t.Fatalf("DocumentBySHA(original hash)=%q, %v; want %q", id, err, orig.ID)
	}

	// Clearing works too: no tags, no date.
	edit.Tags, edit.Published = nil, notes.Date{}
	if err := s.UpdateDocument(ctx, &edit); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Document(ctx, orig.ID); got.Tags != nil || got.Published.Known() {
		t.Fatalf("after clearing: tags=%v published=%v", got.Tags, got.Published)
	}
}

func TestOpen_ReopenKeepsDataAndSchemaVersion(t *testing.T) {
	dir := t.TempDir()
	s, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	d := newDoc(1)
	MustAdd(t, s, d)
	if err := s.SetMeta("colour", "blue"); err != nil {
		t.Fatal(err)
	}
	id := s.ProjectID()
	v1 := userVersion(t, dir)
	if v1 < 1 {
		t.Fatalf("user_version=%d after Open, want ≥ 1", v1)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = MustOpenDir(t, dir)
	if got := s.ProjectID(); got != id {
		t.Errorf("ProjectID()=%s after reopen, want %s", got, id)
	}
	if got, err := s.Meta("colour"); err != nil || got != "blue" {
		t.Errorf("Meta(colour)=%q, %v; want blue", got, err)
	}
	if got, err := s.Document(context.Background(), d.ID); err != nil || got.Text != d.Text {
		t.Errorf("Document after reopen=%v, %v", got, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if v2 := userVersion(t, dir); v2 != v1 {
		t.Errorf("user_version=%d after reopen, want %d", v2, v1)
	}
}

func TestOpen_RefusesNewerSchema(t *testing.T) {
	dir := t.TempDir()
	s, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	MustAdd(t, s, newDoc(1))
	known := userVersion(t, dir)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	setUserVersion(t, dir, 99)

	_, err = store.Open(dir)
	if err == nil {
		t.Fatal("Open succeeded on a database from the future")
	}
	want := fmt.Sprintf("project.db was written by a newer Dossier (schema 99, this build knows %d)", known)
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("err=%q, want it to contain %q", err, want)
	}
	if got := notes.ErrorKind(err); got != notes.ECONFLICT {
		t.Errorf("kind=%s, want %s", got, notes.ECONFLICT)
	}
	if v := userVersion(t, dir); v != 99 {
		t.Fatalf("refusing changed user_version to %d", v)
	}
}

func TestOpen_RefusesFileThatIsNotADatabase(t *testing.T) {
	dir := t.TempDir()
	junk := []byte(strings.Repeat("this is not SQLite. ", 500))
	if err := os.WriteFile(filepath.Join(dir, store.DBFile), junk, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := store.Open(dir)
	if got := notes.ErrorKind(err); got != notes.EINVALID {
		t.Fatalf("kind=%s (err %v), want %s", got, err, notes.EINVALID)
	}
	if !strings.Contains(err.Error(), "is not a Dossier project database") {
		t.Fatalf("err=%q", err)
	}
}

func TestOpen_FolderNameWithURISpecialCharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "what? #1 100% sure")
	s := MustOpenDir(t, dir)
	MustAdd(t, s, newDoc(1))
	if _, err := os.Stat(filepath.Join(dir, store.DBFile)); err != nil {
		t.Fatalf("project.db not inside %q: %v", dir, err)
	}
}

func TestStore_CloseThenReopen_DataIsInTheDatabaseFile(t *testing.T) {
	dir := t.TempDir()
	s, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var batch []*notes.Document
	for i := range 100 {
		batch = append(batch, newDoc(i))
	}
	MustAdd(t, s, batch...)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// A clean close checkpoints the log into project.db itself, which is
	// what a copy or a bundle of the folder relies on.
	if fi, err := os.Stat(filepath.Join(dir, store.DBFile+"-wal")); err == nil && fi.Size() > 0 {
		t.Errorf("project.db-wal still holds %d bytes after Close", fi.Size())
	}
	db := rawDB(t, dir)
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM documents`).Scan(&n); err != nil || n != 100 {
		t.Fatalf("count=%d, %v; want 100", n, err)
	}
}

// What was committed survives the process being killed: the test binary
// runs itself as a child that commits and then waits to be killed.
func TestStore_CommittedDataSurvivesKill(t *testing.T) {
	if os.Getenv("DOSSIER_STORE_CHILD") != "" {
		t.Skip("running as the child")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildCommitsThenHangs$", "-test.v")
	cmd.Env = append(os.Environ(), "DOSSIER_STORE_CHILD="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	committed := false
	for sc.Scan() {
		if sc.Text() == "committed" {
			committed = true
			break
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if !committed {
		t.Fatal("child never reported its commit")
	}

	s := MustOpenDir(t, dir)
	ctx := context.Background()
	if n, err := s.CountDocuments(ctx); err != nil || n != 50 {
		t.Fatalf("CountDocuments()=%d, %v after kill; want 50", n, err)
	}
	id, err := s.DocumentBySHA(ctx, newDoc(7).SHA256)
	if err != nil {
		t.Fatal(err)
	}
	if d, err := s.Document(ctx, id); err != nil || d.Grade != "A1" {
		t.Fatalf("edit before kill lost: %+v, %v", d, err)
	}
	if v, err := s.Meta("last"); err != nil || v != "typed a second before the crash" {
		t.Fatalf("Meta(last)=%q, %v", v, err)
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestChildCommitsThenHangs is the child of TestStore_CommittedDataSurvivesKill.
func TestChildCommitsThenHangs(t *testing.T) {
	dir := os.Getenv("DOSSIER_STORE_CHILD")
	if dir == "" {
		t.Skip("only run as a child process")
	}
	s, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var batch []*notes.Document
	for i := range 50 {
		batch = append(batch, newDoc(i))
	}
	MustAdd(t, s, batch...)
	batch[7].Grade = "A1"
	if err := s.UpdateDocument(context.Background(), batch[7]); err != nil {
		t.Fatal(err)
	}
	if err := s.SetMeta("last", "typed a second before the crash"); err != nil {
		t.Fatal(err)
	}
	fmt.Println("committed")
	time.Sleep(time.Minute) // killed long before this ends; never closed
}

func TestStore_ConcurrentReadsDuringWrites(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	MustAdd(t, s, newDoc(0))
	first, err := s.DocumentBySHA(ctx, newDoc(0).SHA256)
	if err != nil {
		t.Fatal(err)
	}

	const writers, batches, perBatch = 2, 5, 50
	var wg sync.WaitGroup
	done := make(chan struct{})
	errs := make(chan error, 16)
	for w := range writers {
		wg.Go(func() {
			for b := range batches {
				var batch []*notes.Document
				for i := range perBatch {
					batch = append(batch, newDoc(1+w*batches*perBatch+b*perBatch+i))
				}
				if _, err := s.AddDocuments(ctx, batch); err != nil {
					errs <- fmt.Errorf("writer %d: %w", w, err)
					return
				}
			}
		})
	}
	var readers sync.WaitGroup
	for r := range 4 {
		readers.Go(func() {
			last := 0
			for {
				select {
				case <-done:
					return
				default:
				}
				n, err := s.CountDocuments(ctx)
				if err != nil {
					errs <- fmt.Errorf("reader %d: %w", r, err)
					return
				}
				if n < last {
					errs <- fmt.Errorf("reader %d: count went back from %d to %d", r, last, n)
					return
				}
				last = n
				switch r {
				case 0:
					docs, err := s.Documents(ctx)
					if err != nil || len(docs) < n {
						errs <- fmt.Errorf("reader %d: Documents()=%d, %v; want ≥ %d", r, len(docs), err, n)
						return
					}
				case 1:
					if _, err := s.Document(ctx, first); err != nil {
						errs <- fmt.Errorf("reader %d: %w", r, err)
						return
					}
				case 2:
					seen := 0
					err := s.EachDocument(ctx, func(*notes.Document) error {
						seen++
						return nil
					})
					if err != nil || seen < n {
						errs <- fmt.Errorf("reader %d: EachDocument saw %d, %v; want ≥ %d", r, seen, err, n)
						return
					}
				case 3:
					if _, err := s.Text(ctx, first); err != nil {
						errs <- fmt.Errorf("reader %d: %w", r, err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(done)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n, _ := s.CountDocuments(ctx); n != 1+writers*batches*perBatch {
		t.Fatalf("CountDocuments()=%d, want %d", n, 1+writers*batches*perBatch)
	}
}

// While a long write transaction is open, reads answer at once from the
// last commit instead of waiting for it (busy_timeout is 5 s).
func TestStore_ReadsDoNotWaitForAnOpenWriteTransaction(t *testing.T) {
	dir := t.TempDir()
	s := MustOpenDir(t, dir)
	ctx := context.Background()
	MustAdd(t, s, newDoc(0))

	// Another connection plays the part of a long import.
	db := rawDB(t, dir)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`INSERT INTO documents (id, sha256, imported_at) VALUES ('x', 'y', 'z')`); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	n, err := s.CountDocuments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Documents(ctx); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("reads took %v while a write was open", took)
	}
	if n != 1 {
		t.Fatalf("CountDocuments()=%d during the write, want the committed 1", n)
	}
}

func TestStore_Meta_SetReplacesValue(t *testing.T) {
	s := MustOpen(t)
	for _, v := range []string{"first", "second", ""} {
		if err := s.SetMeta("k", v); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Meta("k"); err != nil || got != v {
			t.Fatalf("Meta(k)=%q, %v; want %q", got, err, v)
		}
	}
}

func TestStore_IntegrityCheck(t *testing.T) {
	t.Run("healthy", func(t *testing.T) {
		s := MustOpen(t)
		MustAdd(t, s, newDoc(1))
		if err := s.IntegrityCheck(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("damaged", func(t *testing.T) {
		dir := t.TempDir()
		s, err := store.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		var batch []*notes.Document
		for i := range 500 {
			batch = append(batch, newDoc(i))
		}
		MustAdd(t, s, batch...)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		// Scribble over the pages after the schema, leaving page 1 (the
		// header and the schema) intact so the database still opens.
		path := filepath.Join(dir, store.DBFile)
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		fi, _ := f.Stat()
		junk := []byte(strings.Repeat("\xde\xad\xbe\xef", 1024))
		for off := int64(8 * 4096); off+int64(len(junk)) < fi.Size(); off += 3 * 4096 {
			if _, err := f.WriteAt(junk, off); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}

		s, err = store.Open(dir)
		if err != nil {
			t.Skipf("damage already stops Open (%v); nothing left to check", err)
		}
		defer s.Close()
		err = s.IntegrityCheck(context.Background())
		if err == nil {
			t.Fatal("IntegrityCheck found nothing wrong with a scribbled-over database")
		}
		if !strings.Contains(err.Error(), "project.db is damaged") {
			t.Fatalf("err=%q", err)
		}
	})
}

func rawDB(tb testing.TB, dir string) *sql.DB {
	tb.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, store.DBFile))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	return db
}

func userVersion(tb testing.TB, dir string) int {
	tb.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, store.DBFile))
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil {
		tb.Fatal(err)
	}
	return v
}

func setUserVersion(tb testing.TB, dir string, v int) {
	tb.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, store.DBFile))
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, v)); err != nil {
		tb.Fatal(err)
	}
}

func ExampleStore_AddDocuments() {
	dir, err := os.MkdirTemp("", "dossier-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	s, err := store.Open(dir)
	if err != nil {
		panic(err)
	}
	defer s.Close()

	text := "On October 23, 2003, the airbase at Kant opened."
	doc := func() *notes.Document {
		return &notes.Document{Title: "Kant opens", Text: text, SHA256: shaOf(text),
			Published: notes.DayDate(2003, time.October, 23)}
	}
	ctx := context.Background()
	added, err := s.AddDocuments(ctx, []*notes.Document{doc(), doc()})
	if err != nil {
		panic(err)
	}
	fmt.Println("added:", added)

	docs, _ := s.Documents(ctx)
	fmt.Println(docs[0].Published.Human(), "–", docs[0].Title)
	// Output:
	// added: [true false]
	// 23 Oct 2003 – Kant opens
}

func BenchmarkAddDocuments(b *testing.B) {
	s := MustOpen(b)
	ctx := context.Background()
	const batchSize = 1000
	batch := make([]*notes.Document, batchSize)
	n := 0
	for b.Loop() {
		for i := range batch {
			batch[i] = newDoc(n)
			n++
		}
		if _, err := s.AddDocuments(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "docs/s")
}

func BenchmarkDocuments(b *testing.B) {
	for _, size := range []int{1_000, 100_000} {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			s := MustOpen(b)
			ctx := context.Background()
			batch := make([]*notes.Document, 0, 1000)
			for i := range size {
				d := newDoc(i)
				if i%3 == 0 {
					d.Published = notes.DayDate(2000+i%25, time.Month(1+i%12), 1+i%28)
				}
				batch = append(batch, d)
				if len(batch) == cap(batch) || i == size-1 {
					MustAdd(b, s, batch...)
					batch = batch[:0]
				}
			}
			for b.Loop() {
				docs, err := s.Documents(ctx)
				if err != nil || len(docs) != size {
					b.Fatalf("Documents()=%d, %v", len(docs), err)
				}
			}
		})
	}
}

// BenchmarkPutOriginals keeps originals in batches of 1,000, as an import
// does: the batch is flushed to disk once, so this measures the file
// system calls per original more than the disk's flush.
func BenchmarkPutOriginals(b *testing.B) {
	s := MustOpen(b)
	n := 0
	for b.Loop() {
		files := make([]notes.Original, 1000)
		for i := range files {
			data := fmt.Appendf(nil, "original %d", n)
			files[i] = notes.Original{SHA256: shaOf(string(data)), Data: data}
			n++
		}
		if err := s.PutOriginals(files); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "files/s")
}

func TestStore_Texts_ManyAtOnce(t *testing.T) {
	s := MustOpen(t)
	a, b := newDoc(1), newDoc(2)
	MustAdd(t, s, a, b)
	got, err := s.Texts(context.Background(), []string{a.ID, "missing", b.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[a.ID] != a.Text || got[b.ID] != b.Text {
		t.Fatalf("got %v", got)
	}
	if got, err := s.Texts(context.Background(), nil); err != nil || len(got) != 0 {
		t.Fatalf("no ids: %v %v", got, err)
	}
}
