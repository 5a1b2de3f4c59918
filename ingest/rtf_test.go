package ingest_test

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dossier/ingest"
	"dossier/notes"
)

func TestParseRTF(t *testing.T) {
	rtfFile := func(name string) []byte { return mustRead(t, filepath.Join("testdata", "rtf", name)) }
	for _, tc := range []struct {
		name, file string
		data       []byte
		title      string
		author     string
		published  notes.Date
		text       []string // in this order
		absent     []string
	}{
		{
			// Made by latex2rtf 2.3.18 from latex2rtf.tex: a real writer's
			// stylesheet, table groups, field and \*\footnote.
			name: "latex2rtf", file: "report.rtf", data: rtfFile("latex2rtf.rtf"),
			title: "Original file was report.tex", // what latex2rtf puts in \info
			text: []string{"The Kant Airbase in Kyrgyzstan\n\nLeila Saralaeva\n\nOctober 23, 2003\n\n1 Opening\n\n",
				"Café owners in Bishkek — and naïve reporters — were surprised.\n\n",
				"Base\tOpened\nKant\t2003\nManas\t2001\n\nSee the ministry statement for details.\n\n2 Quotes\n\n",
				"Ümit Öz said: “We welcome the base.”"},
			absent: []string{"footnote", "HYPERLINK", "Times New Roman", "Normal", "\\"},
		},
		{
			name: "WordPad, Windows-1252", file: "wordpad.rtf", data: rtfFile("wordpad-1252.rtf"),
			title: "wordpad",
			text: []string{"Compte rendu de la réunion\n\nLes délégués ont visité la base à Kant – “sans préavis”, a dit M. Müller.\n\n",
				"Coût\t12 €\nDeuxième ligne."},
			absent: []string{"Riched20", "Calibri", "\r"},
		},
		{
			name: "WordPad, Windows-1251 font beside a Western one", file: "wordpad.rtf", data: rtfFile("wordpad-1251.rtf"),
			title: "wordpad",
			text:  []string{"Авиабаза Кант открыта в 2003 году.\n\nCafé in a Western font. И снова по-русски."},
		},
		{
			name: "Shift-JIS with a backslash as second byte", file: "jp.rtf", data: rtfFile("shiftjis.rtf"),
			title: "jp", text: []string{"表の結果: Kant 基地"},
		},
		{
			name: `\u with \uc1, \uc0, \uc2, negative N, surrogates`, file: "u.rtf", data: rtfFile("unicode.rtf"),
			title: "u",
			text: []string{"Кант means Kant.\n\nNo fallback: — dash “quoted”.\n\nTwo fallback bytes: 語 is a word.\n\n",
				"Emoji 😀 and •\tbullet from Symbol.\n\nFallback is a control word: • done."},
			absent: []string{"?", "Œ"},
		},
		{
			name: "Word: info, \\upr, headings, table, hyperlink, pictures, \\bin", file: "word.rtf", data: rtfFile("word.rtf"),
			title: "Briefing on Kant — Кант", author: "Leila Saralaeva", published: notes.DayDate(2023, time.October, 11),
			text: []string{"The Kant Airbase\n\nThe base opened on October 23, 2003.\n\nКант — nested авиабаза.\n\n",
				"See the statement.\n\nEscaped {braces} and \\ after binary.\n\n",
				"Base\tOpened\n\t2003\n\nAfter the table"},
			absent: []string{"Brifing", "Running header", "footnote", "comment", "HIDDEN", "PICTURE", "HYPERLINK", "Someone Else",
				"Normal", "heading", "Arial", "504b03", "1\n"},
		},
		{
			name: "truncated in a picture keeps what came before", file: "cut.rtf", data: rtfFile("truncated.rtf"),
			title: "Briefing on Kant — Кант", author: "Leila Saralaeva", published: notes.DayDate(2023, time.October, 11),
			text: []string{"The Kant Airbase\n\n", "See the statement."},
		},
		{
			name: "a heading style names an untitled document", file: "untitled.rtf",
			data:  []byte(`{\rtf1{\stylesheet{\s0 Normal;}{\s3 Heading 2;}}\pard\s3 Report on Manas\par\pard Body text.\par}`),
			title: "Report on Manas", text: []string{"Report on Manas\n\nBody text."},
		},
		{
			name: "an outline level names an untitled document", file: "untitled.rtf",
			data:  []byte(`{\rtf1 \pard Not a heading.\par\pard\outlinelevel0 Manas\par}`),
			title: "Manas", text: []string{"Not a heading.\n\nManas"},
		},
		{
			name: "creation year only", file: "y.rtf",
			data:  []byte(`{\rtf1{\info{\creatim\yr2003}}Text.}`),
			title: "y", published: notes.YearDate(2003), text: []string{"Text."},
		},
		{
			name: "creation month", file: "m.rtf",
			data:  []byte(`{\rtf1{\info{\creatim\yr2003\mo10}{\revtim\yr2020\mo1\dy1}}Text.}`),
			title: "m", published: notes.MonthDate(2003, time.October), text: []string{"Text."},
		},
		{
			name: "impossible creation date is unknown", file: "d.rtf",
			data:  []byte(`{\rtf1{\info{\creatim\yr2003\mo2\dy30}}Text.}`),
			title: "d", text: []string{"Text."},
		},
		{
			name: "sniffed without an extension", file: "letter",
			data:  []byte("\xEF\xBB\xBF\r\n{\\rtf1\\ansi Dear editor,\\par}"),
			title: "letter", text: []string{"Dear editor,"},
		},
		{
			name: "a \\bin longer than the file", file: "bin.RTF",
			data:  []byte(`{\rtf1 Before.{\pict\bin99999999999999 {}}`),
			title: "bin", text: []string{"Before."},
		},
		{
			name: "groups nested deep inside a skipped destination", file: "deep.rtf",
			data:  []byte(`{\rtf1 Kept.{\pict` + strings.Repeat("{", 100000) + strings.Repeat("}", 100000) + `} Also kept.}`),
			title: "deep", text: []string{"Kept. Also kept."},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := mustParse(t, tc.file, tc.data)
			if doc.Title != tc.title || doc.Author != tc.author || doc.Published != tc.published {
				t.Errorf("Title, Author, Published = %q, %q, %v; want %q, %q, %v",
					doc.Title, doc.Author, doc.Published, tc.title, tc.author, tc.published)
			}
			if doc.MediaType != ingest.MediaRTF || doc.Importer != ingest.ImporterRTF {
				t.Errorf("MediaType, Importer = %q, %q", doc.MediaType, doc.Importer)
			}
			last := -1
			for _, s := range tc.text {
				i := strings.Index(doc.Text, s)
				if i <= last {
					t.Fatalf("text lacks %q after offset %d:\n%q", s, last, doc.Text)
				}
				last = i
			}
			for _, s := range tc.absent {
				if strings.Contains(doc.Text, s) {
					t.Errorf("text has %q:\n%q", s, doc.Text)
				}
			}
		})
	}
}

func TestParseRTF_Refused(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		data       string
		want       string
	}{
		{"not RTF", "x.rtf", "Just some text.", `broken RTF document: it does not start with {\rtf`},
		{"no text", "x.rtf", `{\rtf1\ansi{\fonttbl{\f0 Arial;}}{\info{\title T}}{\pict 0102}\par}`, "RTF document has no text"},
		{"only the header", "x.rtf", `{\rtf`, "RTF document has no text"},
		{"nested too deep", "x.rtf", `{\rtf1 ` + strings.Repeat("{", 5000) + "a", "groups nested more than 1000 deep"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := ingest.Parse(tc.file, []byte(tc.data))
			var e *notes.Error
			if doc != nil || !errors.As(err, &e) || e.Kind != notes.EINVALID {
				t.Fatalf("Parse = %v, %v; want an EINVALID error", doc, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not say %q", err, tc.want)
			}
		})
	}
}

// bigRTF builds a Word-like document of about size bytes: word.rtf's
// header, then paragraphs of runs in groups with \'hh and \uN text, a
// table row and, now and then, a picture in hex.
func bigRTF(tb testing.TB, size int) []byte {
	tb.Helper()
	word := mustRead(tb, filepath.Join("testdata", "rtf", "word.rtf"))
	head := word[:bytes.Index(word, []byte(`\pard\plain \ltrpar\s1\ql`))]
	var b bytes.Buffer
	b.Write(head)
	pict := "{\\*\\shppict{\\pict\\pngblip " + strings.Repeat("89504e470d0a1a0a", 256) + "}}"
	for n := 0; b.Len() < size; n++ {
		fmt.Fprintf(&b, "\\pard\\plain \\ltrpar\\ql \\li0\\ri0\\sa160\\sl259\\slmult1\\widctlpar\\itap0 {\\rtlch\\fcs1 \\af31507 \\ltrch\\fcs0 \\insrsid5393551 "+
			"Paragraph %d: the base at Kant, caf\\'e9 \\u1050\\'3f\\u1072\\'3f\\u1085\\'3f\\u1090\\'3f, opened on }{\\b October 23, 2003}{.\\par }\r\n", n)
		if n%10 == 9 {
			b.WriteString("\\trowd\\cellx4680\\cellx9360\\pard\\intbl {Base\\cell 2003\\cell }{\\row }\r\n")
			b.WriteString(pict + "\r\n")
		}
	}
	b.WriteString("}")
	return b.Bytes()
}
