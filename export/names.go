package export

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNameRunes keeps file names well under every file system's limit (255
// bytes on most) even in scripts of four bytes per character, with room for
// a " 12" and ".md".
const maxNameRunes = 60

// safeName turns a title into a file name (without extension) that every
// OS accepts and that Obsidian can link to: no path separators, none of
// Windows' reserved characters or device names, none of the characters
// that end or split a wikilink (# ^ [ ] |), no control characters, no
// leading or trailing dots or spaces.
func safeName(title string) string {
	var b strings.Builder
	space := false
	for _, r := range title {
		switch {
		case strings.ContainsRune(`/\:*?"<>|#^[]`, r), unicode.IsControl(r), unicode.IsSpace(r),
			r == utf8.RuneError, unicode.Is(unicode.Cf, r):
			space = true
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		}
	}
	name := strings.Trim(b.String(), " .")
	if r := []rune(name); len(r) > maxNameRunes {
		name = strings.TrimRight(string(r[:maxNameRunes]), " .")
	}
	if name == "" {
		name = "Untitled"
	}
	base, _, _ := strings.Cut(strings.ToUpper(name), ".")
	switch base {
	case "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
		"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9":
		name = "_" + name
	}
	return name
}

// namer hands out file names unique across the whole vault, ignoring case
// (macOS and Windows file systems do), so that a [[name]] link finds exactly
// one file wherever it lives.
type namer struct{ taken map[string]bool }

func newNamer(reserved ...string) *namer {
	n := &namer{taken: map[string]bool{}}
	for _, r := range reserved {
		n.taken[strings.ToLower(r)] = true
	}
	return n
}

func (n *namer) name(title string) string {
	base := safeName(title)
	name := base
	for i := 2; n.taken[strings.ToLower(name)]; i++ {
		name = fmt.Sprintf("%s %d", base, i)
	}
	n.taken[strings.ToLower(name)] = true
	return name
}
