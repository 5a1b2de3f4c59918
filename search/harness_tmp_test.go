package search

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

var hMode = flag.String("h.mode", "", "safe|rebuild")
var hConf = flag.String("h.conf", "{}", "scorch config json")
var hBatch = flag.Int("h.batch", 1000, "")

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestHarness(t *testing.T) {
	if *hMode == "" {
		t.Skip()
	}
	docs, raw := benchmarkCorpus(t)
	json.Unmarshal([]byte(*hConf), &scorchConfig)
	dir := filepath.Join(t.TempDir(), "index")
	open := Open
	if *hMode == "rebuild" {
		open = OpenRebuild
	}
	ix, err := open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	c0, w0 := cpuTime(), time.Now()
	for i := 0; i < len(docs); i += *hBatch {
		if err := ix.Index(context.Background(), docs[i:min(i+*hBatch, len(docs))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	wall, cpu := time.Since(w0), cpuTime()-c0
	size := dirSize(t, dir)
	fmt.Fprintf(os.Stderr, "RESULT mode=%s conf=%s batch=%d docs=%d wall=%.1fs cpu=%.1fs docs/s(wall)=%.0f docs/cpu-s=%.0f size/raw=%.2f\n",
		*hMode, *hConf, *hBatch, len(docs), wall.Seconds(), cpu.Seconds(), float64(len(docs))/wall.Seconds(), float64(len(docs))/cpu.Seconds(), float64(size)/float64(raw))
}
