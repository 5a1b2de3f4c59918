-- Schema 6 (branch outbox): a transactional outbox for the search index.
--
-- Every change to what the index holds (a document, a note, a quote, or a
-- document's text) leaves a row here, written by the triggers below in the
-- same transaction as the change. Once the index has taken the change, the
-- row is deleted (store.AckOutbox); a row still here when a project opens is
-- an edit the index may have missed (the process died between the commit
-- and the index batch), and the item is indexed again from the store.
--
-- One row per item: a later change replaces the earlier row and takes a
-- new, higher seq, so an acknowledgement for the earlier change (seq <= its
-- mark) cannot delete the later one. AUTOINCREMENT because a reused seq
-- would break exactly that. The triggers delete and insert rather than
-- INSERT OR REPLACE: inside a trigger the outer statement's conflict
-- policy wins, and an outer upsert or INSERT OR IGNORE would then fail or,
-- worse, keep the old row and its old seq.
CREATE TABLE index_outbox (
    seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    id   TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('source', 'note', 'quote'))
) STRICT;

CREATE TRIGGER index_outbox_doc_ins AFTER INSERT ON documents BEGIN
    DELETE FROM index_outbox WHERE id = NEW.id;
    INSERT INTO index_outbox (id, kind) VALUES (NEW.id, 'source');
END;
CREATE TRIGGER index_outbox_doc_upd AFTER UPDATE ON documents BEGIN
    DELETE FROM index_outbox WHERE id = OLD.id;
    INSERT INTO index_outbox (id, kind) VALUES (OLD.id, 'source');
    DELETE FROM index_outbox WHERE id = NEW.id AND NEW.id <> OLD.id;
    INSERT INTO index_outbox (id, kind) SELECT NEW.id, 'source' WHERE NEW.id <> OLD.id;
END;
CREATE TRIGGER index_outbox_doc_del AFTER DELETE ON documents BEGIN
    DELETE FROM index_outbox WHERE id = OLD.id;
    INSERT INTO index_outbox (id, kind) VALUES (OLD.id, 'source');
END;
CREATE TRIGGER index_outbox_text_upd AFTER UPDATE ON document_texts BEGIN
    DELETE FROM index_outbox WHERE id = (SELECT id FROM documents WHERE seq = NEW.seq);
    INSERT INTO index_outbox (id, kind) SELECT id, 'source' FROM documents WHERE seq = NEW.seq;
END;

CREATE TRIGGER index_outbox_note_ins AFTER INSERT ON notes BEGIN
    DELETE FROM index_outbox WHERE id = NEW.id;
    INSERT INTO index_outbox (id, kind) VALUES (NEW.id, 'note');
END;
CREATE TRIGGER index_outbox_note_upd AFTER UPDATE ON notes BEGIN
    DELETE FROM index_outbox WHERE id = OLD.id;
    INSERT INTO index_outbox (id, kind) VALUES (OLD.id, 'note');
    DELETE FROM index_outbox WHERE id = NEW.id AND NEW.id <> OLD.id;
    INSERT INTO index_outbox (id, kind) SELECT NEW.id, 'note' WHERE NEW.id <> OLD.id;
END;
CREATE TRIGGER index_outbox_note_del AFTER DELETE ON notes BEGIN
    DELETE FROM index_outbox WHERE id = OLD.id;
    INSERT INTO index_outbox (id, kind) VALUES (OLD.id, 'note');
END;

CREATE TRIGGER index_outbox_quote_ins AFTER INSERT ON quotes BEGIN
    DELETE FROM index_outbox WHERE id = NEW.id;
    INSERT INTO index_outbox (id, kind) VALUES (NEW.id, 'quote');
END;
CREATE TRIGGER index_outbox_quote_upd AFTER UPDATE ON quotes BEGIN
    DELETE FROM index_outbox WHERE id = OLD.id;
    INSERT INTO index_outbox (id, kind) VALUES (OLD.id, 'quote');
    DELETE FROM index_outbox WHERE id = NEW.id AND NEW.id <> OLD.id;
    INSERT INTO index_outbox (id, kind) SELECT NEW.id, 'quote' WHERE NEW.id <> OLD.id;
END;
CREATE TRIGGER index_outbox_quote_del AFTER DELETE ON quotes BEGIN
    DELETE FROM index_outbox WHERE id = OLD.id;
    INSERT INTO index_outbox (id, kind) VALUES (OLD.id, 'quote');
END;
