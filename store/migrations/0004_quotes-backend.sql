-- Schema 4: finding a document by URL, so that importing a new version of
-- a source (same URL, different content) updates it instead of adding a
-- second copy; one lookup per imported file must not scan the table.
CREATE INDEX documents_url ON documents (url) WHERE url != '';
