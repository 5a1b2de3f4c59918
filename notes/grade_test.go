package notes_test

import (
	"testing"

	"dossier/notes"
)

func TestParseGrade(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"B2", "B2", true}, {"b2", "B2", true}, {" f6 ", "F6", true}, {"A1", "A1", true}, {"", "", true},
		{"G1", "", false}, {"A0", "", false}, {"A7", "", false}, {"B", "", false}, {"2B", "", false},
		{"B22", "", false}, {"Б2", "", false}, {"ＢⅡ", "", false},
	} {
		got, err := notes.ParseGrade(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseGrade(%q)=%q, %v; want %q ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && notes.ErrorKind(err) != notes.EINVALID {
			t.Errorf("ParseGrade(%q) error kind %s", tc.in, notes.ErrorKind(err))
		}
	}
}
