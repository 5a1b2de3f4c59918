package search

import (
	"context"
	"fmt"
	"time"
	"flag"
	"os"
	"runtime/pprof"
	"testing"

	"dossier/notes"
)

var profOut = flag.String("prof.out", "", "")
var profQ = flag.String("prof.q", "", "")

func TestProfileSearch(t *testing.T) {
	if *profOut == "" {
		t.Skip()
	}
	docs, _ := benchmarkCorpus(t)
	src := &texts{}
	src.add(docs...)
	dir := fmt.Sprintf("/tmp/profidx-%d", len(docs))
	ix, err := Open(dir, src)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n, _ := ix.Count(); n == 0 {
		start := time.Now()
		for i := 0; i < len(docs); i += 1000 {
			bs := time.Now()
			if err := ix.Index(context.Background(), docs[i:min(i+1000, len(docs))]); err != nil {
				t.Fatal(err)
			}
			if i%10000 == 0 {
				t.Logf("batch %d: %v", i, time.Since(bs))
			}
		}
		t.Logf("indexed %d in %v", len(docs), time.Since(start))
	}
	for _, q := range benchQueries {
		start := time.Now()
		res := MustSearch(t, ix, notes.SearchRequest{Query: q.q, PrefixLast: q.prefix})
		t.Logf("%-40q %6d %v", q.q, res.Total, time.Since(start))
	}
	f, _ := os.Create(*profOut)
	pprof.StartCPUProfile(f)
	for range 20 {
		for _, q := range benchQueries {
			if *profQ != "" && q.q != *profQ {
				continue
			}
			MustSearch(t, ix, notes.SearchRequest{Query: q.q, PrefixLast: q.prefix})
		}
	}
	pprof.StopCPUProfile()
	f.Close()
}
