-- Schema 6 (branch outbox): a transactional outbox for the search index.
--
-- Every change to what the index holds (a document, a note, a quote, or a
-- document's text) leaves a row here, written by the triggers below in the
-- same transaction as the change. Once the index has taken the change, the
-- row is deleted (store.AckOutbox); a row still here when a project opens is
-- an edit the index may have missed (the process died between the commit
-- and the index batch), and the item is indexed again from the store.
--
-- A row per change, appended: seq only grows (AUTOINCREMENT never reuses
-- one), so acknowledging a commit deletes the rows of its items up to its
-- own seq and never a later change's row. The index on id finds them; it
-- stays as small as the table, which holds only changes on their way to
-- the index, so its pages stay in the cache even though ids are random.
CREATE TABLE index_outbox (
    seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    id   TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('source', 'note', 'quote'))
) STRICT;
CREATE INDEX index_outbox_id ON index_outbox (id);

CREATE TRIGGER index_outbox_doc_ins AFTER INSERT ON documents BEGIN
    INSERT INTO index_outbox (id, kind) VALUES (NEW.id, 'source');
END;
CREATE TRIGGER index_outbox_doc_upd AFTER UPDATE ON documents BEGIN
    INSERT INTO index_outbox (id, kind) VALUES (OLD.id, 'source');
    INSERT INTO index_outbox (id, kind) SELECT NEW.id, 'source' WHERE NEW.id <> OLD.id;
END;
CREATE TRIGGER index_outbox_doc_del AFTER DELETE ON documents BEGIN
    INSERT INTO index_outbox (id, kind) VALUES (OLD.id, 'source');
END;
CREATE TRIGGER index_outbox_text_upd AFTER UPDATE ON document_texts BEGIN
    INSERT INTO index_outbox (id, kind) SELECT id, 'source' FROM documents WHERE seq = NEW.seq;
END;

CREATE TRIGGER index_outbox_note_ins AFTER INSERT ON notes BEGIN
    INSERT INTO index_outbox (id, kind) VALUES (NEW.id, 'note');
END;
CREATE TRIGGER index_outbox_note_upd AFTER UPDATE ON notes BEGIN
    INSERT INTO index_outbox (id, kind) VALUES (OLD.id, 'note');
    INSERT INTO index_outbox (id, kind) SELECT NEW.id, 'note' WHERE NEW.id <> OLD.id;
END;
CREATE TRIGGER index_outbox_note_del AFTER DELETE ON notes BEGIN
    INSERT INTO index_outbox (id, kind) VALUES (OLD.id, 'note');
END;

CREATE TRIGGER index_outbox_quote_ins AFTER INSERT ON quotes BEGIN
    INSERT INTO index_outbox (id, kind) VALUES (NEW.id, 'quote');
END;
CREATE TRIGGER index_outbox_quote_upd AFTER UPDATE ON quotes BEGIN
    INSERT INTO index_outbox (id, kind) VALUES (OLD.id, 'quote');
    INSERT INTO index_outbox (id, kind) SELECT NEW.id, 'quote' WHERE NEW.id <> OLD.id;
END;
CREATE TRIGGER index_outbox_quote_del AFTER DELETE ON quotes BEGIN
    INSERT INTO index_outbox (id, kind) VALUES (OLD.id, 'quote');
END;
