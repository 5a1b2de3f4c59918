package app

import (
	"bytes"
	"log"
	"testing"
)

func TestPrefsNoiseFilter_DropsOnlyThePreferencesRace(t *testing.T) {
	var out bytes.Buffer
	l := log.New(&prefsNoiseFilter{w: &out}, "", 0)
	l.Print("Fyne error:  Preferences load error:")
	l.Print("  Cause: EOF")
	l.Print("  At: /root/go/pkg/mod/fyne.io/fyne/v2@v2.7.1/app/preferences.go:103")
	l.Print("Fyne error:  Failed to open window")
	l.Print("  Cause: no GL")
	if got, want := out.String(), "Fyne error:  Failed to open window\n  Cause: no GL\n"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}
