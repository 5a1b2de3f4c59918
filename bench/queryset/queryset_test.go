package queryset

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"dossier/bench/corpus"
)

func TestQuery_Syntax(t *testing.T) {
	for _, tc := range []struct {
		q             Query
		fts5, dossier string
	}{
		{Query{Common, []string{"the"}}, `"the"`, `the`},
		{Query{And, []string{"package", "file"}}, `"package" AND "file"`, `+package +file`},
		{Query{Or, []string{"define", "super"}}, `"define" OR "super"`, `define super`},
		{Query{Phrase, []string{"south", "america"}}, `"south america"`, `"south america"`},
		{Query{Prefix, []string{"comp"}}, `"comp"*`, `comp*`},
		{Query{Unicode, []string{"любовь"}}, `"любовь"`, `любовь`},
	} {
		if got := tc.q.FTS5(); got != tc.fts5 {
			t.Errorf("%v.FTS5()=%q, want %q", tc.q, got, tc.fts5)
		}
		if got := tc.q.Dossier(); got != tc.dossier {
			t.Errorf("%v.Dossier()=%q, want %q", tc.q, got, tc.dossier)
		}
	}
}

func TestChoose_DeterministicAndComplete(t *testing.T) {
	dir := t.TempDir()
	texts := map[string][]string{
		"en": {"The package contains the client library for text files.", "Error handling in the client library is complete rewrite of the old code.",
			"South America is a continent; the package provides tools.", "The components provide specific protocols and properties."},
		"de": {"Dieses Paket enthält die Bibliothek für Funktionalität.", "Das Paket enthält Werkzeuge."},
		"fr": {"Ce paquet fournit la bibliothèque pour les œuvres.", "La bibliothèque est complète."},
		"ru": {"Этот пакет содержит только библиотеку.", "Любовь только к программам."},
	}
	var docs []corpus.Doc
	for i := range 400 {
		for _, lang := range []string{"en", "de", "fr", "ru"} {
			ts := texts[lang]
			body := ts[i%len(ts)] + " " + letters(i) + " and " + letters(1000+i%150)
			p := filepath.Join(dir, fmt.Sprintf("%s-%d.eml", lang, i))
			if err := os.WriteFile(p, []byte("Subject: x\n\n"+body+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			docs = append(docs, corpus.Doc{Path: p, Lang: lang, Title: "x"})
		}
	}
	a, err := Choose(docs)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Choose(docs)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("two choices differ:\n%v\n%v", a, b)
	}
	kinds := map[string]int{}
	for _, q := range a {
		kinds[q.Kind]++
		for _, term := range q.Terms {
			if term == "" {
				t.Errorf("empty term in %v", q)
			}
		}
	}
	for _, k := range []string{Common, And, Or, Phrase, Prefix, Unicode} {
		if kinds[k] == 0 {
			t.Errorf("no %s query in %v", k, a)
		}
	}
}

// letters spells n in the letters a–z, prefixed so it is at least five
// letters long: a word that occurs where the test puts it only.
func letters(n int) string {
	s := "zzq"
	for {
		s += string(rune('a' + n%26))
		n /= 26
		if n == 0 {
			return s + "x"
		}
	}
}
