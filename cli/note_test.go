package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"dossier/cli"
)

type noteOut struct {
	ID, Title, Created, Updated string
	Tags                        []string
	Version                     int64
	Body                        *string
	Links                       []struct {
		TargetID   string `json:"target_id"`
		TargetKind string `json:"target_kind"`
		Text       string
		Start, End int
	}
	Backlinks []struct {
		From      string
		FromTitle string `json:"from_title"`
		Context   string
	}
}

func mustRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	code, out, errs := run(t, dir, args...)
	if code != 0 {
		t.Fatalf("dossier %s: exit %d: %s", strings.Join(args, " "), code, errs)
	}
	return out
}

func mustJSON(t *testing.T, out string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
}

func TestNote_NewListShowRenameDelete(t *testing.T) {
	dir := t.TempDir()
	docs := seedDocs(t, dir)
	iwpr := docs["Kyrgyzstan Sticks Close to Russia"]

	bodyFile := filepath.Join(t.TempDir(), "body.md")
	if err := os.WriteFile(bodyFile, []byte("Opening ceremony per [[source:"+iwpr.ID+"]]. See [[Claims|the claims]]. #kant #history"), 0o644); err != nil {
		t.Fatal(err)
	}
	var hist noteOut
	mustJSON(t, mustRun(t, dir, "note", "new", "--json", "--title", "Base history", "--body-file", bodyFile), &hist)
	if hist.ID == "" || hist.Version != 1 || !reflect.DeepEqual(hist.Tags, []string{"kant", "history"}) {
		t.Fatalf("new note %+v", hist)
	}
	var stdout, stderr bytes.Buffer
	if code := cli.Main([]string{"--project", dir, "note", "new", "--title", "Claims", "--body-file", "-"},
		&cli.Env{Stdout: &stdout, Stderr: &stderr, Stdin: strings.NewReader("Operational since 2017?")}); code != 0 {
		t.Fatalf("note new from stdin: %d %s", code, stderr.String())
	}
	if !strings.HasPrefix(stdout.String(), "Created note ") {
		t.Errorf("new prints %q", stdout.String())
	}
	code, _, errs := run(t, dir, "note", "new", "--title", "claims")
	if code != 1 || !strings.Contains(errs, `already a note called "Claims"`) {
		t.Errorf("duplicate title: exit %d, %q", code, errs)
	}

	var list []noteOut
	mustJSON(t, mustRun(t, dir, "note", "list", "--json"), &list)
	if len(list) != 2 || list[0].Title != "Base history" || list[1].Title != "Claims" || list[0].Body != nil {
		t.Fatalf("list %+v", list)
	}
	mustJSON(t, mustRun(t, dir, "note", "list", "--json", "--tag", "kant"), &list)
	if len(list) != 1 || list[0].ID != hist.ID {
		t.Errorf("list --tag kant: %+v", list)
	}

	var shown noteOut
	mustJSON(t, mustRun(t, dir, "note", "show", "--json", "claims"), &shown)
	if len(shown.Backlinks) != 1 || shown.Backlinks[0].From != hist.ID || shown.Backlinks[0].Context != "See [[Claims|the claims]]." {
		t.Errorf("backlinks of Claims: %+v", shown.Backlinks)
	}
	claimsID := shown.ID
	mustJSON(t, mustRun(t, dir, "note", "show", "--json", hist.ID), &shown)
	if len(shown.Links) != 2 || shown.Links[0].TargetKind != "source" || shown.Links[0].Text != iwpr.Title ||
		shown.Links[1].TargetID != claimsID || shown.Links[1].Text != "the claims" || shown.Links[0].Start != 21 {
		t.Errorf("links of Base history: %+v", shown.Links)
	}

	out := mustRun(t, dir, "note", "rename", claimsID, "Disputed claims")
	if !strings.Contains(out, "updated links in 1 other note") {
		t.Errorf("rename prints %q", out)
	}
	mustJSON(t, mustRun(t, dir, "note", "show", "--json", hist.ID), &shown)
	if !strings.Contains(*shown.Body, "[[Disputed claims|the claims]]") || shown.Links[1].TargetID != claimsID {
		t.Errorf("after rename: %q %+v", *shown.Body, shown.Links)
	}
	text := mustRun(t, dir, "note", "show", claimsID)
	if !strings.Contains(text, "Backlinks:\n  Base history: See [[Disputed claims|the claims]].") {
		t.Errorf("show text:\n%s", text)
	}

	mustRun(t, dir, "note", "delete", claimsID)
	mustJSON(t, mustRun(t, dir, "note", "list", "--json"), &list)
	if len(list) != 1 {
		t.Errorf("%d notes after delete", len(list))
	}
	mustRun(t, dir, "note", "restore", claimsID)
	if got := mustRun(t, dir, "search", "type:note", "disputed"); !strings.Contains(got, "Disputed claims") {
		t.Errorf("restored note not searchable:\n%s", got)
	}
}

func TestNote_UsageErrors(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{{"note"}, {"note", "frobnicate"}, {"note", "new"}, {"note", "show"}, {"note", "rename", "x"}} {
		if code, _, _ := run(t, dir, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	code, _, errs := run(t, dir, "note", "show", "nothing")
	if code != 1 || !strings.Contains(errs, `no note has the id or title "nothing"`) {
		t.Errorf("show unknown: %d %q", code, errs)
	}
	code, _, errs = run(t, dir, "note", "list", "--sort", "size")
	if code != 1 || !strings.Contains(errs, "sort by") {
		t.Errorf("bad sort: %d %q", code, errs)
	}
}

func TestNote_TypeAppendsLinesAndAcknowledges(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "--no-seeds", "note", "new", "--title", "Log")
	var out, errb bytes.Buffer
	code := cli.Main([]string{"--project", dir, "note", "type", "Log"},
		&cli.Env{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader("one\ntwo\nthree\n")})
	if code != 0 {
		t.Fatalf("note type: %d %s", code, errb.String())
	}
	if got := out.String(); !strings.HasSuffix(got, "saved 3 2\n") {
		t.Errorf("acks %q, want the last to be 'saved 3 2'", got)
	}
	var shown noteOut
	mustJSON(t, mustRun(t, dir, "note", "show", "--json", "Log"), &shown)
	if *shown.Body != "one\ntwo\nthree\n" {
		t.Errorf("body %q", *shown.Body)
	}
}
