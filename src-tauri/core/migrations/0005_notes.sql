-- 0005: session notes (signed, locked, amended by addenda), psychotherapy notes kept
-- apart, and the full-text index over both notes and addenda.
-- Append-only: never edit a migration that has shipped; add a new file instead.

-- One progress note per session. `sections` is the note's text as JSON
-- [{"key","title","text"}], titles included, so a later template edit never changes
-- a written note.
CREATE TABLE notes (
    session_id     TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    format         TEXT NOT NULL CHECK (format IN ('soap', 'dap', 'birp', 'free')),
    sections       TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    signed_at      TEXT,
    signed_by      TEXT,
    -- SHA-256 of the canonical content at signing; checked on every read and export.
    content_sha256 TEXT,
    CHECK ((signed_at IS NULL) = (content_sha256 IS NULL))
) STRICT;

-- The store itself refuses to change a signed note, so no bug elsewhere can.
CREATE TRIGGER signed_note_is_locked BEFORE UPDATE ON notes
WHEN OLD.signed_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a signed note cannot be changed; add an addendum');
END;

-- Only removing the whole client (the practice's retention decision, which deletes the
-- session first) takes a signed note with it.
CREATE TRIGGER signed_note_is_kept BEFORE DELETE ON notes
WHEN OLD.signed_at IS NOT NULL AND EXISTS (SELECT 1 FROM sessions WHERE id = OLD.session_id)
BEGIN
    SELECT RAISE(ABORT, 'a signed note cannot be deleted');
END;

-- Corrections: dated, signed, append-only, numbered in order under the original.
CREATE TABLE note_addenda (
    id             TEXT PRIMARY KEY,
    session_id     TEXT NOT NULL REFERENCES notes (session_id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL CHECK (seq >= 1),
    text           TEXT NOT NULL CHECK (length(trim(text)) > 0),
    signed_at      TEXT NOT NULL,
    signed_by      TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    UNIQUE (session_id, seq)
) STRICT;

CREATE TRIGGER addenda_never_change BEFORE UPDATE ON note_addenda
BEGIN
    SELECT RAISE(ABORT, 'an addendum cannot be changed; add another addendum');
END;

CREATE TRIGGER addenda_are_kept BEFORE DELETE ON note_addenda
WHEN EXISTS (SELECT 1 FROM notes WHERE session_id = OLD.session_id)
BEGIN
    SELECT RAISE(ABORT, 'an addendum cannot be deleted');
END;

CREATE TRIGGER addenda_follow_a_signed_note BEFORE INSERT ON note_addenda
WHEN (SELECT signed_at FROM notes WHERE session_id = NEW.session_id) IS NULL
BEGIN
    SELECT RAISE(ABORT, 'an addendum needs a signed note; edit the draft instead');
END;

-- Process notes (45 CFR 164.501): apart from the record, never searched, exported only
-- when the therapist explicitly asks.
CREATE TABLE psychotherapy_notes (
    session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- Inside the encrypted vault, so the index is encrypted too. A note's row id is the
-- note's rowid; an addendum's is minus the addendum's rowid, so triggers update by key.
CREATE VIRTUAL TABLE note_search USING fts5 (
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER note_search_insert AFTER INSERT ON notes
BEGIN
    INSERT INTO note_search (rowid, body)
    SELECT NEW.rowid, coalesce(group_concat(json_extract(value, '$.text'), char(10)), '')
    FROM json_each(NEW.sections);
END;

CREATE TRIGGER note_search_update AFTER UPDATE OF sections ON notes
BEGIN
    DELETE FROM note_search WHERE rowid = OLD.rowid;
    INSERT INTO note_search (rowid, body)
    SELECT NEW.rowid, coalesce(group_concat(json_extract(value, '$.text'), char(10)), '')
    FROM json_each(NEW.sections);
END;

CREATE TRIGGER note_search_delete AFTER DELETE ON notes
BEGIN
    DELETE FROM note_search WHERE rowid = OLD.rowid;
END;

CREATE TRIGGER addendum_search_insert AFTER INSERT ON note_addenda
BEGIN
    INSERT INTO note_search (rowid, body) VALUES (-NEW.rowid, NEW.text);
END;

CREATE TRIGGER addendum_search_delete AFTER DELETE ON note_addenda
BEGIN
    DELETE FROM note_search WHERE rowid = -OLD.rowid;
END;

-- Which note format a new note starts in.
ALTER TABLE practice_settings ADD COLUMN note_format TEXT NOT NULL DEFAULT 'soap'
    CHECK (note_format IN ('soap', 'dap', 'birp', 'free'));
