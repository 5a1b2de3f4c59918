-- Schema 7: the library's listing reads an index instead
-- of the table. At 100,000 documents, sorting all rows for Listing's ORDER BY
-- and decoding 17 columns a row took most of a second of CPU before the
-- window could list the library; walking this index in order, with every
-- column the listing reads in it, takes a fifth of that.
--
-- The key repeats Listing's ORDER BY expressions exactly (SQLite uses an
-- index on expressions only for the same expressions). Page offsets, long
-- for a long PDF, stay out of it: the few paged documents have their own
-- partial index.
CREATE INDEX documents_listing ON documents (
    published = '', substr(published || '-01-01', 1, 10), title COLLATE NOCASE, seq,
    id, title, source, published, grade);
CREATE INDEX documents_paged ON documents (id, pages) WHERE pages <> '[]';

-- The dates the timeline found in each document's text (package project
-- encodes them; '' when the text mentions none), with the hash of the text
-- they were found in: a project of 100,000 documents is scanned once, not
-- on the first look at the timeline after every start. Derived data: it
-- can be deleted at any time and is rebuilt on the next look.
CREATE TABLE date_scans (
    doc_id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    dates  TEXT NOT NULL
) STRICT, WITHOUT ROWID;
