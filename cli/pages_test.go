package cli_test

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestSearch_PDFHitsSayTheirPage(t *testing.T) {
	dir := t.TempDir()
	pdf := filepath.Join("..", "ingest", "testdata", "pdf", "ghostscript.pdf")
	if code, out, errs := run(t, dir, "--no-seeds", "import", pdf); code != 0 {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	code, out, errs := run(t, dir, "search", "--json", `"Courier line"`)
	if code != 0 {
		t.Fatalf("search: %d %s", code, errs)
	}
	var res struct {
		Hits []struct {
			Snippets []string
			Pages    []int
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Hits) != 1 {
		t.Fatalf("search --json: %v\n%s", err, out)
	}
	if got := res.Hits[0].Pages; !reflect.DeepEqual(got, []int{2}) {
		t.Fatalf("pages %v, want [2]", got)
	}
	_, out, _ = run(t, dir, "search", `"Courier line"`)
	if !strings.Contains(out, "p. 2: ") {
		t.Fatalf("text output does not say the page:\n%s", out)
	}
	// show --json carries the page starts.
	_, out, _ = run(t, dir, "docs", "--json")
	var docs []struct{ ID string }
	json.Unmarshal([]byte(out), &docs)
	_, out, _ = run(t, dir, "show", "--json", docs[0].ID)
	var d struct{ Pages []int }
	if err := json.Unmarshal([]byte(out), &d); err != nil || len(d.Pages) != 3 {
		t.Fatalf("show --json pages %v (%v)", d.Pages, err)
	}
}
