package ingest

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDecodeLabeled_Aliases(t *testing.T) {
	for _, tc := range []struct{ label, in, want string }{
		{"cp932", "\x89\xef\x8bc", "会議"},
		{"cp949", "\xc7\xd1\xb1\xb9", "한국"},
		{"x-windows-949", "\xc7\xd1\xb1\xb9", "한국"},
		{"win-1251", "\xd2\xe5\xec\xe0", "Тема"},
		{"x-cp1251", "\xd2\xe5\xec\xe0", "Тема"},
		{"cp1125", "\x93\xaa\xe0\xa0\xf9\xad\xa0 \xf2\xa0\xad\xae\xaa \xf9", "Україна Ґанок ї"},
		{"iso-2022-jp-2", "\x1b$B2q5D\x1b(B", "会議"},
		{"utf-7", "Caf+AOk +IKw-", "Café €"},
		{"unicode-1-1-utf-7", "+ZeVnLIqeZeVnLIqeZeVnLIqe-", "日本語日本語日本語"}, // longer decoded than encoded
		{"iso-2022-kr", "\x1b$)C\x0eGQ19>n\x0f", "한국어"},
	} {
		if got := decodeLabeled([]byte(tc.in), tc.label); got != tc.want {
			t.Errorf("decodeLabeled(%q, %s) = %q, want %q", tc.in, tc.label, got, tc.want)
		}
	}
}

func TestDecodeUTF7(t *testing.T) {
	for in, want := range map[string]string{
		"Hi Mom -+Jjo--!": "Hi Mom -☺-!", // RFC 2152's examples
		"A+ImIDkQ.":       "A≢Α.",
		"+ZeVnLIqe-":      "日本語",
		"+2D3eAQ-":        "😁", // a surrogate pair
		"1+-1=2":          "1+1=2",
		"1+1=2":           "1+1=2", // too short a run to be UTF-7
		"C++ and +A-":     "C++ and +A-",
		"+AOk":            "é", // a run the text ends
		"+AOkA-":          "é\uFFFD",
		"+2D0-":           "\uFFFD", // half a surrogate pair
		"caf\xe9":         "caf\uFFFD",
		"+":               "+",
	} {
		if got := decodeUTF7([]byte(in)); got != want {
			t.Errorf("decodeUTF7(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDecodeISO2022KR(t *testing.T) {
	for in, want := range map[string]string{
		"\x1b$)C\x0eGQ19\x0f text": "한국 text",
		"\x0eGQ 19\x0f":            "한 국",     // a space does not shift in
		"\x0eGQ\nGQ":               "한\nGQ",   // each line starts in ASCII
		"\x0eG\x0f\x0eQ1\x0f":      "\uFFFD畸", // a broken pair does not take the next byte
		"a\xffb":                   "a\uFFFDb",
	} {
		if got := decodeISO2022KR([]byte(in)); got != want {
			t.Errorf("decodeISO2022KR(%q) = %q, want %q", in, got, want)
		}
	}
}

// fuzzDecoder is what a decoder of a charset Dossier reads keeps: no panic,
// valid UTF-8, and plain ASCII text (with none of the charset's escapes)
// as it is.
func fuzzDecoder(f *testing.F, decode func([]byte) string, escapes string) {
	f.Fuzz(func(t *testing.T, b []byte) {
		got := decode(b)
		if !utf8.ValidString(got) {
			t.Fatalf("%q decoded to invalid UTF-8 %q", b, got)
		}
		if isASCII(b) && !strings.ContainsAny(string(b), escapes) && got != string(b) {
			t.Fatalf("ASCII %q decoded to %q", b, got)
		}
	})
}

func FuzzDecodeUTF7(f *testing.F) {
	for _, s := range []string{"Hi Mom -+Jjo--!", "+2D3eAQ-", "+ZeVnLIqe", "1+-1", "+AOkA-", "+2D0-"} {
		f.Add([]byte(s))
	}
	fuzzDecoder(f, decodeUTF7, "+")
}

func FuzzDecodeISO2022KR(f *testing.F) {
	for _, s := range []string{"\x1b$)C\x0eGQ19>n\x0f", "\x0eGQ\nGQ", "\x0eG\x0f", "\x1b$)"} {
		f.Add([]byte(s))
	}
	fuzzDecoder(f, decodeISO2022KR, "\x0e\x0f\x1b")
}
