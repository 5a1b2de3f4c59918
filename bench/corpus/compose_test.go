package corpus

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// poolSize is how many messages the fixture's sources make by themselves.
func poolSize(t *testing.T, src string) pool {
	t.Helper()
	pl, err := makePool(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.msgs) < 20 {
		t.Fatalf("fixture pool of %d messages is too small to test with", len(pl.msgs))
	}
	return pl
}

func TestBuildFrom_BeyondThePool(t *testing.T) {
	src := mustFixture(t)
	pl := poolSize(t, src)
	p := len(pl.msgs)
	n := 4 * p
	docs, err := BuildFrom(context.Background(), src, t.TempDir(), n)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != n {
		t.Fatalf("got %d messages, want %d", len(docs), n)
	}
	bodies := map[string]int{}
	subjects := map[string]int{}
	for i, d := range docs {
		b, err := os.ReadFile(d.Path)
		if err != nil {
			t.Fatal(err)
		}
		body := Body(b)
		// The pool may repeat itself (here gcide and foldoc share
		// articles); what is composed beyond it may not.
		if j, ok := bodies[body]; ok && i >= p {
			t.Errorf("message %d (beyond the pool of %d) has the body of message %d", i, p, j)
		}
		bodies[body] = i
		if j, ok := subjects[d.Title]; ok && i >= p {
			t.Errorf("message %d (beyond the pool of %d) has the subject of message %d: %q", i, p, j, d.Title)
		}
		subjects[d.Title] = i
		if i < p {
			if d.Title != pl.msgs[i].title || body != pl.msgs[i].body {
				t.Errorf("message %d of the pool changed: %q", i, d.Title)
			}
			continue
		}
		// Same source, so same language, as pool message i mod p: every
		// prefix keeps the pool's mix.
		if want := docs[i%p]; d.Source != want.Source || d.Lang != want.Lang {
			t.Errorf("message %d is %s/%s, want %s/%s like message %d", i, d.Source, d.Lang, want.Source, want.Lang, i%p)
		}
		if d.TextBytes < sizeMin/2 {
			t.Errorf("message %d has only %d bytes of text", i, d.TextBytes)
		}
	}
	// Three whole rounds beyond the pool: exactly three times its mix.
	poolLangs, extraLangs := map[string]int{}, map[string]int{}
	for i, d := range docs {
		if i < p {
			poolLangs[d.Lang]++
		} else {
			extraLangs[d.Lang]++
		}
	}
	for l, c := range poolLangs {
		if extraLangs[l] != 3*c {
			t.Errorf("language %s: %d messages beyond the pool, want 3×%d", l, extraLangs[l], c)
		}
	}
	if len(extraLangs) != len(poolLangs) {
		t.Errorf("languages beyond the pool %v, in the pool %v", extraLangs, poolLangs)
	}
}

func TestBuildFrom_BeyondThePoolDeterministicAndPrefix(t *testing.T) {
	src := mustFixture(t)
	p := len(poolSize(t, src).msgs)
	ctx := context.Background()
	// One folder grown from 2p to 3p messages (writing only the new ones),
	// another built at 3p at once: the same bytes.
	grown := t.TempDir()
	small, err := BuildFrom(ctx, src, grown, 2*p)
	if err != nil {
		t.Fatal(err)
	}
	before := make([][]byte, len(small))
	for i, d := range small {
		before[i], _ = os.ReadFile(d.Path)
	}
	a, err := BuildFrom(ctx, src, grown, 3*p)
	if err != nil {
		t.Fatal(err)
	}
	b, err := BuildFrom(ctx, src, t.TempDir(), 3*p)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		ba, _ := os.ReadFile(a[i].Path)
		bb, _ := os.ReadFile(b[i].Path)
		if string(ba) != string(bb) || a[i] != (Doc{Path: a[i].Path, Source: b[i].Source, Lang: b[i].Lang, Title: b[i].Title, TextBytes: b[i].TextBytes, FileBytes: b[i].FileBytes}) {
			t.Fatalf("message %d differs between two builds:\n%s\n----\n%s", i, ba, bb)
		}
		if i < len(before) && string(before[i]) != string(ba) {
			t.Fatalf("message %d changed when the corpus grew from %d to %d", i, 2*p, 3*p)
		}
	}
	files, _ := filepath.Glob(filepath.Join(grown, "docs", "*", "*.eml"))
	if len(files) != 3*p {
		t.Errorf("%d files in the grown folder, want %d", len(files), 3*p)
	}
}
