// Package corpus builds the benchmark corpus: e-mail files (.eml) of real
// prose in several languages, made deterministically from Debian packages
// that bench/fetch-corpus.sh downloads: the GCIDE and FOLDOC dictionaries,
// fortune files in seven languages, and the translated descriptions of every
// Debian package. Consecutive entries of one source are grouped into one
// message so that message sizes spread from a few hundred bytes to a few
// kilobytes (median about 900 bytes of text), and the sources are
// interleaved in proportion to their size, so that the first n messages are
// a fair sample of the whole for any n. The sources make about 108,000
// messages this way (the pool); messages beyond it are composed from random
// entries of one source each (see composer), so any n gives n distinct
// messages with the pool's language mix, and the first 108,000 stay the
// same whatever n is.
//
// The corpus is cached: Build writes it once under the bench folder and
// later calls only read its list.
package corpus

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"mime"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Version names the corpus format; bump it whenever the output of a given
// source tree changes, so old caches are rebuilt.
const Version = 1

// PerFolder is how many messages each subfolder holds.
const PerFolder = 1000

// Doc is one message of the corpus.
type Doc struct {
	Path   string // absolute path of the .eml file
	Source string // e.g. "gcide", "debian-de", "fortunes-ru"
	Lang   string // BCP 47, e.g. "en", "pt-BR"
	Title  string // the Subject, decoded
	// TextBytes is the UTF-8 size of the title plus the body: the plain
	// text that an index indexes. FileBytes is the size of the file.
	TextBytes, FileBytes int
}

// DefaultDir returns the bench folder: $DOSSIER_BENCH_DIR, else
// ~/.cache/dossier-bench.
func DefaultDir() string {
	if d := os.Getenv("DOSSIER_BENCH_DIR"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "dossier-bench")
	}
	return filepath.Join(os.TempDir(), "dossier-bench")
}

// ErrNoSources is returned (wrapped) when the source tree is missing: run
// bench/fetch-corpus.sh.
var ErrNoSources = errors.New("corpus sources missing; run bench/fetch-corpus.sh")

// Build returns the first n messages of the corpus in dir/corpus-vN,
// writing those not yet there from the sources in dir/src.
func Build(ctx context.Context, dir string, n int) ([]Doc, error) {
	return BuildFrom(ctx, filepath.Join(dir, "src"), filepath.Join(dir, fmt.Sprintf("corpus-v%d", Version)), n)
}

// manifest records what a corpus folder holds.
type manifest struct {
	Version     int            `json:"version"`
	Fingerprint string         `json:"fingerprint"` // of the source tree
	Count       int            `json:"count"`       // messages written, in docs.tsv
	Pool        int            `json:"pool"`        // messages the sources can make
	Sources     map[string]int `json:"sources"`     // messages per source in the pool
}

// BuildFrom is Build with the source tree and the output folder named
// separately. If the output folder already holds at least n messages made
// from the same sources, it only reads their list.
func BuildFrom(ctx context.Context, srcRoot, outDir string, n int) ([]Doc, error) {
	if n <= 0 {
		return nil, fmt.Errorf("corpus: n must be positive, got %d", n)
	}
	fp, err := fingerprint(srcRoot)
	if err != nil {
		return nil, err
	}
	var m manifest
	if b, err := os.ReadFile(filepath.Join(outDir, "manifest.json")); err == nil &&
		json.Unmarshal(b, &m) == nil && m.Version == Version && m.Fingerprint == fp && m.Count >= n {
		if docs, err := readList(outDir, n); err == nil {
			return docs, nil
		}
	}

	// Messages already written from the same sources are the same bytes
	// again (the corpus is deterministic and each n a prefix of a larger
	// one): only the rest need writing.
	have := 0
	if m.Version == Version && m.Fingerprint == fp {
		have = m.Count
	}
	pl, err := makePool(ctx, srcRoot)
	if err != nil {
		return nil, err
	}
	if len(pl.msgs) == 0 {
		return nil, fmt.Errorf("corpus: the sources under %s make no messages", srcRoot)
	}
	comp := newComposer(pl)
	// Drop the old list first: a crash while writing must not leave a
	// manifest that vouches for half-written files.
	_ = os.Remove(filepath.Join(outDir, "manifest.json"))
	docs := make([]Doc, n)
	for f := 0; f*PerFolder < n; f++ {
		if err := os.MkdirAll(filepath.Join(outDir, "docs", fmt.Sprintf("%03d", f)), 0o755); err != nil {
			return nil, err
		}
	}
	base := time.Date(2016, 1, 1, 8, 0, 0, 0, time.UTC)
	// One goroutine composes the messages in order (composing beyond the
	// pool depends on what came before) and two write them; the channel
	// bounds how many texts are in memory at once.
	type job struct {
		i int
		m message
	}
	jobs := make(chan job, 256)
	var wg sync.WaitGroup
	errs := make([]error, 3)
	wg.Go(func() {
		defer close(jobs)
		for i := range n {
			if i%PerFolder == 0 && ctx.Err() != nil {
				errs[2] = ctx.Err()
				return
			}
			jobs <- job{i, comp.message(i)}
		}
	})
	for w := range 2 {
		wg.Go(func() {
			for j := range jobs {
				if errs[w] != nil {
					continue // drain, so the composer is not stuck
				}
				i, p := j.i, j.m
				path := filepath.Join(outDir, "docs", fmt.Sprintf("%03d", i/PerFolder), fmt.Sprintf("%06d.eml", i))
				date := base.Add(time.Duration(i) * 31 * time.Minute).Add(time.Duration(i%53) * time.Second)
				b := p.eml(i, date)
				if i >= have {
					if err := os.WriteFile(path, b, 0o644); err != nil {
						errs[w] = err
						continue
					}
				}
				docs[i] = Doc{Path: path, Source: p.src.name, Lang: p.src.lang, Title: p.title,
					TextBytes: len(p.title) + len(p.body), FileBytes: len(b)}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if err := writeList(outDir, docs); err != nil {
		return nil, err
	}
	m = manifest{Version: Version, Fingerprint: fp, Count: n, Pool: len(pl.msgs), Sources: map[string]int{}}
	for _, p := range pl.msgs {
		m.Sources[p.src.name]++
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(filepath.Join(outDir, "manifest.json"), append(b, '\n'), 0o644); err != nil {
		return nil, err
	}
	return docs, nil
}

// fingerprint identifies a source tree by its VERSIONS file (written by
// fetch-corpus.sh) or, without one, by the names and sizes of its files.
func fingerprint(root string) (string, error) {
	h := sha256.New()
	if b, err := os.ReadFile(filepath.Join(root, "VERSIONS")); err == nil {
		h.Write(b)
	} else {
		found := false
		err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() {
				info, err := d.Info()
				if err != nil {
					return err
				}
				found = true
				rel, _ := filepath.Rel(root, path)
				fmt.Fprintf(h, "%s %d\n", filepath.ToSlash(rel), info.Size())
			}
			return nil
		})
		if err != nil || !found {
			return "", fmt.Errorf("corpus: %s: %w", root, ErrNoSources)
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:12]), nil
}

// message is one corpus message before it is written.
type message struct {
	src   *source
	title string
	body  string
}

// eml renders the message as an RFC 5322 file: non-ASCII subjects are
// RFC 2047 encoded and the body is 8-bit UTF-8, as mail clients save them.
func (m message) eml(i int, date time.Time) []byte {
	var b strings.Builder
	b.Grow(len(m.body) + 400)
	fmt.Fprintf(&b, "From: %s\n", m.src.from)
	b.WriteString("To: Dossier benchmark <bench@dossier.invalid>\n")
	fmt.Fprintf(&b, "Subject: %s\n", mime.QEncoding.Encode("utf-8", m.title))
	fmt.Fprintf(&b, "Date: %s\n", date.Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <%06d.%s@corpus.dossier.invalid>\n", i, m.src.name)
	b.WriteString("MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n")
	fmt.Fprintf(&b, "Content-Language: %s\n\n", m.src.lang)
	b.WriteString(m.body)
	b.WriteByte('\n')
	return []byte(b.String())
}

// pool is what the sources make: their messages in corpus order, and every
// source's entries, from which messages beyond the pool are composed.
type pool struct {
	msgs    []message
	entries map[*source][]entry
}

// makePool reads every source and returns all the messages they make, in
// corpus order, with the entries they were made of.
func makePool(ctx context.Context, root string) (pool, error) {
	srcs := sources()
	per := make([][]message, len(srcs))
	ents := make([][]entry, len(srcs))
	errs := make([]error, len(srcs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i := range srcs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			if ctx.Err() != nil {
				errs[i] = ctx.Err()
				return
			}
			es, err := srcs[i].read(root)
			if err != nil {
				if errors.Is(err, os.ErrNotExist) {
					err = fmt.Errorf("%w (%v)", ErrNoSources, err)
				}
				errs[i] = fmt.Errorf("corpus: source %s: %w", srcs[i].name, err)
				return
			}
			per[i], ents[i] = group(&srcs[i], es), es
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return pool{}, err
	}
	pl := pool{msgs: interleave(per), entries: map[*source][]entry{}}
	for i := range srcs {
		pl.entries[&srcs[i]] = ents[i]
	}
	return pl, nil
}

// Message sizes: log-normal with this median and spread (in bytes of
// body), clamped, so most are 400 B–2 KB with a tail of long ones.
const (
	sizeMedian = 900
	sizeSigma  = 0.7
	sizeMin    = 250
	sizeMax    = 6000
)

// group joins consecutive entries of one source into messages whose sizes
// follow a log-normal draw from a generator seeded by the source's name.
func group(s *source, es []entry) []message {
	h := fnv.New64a()
	h.Write([]byte(s.name))
	rng := rand.New(rand.NewPCG(h.Sum64(), 0x5eed))
	var out []message
	for i := 0; i < len(es); {
		target := lognormal(rng)
		title := es[i].title
		var b strings.Builder
		for i < len(es) && (b.Len() == 0 || b.Len()+len(es[i].text) <= target+target/4) {
			if b.Len() > 0 {
				b.WriteString("\n\n")
			}
			b.WriteString(es[i].text)
			i++
			if b.Len() >= target {
				break
			}
		}
		out = append(out, message{src: s, title: cut(title, 70), body: b.String()})
	}
	return out
}

// lognormal draws a message size. It uses Box–Muller on the generator's raw
// output rather than rand's NormFloat64, whose algorithm Go may change.
func lognormal(rng *rand.Rand) int {
	u1 := (float64(rng.Uint64()>>11) + 0.5) / (1 << 53)
	u2 := float64(rng.Uint64()>>11) / (1 << 53)
	z := math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
	v := int(math.Exp(math.Log(sizeMedian) + sizeSigma*z))
	return min(max(v, sizeMin), sizeMax)
}

// interleave merges the sources' messages so that each source's share of
// any prefix is its share of the whole: message j of a source with m
// messages sits at position (j+½)/m; ties go to the earlier source.
func interleave(per [][]message) []message {
	total := 0
	for _, p := range per {
		total += len(p)
	}
	out := make([]message, 0, total)
	next := make([]int, len(per))
	for len(out) < total {
		best := -1
		for s, p := range per {
			j := next[s]
			if j >= len(p) {
				continue
			}
			if best < 0 {
				best = s
				continue
			}
			// (2j+1)/m_s < (2k+1)/m_best, in integers.
			k := next[best]
			if int64(2*j+1)*int64(len(per[best])) < int64(2*k+1)*int64(len(p)) {
				best = s
			}
		}
		out = append(out, per[best][next[best]])
		next[best]++
	}
	return out
}

// docs.tsv: path (relative), source, lang, text bytes, file bytes, title.
func writeList(dir string, docs []Doc) error {
	f, err := os.Create(filepath.Join(dir, "docs.tsv"))
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, d := range docs {
		rel, _ := filepath.Rel(dir, d.Path)
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%d\t%s\n", filepath.ToSlash(rel), d.Source, d.Lang, d.TextBytes, d.FileBytes,
			strings.NewReplacer("\t", " ", "\n", " ").Replace(d.Title))
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func readList(dir string, n int) ([]Doc, error) {
	f, err := os.Open(filepath.Join(dir, "docs.tsv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	docs := make([]Doc, 0, n)
	for len(docs) < n && sc.Scan() {
		fs := strings.SplitN(sc.Text(), "\t", 6)
		if len(fs) != 6 {
			return nil, fmt.Errorf("docs.tsv: bad line %q", sc.Text())
		}
		tb, err1 := strconv.Atoi(fs[3])
		fb, err2 := strconv.Atoi(fs[4])
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("docs.tsv: bad line %q", sc.Text())
		}
		docs = append(docs, Doc{Path: filepath.Join(dir, filepath.FromSlash(fs[0])), Source: fs[1], Lang: fs[2],
			TextBytes: tb, FileBytes: fb, Title: fs[5]})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(docs) < n {
		return nil, fmt.Errorf("docs.tsv: %d messages, %d asked", len(docs), n)
	}
	return docs, nil
}

// Body returns the plain text of a corpus message: what follows the
// header. It is for the benchmark's own use (query selection, the FTS5
// loader); Dossier parses the files with its own importer.
func Body(eml []byte) string {
	s := string(eml)
	if _, body, ok := strings.Cut(s, "\n\n"); ok {
		return strings.TrimSuffix(body, "\n")
	}
	return ""
}
