package ingest

import (
	"strings"
	"testing"

	"dossier/notes"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in        string
		allowYear bool
		want      string // notes.Date.String(); "" for not a date
		prec      notes.Precision
	}{
		{"Wed Oct 11 2023", false, "2023-10-11", notes.PrecisionDay},
		{"Wednesday, October 4, 2023", false, "2023-10-04", notes.PrecisionDay},
		{"2023-10-11", false, "2023-10-11", notes.PrecisionDay},
		{"2023-10-11T09:30:00+06:00", false, "2023-10-11", notes.PrecisionDay},
		{"2023-10-12T01:30:00+06:00", false, "2023-10-12", notes.PrecisionDay}, // as written, not UTC
		{"2023-10-11 09:30:00 +0600", false, "2023-10-11", notes.PrecisionDay},
		{"2023/10/11", false, "2023-10-11", notes.PrecisionDay},
		{"11 October 2023", false, "2023-10-11", notes.PrecisionDay},
		{"11th October 2023", false, "2023-10-11", notes.PrecisionDay},
		{"October 11th, 2023", false, "2023-10-11", notes.PrecisionDay},
		{"Oct. 4, 2023", false, "2023-10-04", notes.PrecisionDay},
		{"Wed, 11 Oct 2023 10:00:00 +0000", false, "2023-10-11", notes.PrecisionDay},
		{"October 4, 2023 at 10:32 am", false, "2023-10-04", notes.PrecisionDay},
		{"Wed Oct 11 2023 10:32:00 GMT+0600 (Kyrgyzstan Time)", false, "2023-10-11", notes.PrecisionDay},
		{"Wed Oct 11 10:00:00 2023", false, "2023-10-11", notes.PrecisionDay},     // asctime
		{"Wed Oct  1 10:00:00 MSK 2023", false, "2023-10-01", notes.PrecisionDay}, // date(1)
		{"11.10.2023", false, "2023-10-11", notes.PrecisionDay},
		{"11 октября 2023 г.", false, "2023-10-11", notes.PrecisionDay},
		{"mercredi 11 octobre 2023", false, "2023-10-11", notes.PrecisionDay},
		{"11. Oktober 2023", false, "2023-10-11", notes.PrecisionDay},
		{"October 2023", false, "2023-10", notes.PrecisionMonth},
		{"Oct 2023", false, "2023-10", notes.PrecisionMonth},
		{"2023-10", false, "2023-10", notes.PrecisionMonth},
		{"2023", true, "2023", notes.PrecisionYear},

		// Not dates, or not only dates.
		{"2023", false, "", notes.PrecisionUnknown},
		{"10/11/2023", false, "", notes.PrecisionUnknown}, // month or day first? a guess
		{"31 April 2023", false, "", notes.PrecisionUnknown},
		{"2023-02-30", false, "", notes.PrecisionUnknown},
		{"October 2023 saw riots", false, "", notes.PrecisionUnknown},
		{"On 11 October 2023 the parliament voted.", false, "", notes.PrecisionUnknown},
		{"May 8", false, "", notes.PrecisionUnknown},
		{"Oct 11 10:00 in 2023", false, "", notes.PrecisionUnknown},
		{"Oct 11 riots 2023", false, "", notes.PrecisionUnknown},
		{"No. 107", false, "", notes.PrecisionUnknown},
		{"25,000 men", false, "", notes.PrecisionUnknown},
		{"Article 6", false, "", notes.PrecisionUnknown},
		{"75%", false, "", notes.PrecisionUnknown},
		{"424 km", false, "", notes.PrecisionUnknown},
		{"0023-10-11", false, "", notes.PrecisionUnknown},
		{"", false, "", notes.PrecisionUnknown},
	} {
		got, ok := parseDate(tc.in, tc.allowYear)
		if got.String() != tc.want || got.Precision != tc.prec || ok != (tc.want != "") {
			t.Errorf("parseDate(%q, %v) = %v (%v), %v; want %q (%v)", tc.in, tc.allowYear, got, got.Precision, ok, tc.want, tc.prec)
		}
	}
}

func TestScanText_Bylines(t *testing.T) {
	for _, tc := range []struct{ text, author string }{
		{"Title\nBy Leila Saralaeva\n", "Leila Saralaeva"},
		{"Title\nBY LEILA SARALAEVA\n", "LEILA SARALAEVA"},
		{"Title\nBy Leila Saralaeva, IWPR\n", "Leila Saralaeva"},
		{"Title\nBy Jean de la Fontaine and Ann Lee\n", "Jean de la Fontaine and Ann Lee"},
		{"Title\nAuthor: [Leila Saralaeva](#)\n", "Leila Saralaeva"},
		{"Title\nWritten by Jane Doe\n", "Jane Doe"},
		{"Title\nBy 2025, the base will grow.\n", ""},
		{"Title\nBy contrast, nothing.\n", ""},
		{"Title\nBy Thursday, the troops had left the base and gone home for good.\n", ""},
		{"By Any Means Necessary\nText.\n", ""}, // a title, not a byline
		{"Title\nBy Moscow's standards, the base is small and its garrison is only a few hundred men.\n", ""},
		{"Title\n\nbody\n\nAuthor: Ruslan Usatov\n", "Ruslan Usatov"},
	} {
		if got := scanText(tc.text, true).author; got != tc.author {
			t.Errorf("author of %q = %q, want %q", tc.text, got, tc.author)
		}
	}
}

func TestScanText_Datelines(t *testing.T) {
	for _, tc := range []struct{ text, date string }{
		{"Title\n\nWed Oct 11 2023\n\nBody.\n", "2023-10-11"},
		{"Title\n\nOctober 2023\n\nBody.\n", "2023-10"},
		{"Title\nOctober 2023\nOctober 2023\n", "2023-10"}, // repeated, not conflicting
		{"Timeline\n\nOctober 2003\nThe base opened.\n\nOctober 2023\nThe air defence deal.\n", ""},
		{"Timeline\n\nPublished: 2024-01-05\n\nOctober 2003\nThe base opened.\n\nOctober 2023\nDeal.\n", "2024-01-05"},
		{"Title\n" + strings.Repeat("para\n", 12) + "11 October 2023\n", ""}, // too far down for a dateline
		{"Title\n\nBody.\n\nPosted on 11 October 2023\n", "2023-10-11"},
	} {
		if got := scanText(tc.text, true).date.String(); got != tc.date {
			t.Errorf("date of %q = %q, want %q", tc.text, got, tc.date)
		}
	}
}

func TestGuess8bit(t *testing.T) {
	for _, tc := range []struct {
		name, text, charset string
	}{
		{"russian", "Российская авиабаза в Канте была открыта в 2003 году.", csCP1251},
		{"russian caps", "РОССИЙСКАЯ АВИАБАЗА В КАНТЕ", csCP1251},
		{"russian with latin words", "База CSTO и ОДКБ: Putin посетил Кант.", csCP1251},
		{"french", "Le président a déclaré que la base aérienne était élevée.", csCP1252},
		{"german", "Die Größe der Straße überrascht Mädchen und Jungen.", csCP1252},
		{"spanish", "El niño comió piña en la montaña.", csCP1252},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := encode(t, tc.text, tc.charset)
			if got := guess8bit(b); got != tc.charset {
				t.Errorf("guess8bit = %s, want %s", got, tc.charset)
			}
			if got, _ := decodeUnlabeled(b); got != tc.text {
				t.Errorf("decoded %q, want %q", got, tc.text)
			}
		})
	}
	for _, text := range []string{
		"Российская авиабаза в Канте была открыта в 2003 году.",
		"Цукерберг", "Привет мир", "Кант", "Бишкек и Москва", "Жаров", "РОССИЙСКАЯ АВИАБАЗА В КАНТЕ",
	} {
		for _, cs := range []string{csCP1251, csKOI8R} {
			if got := guess8bit(encode(t, text, cs)); got != cs {
				t.Errorf("%q in %s guessed as %s", text, cs, got)
			}
		}
	}
}

func encode(tb testing.TB, s, charset string) []byte {
	tb.Helper()
	b, err := charsetEncoding(charset).NewEncoder().Bytes([]byte(s))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestDecodeUnlabeled_DamagedUTF8StaysUTF8(t *testing.T) {
	// One stray byte in a long UTF-8 text must not turn it into mojibake.
	b := []byte("Бишкек и Кант — café, naïve. Ещё одна строка текста.\xff")
	got, cs := decodeUnlabeled(b)
	if cs != csUTF8 || got != "Бишкек и Кант — café, naïve. Ещё одна строка текста.\uFFFD" {
		t.Errorf("decodeUnlabeled = %q (%s)", got, cs)
	}
}

func TestNormalizeNewlines(t *testing.T) {
	for in, want := range map[string]string{
		"a\r\nb\r\n": "a\nb\n",
		"a\rb\r":     "a\nb\n",
		"a\r\r\nb":   "a\n\nb",
		"a\nb":       "a\nb",
		"\r":         "\n",
	} {
		if got := normalizeNewlines(in); got != want {
			t.Errorf("normalizeNewlines(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDecodeQP(t *testing.T) {
	for in, want := range map[string]string{
		"Caf=C3=A9":         "Café",
		"soft=\r\nbreak":    "softbreak",
		"soft=  \nbreak":    "softbreak",
		"a=3db":             "a=b",
		"bad =ZZ escape":    "bad =ZZ escape",
		"trailing =":        "trailing ",
		"1+1=2 is not hex=": "1+1=2 is not hex",
	} {
		if got := string(decodeQP([]byte(in))); got != want {
			t.Errorf("decodeQP(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDecodeBase64_Lenient(t *testing.T) {
	for in, want := range map[string]string{
		"SGVsbG8=":        "Hello",
		"SGVs\r\nbG8=":    "Hello",
		"SGVsbG8":         "Hello", // padding lost
		"SGVs bG8=\x00!!": "Hello", // junk around it
	} {
		if got := string(decodeBase64([]byte(in))); got != want {
			t.Errorf("decodeBase64(%q) = %q, want %q", in, got, want)
		}
	}
}
