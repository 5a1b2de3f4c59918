-- Schema 1: documents, their texts, and the project's key/value metadata.
--
-- Texts live in their own table, keyed by the document's integer seq, so that
-- listing 100,000 documents' metadata never pages in megabytes of text.
-- Tables are STRICT so that a bug that binds the wrong Go type fails loudly
-- instead of storing it.

CREATE TABLE meta (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE documents (
    -- seq is the rowid: texts hang off it, so they are appended in order
    -- instead of being filed under a random UUID in an index of their own.
    seq           INTEGER PRIMARY KEY,
    id            TEXT    NOT NULL UNIQUE,
    title         TEXT    NOT NULL DEFAULT '',
    author        TEXT    NOT NULL DEFAULT '',
    source        TEXT    NOT NULL DEFAULT '',
    url           TEXT    NOT NULL DEFAULT '',
    -- notes.Date.String(): '', 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'.
    published     TEXT    NOT NULL DEFAULT '',
    -- notes.Precision.String(), kept beside published so SQL can filter on it.
    precision     TEXT    NOT NULL DEFAULT 'unknown'
                          CHECK (precision IN ('unknown', 'year', 'month', 'day')),
    media_type    TEXT    NOT NULL DEFAULT '',
    language      TEXT    NOT NULL DEFAULT '',
    sha256        TEXT    NOT NULL UNIQUE,
    grade         TEXT    NOT NULL DEFAULT '',
    grade_note    TEXT    NOT NULL DEFAULT '',
    -- A JSON array of strings.
    tags          TEXT    NOT NULL DEFAULT '[]' CHECK (json_type(tags) = 'array'),
    original_name TEXT    NOT NULL DEFAULT '',
    size          INTEGER NOT NULL DEFAULT 0,
    importer      TEXT    NOT NULL DEFAULT '',
    -- RFC 3339 with nanoseconds, UTC.
    imported_at   TEXT    NOT NULL
) STRICT;

CREATE TABLE document_texts (
    seq  INTEGER PRIMARY KEY REFERENCES documents (seq) ON DELETE CASCADE,
    text TEXT NOT NULL
) STRICT;
