package cli_test

import (
	"encoding/json"
	"strings"
	"testing"
)

type eventOut struct {
	ID, Label, Date, End, Note string
	Links                      []string
}

func TestEventCommands_AddListEditDelete(t *testing.T) {
	dir := t.TempDir()
	docs := seedDocs(t, dir)
	iwpr := docs["Kyrgyzstan Sticks Close to Russia"]

	code, out, errs := run(t, dir, "event", "add", "--label", "Opening ceremony", "--date", "2003-10-23",
		"--link", iwpr.ID, "--note", "IWPR says so", "--json")
	if code != 0 {
		t.Fatalf("add: exit %d: %s", code, errs)
	}
	var added eventOut
	if err := json.Unmarshal([]byte(out), &added); err != nil {
		t.Fatalf("add --json: %v\n%s", err, out)
	}
	if added.ID == "" || added.Date != "2003-10-23" || len(added.Links) != 1 || added.Links[0] != iwpr.ID {
		t.Fatalf("added = %+v", added)
	}

	code, out, errs = run(t, dir, "event", "edit", added.ID, "--end", "2003-10", "--label", "Opening of the base", "--no-links")
	if code != 0 {
		t.Fatalf("edit: exit %d: %s", code, errs)
	}
	code, out, _ = run(t, dir, "event", "list", "--json")
	var list []eventOut
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != 0 {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	if len(list) != 1 || list[0].Label != "Opening of the base" || list[0].End != "2003-10" ||
		list[0].Note != "IWPR says so" || len(list[0].Links) != 0 || list[0].Links == nil {
		t.Fatalf("after edit: %+v", list)
	}

	// The event is on the timeline as kind mine, with its id and links.
	code, out, _ = run(t, dir, "timeline", "--json")
	var tl []struct {
		Kind, ID, Label, Date string
		Links                 *[]string
	}
	if err := json.Unmarshal([]byte(out), &tl); err != nil || code != 0 {
		t.Fatalf("timeline --json: %v", err)
	}
	mine := 0
	for _, e := range tl {
		if e.Kind == "mine" {
			mine++
			if e.ID != added.ID || e.Date != "2003-10-23" || e.Links == nil {
				t.Fatalf("mine entry = %+v", e)
			}
		} else if e.Links != nil {
			t.Fatalf("%s entry has links: %+v", e.Kind, e)
		}
	}
	if mine != 1 {
		t.Fatalf("timeline has %d user events, want 1", mine)
	}

	code, out, errs = run(t, dir, "event", "delete", added.ID)
	if code != 0 || !strings.Contains(out, "Deleted") {
		t.Fatalf("delete: exit %d: %s %s", code, out, errs)
	}
	code, _, errs = run(t, dir, "event", "delete", added.ID)
	if code != 1 || !strings.Contains(errs, "no event with id") {
		t.Fatalf("second delete: exit %d: %s", code, errs)
	}
}

func TestEventCommands_ClearErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"event", "add", "--date", "2003"}, 1, "needs a label"},
		{[]string{"event", "add", "--label", "x"}, 1, "needs a date"},
		{[]string{"event", "add", "--label", "x", "--date", "23/10/2003"}, 1, "use YYYY"},
		{[]string{"event", "add", "--label", "x", "--date", "2003", "--end", "2002"}, 1, "before it starts"},
		{[]string{"event", "add", "--label", "x", "--date", "2003", "--link", "nope"}, 1, "no source, quote or note"},
		{[]string{"event", "edit"}, 2, "needs the event's id"},
		{[]string{"event", "frob"}, 2, "unknown event command"},
		{[]string{"event"}, 2, "say what to do"},
	} {
		code, _, errs := run(t, dir, c.args...)
		if code != c.code || !strings.Contains(errs, c.msg) {
			t.Errorf("%q: exit %d, stderr %q; want exit %d and %q", c.args, code, errs, c.code, c.msg)
		}
	}
}
