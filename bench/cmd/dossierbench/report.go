package main

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"dossier/bench/corpus"
	"dossier/bench/fts5"
	"dossier/bench/queryset"
)

// corpusStats describes the documents of a run.
type corpusStats struct {
	textBytes, fileBytes int64
	bySource, byLang     map[string]int
	sizes                []int // text bytes, sorted
}

func describe(docs []corpus.Doc) corpusStats {
	cs := corpusStats{bySource: map[string]int{}, byLang: map[string]int{}}
	for _, d := range docs {
		cs.textBytes += int64(d.TextBytes)
		cs.fileBytes += int64(d.FileBytes)
		cs.bySource[d.Source]++
		cs.byLang[d.Lang]++
		cs.sizes = append(cs.sizes, d.TextBytes)
	}
	slices.Sort(cs.sizes)
	return cs
}

// engineResult is one engine's figures.
type engineResult struct {
	importWall, cpu time.Duration
	importWalls     []time.Duration // every round
	maxRSS          int64
	indexBytes      int64 // the index proper
	diskBytes       int64 // everything the engine keeps
	dbBytes         int64 // Dossier: project.db
	filesBytes      int64 // Dossier: the originals
	openTime        time.Duration
	query           *queryResult
}

// queryResult holds the timed samples of every query.
type queryResult struct {
	per    [][]time.Duration // by query
	hits   []int             // rows returned (at most 20)
	totals []int64           // documents matched
	errs   []string          // why a query failed, or ""
	// skip marks queries left out of the summary figures: those that
	// failed in either engine, so both are summed over the same queries.
	skip map[int]bool
}

func newQueryResult(n int) *queryResult {
	return &queryResult{per: make([][]time.Duration, n), hits: make([]int, n), totals: make([]int64, n), errs: make([]string, n)}
}

func (r *queryResult) add(i int, d time.Duration) { r.per[i] = append(r.per[i], d) }

func (r *queryResult) samples() []time.Duration {
	var all []time.Duration
	for i, ds := range r.per {
		if !r.skip[i] {
			all = append(all, ds...)
		}
	}
	return all
}

func (r *queryResult) pct(p float64) time.Duration { return percentile(r.samples(), p) }

func (r *queryResult) mean() time.Duration {
	var s time.Duration
	all := r.samples()
	for _, d := range all {
		s += d
	}
	return s / time.Duration(max(1, len(all)))
}

// percentile is the nearest-rank percentile of ds.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	k := int(float64(len(s))*p/100+0.999999) - 1
	return s[min(max(k, 0), len(s)-1)]
}

type report struct {
	n           int
	corpus      corpusStats
	queries     []queryset.Query
	reps        int
	rounds      int
	started     time.Time
	loadBefore  string // /proc/loadavg when the run started
	loadAfter   string
	fts         *engineResult
	dossier     *engineResult
	ftsOverhead time.Duration
	dir         string
	file        string // where the report goes; its notes are kept
	command     string // this run's flags
	selfRSS     int64  // max RSS of the benchmark process
}

func mb(n int64) float64 { return float64(n) / 1e6 }

func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}

func (r *report) markdown() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	d, f := r.dossier, r.fts
	skip := map[int]bool{}
	var failed []string
	for _, e := range []*engineResult{d, f} {
		if e == nil || e.query == nil {
			continue
		}
		for i, msg := range e.query.errs {
			if msg != "" && !skip[i] {
				skip[i] = true
				failed = append(failed, fmt.Sprintf("`%s` (%s)", r.queries[i].Dossier(), msg))
			}
		}
	}
	for _, e := range []*engineResult{d, f} {
		if e != nil && e.query != nil {
			e.query.skip = skip
		}
	}
	p("# Performance")
	p("")
	target := "make bench"
	if r.n >= 1_000_000 {
		target = "make bench-1m"
	}
	p("Measured by `%s` (`go run ./bench/cmd/dossierbench %s`, %d documents) on %s.", target, r.command, r.n, r.started.UTC().Format("2006-01-02 15:04 MST"))
	p("Dossier against SQLite FTS5 on the same documents in the same run. Regenerate with `%s`;", target)
	p("the section between the `notes` markers is kept across runs.")
	p("")
	p("## Machine")
	p("")
	p("- `uname -a`: `%s`", cmdOutput("uname", "-a"))
	p("- CPU: %s, %s logical CPUs; memory %s", cpuModel(), cmdOutput("nproc"), memTotal())
	p("- Go: %s; SQLite: `sqlite3` %s (Debian)", goVersion(), firstField(cmdOutput("sqlite3", "-version")))
	p("- Dossier: commit %s", gitDescribe())
	p("- Load average (1, 5, 15 min) at the start: %s; at the end: %s. Other work on the machine slows both", r.loadBefore, r.loadAfter)
	p("  engines, disk-bound imports most: compare runs made on a quiet machine.")
	p("")
	p("## Corpus")
	p("")
	sz := r.corpus.sizes
	p("%s documents (`.eml`, %d per folder), %.1f MB of text (subject + body, what both engines index),",
		thousands(int64(r.n)), corpus.PerFolder, mb(r.corpus.textBytes))
	p("%.1f MB of files. Text per document: median %s bytes, 10%% under %s, 90%% under %s, largest %s.",
		mb(r.corpus.fileBytes), thousands(int64(at(sz, 50))), thousands(int64(at(sz, 10))), thousands(int64(at(sz, 90))), thousands(int64(at(sz, 100))))
	p("Real prose from Debian packages (`bench/fetch-corpus.sh`, `bench/corpus`): GCIDE (Webster 1913 + WordNet")
	p("dictionary articles), FOLDOC (computing dictionary), fortune files in 7 languages, and the translated")
	p("descriptions of every Debian package in 9 languages, consecutive entries grouped into messages.")
	p("Beyond the ~108,000 messages made that way, each message joins random entries of one source, keeping")
	p("the same mix of sources and languages, with a subject from two of their titles (`bench/corpus/compose.go`).")
	p("")
	p("| language | documents | | source | documents |")
	p("|---|---:|---|---|---:|")
	langs := sortedByCount(r.corpus.byLang)
	srcs := sortedByCount(r.corpus.bySource)
	for i := range max(len(langs), len(srcs)) {
		var l1, l2, s1, s2 string
		if i < len(langs) {
			l1, l2 = langs[i], thousands(int64(r.corpus.byLang[langs[i]]))
		}
		if i < len(srcs) {
			s1, s2 = srcs[i], thousands(int64(r.corpus.bySource[srcs[i]]))
		}
		p("| %s | %s | | %s | %s |", l1, l2, s1, s2)
	}
	if v := versions(r.dir); v != "" {
		p("")
		p("Package versions: %s.", v)
	}
	p("")
	p("## Results")
	p("")
	p("| | Dossier | SQLite FTS5 | Dossier ÷ FTS5 |")
	p("|---|---:|---:|---:|")
	cell := func(e *engineResult, val func(*engineResult) string) string {
		if e == nil {
			return "—"
		}
		return val(e)
	}
	// line writes one row: each engine's value and, when num is given,
	// Dossier's as a multiple of FTS5's.
	line := func(name string, val func(*engineResult) string, num func(*engineResult) float64) {
		x := ""
		if num != nil && d != nil && f != nil && num(f) != 0 {
			x = fmt.Sprintf("%.2f×", num(d)/num(f))
		}
		p("| %s | %s | %s | %s |", name, cell(d, val), cell(f, val), x)
	}
	rate := func(e *engineResult) float64 { return float64(r.n) / e.importWall.Seconds() }
	line(fmt.Sprintf("Import + index, wall time (best of %d)", max(1, r.rounds)), func(e *engineResult) string { return secs(e.importWall) },
		func(e *engineResult) float64 { return e.importWall.Seconds() })
	line("… every import", func(e *engineResult) string {
		var ss []string
		for _, w := range e.importWalls {
			ss = append(ss, secs(w))
		}
		return strings.Join(ss, ", ")
	}, nil)
	line("Import + index, throughput", func(e *engineResult) string { return thousands(int64(rate(e))) + " docs/s" }, rate)
	line("Import + index, text throughput", func(e *engineResult) string {
		return fmt.Sprintf("%.1f MB/s", mb(r.corpus.textBytes)/e.importWall.Seconds())
	}, nil)
	line("Import + index, CPU time (user + sys)", func(e *engineResult) string { return secs(e.cpu) },
		func(e *engineResult) float64 { return e.cpu.Seconds() })
	line("Max RSS while importing (highest of the imports)", func(e *engineResult) string { return fmt.Sprintf("%.0f MB", mb(e.maxRSS)) },
		func(e *engineResult) float64 { return float64(e.maxRSS) })
	line("Index on disk (Dossier `index/`; FTS5 index tables)", func(e *engineResult) string { return sizeRatio(e.indexBytes, r.corpus.textBytes) },
		func(e *engineResult) float64 { return float64(e.indexBytes) })
	line("Everything on disk (Dossier project folder; FTS5 database file)", func(e *engineResult) string { return sizeRatio(e.diskBytes, r.corpus.textBytes) },
		func(e *engineResult) float64 { return float64(e.diskBytes) })
	if d != nil {
		p("| … of which `project.db` / `files/` | %.0f MB / %.0f MB | | |", mb(d.dbBytes), mb(d.filesBytes))
	}
	lat := func(name string, fn func(*queryResult) time.Duration) {
		line(name, func(e *engineResult) string { return ms(fn(e.query)) }, func(e *engineResult) float64 { return float64(fn(e.query)) })
	}
	lat("Query latency with snippets, p50", func(q *queryResult) time.Duration { return q.pct(50) })
	lat("Query latency with snippets, p95", func(q *queryResult) time.Duration { return q.pct(95) })
	lat("Query latency with snippets, p99", func(q *queryResult) time.Duration { return q.pct(99) })
	lat("Query latency with snippets, mean", func(q *queryResult) time.Duration { return q.mean() })
	lat("Query latency, slowest", func(q *queryResult) time.Duration { return q.pct(100) })
	if d != nil {
		p("| Open the project after import | %s | | |", ms(d.openTime))
	}
	p("")
	if r.selfRSS > 0 {
		p("The benchmark process itself (corpus list, query selection, Dossier's index opened in process for the")
		p("queries) reached a max RSS of %.0f MB.", mb(r.selfRSS))
		p("")
	}
	if len(failed) > 0 {
		p("Left out of the latency figures of both engines because a query failed: %s.", strings.Join(failed, "; "))
		p("")
	}
	p("## Targets (issue 3, stated for 100,000 documents)")
	p("")
	if r.n != 100_000 {
		p("_This run has %s documents: the targets are for 100,000; the verdicts below are indicative._", thousands(int64(r.n)))
		p("")
	}
	p("| target | measured | met |")
	p("|---|---|:---:|")
	if d != nil && f != nil {
		x := rate(d) / rate(f)
		p("| import + index throughput ≥ 0.3× FTS5 | %s (%s vs %s docs/s) | %s |", ratio(x, 0.3), thousands(int64(rate(d))), thousands(int64(rate(f))), verdict(x >= 0.3))
	}
	if d != nil {
		p95 := d.query.pct(95)
		p("| query p95 with snippets < 50 ms | %s | %s |", ms(p95), verdict(p95 < 50*time.Millisecond))
		if f != nil {
			fp := f.query.pct(95)
			p("| query p95 not slower than FTS5 | %s vs %s | %s |", ms(p95), ms(fp), verdict(p95 <= fp))
		}
		x := float64(d.indexBytes) / float64(r.corpus.textBytes)
		p("| index on disk ≤ 1.5× raw text | %s (%.1f MB for %.1f MB) | %s |", ratio(x, 1.5), mb(d.indexBytes), mb(r.corpus.textBytes), verdict(x <= 1.5))
		p("| max RSS importing < 500 MB | %.0f MB | %s |", mb(d.maxRSS), verdict(d.maxRSS < 500e6))
	}
	p("")
	// Per-query samples of an engine, or none when it did not run.
	per := func(e *engineResult, i int) []time.Duration {
		if e == nil {
			return nil
		}
		return e.query.per[i]
	}
	total := func(e *engineResult, i int) string {
		switch {
		case e == nil:
			return "—"
		case e.query.errs[i] != "":
			return "error"
		}
		return thousands(e.query.totals[i])
	}
	p("## Latency by kind of query")
	p("")
	p("| kind | queries | Dossier p50 | Dossier p95 | FTS5 p50 | FTS5 p95 |")
	p("|---|---:|---:|---:|---:|---:|")
	var kinds []string
	for _, q := range r.queries {
		if !slices.Contains(kinds, q.Kind) {
			kinds = append(kinds, q.Kind)
		}
	}
	for _, k := range kinds {
		var ds, fs []time.Duration
		cnt := 0
		for i, q := range r.queries {
			if q.Kind == k && !skip[i] {
				cnt++
				ds = append(ds, per(d, i)...)
				fs = append(fs, per(f, i)...)
			}
		}
		p("| %s | %d | %s | %s | %s | %s |", k, cnt, msOrDash(ds, 50), msOrDash(ds, 95), msOrDash(fs, 50), msOrDash(fs, 95))
	}
	p("")
	p("## Queries")
	p("")
	p("Chosen from the corpus by `bench/queryset` (deterministic). Matches: documents each engine says match")
	p("(Dossier's `Total`, FTS5's `count(*)`); a difference means the engines read the query differently.")
	p("")
	p("| # | kind | Dossier query | FTS5 MATCH | matches Dossier | matches FTS5 | Dossier median | FTS5 median |")
	p("|---:|---|---|---|---:|---:|---:|---:|")
	for i, q := range r.queries {
		p("| %d | %s | `%s` | `%s` | %s | %s | %s | %s |", i+1, q.Kind, q.Dossier(), q.FTS5(),
			total(d, i), total(f, i), msOrDash(per(d, i), 50), msOrDash(per(f, i), 50))
	}
	p("")
	p("## Method")
	p("")
	p("- **Corpus**: built once and cached in `$DOSSIER_BENCH_DIR` (default `~/.cache/dossier-bench`); every file is")
	p("  read once before either engine runs, so both find it in the page cache.")
	p("- **Dossier import**: the real binary in a child process, `dossier --project DIR --no-seeds import FOLDER`")
	p("  (parse, store text and originals in SQLite, index in Bleve), timed from start to exit; CPU time and max")
	p("  RSS from the kernel (`getrusage` of the child).")
	p("- **Imports** run %d times per engine, the engines taking turns to go first; the table shows the shortest", max(1, r.rounds))
	p("  (with its CPU time) and the highest max RSS. The queries run on the databases of the last round.")
	p("- **FTS5 import**: one `sqlite3` process reads a CSV list of the files (path, subject), reads each file itself")
	p("  with `readfile()`, cuts the header off at the first blank line, and inserts subject and body into")
	p("  `fts5(title, body, tokenize = '%s')`, one `INSERT … SELECT` per 1,000 files, all in one", fts5.Tokenizer)
	p("  transaction, with WAL, `synchronous = NORMAL` and a 64 MB page cache (a third faster than the defaults")
	p("  here); timed from start to exit. The tokenizer matches Dossier's analyzer (lower-cased words, no")
	p("  stemming, no stop words, no folding of accents): both engines must report the same number of matches.")
	p("- **Index size**: `du` of Dossier's `index/` folder; for FTS5 the pages of its index tables (`dbstat`),")
	p("  without `docs_content`, its copy of the text. Raw text is the UTF-8 subject plus body of every document.")
	p("- **Queries**: %d queries, one warm-up pass then %d timed passes; p50/p95/p99 over all %d timed samples of", len(r.queries), r.reps, len(r.queries)*r.reps)
	p("  each engine. The engines are interleaved: each query runs on one and then the other (which first alternates")
	p("  by pass), so that other load on the machine hits both alike.")
	p("  Dossier: `Index.Search` in process with `Limit: 20, Snippets: 3, NoFacets: true` (FTS5 counts no facets either) on the project just imported.")
	p("  FTS5: one long-lived `sqlite3` process; `SELECT rowid, title, snippet(docs, 1, …, 16), bm25(docs) … MATCH … ORDER BY")
	p("  rank LIMIT 20`, then a sentinel `SELECT`; the latency is the wall time from writing the query to reading the")
	p("  sentinel, minus the median round trip of an empty query (%s), since `.timer` has only millisecond resolution.", r.ftsOverhead.Round(time.Microsecond))
	p("")
	p("## Notes")
	p("")
	p("<!-- notes -->")
	p("%s", keptNotes(r.file))
	p("<!-- /notes -->")
	return b.String()
}

// keptNotes returns the hand-written notes of the report in file, if any.
func keptNotes(file string) string {
	if file == "" {
		return ""
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return ""
	}
	s := string(b)
	i := strings.Index(s, "<!-- notes -->\n")
	j := strings.Index(s, "<!-- /notes -->")
	if i < 0 || j < i {
		return ""
	}
	return strings.TrimSpace(s[i+len("<!-- notes -->\n") : j])
}

func msOrDash(ds []time.Duration, pct float64) string {
	if len(ds) == 0 {
		return "—"
	}
	return ms(percentile(ds, pct))
}

// loadAvg returns the 1, 5 and 15 minute load averages.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], ", ")
}

// ratio formats x with two decimals, or three where two would round it
// onto the bar it is judged against: 0.298 beside "no" read "0.30×".
func ratio(x, bar float64) string {
	if s := fmt.Sprintf("%.2f", x); s != fmt.Sprintf("%.2f", bar) || x == bar {
		return s + "×"
	}
	return fmt.Sprintf("%.3f×", x)
}

func verdict(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

func secs(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }

func sizeRatio(n, text int64) string {
	return fmt.Sprintf("%.1f MB (%.2f× text)", mb(n), float64(n)/float64(text))
}

func at(sorted []int, p int) int {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}

func sortedByCount(m map[string]int) []string {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b string) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		return strings.Compare(a, b)
	})
	return keys
}

func thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func cpuModel() string {
	for line := range strings.Lines(cmdOutput("lscpu")) {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "Model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

func memTotal() string {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return "unknown"
	}
	for line := range strings.Lines(string(b)) {
		var kb int64
		if n, _ := fmt.Sscanf(line, "MemTotal: %d kB", &kb); n == 1 {
			return fmt.Sprintf("%.1f GB", float64(kb)/1e6)
		}
	}
	return "unknown"
}

func firstField(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return s
}

func gitDescribe() string {
	return cmdOutput("git", "describe", "--always", "--dirty")
}

// versions lists the corpus packages' versions from the source tree.
func versions(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, "src", "VERSIONS"))
	if err != nil {
		return ""
	}
	var out []string
	for line := range strings.Lines(string(b)) {
		f := strings.Fields(line)
		if len(f) == 2 {
			out = append(out, "`"+f[0]+"` "+f[1])
		} else if len(f) >= 3 && strings.HasPrefix(f[0], "Translation-") {
			out = append(out, "`"+f[0]+"` ("+f[1]+")")
		} else if len(f) >= 3 && strings.HasSuffix(f[0], "_InRelease") && strings.Contains(f[0], "_dists_") && !strings.Contains(f[0], "-updates") && !strings.Contains(f[0], "-security") {
			out = append(out, "release file "+strings.Join(f[1:], " "))
		}
	}
	return strings.Join(out, ", ")
}
