package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"dossier/notes"
)

func TestStore_Events_AddListEditDelete(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	d := newDoc(1)
	MustAdd(t, s, d)

	later := &notes.Event{Label: "  Base handed over  ", Date: notes.MonthDate(2004, time.March), Links: []string{d.ID, " " + d.ID}}
	if err := s.AddEvent(ctx, later); err != nil {
		t.Fatalf("AddEvent: %v", err)
	}
	if later.ID == "" || later.Created.IsZero() || later.Label != "Base handed over" {
		t.Fatalf("AddEvent did not fill in id/created/trimmed label: %+v", later)
	}
	if got, want := later.Links, []string{d.ID}; len(got) != 1 || got[0] != want[0] {
		t.Fatalf("links = %q, want %q (trimmed, without repeats)", got, want)
	}
	earlier := &notes.Event{Label: "Opening ceremony", Date: notes.DayDate(2003, time.October, 23),
		End: notes.DayDate(2003, time.October, 24), Note: "per IWPR"}
	if err := s.AddEvent(ctx, earlier); err != nil {
		t.Fatalf("AddEvent: %v", err)
	}

	evs, err := s.Events(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].ID != earlier.ID || evs[1].ID != later.ID {
		t.Fatalf("Events = %+v, want the 2003 event before the 2004 one", evs)
	}
	if got := evs[0]; got.End != earlier.End || got.Note != "per IWPR" || got.Date != earlier.Date || len(got.Links) != 0 {
		t.Fatalf("stored event = %+v, want %+v", got, earlier)
	}

	later.Label, later.Date, later.Links = "Base handed over to Russia", notes.YearDate(2004), nil
	if err := s.UpdateEvent(ctx, later); err != nil {
		t.Fatalf("UpdateEvent: %v", err)
	}
	got, err := s.Event(ctx, later.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Label != "Base handed over to Russia" || got.Date != notes.YearDate(2004) || len(got.Links) != 0 || got.Updated.Before(got.Created) {
		t.Fatalf("after UpdateEvent: %+v", got)
	}

	if err := s.DeleteEvent(ctx, later.ID); err != nil {
		t.Fatalf("DeleteEvent: %v", err)
	}
	if _, err := s.Event(ctx, later.ID); !errors.Is(err, notes.ErrNotFound) {
		t.Fatalf("Event after delete: %v, want not found", err)
	}
	if err := s.DeleteEvent(ctx, later.ID); !errors.Is(err, notes.ErrNotFound) {
		t.Fatalf("second DeleteEvent: %v, want not found", err)
	}
	if err := s.UpdateEvent(ctx, later); !errors.Is(err, notes.ErrNotFound) {
		t.Fatalf("UpdateEvent of a deleted event: %v, want not found", err)
	}
}

func TestStore_Events_RejectBadInput(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	d23 := notes.DayDate(2023, time.October, 11)
	cases := []struct {
		name string
		ev   notes.Event
		kind string
	}{
		{"blank label", notes.Event{Label: "  ", Date: d23}, notes.EINVALID},
		{"no date", notes.Event{Label: "x"}, notes.EINVALID},
		{"end before start", notes.Event{Label: "x", Date: d23, End: notes.DayDate(2023, time.October, 10)}, notes.EINVALID},
		{"end year before start", notes.Event{Label: "x", Date: d23, End: notes.YearDate(2022)}, notes.EINVALID},
		{"unknown link", notes.Event{Label: "x", Date: d23, Links: []string{"no-such-id"}}, notes.ENOTFOUND},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ev := c.ev
			err := s.AddEvent(ctx, &ev)
			if got := notes.ErrorKind(err); got != c.kind {
				t.Fatalf("AddEvent error %v (kind %s), want kind %s", err, got, c.kind)
			}
		})
	}
	// An end month that contains the start day is a valid range.
	ok := notes.Event{Label: "October", Date: d23, End: notes.MonthDate(2023, time.October)}
	if err := s.AddEvent(ctx, &ok); err != nil {
		t.Fatalf("end month containing the start: %v", err)
	}
	bad := ok
	bad.End = notes.DayDate(2020, time.January, 1)
	if err := s.UpdateEvent(ctx, &bad); notes.ErrorKind(err) != notes.EINVALID {
		t.Fatalf("UpdateEvent with end before start: %v", err)
	}
	if evs, _ := s.Events(ctx); len(evs) != 1 || evs[0].End != ok.End {
		t.Fatalf("a rejected update changed the event: %+v", evs)
	}
}
