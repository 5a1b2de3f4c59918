-- Schema 8: originals are appended to packs, tar archives under
-- files/packs/, instead of one file each under files/ab/<sha>. This table
-- says where each one is: the pack's file name, where its bytes start and
-- how many there are; meta's originals_end says where the newest pack's
-- last recorded entry ends. Originals kept by schema 7 and before stay where
-- they are and are still read there; a row here wins over such a file.
CREATE TABLE originals (
    sha256 TEXT PRIMARY KEY,
    pack TEXT NOT NULL,
    "offset" INTEGER NOT NULL,
    size INTEGER NOT NULL
) WITHOUT ROWID;
