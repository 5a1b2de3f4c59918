-- Schema 3: what linked notes need beyond schema 2.
--
-- title_key is notes.TitleKey(title): titles compare ignoring case in every
-- script (SQLite's NOCASE folds ASCII only), and are unique among live notes.
ALTER TABLE notes ADD COLUMN title_key TEXT NOT NULL DEFAULT '';
UPDATE notes SET title_key = lower(trim(title));
CREATE UNIQUE INDEX notes_title_key ON notes (title_key) WHERE deleted_at = '';

-- target_key is the TitleKey of the title a [[Title]] link names, so a
-- missing link resolves as soon as a note gets that title; alias is the
-- text after '|' ('' when none); context is the sentence around the link,
-- for backlinks.
ALTER TABLE links ADD COLUMN target_key TEXT NOT NULL DEFAULT '';
ALTER TABLE links ADD COLUMN alias TEXT NOT NULL DEFAULT '';
ALTER TABLE links ADD COLUMN context TEXT NOT NULL DEFAULT '';
CREATE INDEX links_target_key ON links (target_key) WHERE target_key <> '';

-- Covering indexes for the notes list: with them listing 10,000 notes reads
-- neither the bodies nor the overflow pages that long bodies spill into.
CREATE INDEX notes_list_title ON notes (deleted_at, title_key, id, title, tags, created_at, updated_at, version);
CREATE INDEX notes_list_updated ON notes (deleted_at, updated_at, title_key, id, title, tags, created_at, version);
