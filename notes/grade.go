package notes

import "strings"

// ParseGrade reads a reliability grade in the Admiralty (NATO) code: a
// letter for the source's reliability, A (completely reliable) to F
// (cannot be judged), and a digit for the information's credibility, 1
// (confirmed) to 6 (cannot be judged). Case and surrounding space do not
// matter: " b2" is "B2". "" means ungraded. Anything else is an EINVALID
// error that says what a grade looks like.
func ParseGrade(s string) (string, error) {
	g := strings.ToUpper(strings.TrimSpace(s))
	if g == "" {
		return "", nil
	}
	if len(g) != 2 || g[0] < 'A' || g[0] > 'F' || g[1] < '1' || g[1] > '6' {
		return "", Errorf(EINVALID,
			"%q is not an Admiralty grade: use a letter A–F for the source's reliability and a digit 1–6 for the information's credibility, e.g. B2", s)
	}
	return g, nil
}
