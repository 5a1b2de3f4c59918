package corpus

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// entry is one unit of text written by people: a dictionary article, a
// fortune, a package description.
type entry struct {
	title string // a one-line subject
	text  string
}

// source is one stream of entries in one language, read in a fixed order.
type source struct {
	name string // short id used in Message-IDs and reports, e.g. "gcide"
	lang string // BCP 47 tag for Content-Language
	from string // the From: header
	read func(root string) ([]entry, error)
}

// sources lists every stream the corpus draws from, in a fixed order. Paths
// are relative to the source root that bench/fetch-corpus.sh fills
// (dpkg-deb -x output plus i18n/).
func sources() []source {
	s := []source{
		{name: "gcide", lang: "en", from: "GCIDE <gcide@corpus.dossier.invalid>",
			read: func(root string) ([]entry, error) { return readDictd(root, "usr/share/dictd/gcide") }},
		{name: "foldoc", lang: "en", from: "FOLDOC <foldoc@corpus.dossier.invalid>",
			read: func(root string) ([]entry, error) { return readDictd(root, "usr/share/dictd/foldoc") }},
	}
	for _, l := range []struct{ lang, dir string }{
		{"en", ""}, {"de", "de"}, {"ru", "ru"}, {"es", "es"}, {"it", "it"}, {"pl", "pl"}, {"cs", "cs"},
	} {
		s = append(s, source{name: "fortunes-" + l.lang, lang: l.lang,
			from: fmt.Sprintf("Fortunes (%s) <fortunes-%s@corpus.dossier.invalid>", l.lang, l.lang),
			read: func(root string) ([]entry, error) { return readFortunes(root, l.dir) }})
	}
	for _, lang := range []string{"en", "de", "fr", "it", "es", "ru", "uk", "pl", "pt_BR"} {
		tag := strings.ReplaceAll(lang, "_", "-")
		s = append(s, source{name: "debian-" + strings.ToLower(tag), lang: tag,
			from: fmt.Sprintf("Debian l10n (%s) <debian-l10n-%s@corpus.dossier.invalid>", tag, strings.ToLower(tag)),
			read: func(root string) ([]entry, error) { return readTranslation(root, lang) }})
	}
	return s
}

// readDictd reads the articles of a dictd dictionary (NAME.index and the
// gzip-compatible NAME.dict.dz), in file order, one entry per article, with
// the dictionary's own "00-…" entries (URL, licence) left out.
func readDictd(root, name string) ([]entry, error) {
	idx, err := os.ReadFile(filepath.Join(root, name+".index"))
	if err != nil {
		return nil, err
	}
	f, err := os.Open(filepath.Join(root, name+".dict.dz"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("%s.dict.dz: %w", name, err)
	}
	dict, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("%s.dict.dz: %w", name, err)
	}
	type article struct {
		off, n int
		title  string
	}
	seen := map[int]bool{}
	var arts []article
	for line := range strings.Lines(string(idx)) {
		fields := strings.Split(strings.TrimRight(line, "\r\n"), "\t")
		if len(fields) < 3 || strings.HasPrefix(fields[0], "00-") || strings.HasPrefix(fields[0], "00database") {
			continue
		}
		off, ok1 := dictdNum(fields[1])
		n, ok2 := dictdNum(fields[2])
		if !ok1 || !ok2 || off+n > len(dict) || seen[off] {
			continue
		}
		seen[off] = true // several headwords share one article; the first names it
		arts = append(arts, article{off, n, fields[0]})
	}
	sort.Slice(arts, func(i, j int) bool { return arts[i].off < arts[j].off })
	out := make([]entry, 0, len(arts))
	for _, a := range arts {
		text := cleanDictd(string(dict[a.off : a.off+a.n]))
		if strings.TrimSpace(text) == "" {
			continue
		}
		out = append(out, entry{title: a.title, text: text})
	}
	return out, nil
}

// dictdNum decodes a dictd index number (base 64, most significant digit
// first).
func dictdNum(s string) (int, bool) {
	const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	n := 0
	for i := 0; i < len(s); i++ {
		d := strings.IndexByte(digits, s[i])
		if d < 0 {
			return 0, false
		}
		n = n*64 + d
	}
	return n, s != ""
}

// sourceTag matches GCIDE's per-sense provenance lines such as
// "[1913 Webster]" or "[WordNet 1.5 +PJC]": noise in every article.
var sourceTag = regexp.MustCompile(`(?m)^[ \t]*\[[^\]\n]{1,40}\][ \t]*\n`)

func cleanDictd(s string) string {
	s = sourceTag.ReplaceAllString(s, "")
	return tidy(s)
}

// readFortunes reads the fortune files of one language folder (the English
// ones are at the top level), one entry per fortune. Index files (.dat),
// the .u8 links, and files that are not UTF-8 are skipped.
func readFortunes(root, dir string) ([]entry, error) {
	base := filepath.Join(root, "usr/share/games/fortunes", dir)
	des, err := os.ReadDir(base)
	if err != nil {
		return nil, err
	}
	var out []entry
	for _, de := range des { // ReadDir sorts by name
		name := de.Name()
		if !de.Type().IsRegular() || strings.HasSuffix(name, ".dat") || strings.HasSuffix(name, ".u8") ||
			name == "ascii-art" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(base, name))
		if err != nil {
			return nil, err
		}
		if !utf8.Valid(b) {
			continue
		}
		for f := range strings.SplitSeq(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n%\n") {
			f = tidy(strings.TrimPrefix(f, "%\n"))
			if len(f) < 20 {
				continue
			}
			out = append(out, entry{title: firstLine(f), text: f})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no fortunes: %w", base, fs.ErrNotExist)
	}
	return out, nil
}

// readTranslation reads a Debian Translation-LANG file (package long
// descriptions), one entry per package.
func readTranslation(root, lang string) ([]entry, error) {
	b, err := os.ReadFile(filepath.Join(root, "i18n", "Translation-"+lang))
	if err != nil {
		return nil, err
	}
	var out []entry
	for rec := range strings.SplitSeq(string(b), "\n\n") {
		var pkg, short string
		var long []string
		inDesc := false
		for line := range strings.Lines(rec) {
			line = strings.TrimRight(line, "\r\n")
			switch {
			case strings.HasPrefix(line, "Package: "):
				pkg, inDesc = strings.TrimPrefix(line, "Package: "), false
			case strings.HasPrefix(line, "Description-"):
				_, short, _ = strings.Cut(line, ": ")
				inDesc = true
			case inDesc && strings.HasPrefix(line, " "):
				l := line[1:]
				if l == "." {
					l = ""
				}
				long = append(long, l)
			default:
				inDesc = false
			}
		}
		if pkg == "" || short == "" {
			continue
		}
		text := tidy(pkg + " — " + short + "\n\n" + strings.Join(long, "\n"))
		out = append(out, entry{title: pkg + ": " + short, text: text})
	}
	return out, nil
}

// tidy makes s valid UTF-8 with "\n" line ends, no trailing blanks on
// lines, and no leading or trailing blank lines.
func tidy(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r", "")
	var b bytes.Buffer
	b.Grow(len(s))
	for line := range strings.Lines(s) {
		b.WriteString(strings.TrimRight(line, " \t\n"))
		b.WriteByte('\n')
	}
	return strings.Trim(b.String(), "\n")
}

// firstLine returns the first non-blank line of s, trimmed, cut to 70
// characters.
func firstLine(s string) string {
	for line := range strings.Lines(s) {
		if t := strings.TrimSpace(line); t != "" {
			return cut(strings.Join(strings.Fields(t), " "), 70)
		}
	}
	return ""
}

// cut shortens s to at most n runes, ending with "…" when it cut.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
