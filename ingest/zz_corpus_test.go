package ingest_test

import (
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dossier/ingest"
)

func TestCorpusEML(t *testing.T) {
	dir := os.Getenv("CORPUS")
	if dir == "" {
		t.Skip()
	}
	files, _ := filepath.Glob(filepath.Join(dir, "docs", "*", "*.eml"))
	var datas [][]byte
	var bytesTotal int
	for _, f := range files {
		b, _ := os.ReadFile(f)
		datas = append(datas, b)
		bytesTotal += len(b)
	}
	var errs, undated atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	var next atomic.Int64
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(datas) {
					return
				}
				doc, err := ingest.Parse(files[i], datas[i])
				if err != nil {
					if errs.Add(1) < 5 {
						t.Logf("%s: %v", files[i], err)
					}
					continue
				}
				if !doc.Published.Known() {
					undated.Add(1)
				}
			}
		})
	}
	wg.Wait()
	el := time.Since(start)
	t.Logf("%d files, %d MB, %v, %.0f docs/s, %.1f MB/s, errors %d, undated %d", len(datas), bytesTotal>>20, el, float64(len(datas))/el.Seconds(), float64(bytesTotal)/1e6/el.Seconds(), errs.Load(), undated.Load())
}
