package export

import "strings"

// rewriteLinks returns body with every [[target]] or [[target|alias]] link
// replaced by what repl returns for it. Links inside code (fenced blocks and
// `spans`) and escaped ones (\[[) are left as they are, as the notes pane
// reads them.
func rewriteLinks(body string, repl func(target, alias string) string) string {
	var out strings.Builder
	out.Grow(len(body))
	var fence string // the fence that opened the current code block
	for line := range strings.SplitAfterSeq(body, "\n") {
		trimmed := strings.TrimLeft(line, " ")
		if len(line)-len(trimmed) <= 3 {
			if fence == "" {
				for _, f := range []string{"```", "~~~"} {
					if strings.HasPrefix(trimmed, f) {
						fence = f
					}
				}
				if fence != "" {
					out.WriteString(line)
					continue
				}
			} else if strings.HasPrefix(trimmed, fence) {
				fence = ""
				out.WriteString(line)
				continue
			}
		}
		if fence != "" {
			out.WriteString(line)
			continue
		}
		rewriteLine(&out, line, repl)
	}
	return out.String()
}

func rewriteLine(out *strings.Builder, s string, repl func(target, alias string) string) {
	for i := 0; i < len(s); {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			out.WriteString(s[i : i+2])
			i += 2
		case s[i] == '`':
			n := 0
			for i+n < len(s) && s[i+n] == '`' {
				n++
			}
			end := closingTicks(s, i+n, n)
			if end < 0 {
				out.WriteString(s[i : i+n])
				i += n
			} else {
				out.WriteString(s[i:end])
				i = end
			}
		case strings.HasPrefix(s[i:], "[["):
			j := strings.Index(s[i+2:], "]]")
			inner := ""
			if j >= 0 {
				inner = s[i+2 : i+2+j]
			}
			if j < 0 || strings.Contains(inner, "[[") || strings.TrimSpace(inner) == "" {
				out.WriteString("[[")
				i += 2
				continue
			}
			target, alias, _ := strings.Cut(inner, "|")
			out.WriteString(repl(strings.TrimSpace(target), strings.TrimSpace(alias)))
			i += 2 + j + 2
		default:
			out.WriteByte(s[i])
			i++
		}
	}
}

// closingTicks returns the index just past the next run of exactly n
// backticks at or after from, or -1.
func closingTicks(s string, from, n int) int {
	for i := from; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		m := 0
		for i+m < len(s) && s[i+m] == '`' {
			m++
		}
		if m == n {
			return i + m
		}
		i += m
	}
	return -1
}
