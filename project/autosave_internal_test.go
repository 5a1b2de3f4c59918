package project

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"dossier/notes"
)

func TestAutosaver_RetriesAFailedSaveUntilItSucceeds(t *testing.T) {
	var (
		mu    sync.Mutex
		calls []string
	)
	save := func(_ context.Context, n *notes.Note) error {
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, n.Body)
		if len(calls) == 1 {
			return errors.New("disk full")
		}
		n.Version++
		return nil
	}
	done := make(chan AutosaveEvent, 4)
	a := newAutosaver(save, &notes.Note{ID: "n", Version: 1}, func(ev AutosaveEvent) { done <- ev })
	defer a.Close()
	a.Set("text")
	for _, want := range []string{AutosaveError, AutosaveSaved} {
		select {
		case ev := <-done:
			if ev.Kind != want || ev.Body != "text" {
				t.Fatalf("event %+v, want %s of the text", ev, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no %s event", want)
		}
	}
	if a.Pending() {
		t.Errorf("still pending after the retry saved")
	}
}
