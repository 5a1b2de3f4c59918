package bundle_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"dossier/bundle"
	"dossier/notes"
)

type zentry struct {
	name string
	data []byte
	mode fs.FileMode
}

// writeZip writes entries to a zip file as given, names and modes
// unchecked: the way an attacker would.
func writeZip(tb testing.TB, entries []zentry) string {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		fh := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		mode := e.mode
		if mode == 0 {
			mode = 0o644
		}
		fh.SetMode(mode)
		w, err := zw.CreateHeader(fh)
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(e.data)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "hostile"+bundle.Ext)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

func hashHex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// validEntries is an empty but valid bundle plus extra, with a manifest
// that lists every entry truthfully.
func validEntries(extra ...zentry) []zentry {
	m := bundle.Manifest{Format: bundle.Format, FormatVersion: 1, Project: bundle.Project{ID: "x", Name: "evil"},
		Entries: map[string]bundle.Entry{}}
	var out []zentry
	given := map[string]bool{}
	for _, e := range extra {
		given[e.name] = true
	}
	for _, n := range []string{bundle.DocumentsName, bundle.NotesName, bundle.LinksName, bundle.QuotesName, bundle.RelationsName, bundle.EventsName} {
		if !given[n] {
			out = append(out, zentry{name: n})
		}
	}
	out = append(out, extra...)
	for _, e := range out {
		m.Entries[e.name] = bundle.Entry{Size: int64(len(e.data)), SHA256: hashHex(e.data)}
		lines := bytes.Count(e.data, []byte("\n"))
		switch e.name {
		case bundle.DocumentsName:
			m.Counts.Documents = lines
		case bundle.NotesName:
			m.Counts.Notes = lines
		default:
			if strings.HasPrefix(e.name, "files/") {
				m.Counts.Files++
			}
		}
	}
	b, _ := json.Marshal(m)
	return append(out, zentry{name: bundle.ManifestName, data: b})
}

// rewrite copies the zip at path, passing each entry through f.
func rewrite(tb testing.TB, path string, f func(name string, data []byte) []byte) string {
	tb.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer zr.Close()
	var entries []zentry
	for _, zf := range zr.File {
		rc, _ := zf.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		entries = append(entries, zentry{name: zf.Name, data: f(zf.Name, b)})
	}
	return writeZip(tb, entries)
}

func TestHostileBundles_RejectedAndProjectUntouched(t *testing.T) {
	a := MustOpenProject(t)
	MustFill(t, a)
	good := MustCreate(t, a)
	goodBytes, _ := os.ReadFile(good)
	shaOfX := hashHex([]byte("x"))

	cases := []struct {
		name   string
		path   func(t *testing.T) string
		limits bundle.Limits
		want   string
	}{
		{"zip slip", func(t *testing.T) string {
			return writeZip(t, validEntries(zentry{name: "../../evil.sh", data: []byte("rm -rf ~")}))
		}, bundle.Limits{}, "climbs out of the folder"},
		{"zip slip inside", func(t *testing.T) string {
			return writeZip(t, validEntries(zentry{name: "files/../../evil", data: []byte("x")}))
		}, bundle.Limits{}, "climbs out of the folder"},
		{"absolute path", func(t *testing.T) string {
			return writeZip(t, validEntries(zentry{name: "/etc/cron.d/evil", data: []byte("x")}))
		}, bundle.Limits{}, "absolute path"},
		{"windows path", func(t *testing.T) string {
			return writeZip(t, validEntries(zentry{name: `files\..\..\evil`, data: []byte("x")}))
		}, bundle.Limits{}, "backslashes"},
		{"symlink", func(t *testing.T) string {
			return writeZip(t, validEntries(zentry{name: "files/" + shaOfX, data: []byte("/etc/passwd"), mode: fs.ModeSymlink | 0o777}))
		}, bundle.Limits{}, "symbolic link"},
		{"unexpected entry", func(t *testing.T) string {
			return writeZip(t, validEntries(zentry{name: "autorun.exe", data: []byte("x")}))
		}, bundle.Limits{}, "unexpected entry"},
		{"bomb", func(t *testing.T) string {
			// 64 MiB of JSON whitespace deflates about 1,000 to 1.
			return writeZip(t, validEntries(zentry{name: bundle.DocumentsName, data: bytes.Repeat([]byte(" "), 64<<20)}))
		}, bundle.Limits{}, "zip bomb"},
		{"over the size limit", func(t *testing.T) string { return good }, bundle.Limits{MaxTotal: 4096}, "limit"},
		{"bad checksum", func(t *testing.T) string {
			return rewrite(t, good, func(name string, b []byte) []byte {
				if name == bundle.NotesName {
					return bytes.Replace(b, []byte("Kant base history"), []byte("Kant base HISTORY"), 1)
				}
				return b
			})
		}, bundle.Limits{}, "does not match its checksum"},
		{"size differs from manifest", func(t *testing.T) string {
			return rewrite(t, good, func(name string, b []byte) []byte {
				if name == bundle.EventsName {
					return append(b, '\n')
				}
				return b
			})
		}, bundle.Limits{}, "manifest"},
		{"unlisted entry", func(t *testing.T) string {
			return writeZip(t, append(validEntries(), zentry{name: "files/" + shaOfX, data: []byte("x")}))
		}, bundle.Limits{}, "not listed in the manifest"},
		{"future version", func(t *testing.T) string {
			return rewrite(t, good, func(name string, b []byte) []byte {
				if name == bundle.ManifestName {
					return bytes.Replace(b, []byte(`"format_version": 1`), []byte(`"format_version": 99`), 1)
				}
				return b
			})
		}, bundle.Limits{}, "newer Dossier"},
		{"truncated", func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "cut"+bundle.Ext)
			os.WriteFile(p, goodBytes[:len(goodBytes)/2], 0o644)
			return p
		}, bundle.Limits{}, "truncated"},
		{"not a zip", func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "notes.txt")
			os.WriteFile(p, []byte("just some text"), 0o644)
			return p
		}, bundle.Limits{}, "not a zip"},
		{"no manifest", func(t *testing.T) string {
			return writeZip(t, []zentry{{name: bundle.NotesName}})
		}, bundle.Limits{}, "no manifest.json"},
		{"original under another file's name", func(t *testing.T) string {
			return writeZip(t, validEntries(zentry{name: "files/" + shaOfX, data: []byte("not x")}))
		}, bundle.Limits{}, "not named by its SHA-256"},
		{"original of no document", func(t *testing.T) string {
			return writeZip(t, validEntries(zentry{name: "files/" + shaOfX, data: []byte("x")}))
		}, bundle.Limits{}, "belongs to no document"},
	}
	before := MustSnapshot(t, a)
	files := listFiles(t, a.Dir)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path(t)
			_, err := bundle.Merge(context.Background(), a, path, bundle.LoadOptions{Limits: tc.limits})
			if err == nil {
				t.Fatal("merge accepted a hostile bundle")
			}
			if !strings.Contains(err.Error(), tc.want) || notes.ErrorKind(err) != notes.EINVALID {
				t.Fatalf("err = %v (kind %s), want one saying %q", err, notes.ErrorKind(err), tc.want)
			}
			dir := filepath.Join(t.TempDir(), "new")
			if _, err := bundle.OpenNew(context.Background(), path, dir, bundle.LoadOptions{Limits: tc.limits}); err == nil {
				t.Fatal("open accepted a hostile bundle")
			}
			if _, err := os.Stat(dir); err == nil {
				t.Fatal("a failed open left a project folder behind")
			}
		})
	}
	if got := MustSnapshot(t, a); !reflect.DeepEqual(got, before) {
		t.Fatal("a rejected bundle changed the project")
	}
	if got := listFiles(t, a.Dir); !reflect.DeepEqual(got, files) {
		t.Fatalf("a rejected bundle changed the project's files:\n%v\n%v", got, files)
	}
}

func listFiles(tb testing.TB, dir string) []string {
	var out []string
	filepath.WalkDir(filepath.Join(dir, "files"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			// With its size: originals are appended to packs.
			fi, err := d.Info()
			if err != nil {
				tb.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%s %d", p, fi.Size()))
		}
		return nil
	})
	return out
}

func FuzzReader(f *testing.F) {
	// A small sound bundle built by hand: opening a project in every fuzz
	// worker would cost more than the fuzzing.
	orig := []byte("Kant airbase\n")
	doc, _ := json.Marshal(map[string]any{"id": "d1", "title": "Kant", "sha256": hashHex(orig), "text": "Kant airbase", "published": "2023-10"})
	note, _ := json.Marshal(map[string]any{"id": "n1", "title": "Claims", "body": "see [[source:d1]]"})
	good, _ := os.ReadFile(writeZip(f, validEntries(
		zentry{name: bundle.DocumentsName, data: append(doc, '\n')},
		zentry{name: bundle.NotesName, data: append(note, '\n')},
		zentry{name: "files/" + hashHex(orig), data: orig})))
	r, err := bundle.NewReader(bytes.NewReader(good), int64(len(good)), "seed", bundle.Limits{})
	if err != nil {
		f.Fatal(err)
	}
	if err := r.Verify(context.Background(), nil); err != nil {
		f.Fatalf("the seed bundle is not sound: %v", err)
	}
	f.Add(good)
	f.Add(good[:len(good)/3])
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := bundle.NewReader(bytes.NewReader(b), int64(len(b)), "fuzz", bundle.Limits{MaxTotal: 256 << 10})
		if err != nil {
			if notes.ErrorKind(err) != notes.EINVALID {
				t.Fatalf("error of kind %s: %v", notes.ErrorKind(err), err)
			}
			return
		}
		_ = r.Verify(context.Background(), nil)
	})
}
