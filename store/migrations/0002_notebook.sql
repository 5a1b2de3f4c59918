-- Schema 2: the researcher's own work — notes and their links, quotes and
-- the relations between them, timeline events — and page boundaries of
-- documents.
--
-- Every item has a random UUID id (stable across bundles and merges) and
-- an integer seq rowid. Times are RFC 3339 with nanoseconds, UTC. Tag lists
-- are JSON arrays of strings. Offsets into texts are in code points, as
-- the W3C Web Annotation selectors count them.

-- Code-point offsets at which each page of the document begins (JSON array
-- of integers, [] when the document has no pages).
ALTER TABLE documents ADD COLUMN pages TEXT NOT NULL DEFAULT '[]' CHECK (json_type(pages) = 'array');

CREATE TABLE notes (
    seq        INTEGER PRIMARY KEY,
    id         TEXT    NOT NULL UNIQUE,
    title      TEXT    NOT NULL,
    body       TEXT    NOT NULL DEFAULT '',
    tags       TEXT    NOT NULL DEFAULT '[]' CHECK (json_type(tags) = 'array'),
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    -- Set when the note is deleted, so a delete can be undone; '' while alive.
    deleted_at TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX notes_title ON notes (title COLLATE NOCASE);
CREATE INDEX notes_updated ON notes (updated_at);

-- Links from notes, rebuilt from a note's body every time it is saved.
CREATE TABLE links (
    from_id     TEXT    NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL, -- position among the note's links
    target_id   TEXT    NOT NULL DEFAULT '', -- '' when target_kind is 'missing'
    target_kind TEXT    NOT NULL CHECK (target_kind IN ('note', 'source', 'quote', 'missing')),
    text        TEXT    NOT NULL, -- what the link reads as
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    PRIMARY KEY (from_id, ord)
) STRICT, WITHOUT ROWID;
CREATE INDEX links_target ON links (target_id);

CREATE TABLE quotes (
    seq        INTEGER PRIMARY KEY,
    id         TEXT    NOT NULL UNIQUE,
    doc_id     TEXT    NOT NULL REFERENCES documents (id),
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    exact      TEXT    NOT NULL,
    prefix     TEXT    NOT NULL DEFAULT '',
    suffix     TEXT    NOT NULL DEFAULT '',
    page       INTEGER NOT NULL DEFAULT 0,
    page_end   INTEGER NOT NULL DEFAULT 0,
    comment    TEXT    NOT NULL DEFAULT '',
    tags       TEXT    NOT NULL DEFAULT '[]' CHECK (json_type(tags) = 'array'),
    color      TEXT    NOT NULL DEFAULT '',
    orphaned   INTEGER NOT NULL DEFAULT 0 CHECK (orphaned IN (0, 1)),
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
) STRICT;
CREATE INDEX quotes_doc ON quotes (doc_id, start);

CREATE TABLE relations (
    id         TEXT NOT NULL PRIMARY KEY,
    a_id       TEXT NOT NULL REFERENCES quotes (id) ON DELETE CASCADE,
    b_id       TEXT NOT NULL REFERENCES quotes (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('contradicts', 'supports')),
    note       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (a_id, b_id, kind)
) STRICT, WITHOUT ROWID;

CREATE TABLE events (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    label      TEXT NOT NULL,
    -- notes.Date.String() and its precision, as in documents.
    date       TEXT NOT NULL,
    precision  TEXT NOT NULL CHECK (precision IN ('unknown', 'year', 'month', 'day')),
    end_date   TEXT NOT NULL DEFAULT '',
    end_precision TEXT NOT NULL DEFAULT 'unknown'
                  CHECK (end_precision IN ('unknown', 'year', 'month', 'day')),
    note       TEXT NOT NULL DEFAULT '',
    -- JSON array of ids of sources, quotes or notes.
    links      TEXT NOT NULL DEFAULT '[]' CHECK (json_type(links) = 'array'),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
