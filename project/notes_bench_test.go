package project_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"dossier/project"
)

// BenchmarkSaveNote_50k saves a 50,000-character note with 100 links and
// 50 tags through the project: store transaction (synchronous=FULL), links
// rebuilt, and the search index updated. The autosaver does this at most
// about once a second while the user types.
func BenchmarkSaveNote_50k(b *testing.B) {
	p := MustOpen(b, b.TempDir(), project.Options{NoSeeds: true})
	ctx := context.Background()
	for i := 0; i < 10; i++ {
		if _, err := p.CreateNote(ctx, fmt.Sprintf("Target %d", i), ""); err != nil {
			b.Fatal(err)
		}
	}
	var sb strings.Builder
	for i := 0; sb.Len() < 50_000; i++ {
		fmt.Fprintf(&sb, "Sentence %d about the airbase at Kant and what the sources say of it. ", i)
		if i%10 == 0 {
			fmt.Fprintf(&sb, "See [[Target %d]] and #tag%d. ", i%13, i%50)
		}
		if i%12 == 0 {
			sb.WriteString("\n\n")
		}
	}
	n, err := p.CreateNote(ctx, "Long note", sb.String()[:50_000])
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		n.Body = n.Body[:49_999] + string(rune('a'+n.Version%26))
		if err := p.SaveNote(ctx, n); err != nil {
			b.Fatal(err)
		}
	}
}
