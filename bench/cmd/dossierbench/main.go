// Command dossierbench measures Dossier against SQLite FTS5 on the same
// corpus in the same run (`make bench`): import and index throughput, max
// RSS while importing, index size against the raw text, and query latency
// (p50/p95/p99 over a fixed query set, snippets included). It prints a
// Markdown report and, for a run of at least 100,000 documents, writes it to
// docs/PERFORMANCE.md.
//
//	go run ./bench/cmd/dossierbench -bin ./dossier            # 100,000 documents
//	go run ./bench/cmd/dossierbench -bin ./dossier -n 5000    # a quick run
//
// The corpus (bench/corpus) is built once from Debian packages that
// bench/fetch-corpus.sh downloads, and cached under $DOSSIER_BENCH_DIR
// (default ~/.cache/dossier-bench) with the databases of the last run.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"dossier/bench/corpus"
	"dossier/bench/fts5"
	"dossier/bench/queryset"
	"dossier/notes"
	"dossier/project"
)

type config struct {
	n          int
	dir        string
	bin        string
	sqlite3    string
	reps       int
	report     string
	fetch      string
	skipFTS    bool
	skipDoss   bool
	importProf string
	queryProf  string
	reuse      bool
	rounds     int
}

func main() {
	var c config
	flag.IntVar(&c.n, "n", 100_000, "number of corpus documents")
	flag.StringVar(&c.dir, "dir", corpus.DefaultDir(), "bench folder: corpus sources, corpus cache, databases of the last run")
	flag.StringVar(&c.bin, "bin", "", "the dossier binary to import with (default: go build into the bench folder)")
	flag.StringVar(&c.sqlite3, "sqlite3", "sqlite3", "the sqlite3 command-line shell")
	flag.IntVar(&c.rounds, "import-runs", 2, "imports per engine (engines take turns; the shortest counts)")
	flag.IntVar(&c.reps, "reps", 5, "timed passes over the query set (after one warm-up pass)")
	flag.StringVar(&c.report, "report", "", "write the Markdown report to `FILE` (default docs/PERFORMANCE-1M.md when -n ≥ 1000000, docs/PERFORMANCE.md when -n ≥ 100000, else none)")
	flag.StringVar(&c.fetch, "fetch", "bench/fetch-corpus.sh", "the script that fetches the corpus sources when missing")
	flag.BoolVar(&c.skipFTS, "skip-fts5", false, "skip the FTS5 baseline")
	flag.BoolVar(&c.skipDoss, "skip-dossier", false, "skip Dossier")
	flag.StringVar(&c.importProf, "import-cpuprofile", "", "also import in-process into a second project with a CPU profile written to `FILE`")
	flag.StringVar(&c.queryProf, "query-cpuprofile", "", "write a CPU profile of Dossier's query passes to `FILE`")
	flag.BoolVar(&c.reuse, "reuse", false, "reuse the databases and import figures of the last run with the same -n; measure queries and sizes only")
	flag.Parse()
	switch {
	case c.report != "":
	case c.n >= 1_000_000:
		// Its own file, so that a million-document run leaves the 100k
		// report (and its notes) alone.
		c.report = "docs/PERFORMANCE-1M.md"
	case c.n >= 100_000:
		c.report = "docs/PERFORMANCE.md"
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, c); err != nil {
		fmt.Fprintln(os.Stderr, "dossierbench:", err)
		os.Exit(1)
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[%s] "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

func run(ctx context.Context, c config) error {
	if _, err := os.Stat(filepath.Join(c.dir, "src", ".complete")); err != nil {
		logf("fetching the corpus sources with %s", c.fetch)
		cmd := exec.CommandContext(ctx, c.fetch)
		cmd.Env = append(os.Environ(), "DOSSIER_BENCH_DIR="+c.dir)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %w", c.fetch, err)
		}
	}
	start := time.Now()
	docs, err := corpus.Build(ctx, c.dir, c.n)
	if err != nil {
		return err
	}
	cs := describe(docs)
	logf("corpus: %d documents, %.1f MB of text (%.1f MB of files), built or loaded in %s",
		len(docs), mb(cs.textBytes), mb(cs.fileBytes), time.Since(start).Round(time.Millisecond))
	corpusDir := filepath.Join(c.dir, fmt.Sprintf("corpus-v%d", corpus.Version))
	qs, err := queryset.Load(corpusDir, docs)
	if err != nil {
		return err
	}
	logf("query set: %d queries", len(qs))

	work := filepath.Join(c.dir, "run")
	if !c.reuse {
		logf("clearing %s", work)
		if err := os.RemoveAll(work); err != nil {
			return err
		}
		if err := os.MkdirAll(work, 0o755); err != nil {
			return err
		}
	}
	bin := c.bin
	if !c.skipDoss {
		if bin == "" {
			if bin, err = buildBinary(ctx, c.dir); err != nil {
				return err
			}
		}
		if bin, err = filepath.Abs(bin); err != nil {
			return err
		}
	}
	view := filepath.Join(work, "import")
	if !c.reuse && !c.skipDoss {
		if err := linkView(view, docs); err != nil {
			return err
		}
	}

	// Read every file once so that neither engine pays for cold reads.
	warm := time.Now()
	for _, d := range docs {
		f, err := os.Open(d.Path)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, f)
		f.Close()
	}
	logf("page cache warmed in %s", time.Since(warm).Round(time.Millisecond))

	rep := &report{n: len(docs), corpus: cs, queries: qs, reps: c.reps, rounds: c.rounds, started: start, dir: c.dir, loadBefore: loadAvg(),
		file: c.report, command: strings.Join(os.Args[1:], " ")}
	var ftsRec, dosRec importRecord
	if c.reuse {
		if !c.skipFTS {
			if ftsRec, err = loadImport(work, "fts5", len(docs)); err != nil {
				return err
			}
		}
		if !c.skipDoss {
			if dosRec, err = loadImport(work, "dossier", len(docs)); err != nil {
				return err
			}
		}
	} else {
		if ftsRec, dosRec, err = runImports(ctx, c, work, bin, view, docs); err != nil {
			return err
		}
	}
	if !c.skipFTS {
		rep.fts = &engineResult{importWall: ftsRec.Wall, importWalls: ftsRec.Walls, cpu: ftsRec.CPU, maxRSS: ftsRec.MaxRSS,
			indexBytes: fts5.IndexBytes(ctx, c.sqlite3, ftsRec.Dir), diskBytes: dirSize(ftsRec.Dir)}
	}
	if !c.skipDoss {
		proj := dosRec.Dir
		er := &engineResult{importWall: dosRec.Wall, importWalls: dosRec.Walls, cpu: dosRec.CPU, maxRSS: dosRec.MaxRSS,
			indexBytes: dirSize(filepath.Join(proj, "index")), diskBytes: dirSize(proj), filesBytes: dirSize(filepath.Join(proj, "files"))}
		for _, f := range []string{"project.db", "project.db-wal", "project.db-shm"} {
			er.dbBytes += dirSize(filepath.Join(proj, f))
		}
		rep.dossier = er
	}
	if err := runQueries(ctx, c, ftsRec.Dir, dosRec.Dir, qs, rep); err != nil {
		return err
	}
	rep.loadAfter = loadAvg()
	rep.selfRSS = selfMaxRSS()
	logf("this process: max RSS %.0f MB", mb(rep.selfRSS))
	md := rep.markdown()
	fmt.Println(md)
	if c.report != "" {
		if err := os.WriteFile(c.report, []byte(md), 0o644); err != nil {
			return err
		}
		logf("report written to %s", c.report)
	}
	if c.importProf != "" && !c.skipDoss {
		if err := profileImport(ctx, c.importProf, filepath.Join(work, "dossier-profiled"), view); err != nil {
			return err
		}
	}
	// Keep only what -reuse needs: the last round's databases.
	for round := 1; round < c.rounds && !c.reuse; round++ {
		_ = os.RemoveAll(filepath.Join(work, fmt.Sprintf("dossier-%d", round)))
		_ = os.Remove(filepath.Join(work, fmt.Sprintf("fts5-%d.db", round)))
	}
	_ = os.RemoveAll(filepath.Join(work, "dossier-profiled"))
	return nil
}

// runImports imports the corpus into each engine c.rounds times, the
// engines taking turns to go first, and keeps for each the shortest wall
// time (with its CPU time) and the largest max RSS: the best an engine can
// do on this machine, and the worst memory it needed. The queries then run
// on the databases of the last round.
func runImports(ctx context.Context, c config, work, bin, view string, docs []corpus.Doc) (fts, dos importRecord, err error) {
	keep := func(best *importRecord, r importRecord) {
		walls := append(best.Walls, r.Wall)
		rss := max(best.MaxRSS, r.MaxRSS)
		if best.Wall == 0 || r.Wall < best.Wall {
			*best = r
		}
		best.Walls, best.MaxRSS, best.Dir = walls, rss, r.Dir
	}
	ftsRound := func(round int) error {
		db := filepath.Join(work, fmt.Sprintf("fts5-%d.db", round))
		logf("fts5: loading %d documents (round %d)", len(docs), round)
		lr, err := fts5.Load(ctx, c.sqlite3, db, docs)
		if err != nil {
			return fmt.Errorf("fts5: %w", err)
		}
		logf("fts5: loaded in %s (%.0f docs/s), CPU %s, max RSS %.0f MB, %.1f MB on disk",
			lr.Wall.Round(time.Millisecond), float64(lr.Docs)/lr.Wall.Seconds(), lr.CPU.Round(time.Millisecond), mb(lr.MaxRSS), mb(lr.DBBytes))
		keep(&fts, importRecord{N: len(docs), Wall: lr.Wall, CPU: lr.CPU, MaxRSS: lr.MaxRSS, At: time.Now(), Dir: db})
		return nil
	}
	dosRound := func(round int) error {
		proj := filepath.Join(work, fmt.Sprintf("dossier-%d", round))
		r, err := importChild(ctx, bin, proj, view, len(docs))
		if err != nil {
			return fmt.Errorf("dossier: %w", err)
		}
		logf("dossier: imported in %s (%.0f docs/s), CPU %s, max RSS %.0f MB", r.Wall.Round(time.Millisecond),
			float64(len(docs))/r.Wall.Seconds(), r.CPU.Round(time.Millisecond), mb(r.MaxRSS))
		keep(&dos, r)
		return nil
	}
	for round := 1; round <= max(1, c.rounds); round++ {
		steps := []func(int) error{}
		if !c.skipFTS {
			steps = append(steps, ftsRound)
		}
		if !c.skipDoss {
			steps = append(steps, dosRound)
		}
		if round%2 == 0 {
			slices.Reverse(steps)
		}
		for _, step := range steps {
			if err := step(round); err != nil {
				return fts, dos, err
			}
		}
	}
	if !c.skipFTS {
		if err := saveImport(work, "fts5", fts); err != nil {
			return fts, dos, err
		}
	}
	if !c.skipDoss {
		if err := saveImport(work, "dossier", dos); err != nil {
			return fts, dos, err
		}
	}
	return fts, dos, nil
}

// runQueries runs the query set on both engines, interleaved: each query
// goes to one engine and then the other (which one first alternates by
// pass), so that whatever else the machine is doing hits both alike. One
// warm-up pass checks every query and counts matches; c.reps passes are
// timed.
func runQueries(ctx context.Context, c config, ftsDB, proj string, qs []queryset.Query, rep *report) error {
	type engine struct {
		name   string
		res    *queryResult
		search func(q queryset.Query) (hits int, total int64, d time.Duration, err error)
	}
	var engines []*engine
	if rep.fts != nil {
		q, err := fts5.OpenQuerier(ctx, c.sqlite3, ftsDB)
		if err != nil {
			return err
		}
		defer q.Close()
		counter, err := fts5.OpenQuerier(ctx, c.sqlite3, ftsDB)
		if err != nil {
			return err
		}
		defer counter.Close()
		rep.ftsOverhead = q.Overhead()
		rep.fts.query = newQueryResult(len(qs))
		engines = append(engines, &engine{name: "fts5", res: rep.fts.query,
			search: func(qq queryset.Query) (int, int64, time.Duration, error) {
				rows, d, err := q.Query(qq.FTS5())
				return len(rows), -1, d, err
			}})
		// Matches are counted apart, outside the timed queries.
		defer func() {
			for i, qq := range qs {
				cnt, _, err := counter.RawQuery("SELECT count(*) FROM docs WHERE docs MATCH " + fts5.Quote(qq.FTS5()) + ";")
				if err == nil && len(cnt) == 1 {
					fmt.Sscan(cnt[0], &rep.fts.query.totals[i])
				}
			}
		}()
		defer func() {
			time.Sleep(100 * time.Millisecond)
			if e := q.Errors(); e != "" {
				logf("fts5: sqlite3 reported: %s", e)
			}
		}()
	}
	if rep.dossier != nil {
		openStart := time.Now()
		p, err := project.Open(ctx, proj, project.Options{NoSeeds: true})
		if err != nil {
			return err
		}
		defer p.Close()
		rep.dossier.openTime = time.Since(openStart)
		rep.dossier.query = newQueryResult(len(qs))
		engines = append(engines, &engine{name: "dossier", res: rep.dossier.query,
			search: func(q queryset.Query) (int, int64, time.Duration, error) {
				t := time.Now()
				r, err := p.Index.Search(ctx, notes.SearchRequest{Query: q.Dossier(), Limit: 20, Snippets: 3, NoFacets: true})
				d := time.Since(t)
				if err != nil {
					return 0, 0, d, err
				}
				return len(r.Hits), int64(r.Total), d, nil
			}})
	}
	for _, e := range engines { // warm-up pass
		for i, q := range qs {
			hits, total, _, err := e.search(q)
			if err != nil {
				// A query an engine refuses (Dossier: a prefix of too many
				// words) is reported, not fatal.
				e.res.errs[i] = err.Error()
				logf("%s: query %s failed: %v", e.name, q, err)
				continue
			}
			e.res.hits[i] = hits
			if total >= 0 {
				e.res.totals[i] = total
			}
		}
	}
	if c.queryProf != "" {
		f, err := os.Create(c.queryProf)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer logf("query CPU profile (this process: Dossier's searches, the FTS5 pipe) in %s", c.queryProf)
		defer pprof.StopCPUProfile()
	}
	runtime.GC()
	for pass := range c.reps {
		for i, q := range qs {
			for k := range engines {
				e := engines[(k+pass)%len(engines)]
				if e.res.errs[i] != "" {
					continue
				}
				_, _, d, err := e.search(q)
				if err != nil {
					return fmt.Errorf("%s: %s: %w", e.name, q, err)
				}
				e.res.add(i, d)
			}
		}
	}
	for _, e := range engines {
		logf("%s: queries p50 %s p95 %s p99 %s", e.name, ms(e.res.pct(50)), ms(e.res.pct(95)), ms(e.res.pct(99)))
	}
	return nil
}

// linkView makes a folder holding exactly docs, as hard links (copies if
// links fail), so that the import can be given one folder.
func linkView(dir string, docs []corpus.Doc) error {
	for i, d := range docs {
		dst := filepath.Join(dir, filepath.Base(filepath.Dir(d.Path)), filepath.Base(d.Path))
		if i%corpus.PerFolder == 0 {
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return err
			}
		}
		if err := os.Link(d.Path, dst); err != nil {
			b, rerr := os.ReadFile(d.Path)
			if rerr != nil {
				return errors.Join(err, rerr)
			}
			if werr := os.WriteFile(dst, b, 0o644); werr != nil {
				return errors.Join(err, werr)
			}
		}
	}
	return nil
}

// buildBinary builds dossier into the bench folder when no -bin is given.
func buildBinary(ctx context.Context, dir string) (string, error) {
	out := filepath.Join(dir, "dossier")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, ".")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	logf("go build -o %s .", out)
	return out, cmd.Run()
}

// dirSize is the disk usage of a file or folder tree, in bytes, as du
// counts it (allocated blocks).
func dirSize(path string) int64 {
	var n int64
	_ = filepath.Walk(path, func(_ string, info os.FileInfo, err error) error {
		if err == nil {
			n += allocated(info)
		}
		return nil
	})
	return n
}

func goVersion() string { return runtime.Version() }

func cmdOutput(name string, args ...string) string {
	b, err := exec.Command(name, args...).Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(b))
}

// importRecord keeps one engine's import figures in the run folder, for
// -reuse.
type importRecord struct {
	N      int             `json:"n"`
	Wall   time.Duration   `json:"wall"`
	CPU    time.Duration   `json:"cpu"`
	MaxRSS int64           `json:"max_rss"`
	At     time.Time       `json:"at"`
	Dir    string          `json:"dir"`   // the database or project of the last round
	Walls  []time.Duration `json:"walls"` // every round's wall time
}

func saveImport(work, engine string, r importRecord) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(work, engine+"-import.json"), b, 0o644)
}

func loadImport(work, engine string, n int) (importRecord, error) {
	var r importRecord
	b, err := os.ReadFile(filepath.Join(work, engine+"-import.json"))
	if err != nil {
		return r, fmt.Errorf("-reuse: no %s import from an earlier run: %w", engine, err)
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return r, err
	}
	if r.N != n {
		return r, fmt.Errorf("-reuse: the last run imported %d documents into %s, not %d", r.N, engine, n)
	}
	if _, err := os.Stat(r.Dir); err != nil {
		return r, fmt.Errorf("-reuse: %w", err)
	}
	logf("%s: reusing the import of %s (%s)", engine, r.At.Format(time.DateTime), r.Wall.Round(time.Millisecond))
	return r, nil
}
