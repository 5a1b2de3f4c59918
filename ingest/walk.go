package ingest

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"dossier/notes"
)

// Walk lists the files to import under paths, recursively; a path may also
// be a single file. It calls fn(path, nil) for each regular file that
// Parse supports (by extension, or by sniffing its first kilobyte when the
// extension says nothing) and fn(path, err) for each path it cannot use: a
// folder it cannot read, a broken symbolic link, a file it cannot read or
// larger than MaxFileSize, or a path given explicitly whose type is not
// supported. A file found in a folder with an extension Parse knows is not
// opened: ParseFile reports it if it cannot be read or is too large.
// Errors passed to fn are *notes.Error of a kind other than EINTERNAL,
// wrapping the underlying *fs.PathError where there is one.
//
// Walk skips hidden files and folders (names starting with '.') below the
// given paths, and system clutter such as desktop.ini, Thumbs.db and
// editor backups ending in '~'. It follows a symbolic link given as a path
// and symbolic links to files, but never a link to a folder found inside a
// tree, so link loops cannot make it run forever. Sockets, pipes and
// devices are ignored. Files are visited in lexical order, each once.
//
// Walk stops and returns ctx.Err() when ctx is cancelled, and stops and
// returns the error when fn returns one.
func Walk(ctx context.Context, paths []string, fn func(path string, err error) error) error {
	w := walker{ctx: ctx, fn: fn}
	if len(paths) > 1 {
		w.seen = map[string]bool{}
	}
	for _, root := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		fi, err := os.Stat(root)
		if err != nil {
			if err := fn(root, statError(root, err)); err != nil {
				return err
			}
			continue
		}
		if !fi.IsDir() {
			if err := w.file(root, fi, true); err != nil {
				return err
			}
			continue
		}
		start := root
		if lfi, err := os.Lstat(root); err == nil && lfi.Mode()&fs.ModeSymlink != 0 {
			// A trailing separator makes WalkDir's Lstat follow the link
			// the user gave, while the paths reported keep its name.
			start = root + string(filepath.Separator)
		}
		if err := filepath.WalkDir(start, func(path string, d fs.DirEntry, err error) error {
			return w.visit(start, path, d, err)
		}); err != nil {
			return err
		}
	}
	return nil
}

type walker struct {
	ctx  context.Context
	fn   func(string, error) error
	seen map[string]bool // files already reported, when paths may overlap
}

func (w *walker) visit(root, path string, d fs.DirEntry, err error) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	if err != nil {
		if e := w.fn(path, folderError(err)); e != nil {
			return e
		}
		if d != nil && d.IsDir() {
			return fs.SkipDir
		}
		return nil
	}
	if path != root && skipName(d.Name()) {
		if d.IsDir() {
			return fs.SkipDir
		}
		return nil
	}
	switch t := d.Type(); {
	case t.IsDir():
		return nil
	case t&fs.ModeSymlink != 0:
		fi, err := os.Stat(path)
		if err != nil {
			return w.fn(path, &notes.Error{Kind: notes.EINVALID, Message: "broken link: its target cannot be read", Err: err})
		}
		if !fi.Mode().IsRegular() {
			return nil // links to folders are not followed
		}
		return w.file(path, fi, false)
	case t.IsRegular():
		if _, known := extFormats[strings.ToLower(filepath.Ext(path))]; known {
			// Not looked at: ParseFile refuses a file too large or
			// unreadable with the same message, and stat and open here
			// cost a 100,000-file import seconds on one core before
			// any parsing starts.
			if w.reported(path) {
				return nil
			}
			return w.fn(path, nil)
		}
		fi, err := d.Info()
		if err != nil {
			return w.fn(path, readError(err))
		}
		return w.file(path, fi, false)
	}
	return nil
}

// file reports one regular file if Parse would take it. Explicit files
// (given by the caller rather than found in a folder) are reported even
// when refused, so a dropped PDF gets an answer.
func (w *walker) file(path string, fi fs.FileInfo, explicit bool) error {
	if w.reported(path) {
		return nil
	}
	if !fi.Mode().IsRegular() {
		if explicit {
			return w.fn(path, invalid("not a regular file"))
		}
		return nil
	}
	ext := strings.ToLower(filepath.Ext(path))
	_, known := extFormats[ext]
	if !known && binaryExts[ext] {
		if explicit {
			return w.fn(path, errUnsupported(ext))
		}
		return nil
	}
	// Opening proves the file readable now rather than halfway through an
	// import; for unknown extensions the head tells what the file is.
	f, err := os.Open(path)
	if err != nil {
		return w.fn(path, readError(err))
	}
	var head []byte
	if !known {
		head = make([]byte, sniffLen)
		n, err := io.ReadFull(f, head)
		head = head[:n]
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
			f.Close()
			return w.fn(path, readError(err))
		}
	}
	f.Close()
	if !known && sniff(head) == formatNone {
		if explicit {
			if ext == "" {
				return w.fn(path, errBinary(head))
			}
			return w.fn(path, errUnsupported(ext))
		}
		return nil
	}
	if err := CheckSize(fi.Size()); err != nil {
		return w.fn(path, err)
	}
	return w.fn(path, nil)
}

// reported tells whether path was reported already, and notes it as
// reported: paths given to Walk may overlap.
func (w *walker) reported(path string) bool {
	if w.seen == nil {
		return false
	}
	key := filepath.Clean(path)
	if abs, err := filepath.Abs(key); err == nil {
		key = abs
	}
	if w.seen[key] {
		return true
	}
	w.seen[key] = true
	return false
}

// skipName reports names Walk never imports: hidden files and folders,
// and clutter that operating systems and editors leave in folders.
func skipName(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") || strings.HasSuffix(name, "~") {
		return true
	}
	switch strings.ToLower(name) {
	case "desktop.ini", "thumbs.db", "__macosx", "$recycle.bin", "system volume information":
		return true
	}
	return false
}

func statError(path string, err error) error {
	if lfi, lerr := os.Lstat(path); lerr == nil && lfi.Mode()&fs.ModeSymlink != 0 {
		return &notes.Error{Kind: notes.EINVALID, Message: "broken link: its target cannot be read", Err: err}
	}
	return readError(err)
}

func folderError(err error) error {
	e := readError(err)
	e.Message = strings.Replace(e.Message, "cannot read file", "cannot read folder", 1)
	return e
}
