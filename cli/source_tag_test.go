package cli_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestSourceTag_AddRemoveAndSearch(t *testing.T) {
	dir, src := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "kant.txt"), []byte("Kant Airbase\n\nThe airbase at Kant opened in 2003."), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, dir, "--no-seeds", "import", filepath.Join(src, "kant.txt"))
	var id string
	for _, d := range seedDocs(t, dir) {
		id = d.ID
	}

	if out := mustRun(t, dir, "source", "tag", id, "Kant", "airbase,russia"); !strings.Contains(out, `"Kant Airbase" is tagged #Kant #airbase #russia`) {
		t.Errorf("source tag: %q", out)
	}
	var hits struct {
		Total int
		Hits  []struct{ ID string }
	}
	mustJSON(t, mustRun(t, dir, "search", "--json", "tag:russia"), &hits)
	if hits.Total != 1 || hits.Hits[0].ID != id {
		t.Errorf("tag:russia finds %+v, want the source", hits)
	}

	var d struct{ Tags []string }
	mustJSON(t, mustRun(t, dir, "source", "tag", id, "RUSSIA", "--remove", "--json"), &d)
	if want := []string{"Kant", "airbase"}; !slices.Equal(d.Tags, want) {
		t.Errorf("after --remove tags = %q, want %q", d.Tags, want)
	}
	if out := mustRun(t, dir, "source", "tag", id); !strings.Contains(out, "#Kant #airbase") {
		t.Errorf("source tag ID lists the tags: %q", out)
	}
	mustJSON(t, mustRun(t, dir, "search", "--json", "tag:russia"), &hits)
	if hits.Total != 0 {
		t.Errorf("tag:russia still finds %+v", hits)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"source", "tag"}, "source tag takes the source's id"},
		{[]string{"source", "tag", id, " , "}, "at least one tag"},
		{[]string{"source", "tag", "nope", "x"}, "no document with id nope"},
	} {
		code, _, errs := run(t, dir, tc.args...)
		if code == 0 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, %q; want an error saying %q", tc.args, code, errs, tc.want)
		}
	}
}
