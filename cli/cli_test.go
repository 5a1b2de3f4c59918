package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dossier/cli"
)

// run runs the CLI with args against the project in dir.
func run(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = cli.Main(append([]string{"--project", dir}, args...), &cli.Env{Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

type doc struct {
	ID, Title, Author, URL, Published, Precision, SHA256 string
	MediaType                                            string `json:"media_type"`
	Text                                                 *string
}

func seedDocs(t *testing.T, dir string) map[string]doc {
	t.Helper()
	code, out, errs := run(t, dir, "docs", "--json")
	if code != 0 {
		t.Fatalf("docs: %d %s", code, errs)
	}
	var docs []doc
	if err := json.Unmarshal([]byte(out), &docs); err != nil {
		t.Fatalf("docs --json is not JSON: %v\n%s", err, out)
	}
	m := map[string]doc{}
	for _, d := range docs {
		m[d.Title] = d
	}
	return m
}

func TestDocsJSON_SeedMetadata(t *testing.T) {
	docs := seedDocs(t, t.TempDir())
	if len(docs) != 5 {
		t.Fatalf("got %d seed documents", len(docs))
	}
	d, ok := docs["Kyrgyz President Emphasizes Strategic Role of Russian Airbase in Kant for Regional Stability"]
	if !ok {
		t.Fatalf("000 title missing: %v", docs)
	}
	if d.Published != "" || d.Precision != "unknown" {
		t.Errorf("000 published=%q precision=%q, want unknown", d.Published, d.Precision)
	}
	iwpr := docs["Kyrgyzstan Sticks Close to Russia"]
	if iwpr.Author != "Leila Saralaeva" || iwpr.URL != "https://iwpr.net/global-voices/kyrgyzstan-sticks-close-russia" {
		t.Errorf("002 author=%q url=%q", iwpr.Author, iwpr.URL)
	}
	for _, d := range docs {
		if len(d.SHA256) != 64 || d.MediaType == "" || d.ID == "" {
			t.Errorf("incomplete metadata: %+v", d)
		}
		if d.Text != nil {
			t.Errorf("docs must not print texts")
		}
	}
}

func TestSearchJSON_Shape(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := run(t, dir, "search", "--json", "--limit", "2", "airbase Kant")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var res struct {
		Total int
		Hits  []struct {
			ID, Type, Title, Published string
			Score                      float64
			Snippets                   []string
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if res.Total < 2 || len(res.Hits) != 2 {
		t.Fatalf("total=%d hits=%d, want total>=2 and --limit 2 respected", res.Total, len(res.Hits))
	}
	if res.Hits[0].Score < res.Hits[1].Score {
		t.Error("hits not ranked by score")
	}
	h := res.Hits[0]
	if h.ID == "" || h.Type != "source" || h.Title == "" || len(h.Snippets) == 0 {
		t.Fatalf("incomplete hit: %+v", h)
	}
	if !strings.Contains(strings.ToLower(strings.Join(h.Snippets, " ")), "<mark>kant</mark>") &&
		!strings.Contains(strings.ToLower(strings.Join(h.Snippets, " ")), "<mark>airbase</mark>") {
		t.Fatalf("snippets do not mark the matched words: %q", h.Snippets)
	}
}

// An exclusion is query syntax, not a flag: "search -manas" must search.
func TestSearch_WordsThatLookLikeFlags(t *testing.T) {
	dir := t.TempDir()
	total := func(args ...string) int {
		t.Helper()
		code, out, errs := run(t, dir, append([]string{"search", "--json"}, args...)...)
		var res struct{ Total int }
		if err := json.Unmarshal([]byte(out), &res); code != 0 || err != nil {
			t.Fatalf("search %q: exit %d, %v: %s", args, code, err, errs)
		}
		return res.Total
	}
	all, kant := total("*"), total("kant")
	if kant == 0 || kant == all {
		t.Fatalf("the seeds should have documents with and without kant: %d of %d", kant, all)
	}
	if got := total("-kant"); got != all-kant {
		t.Errorf("search -kant: %d hits, want %d", got, all-kant)
	}
	if got := total("*", "-kant", "--limit", "1"); got != all-kant {
		t.Errorf("search * -kant --limit 1: total %d, want %d", got, all-kant)
	}
}

func TestShowJSON_HasText(t *testing.T) {
	dir := t.TempDir()
	docs := seedDocs(t, dir)
	d := docs["Kyrgyzstan Sticks Close to Russia"]
	code, out, errs := run(t, dir, "show", d.ID, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got doc
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Text == nil || !strings.Contains(*got.Text, "October 23 ceremony") {
		t.Fatal("show --json lacks the document text")
	}
}

func TestShowOriginal_WritesTheImportedFile(t *testing.T) {
	dir := t.TempDir()
	docs := seedDocs(t, dir)
	d := docs["Kyrgyzstan Sticks Close to Russia"]
	code, out, errs := run(t, dir, "show", "--original", d.ID)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	seed, err := os.ReadFile(filepath.Join("..", "seeds", "002_5937e69cfba3e3de.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if out != string(seed) {
		t.Fatalf("show --original wrote %d bytes, not the seed's %d", len(out), len(seed))
	}
}

func TestImport_SummaryAndFailures(t *testing.T) {
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "good.txt"), []byte("Memo\n\nThe memo was leaked."), 0o644)
	os.WriteFile(filepath.Join(src, "bad.txt"), []byte{0, 1, 2, 0, 0, 0}, 0o644)
	dir := t.TempDir()
	code, out, errs := run(t, dir, "--no-seeds", "import", src)
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	if !strings.Contains(out, "Imported 1, skipped 0, failed 1") || !strings.Contains(out, "bad.txt: ") {
		t.Fatalf("summary:\n%s", out)
	}
	code, out, _ = run(t, dir, "import", "--json", src)
	var rep struct{ Imported, Skipped, Failed []map[string]string }
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 {
		t.Fatalf("import --json: %v %d\n%s", err, code, out)
	}
	if len(rep.Imported) != 0 || len(rep.Skipped) != 1 || len(rep.Failed) != 1 {
		t.Fatalf("second import: %+v", rep)
	}
	// A script loops over the lists: an empty one is [], never null.
	if strings.Contains(out, "null") || !strings.Contains(out, `"imported": []`) {
		t.Fatalf("import --json with nothing imported:\n%s", out)
	}
}

func TestErrors_GoToStderrWithStatus(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"missing id", []string{"show"}, 2, "document id"},
		{"no such id", []string{"show", "nope"}, 1, "nope"},
		{"malformed query", []string{"search", `"unclosed`}, 1, ""},
		{"import nothing", []string{"import"}, 2, "at least one"},
		{"limit 0", []string{"search", "--limit", "0", "kant"}, 2, "--limit must be at least 1"},
		{"negative limit", []string{"search", "--limit=-5", "kant"}, 2, "--limit must be at least 1"},
		{"mistyped flag", []string{"search", "--lmit", "5", "kant"}, 2, "-lmit"},
		{"arguments to docs", []string{"docs", "extra"}, 2, "takes no arguments"},
		{"original as JSON", []string{"show", "--original", "--json", "x"}, 2, "do not go together"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := run(t, dir, tc.args...)
			if code != tc.code || !strings.Contains(errs, tc.msg) || errs == "" {
				t.Fatalf("exit %d (want %d), stderr %q, stdout %q", code, tc.code, errs, out)
			}
		})
	}
}

func TestHelp_OnEveryCommand(t *testing.T) {
	for _, c := range []string{"import", "search", "docs", "show", "reindex"} {
		var out, errb bytes.Buffer
		if code := cli.Main([]string{c, "--help"}, &cli.Env{Stdout: &out, Stderr: &errb}); code != 0 {
			t.Fatalf("%s --help exit %d", c, code)
		}
		if !strings.Contains(out.String(), "Usage: dossier "+c) || !strings.Contains(out.String(), "-project") {
			t.Fatalf("%s --help:\n%s", c, out.String())
		}
		if n := strings.Count(out.String(), "Usage:"); n != 1 || errb.Len() != 0 {
			t.Fatalf("%s --help printed its usage %d times on stdout, and %q on stderr", c, n, errb.String())
		}
	}
}

func TestReindex(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := run(t, dir, "reindex")
	if code != 0 || !strings.Contains(out, "Reindexed 5 items") {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
}

func TestTimelineJSON_SeedExamples(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := run(t, dir, "timeline", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var evs []struct {
		Date, End, Precision, Kind, Label, Doc, Text string
		Offset                                       int
	}
	if err := json.Unmarshal([]byte(out), &evs); err != nil {
		t.Fatal(err)
	}
	found := map[string]string{}
	seenUnknown := false
	for i, ev := range evs {
		if ev.Date == "" {
			seenUnknown = true
		} else if seenUnknown {
			t.Fatalf("dated event %d after a year-unknown one", i)
		}
		if i > 0 && ev.Date != "" && evs[i-1].Date > ev.Date {
			t.Fatalf("not sorted by date at %d", i)
		}
		if ev.Kind == "mentioned" {
			found[ev.Text+"|"+ev.Date] = ev.Precision
		}
	}
	for key, prec := range map[string]string{
		"on Thursday|2023-10-12": "day", "on Wednesday|2023-10-11": "day", "On May 19|2023-05-19": "day",
		"At the end of April|2023-04": "month", "since 2017|2017": "year", "on November 25|": "day",
	} {
		if got, ok := found[key]; !ok || got != prec {
			t.Errorf("event %q: precision %q, found=%v", key, got, ok)
		}
	}
}
