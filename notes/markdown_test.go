package notes_test

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"dossier/notes"
)

func TestParseBody_Links(t *testing.T) {
	type l struct{ Kind, Target, Alias, Text string }
	cases := []struct {
		name string
		body string
		want []l
	}{
		{"title", "See [[Kant base history]].", []l{{notes.TargetNote, "Kant base history", "", "[[Kant base history]]"}}},
		{"alias", "See [[Kant base history|the history]].", []l{{notes.TargetNote, "Kant base history", "the history", "[[Kant base history|the history]]"}}},
		{"spaces trimmed", "[[  Claims  | what they say ]]", []l{{notes.TargetNote, "Claims", "what they say", "[[  Claims  | what they say ]]"}}},
		{"source", "per [[source:0b3c-11]]", []l{{notes.TargetSource, "0b3c-11", "", "[[source:0b3c-11]]"}}},
		{"source alias", "per [[source:0b3c-11|IWPR 2003]]", []l{{notes.TargetSource, "0b3c-11", "IWPR 2003", "[[source:0b3c-11|IWPR 2003]]"}}},
		{"quote alias", "[[quote:q1|operational since 2017]]", []l{{notes.TargetQuote, "q1", "operational since 2017", "[[quote:q1|operational since 2017]]"}}},
		{"quote prefix any case", "[[Quote:q1]]", []l{{notes.TargetQuote, "q1", "", "[[Quote:q1]]"}}},
		{"two links", "[[A]] and [[B|b]]", []l{{notes.TargetNote, "A", "", "[[A]]"}, {notes.TargetNote, "B", "b", "[[B|b]]"}}},
		{"escaped", `not \[[A link]] here`, nil},
		{"escaped backslash", `\\[[A]]`, []l{{notes.TargetNote, "A", "", "[[A]]"}}},
		{"code span", "code `[[A]]` here", nil},
		{"double backtick span", "``a ` [[A]]`` then [[B]]", []l{{notes.TargetNote, "B", "", "[[B]]"}}},
		{"unclosed backtick is literal", "a ` b [[A]]", []l{{notes.TargetNote, "A", "", "[[A]]"}}},
		{"fenced block", "before\n```go\n[[A]]\n```\nafter [[B]]", []l{{notes.TargetNote, "B", "", "[[B]]"}}},
		{"tilde fence", "~~~\n[[A]]\n~~~\n[[B]]", []l{{notes.TargetNote, "B", "", "[[B]]"}}},
		{"unclosed fence runs to end", "```\n[[A]]\n", nil},
		{"empty", "[[]] [[ ]] [[|x]] [[source:]]", nil},
		{"unclosed", "[[A and more", nil},
		{"no line break inside", "[[A\nB]]", nil},
		{"nested opens", "[[a [[B]]", []l{{notes.TargetNote, "B", "", "[[B]]"}}},
		{"cyrillic", "см. [[База в Канте]]", []l{{notes.TargetNote, "База в Канте", "", "[[База в Канте]]"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			links, _ := notes.ParseBody(c.body)
			var got []l
			rs := []rune(c.body)
			for _, x := range links {
				got = append(got, l{x.Kind, x.Target, x.Alias, string(rs[x.Start:x.End])})
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("ParseBody(%q) links = %+v, want %+v", c.body, got, c.want)
			}
		})
	}
}

func TestParseBody_CodePointOffsets(t *testing.T) {
	body := "Ёлка — [[Кант|база]] #тег"
	links, tags := notes.ParseBody(body)
	if len(links) != 1 || len(tags) != 1 {
		t.Fatalf("links=%v tags=%v", links, tags)
	}
	if got, want := links[0].Start, 7; got != want {
		t.Errorf("link start = %d, want %d (code points)", got, want)
	}
	if got, want := links[0].End, 7+len([]rune("[[Кант|база]]")); got != want {
		t.Errorf("link end = %d, want %d", got, want)
	}
	if got := string([]rune(body)[links[0].TargetStart:links[0].TargetEnd]); got != "Кант" {
		t.Errorf("target span = %q", got)
	}
	if got := string([]rune(body)[tags[0].Start:tags[0].End]); got != "#тег" {
		t.Errorf("tag span = %q", got)
	}
}

func TestParseBody_Tags(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"simple", "about #kant and #airbase", []string{"kant", "airbase"}},
		{"start of text", "#kant", []string{"kant"}},
		{"case folded", "#Kant #KANT", []string{"kant", "kant"}},
		{"nested and punctuation", "#place/kant-base_2, #x.", []string{"place/kant-base_2", "x"}},
		{"trailing slash", "#kant/ next", []string{"kant"}},
		{"all digits", "issue #1 and #2023", nil},
		{"digits then letters", "#2023-claims", []string{"2023-claims"}},
		{"heading", "# Heading\n## Sub", nil},
		{"heading then tag", "# Heading #tag", []string{"tag"}},
		{"mid word", "a#b http://x.org/#frag", nil},
		{"in code", "`#code` and\n```\n#fenced\n```\n#after", []string{"after"}},
		{"in link", "[[Note #3|#alias]] #real", []string{"real"}},
		{"escaped", `\#not`, nil},
		{"cyrillic", "#Кант", []string{"кант"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, tags := notes.ParseBody(c.body)
			var got []string
			for _, x := range tags {
				got = append(got, x.Name)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("ParseBody(%q) tags = %q, want %q", c.body, got, c.want)
			}
		})
	}
	if got, want := notes.Tags("#a #b #A"), []string{"a", "b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Tags = %q, want %q", got, want)
	}
}

func TestRenameLinks(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{"plain", "See [[Old]].", "See [[New title]]."},
		{"alias kept", "See [[Old|that note]].", "See [[New title|that note]]."},
		{"any case", "[[old]] [[OLD|x]]", "[[New title]] [[New title|x]]"},
		{"spaces kept", "[[ Old |x]]", "[[ New title |x]]"},
		{"others untouched", "[[Older]] [[source:Old]] `[[Old]]` \\[[Old]]", "[[Older]] [[source:Old]] `[[Old]]` \\[[Old]]"},
		{"unicode around", "Ё [[Old]] Ё", "Ё [[New title]] Ё"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, changed := notes.RenameLinks(c.body, "Old", "New title")
			if got != c.want || changed != (c.body != c.want) {
				t.Fatalf("RenameLinks(%q) = %q, %v; want %q", c.body, got, changed, c.want)
			}
		})
	}
}

func TestSentence(t *testing.T) {
	body := "First one. The base at Kant is [[Kant base|the base]] since 2003. Third."
	links, _ := notes.ParseBody(body)
	if got, want := notes.Sentence(body, links[0].Start, links[0].End), "The base at Kant is [[Kant base|the base]] since 2003."; got != want {
		t.Errorf("Sentence = %q, want %q", got, want)
	}
	body = "# Heading\n- a list item with [[X]]\nnext line"
	links, _ = notes.ParseBody(body)
	if got, want := notes.Sentence(body, links[0].Start, links[0].End), "a list item with [[X]]"; got != want {
		t.Errorf("Sentence = %q, want %q", got, want)
	}
}

func TestCheckTitle(t *testing.T) {
	for _, bad := range []string{"", "  ", "a|b", "a]]", "[x", "two\nlines", "source:x", "Quote:x"} {
		if err := notes.CheckTitle(bad); notes.ErrorKind(err) != notes.EINVALID {
			t.Errorf("CheckTitle(%q) = %v, want EINVALID", bad, err)
		}
	}
	for _, ok := range []string{"Kant base history", "База в Канте", "Claims: 2017 vs 2003", "#1 priority"} {
		if err := notes.CheckTitle(ok); err != nil {
			t.Errorf("CheckTitle(%q) = %v", ok, err)
		}
	}
}

func FuzzParseBody(f *testing.F) {
	for _, s := range []string{"[[A]]", "[[A|b]] #t", "`[[x]]`", "```\n[[x]]\n```", `\[[x]]`, "[[source:1|x]]",
		"#1 #a/b [[ ]] [[q", "~~~~\n~~~\n[[a]]", "Ё[[Ё|Ё]]#Ё", "``` `\n[[a]]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		links, tags := notes.ParseBody(body)
		rs := []rune(body)
		last := 0
		for _, l := range links {
			if l.Start < last || l.End > len(rs) || l.Start >= l.End || l.TargetStart < l.Start+2 || l.TargetEnd > l.End-2 || l.TargetStart >= l.TargetEnd {
				t.Fatalf("bad link span %+v in %q", l, body)
			}
			s := string(rs[l.Start:l.End])
			if !strings.HasPrefix(s, "[[") || !strings.HasSuffix(s, "]]") || strings.Contains(s, "\n") {
				t.Fatalf("link %q is not [[...]]", s)
			}
			last = l.End
		}
		for _, tg := range tags {
			if tg.Start < 0 || tg.End > len(rs) || rs[tg.Start] != '#' || tg.Name == "" {
				t.Fatalf("bad tag %+v in %q", tg, body)
			}
		}
		// Renaming a note to a new title and back gives the body again
		// (when it is valid UTF-8, which []rune would otherwise repair).
		if utf8.ValidString(body) {
			for _, l := range links {
				if l.Kind != notes.TargetNote || notes.CheckTitle(l.Target) != nil || strings.Contains(body, "Zz9") {
					continue
				}
				renamed, _ := notes.RenameLinks(body, l.Target, "Zz9")
				after, _ := notes.ParseBody(renamed)
				if len(after) != len(links) {
					t.Fatalf("rename changed the number of links: %q -> %q", body, renamed)
				}
				break
			}
		}
		_ = notes.Sentence(body, len(rs)/3, len(rs)/2)
	})
}
