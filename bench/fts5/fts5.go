// Package fts5 is the benchmark's baseline: SQLite FTS5 driven through the
// `sqlite3` command-line shell from Debian, on the same corpus files and
// the same queries as Dossier.
//
// Loading: one sqlite3 process reads a list of the corpus files (path and
// subject, as CSV), reads every file itself with readfile(), cuts the
// header off at the first blank line, and inserts subject and body into an
// FTS5 table (title, body), a thousand files per statement, inside one
// transaction. It runs with the
// settings a bulk load would use and Dossier's store uses (WAL,
// synchronous=NORMAL, a 64 MB page cache): on this class of machine they
// take a third off the default settings' time. Its wall time, from start
// to exit, is the figure; its max RSS comes from the kernel.
//
// Querying: one long-lived sqlite3 process reads SELECT statements on its
// standard input (bm25 ranking, LIMIT 20, snippet() of the body). Each
// query is followed by a sentinel SELECT; its latency is the wall time from
// writing the query to reading the sentinel, minus the median round trip of
// an empty query (pipe, SQL parse, output), measured first. That leaves
// FTS5's own work plus the formatting of 20 rows, with a resolution of
// microseconds (`.timer on` reports milliseconds only).
package fts5

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"dossier/bench/childrss"
	"dossier/bench/corpus"
)

// Tokenizer is the FTS5 tokenizer used. It matches Dossier's analyzer
// (search/analyzer.go): words are runs of letters, digits and marks,
// lower-cased, with no stemming, no stop words and no folding of
// diacritics, so both engines match the same documents.
const Tokenizer = "unicode61 remove_diacritics 0"

// loadBatch is how many files one INSERT statement loads.
const loadBatch = 1000

// LoadResult is what loading the corpus cost.
type LoadResult struct {
	Docs      int
	Wall      time.Duration // the sqlite3 process, start to exit
	CPU       time.Duration // its user plus system time
	MaxRSS    int64         // bytes
	DBBytes   int64         // the database file
	IndexOnly int64         // FTS5's index tables, without the copy of the text
}

// Load creates the FTS5 database db (replacing any old one) from docs.
func Load(ctx context.Context, sqlite3, db string, docs []corpus.Doc) (LoadResult, error) {
	for _, suffix := range []string{"", "-journal", "-wal", "-shm"} {
		if err := os.Remove(db + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return LoadResult{}, err
		}
	}
	list := db + ".files.csv"
	if err := writeList(list, docs); err != nil {
		return LoadResult{}, err
	}
	defer os.Remove(list)
	var script strings.Builder
	fmt.Fprintf(&script, `PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA cache_size = -65536;
CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize = %s);
CREATE TEMP TABLE files(path TEXT, title TEXT);
.import --csv %s files
BEGIN;
`, sqlQuote(Tokenizer), sqlQuote(list))
	// One INSERT … SELECT per thousand files: SQLite copies the rows of an
	// INSERT into a virtual table through a temporary table first, so one
	// statement for the whole corpus would hold all of it in memory.
	for first := 1; first <= len(docs); first += loadBatch {
		fmt.Fprintf(&script, `INSERT INTO docs(rowid, title, body)
  SELECT rowid, title, substr(t, instr(t, char(10) || char(10)) + 2)
  FROM (SELECT rowid, title, CAST(readfile(path) AS TEXT) AS t FROM temp.files WHERE rowid BETWEEN %d AND %d);
`, first, first+loadBatch-1)
	}
	script.WriteString("COMMIT;\nSELECT count(*) FROM docs;\n")

	cmd := exec.CommandContext(ctx, sqlite3, "-bail", db)
	rss := childrss.Wrap(cmd)
	cmd.Stdin = strings.NewReader(script.String())
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return LoadResult{}, fmt.Errorf("sqlite3 load: %v: %s", err, errb.String())
	}
	// The first line is journal_mode's answer ("wal").
	n, err := -1, error(nil)
	if f := strings.Fields(out.String()); len(f) > 0 {
		n, err = strconv.Atoi(f[len(f)-1])
	}
	if err != nil || n != len(docs) {
		return LoadResult{}, fmt.Errorf("sqlite3 load: %d rows for %d documents (%q, %s)", n, len(docs), out.String(), errb.String())
	}
	r := LoadResult{Docs: n, Wall: wall, MaxRSS: rss(),
		CPU: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
	if st, err := os.Stat(db); err == nil {
		r.DBBytes = st.Size()
	}
	r.IndexOnly = IndexBytes(ctx, sqlite3, db)
	return r, nil
}

// IndexBytes returns the size of the FTS5 index proper in db: dbstat splits
// the file by table, and everything but docs_content (the stored copy of
// the text) is index. It returns 0 if sqlite3 cannot tell.
func IndexBytes(ctx context.Context, sqlite3, db string) int64 {
	q := exec.CommandContext(ctx, sqlite3, db,
		"SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'docs%' AND name <> 'docs_content'")
	b, err := q.Output()
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return n
}

func writeList(path string, docs []corpus.Doc) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(bufio.NewWriter(f))
	for _, d := range docs {
		abs, err := filepath.Abs(d.Path)
		if err != nil {
			f.Close()
			return err
		}
		if err := w.Write([]string{abs, d.Title}); err != nil {
			f.Close()
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Quote returns s as an SQL string literal.
func Quote(s string) string { return sqlQuote(s) }

func sqlQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// Querier runs queries in one sqlite3 process.
type Querier struct {
	cmd      *exec.Cmd
	in       io.WriteCloser
	out      *bufio.Reader
	stderr   *syncBuffer
	overhead time.Duration
}

// syncBuffer collects the child's stderr, which exec copies on its own
// goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

const sentinel = "@@dossier-bench-end@@"

// OpenQuerier starts sqlite3 on db and measures the round trip of an empty
// query, which Query subtracts.
func OpenQuerier(ctx context.Context, sqlite3, db string) (*Querier, error) {
	cmd := exec.CommandContext(ctx, sqlite3, db)
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	errb := &syncBuffer{}
	cmd.Stderr = errb
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	q := &Querier{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<16), stderr: errb}
	if _, err := io.WriteString(in, ".mode list\n.separator \"\\t\"\n.headers off\n"); err != nil {
		q.Close()
		return nil, err
	}
	var rtts []time.Duration
	for range 300 {
		_, d, err := q.roundTrip("SELECT 1 WHERE 0;")
		if err != nil {
			q.Close()
			return nil, err
		}
		rtts = append(rtts, d)
	}
	slices.Sort(rtts)
	q.overhead = rtts[len(rtts)/2]
	return q, nil
}

// Overhead is the median round trip of an empty query, subtracted from
// every latency.
func (q *Querier) Overhead() time.Duration { return q.overhead }

// Statement returns the SQL run for an FTS5 MATCH expression.
func Statement(match string) string {
	return "SELECT rowid, title, replace(snippet(docs, 1, '<mark>', '</mark>', '…', 16), char(10), ' '), bm25(docs) " +
		"FROM docs WHERE docs MATCH " + sqlQuote(match) + " ORDER BY rank LIMIT 20;"
}

// Query runs one MATCH expression and returns the rows (each: rowid, title,
// snippet, score, tab-separated) and its latency without the pipe's round
// trip.
func (q *Querier) Query(match string) ([]string, time.Duration, error) {
	rows, d, err := q.roundTrip(Statement(match))
	return rows, max(0, d-q.overhead), err
}

// RawQuery runs any SQL statement (ending with ";") and returns its rows
// and its wall time, pipe included.
func (q *Querier) RawQuery(stmt string) ([]string, time.Duration, error) { return q.roundTrip(stmt) }

func (q *Querier) roundTrip(stmt string) ([]string, time.Duration, error) {
	start := time.Now()
	if _, err := io.WriteString(q.in, stmt+"\nSELECT '"+sentinel+"';\n"); err != nil {
		return nil, 0, err
	}
	var rows []string
	for {
		line, err := q.out.ReadString('\n')
		if err != nil {
			return nil, 0, fmt.Errorf("sqlite3: %v: %s", err, q.stderr.String())
		}
		line = strings.TrimSuffix(line, "\n")
		if line == sentinel {
			break
		}
		rows = append(rows, line)
	}
	return rows, time.Since(start), nil
}

// Errors returns what sqlite3 has printed on stderr so far: it reports a
// bad query there and goes on, so a caller checks this after a pass (the
// copy runs on another goroutine and may lag a few milliseconds).
func (q *Querier) Errors() string { return q.stderr.String() }

// Close ends the sqlite3 process.
func (q *Querier) Close() error {
	q.in.Close()
	return q.cmd.Wait()
}
