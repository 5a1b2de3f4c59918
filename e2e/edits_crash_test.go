package e2e

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"dossier/internal/testbin"
	"dossier/notes"
	"dossier/project"
)

// TestCrash_KilledDuringEditsIndexFollowsTheStore SIGKILLs the real binary
// at random moments while it edits items whose count does not change: a
// note typed line by line (`note type`), a quote's tags (`quote edit`) and
// a source's title (`source set`). A kill between the store's commit and
// the index batch leaves an edit the index never saw, which counting items
// cannot notice; the store's outbox must make the next open index it.
// Afterwards every acknowledged edit, and the store's state of each item,
// must be findable by search, no superseded state may be, and `dossier
// check` must say OK.
func TestCrash_KilledDuringEditsIndexFollowsTheStore(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real binary; skipped in -short mode")
	}
	bin := testbin.Dossier(t)
	dir := filepath.Join(t.TempDir(), "project")
	var docs []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(run(t, nil, "--project", dir, "docs", "--json")), &docs); err != nil || len(docs) == 0 {
		t.Fatalf("docs of the seeded project: %v %v", docs, err)
	}
	docID := docs[0].ID
	run(t, nil, "--project", dir, "note", "new", "--title", "Edit log")
	var quote struct {
		ID string `json:"id"`
	}
	out := run(t, nil, "--project", dir, "quote", "add", "--doc", docID, "--start", "0", "--end", "10", "--json")
	if err := json.Unmarshal([]byte(out), &quote); err != nil || quote.ID == "" {
		t.Fatalf("quote add: %v\n%s", err, out)
	}

	// Half the kills land anywhere from start-up to just after a normal
	// run ends, however loaded the machine is; the other half exactly in
	// the window this test is about: once the edit is committed (its
	// outbox row is there) and before its index batch is acknowledged
	// (the row is deleted). A read-only connection watches for that.
	tagTime := timed(t, bin, "--project", dir, "quote", "edit", quote.ID, "--tags", "zfirst")
	titleTime := timed(t, bin, "--project", dir, "source", "set", docID, "--title", "Report zfirst")
	// killAt is when to kill an edit that takes about d: at random, or, in
	// the window, only if the window never comes.
	killAt := func(d time.Duration, inWindow bool, rng *rand.Rand) time.Duration {
		if inWindow {
			return 5 * d
		}
		return time.Duration(rng.Int64N(int64(d) * 5 / 2))
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "project.db")+"?mode=ro&_pragma=busy_timeout(1000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var noteID string
	if err := db.QueryRow(`SELECT id FROM notes WHERE title = 'Edit log'`).Scan(&noteID); err != nil {
		t.Fatal(err)
	}
	committed := func(id string) func() bool {
		var since int64
		if err := db.QueryRow(`SELECT seq FROM sqlite_sequence WHERE name = 'index_outbox'`).Scan(&since); err != nil {
			t.Fatal(err)
		}
		return func() bool {
			var n int
			err := db.QueryRow(`SELECT count(*) FROM index_outbox WHERE id = ? AND seq > ?`, id, since).Scan(&n)
			return err == nil && n > 0
		}
	}

	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 3))
	t.Logf("seed %d", seed)
	const rounds = 48
	var (
		acked     []string             // note lines acknowledged
		tags      = []string{"zfirst"} // words tried, in order
		titles    = []string{"zfirst"}
		lastTag   = 0 // index in tags of the last acknowledged edit
		lastTitle = 0
		killed    int
		// Kills between a commit and its acknowledgement.
		inWindowKills int
	)
	editTag := func(r int, inWindow bool, when func() bool) {
		w := word("zt", r)
		tags = append(tags, w)
		ok, k := editAndKill(t, bin, killAt(tagTime, inWindow, rng), when,
			"--project", dir, "quote", "edit", quote.ID, "--tags", w)
		if ok {
			lastTag = len(tags) - 1
		}
		if k {
			killed++
		}
	}
	editTitle := func(r int, inWindow bool, when func() bool) {
		w := word("zs", r)
		titles = append(titles, w)
		ok, k := editAndKill(t, bin, killAt(titleTime, inWindow, rng), when,
			"--project", dir, "source", "set", docID, "--title", "Report "+w)
		if ok {
			lastTitle = len(titles) - 1
		}
		if k {
			killed++
		}
	}
	start := time.Now()
	for r := range rounds {
		inWindow := r%2 == 0
		// when picks the kill moment: nil for a random time.
		when := func(id string) func() bool {
			if !inWindow {
				return nil
			}
			c := committed(id)
			return func() bool {
				if c() {
					inWindowKills++
					return true
				}
				return false
			}
		}
		switch r / 2 % 3 {
		case 0:
			lines, n := typeAndKill(t, bin, dir, "Edit log", time.Duration(rng.IntN(1500))*time.Millisecond, when(noteID), rng,
				func(i int) string { return "line " + word("zl", r*1000+i) })
			acked = append(acked, lines[:n]...)
			killed++
		case 1:
			editTag(r, inWindow, when(quote.ID))
		case 2:
			editTitle(r, inWindow, when(docID))
		}
	}
	// Random kills can, rarely, catch every tag or title edit before its
	// acknowledgement; a few more rounds of that kind, still killed at
	// random, give the check below something acknowledged to find.
	for r := rounds; r < 2*rounds && (lastTag == 0 || lastTitle == 0); r++ {
		if lastTag == 0 {
			editTag(r, false, nil)
		}
		if lastTitle == 0 {
			editTitle(r, false, nil)
		}
	}
	db.Close()
	if len(acked) == 0 || lastTag == 0 || lastTitle == 0 || killed < rounds/3 || inWindowKills < rounds/6 {
		t.Fatalf("too few edits acknowledged (%d lines, tag %d, title %d) or kills (%d, %d between commit and index): the test proves nothing",
			len(acked), lastTag, lastTitle, killed, inWindowKills)
	}

	// Before anything else opens the project: check counts what the kills
	// left behind and finds no problem.
	var rep struct {
		Problems     []string
		PendingEdits int `json:"pending_edits"`
	}
	out, errOut, err := runErr(nil, bin, "--project", dir, "check", "--json")
	if jerr := json.Unmarshal([]byte(out), &rep); err != nil || jerr != nil || len(rep.Problems) > 0 {
		t.Fatalf("check after the kills: %v %v %+v\n%s", err, jerr, rep, errOut)
	}
	t.Logf("%d rounds in %v: %d kills mid-command (%d between a commit and its index batch), %d lines acknowledged, %d tags and %d titles tried; check then found %d edits pending",
		rounds, time.Since(start).Round(time.Millisecond), killed, inWindowKills, len(acked), len(tags), len(titles), rep.PendingEdits)

	ctx := context.Background()
	p, err := project.Open(ctx, dir, project.Options{})
	if err != nil {
		t.Fatalf("the project does not open after the kills: %v", err)
	}
	find := func(q string) []string {
		t.Helper()
		res, err := p.Index.Search(ctx, notes.SearchRequest{Query: q, Limit: 10, Snippets: -1})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		return ids
	}

	n, err := p.Notes().NoteByTitle(ctx, "Edit log")
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Split(strings.TrimSpace(n.Body), "\n")
	for _, l := range acked {
		if !slices.Contains(body, l) {
			t.Fatalf("acknowledged line %q is not in the note", l)
		}
	}
	// Every line in the store, acknowledged or not, is in the index.
	for _, l := range body {
		if l == "" {
			continue
		}
		if got := find(strings.TrimPrefix(l, "line ")); !slices.Equal(got, []string{n.ID}) {
			t.Fatalf("line %q of the note is not found by search: %v", l, got)
		}
	}

	q, err := p.Quotes().Quote(ctx, quote.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Tags) != 1 || slices.Index(tags, q.Tags[0]) < lastTag {
		t.Fatalf("the quote's tags are %v; the last acknowledged edit set %q", q.Tags, tags[lastTag])
	}
	for _, w := range tags {
		got, want := find("tag:"+w), []string(nil)
		if w == q.Tags[0] {
			want = []string{q.ID}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("tag:%s finds %v, want %v (the quote's tag is %s)", w, got, want, q.Tags[0])
		}
	}

	d, err := p.Store.Document(ctx, docID)
	if err != nil {
		t.Fatal(err)
	}
	cur := strings.TrimPrefix(d.Title, "Report ")
	if slices.Index(titles, cur) < lastTitle {
		t.Fatalf("the source's title is %q; the last acknowledged edit set %q", d.Title, titles[lastTitle])
	}
	for _, w := range titles {
		got := find("title:" + w)
		slices.Sort(got)
		var want []string
		if w == cur {
			want = []string{docID, q.ID} // the quote's item carries its source's title
			slices.Sort(want)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("title:%s finds %v, want %v (the source's title is %q)", w, got, want, d.Title)
		}
	}
	if n, err := p.PendingIndexEdits(ctx); err != nil || n != 0 {
		t.Fatalf("after opening: %d edits pending, %v", n, err)
	}
	p.Close()
	checkProject(t, bin, dir, "after reopening")
}

// editAndKill runs a one-shot edit and SIGKILLs it after d, or as soon
// as when (if not nil, polled every millisecond) holds, unless it ends
// first. ok says the command finished successfully (its edit is
// acknowledged); killed that it was killed.
func editAndKill(t *testing.T, bin string, d time.Duration, when func() bool, args ...string) (ok, killed bool) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	timeout := time.After(d)
	for {
		select {
		case err := <-done:
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				t.Fatalf("dossier %v: %v\n%s", args, err, stderr.String())
			}
			return err == nil, false
		case <-timeout:
		case <-time.After(time.Millisecond):
			if when == nil || !when() {
				continue
			}
		}
		_ = cmd.Process.Signal(syscall.SIGKILL)
		err := <-done
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.Sys().(syscall.WaitStatus).Signaled() {
			return false, true
		}
		// It exited on its own just before the signal.
		return err == nil, false
	}
}

// word spells n in letters after prefix ("zqa", "zqb", … "zqba"): a token
// the search analyzer keeps whole and no seed document contains. Each kind
// of edit has its own prefix, so that a search finds only its own.
func word(prefix string, n int) string {
	var b []byte
	for {
		b = append([]byte{byte('a' + n%26)}, b...)
		n /= 26
		if n == 0 {
			break
		}
	}
	return prefix + string(b)
}
