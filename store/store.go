// Package store keeps a project's source of truth on disk: the SQLite
// database project.db (documents, their texts, project metadata) and the
// files/ folder of original imported files, kept in tar packs (see
// PutOriginals). It implements notes.Store.
//
// The caller holds the project folder's lock; Store assumes it is the only
// process writing to the folder.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"dossier/notes"
)

// Names inside a project folder that this package owns.
const (
	DBFile   = "project.db"
	FilesDir = "files"
)

// Keys of the meta table that Open fills in when it creates a project.
const (
	MetaProjectID = "project_id" // a UUID that survives renaming or moving the folder
	MetaName      = "name"       // the folder's name when the project was created
	MetaCreated   = "created"    // RFC 3339, UTC
)

// Store is a project's database and originals folder. It is safe for
// concurrent use.
type Store struct {
	dir string
	// read has many connections so that searches and the reader keep
	// answering while an import holds the write transaction; WAL lets
	// readers see the last commit without waiting.
	read *sql.DB
	// write has exactly one connection: SQLite allows one writer at a time,
	// and queueing writers in Go is cheaper and fairer than letting them
	// collide on SQLITE_BUSY.
	write *sql.DB

	projectID string

	packs packWriter // see PutOriginals
	// hasLooseFiles: files/ holds originals of their own (schema 7 and
	// before), which are looked for only then.
	hasLooseFiles bool
}

var _ notes.Store = (*Store)(nil)

// Open opens the project in dir, creating dir, dir/project.db and dir/files
// when they are missing, and brings the database schema up to date. It does
// not lock the folder: the caller must already hold the project's lock.
//
// If project.db was written by a newer Dossier, Open refuses it with an
// error of kind ECONFLICT and changes nothing; if project.db is not a SQLite
// database, the error has kind EINVALID. A migration that fails is rolled
// back, leaving the database at the last schema that applied fully.
func Open(dir string) (*Store, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, notes.Errorf(notes.EINVALID, "cannot find project folder %s: %w", dir, err)
	}
	if err := os.MkdirAll(filepath.Join(abs, FilesDir), 0o755); err != nil {
		return nil, notes.Errorf(notes.EINVALID, "cannot create project folder %s: %w", abs, err)
	}
	dbPath := filepath.Join(abs, DBFile)

	// Pragmas go in the DSN because database/sql runs them on every new
	// connection; a PRAGMA through Exec would reach only one pooled
	// connection. synchronous=FULL because NORMAL in WAL mode can lose the
	// last commits on power loss, and those may be what the user just typed.
	// _txlock=immediate takes the write lock at BEGIN, so a transaction never
	// fails halfway when it first writes. The writer's page cache is 32 MiB
	// (the default is 2 MiB) because every insert lands at a random place in
	// the id and SHA-256 indexes; at 100,000 documents those outgrow 2 MiB
	// and each insert would read pages back from the OS.
	write, err := sql.Open("sqlite", dsn(dbPath,
		"_pragma=busy_timeout(5000)",
		"_pragma=journal_mode(WAL)",
		"_pragma=synchronous(FULL)",
		"_pragma=foreign_keys(1)",
		"_pragma=cache_size(-32768)",
		// The index outbox's triggers (migration 0006) make every write to
		// an indexed table keep a statement journal; in memory it costs
		// nothing, in a temporary file it doubled the time of bulk loads.
		"_pragma=temp_store(MEMORY)",
		"_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("store: opening %s: %w", dbPath, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)

	s := &Store{dir: abs, write: write}
	if err := s.init(dbPath); err != nil {
		_ = write.Close()
		return nil, err
	}
	if s.hasLooseFiles, err = anyLooseFiles(filepath.Join(abs, FilesDir)); err != nil {
		_ = write.Close()
		return nil, fmt.Errorf("store: reading %s: %w", FilesDir, err)
	}

	// journal_mode is not repeated for readers: WAL is recorded in the file
	// by the writer above, and query_only keeps a stray write off the read
	// pool, where it would bypass the single-writer queue.
	s.read, err = sql.Open("sqlite", dsn(dbPath,
		"_pragma=busy_timeout(5000)",
		"_pragma=foreign_keys(1)",
		"_query_only=1"))
	if err != nil {
		_ = write.Close()
		return nil, fmt.Errorf("store: opening %s: %w", dbPath, err)
	}
	// No cap on open read connections: EachDocument holds one while its
	// callback runs, and a callback that reads again must never wait for a
	// connection that only its own caller can free.
	s.read.SetMaxIdleConns(4)
	if err := s.read.Ping(); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("store: opening %s for reading: %w", dbPath, err)
	}
	return s, nil
}

// dsn builds a SQLite URI for path. A URI rather than a plain name, so a
// folder whose name contains '?' or '#' still opens the right file.
func dsn(path string, params ...string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows: C:/x becomes /C:/x, as SQLite URIs expect
	}
	u := url.URL{Scheme: "file", Path: p, OmitHost: true}
	return u.String() + "?" + strings.Join(params, "&")
}

// init migrates the schema and records the project's identity the first
// time.
func (s *Store) init(dbPath string) error {
	ctx := context.Background()
	if err := migrate(ctx, s.write); err != nil {
		if isCode(err, sqlite3.SQLITE_NOTADB) {
			return &notes.Error{Kind: notes.EINVALID,
				Message: fmt.Sprintf("%s is not a Dossier project database", dbPath), Err: err}
		}
		return err
	}
	now := time.Now().UTC().Format(time.RFC3339)
	_, err := s.write.ExecContext(ctx,
		`INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?), (?, ?), (?, ?)`,
		MetaProjectID, notes.NewID(),
		MetaName, filepath.Base(s.dir),
		MetaCreated, now)
	if err != nil {
		return fmt.Errorf("store: recording project identity: %w", err)
	}
	if err := s.write.QueryRowContext(ctx,
		`SELECT value FROM meta WHERE key = ?`, MetaProjectID).Scan(&s.projectID); err != nil {
		return fmt.Errorf("store: reading project id: %w", err)
	}
	return nil
}

// Close checkpoints and closes the database. The Store must not be used
// afterwards. An error means the last checkpoint may not have run; every
// committed transaction is still durable in the write-ahead log.
func (s *Store) Close() error {
	errs := []error{s.closePacks()}
	if s.read != nil {
		errs = append(errs, s.read.Close())
	}
	if s.write != nil {
		// Keeps the query planner's statistics fresh at almost no cost;
		// SQLite recommends it before closing a connection.
		_, _ = s.write.Exec(`PRAGMA optimize`)
		errs = append(errs, s.write.Close())
	}
	return errors.Join(errs...)
}

// ProjectID returns the project's UUID, created when the project was.
func (s *Store) ProjectID() string { return s.projectID }

// Meta returns the value stored under key in the project's metadata. A key
// never set gives an error that wraps notes.ErrNotFound.
func (s *Store) Meta(key string) (string, error) {
	var v string
	err := s.read.QueryRow(`SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", notFound("the project has no %q setting", key)
	case err != nil:
		return "", fmt.Errorf("store: reading setting %q: %w", key, err)
	}
	return v, nil
}

// SetMeta stores value under key in the project's metadata, replacing any
// earlier value. On error the earlier value stays.
func (s *Store) SetMeta(key, value string) error {
	_, err := s.write.Exec(`INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("store: saving setting %q: %w", key, err)
	}
	return nil
}

// IntegrityCheck runs SQLite's quick_check over project.db. If the database
// is damaged it returns an error of kind EINTERNAL listing what SQLite found;
// the database is not changed either way.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	rows, err := s.read.QueryContext(ctx, `PRAGMA quick_check`)
	if err != nil {
		return fmt.Errorf("store: checking project.db: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("store: checking project.db: %w", err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		if isCode(err, sqlite3.SQLITE_CORRUPT) {
			return notes.Errorf(notes.EINTERNAL, "project.db is damaged: %w", err)
		}
		return fmt.Errorf("store: checking project.db: %w", err)
	}
	if len(problems) > 0 {
		return notes.Errorf(notes.EINTERNAL, "project.db is damaged: %s", strings.Join(problems, "; "))
	}
	return nil
}

// Migrations are numbered files, applied in order; PRAGMA user_version
// records the number of the last one applied.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

var migrations = mustLoadMigrations(migrationFiles)

// mustLoadMigrations panics on a misnamed or missing migration: that is a
// build mistake every test run catches, not something a user can fix.
func mustLoadMigrations(fsys fs.FS) []migration {
	ms, err := loadMigrations(fsys)
	if err != nil {
		panic(err)
	}
	return ms
}

// loadMigrations reads migrations/NNNN_name.sql files, which must be
// numbered 1, 2, 3… without gaps.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	// fs.Glob returns names sorted, and zero-padded numbers sort in order.
	var ms []migration
	for i, name := range names {
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v != i+1 {
			return nil, fmt.Errorf("store: migration %s: want a name like %04d_what.sql", name, i+1)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	return ms, nil
}

// migrate applies every migration newer than the database's version, each
// in its own transaction together with the version bump, so a crash leaves
// the schema at a version that applied fully.
func migrate(ctx context.Context, db *sql.DB) error {
	version, err := schemaVersion(ctx, db)
	if err != nil {
		return err
	}
	if version > len(migrations) {
		return notes.Errorf(notes.ECONFLICT,
			"project.db was written by a newer Dossier (schema %d, this build knows %d); update Dossier to open this project",
			version, len(migrations))
	}
	for _, m := range migrations[version:] {
		if err := applyMigration(ctx, db, m); err != nil {
			return err
		}
	}
	return nil
}

func applyMigration(ctx context.Context, db *sql.DB, m migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: migration %s: %w", m.name, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("store: migration %s: %w", m.name, err)
	}
	// PRAGMA takes no bound parameters; version is an int we control.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
		return fmt.Errorf("store: migration %s: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: migration %s: %w", m.name, err)
	}
	return nil
}

func schemaVersion(ctx context.Context, db *sql.DB) (int, error) {
	var v int
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: reading schema version: %w", err)
	}
	return v, nil
}

// isCode reports whether err is a SQLite error with this primary result
// code (extended codes are matched by their low byte).
func isCode(err error, code int) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code()&0xff == code
}

// isExtendedCode reports whether err is a SQLite error with exactly this
// extended result code.
func isExtendedCode(err error, code int) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code() == code
}

// notFound builds an error that reads as one sentence and still satisfies
// errors.Is(err, notes.ErrNotFound).
// execer is a *sql.DB or a *sql.Tx.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// execOne runs a statement on the row of the item id, e.g. verb
// "updating", what "quote". If no row has that id the error wraps
// notes.ErrNotFound ("no quote with id …").
func execOne(ctx context.Context, x execer, verb, what, id, query string, args ...any) error {
	res, err := x.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: %s %s %s: %w", verb, what, id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: %s %s %s: %w", verb, what, id, err)
	} else if n == 0 {
		return notFound("no %s with id %s", what, id)
	}
	return nil
}

func notFound(format string, args ...any) error {
	return &notes.Error{Kind: notes.ENOTFOUND, Message: fmt.Sprintf(format, args...), Err: notes.ErrNotFound}
}
