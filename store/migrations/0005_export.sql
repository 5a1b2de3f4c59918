-- Schema 5 (branch export): what each item looked like when it last passed
-- through a bundle, so that merging a bundle can tell "changed on one side"
-- from "changed on both" without a full edit history.
--
-- A row (id, hash) says: this project once held item id with content whose
-- canonical SHA-256 is hash, at a moment it was shared in a bundle or
-- received from one. Hashes are computed by package bundle; see
-- docs/FORMATS.md.
CREATE TABLE bundle_history (
    id   TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (id, hash)
) STRICT, WITHOUT ROWID;
