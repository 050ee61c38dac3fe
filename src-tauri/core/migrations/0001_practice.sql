-- 0001: the practice itself and the audit trail.
-- Append-only: never edit a migration that has shipped; add a new file instead.

-- One row: the practice's letterhead and defaults, printed on every page later.
CREATE TABLE practice_settings (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    therapist_name     TEXT NOT NULL DEFAULT '',
    credentials        TEXT NOT NULL DEFAULT '',
    practice_name      TEXT NOT NULL DEFAULT '',
    address            TEXT NOT NULL DEFAULT '',
    phone              TEXT NOT NULL DEFAULT '',
    email              TEXT NOT NULL DEFAULT '',
    medical_team_name  TEXT NOT NULL DEFAULT '',
    medical_team_phone TEXT NOT NULL DEFAULT '',
    -- JSON array of {label, phone}; the app validates it on every save.
    crisis_contacts    TEXT NOT NULL DEFAULT '[{"label":"988 Suicide & Crisis Lifeline","phone":"988"},{"label":"Emergency services","phone":"911"}]',
    paper_size         TEXT NOT NULL DEFAULT 'letter' CHECK (paper_size IN ('letter', 'a4')),
    updated_at         TEXT
) STRICT;

INSERT INTO practice_settings (id) VALUES (1);

-- HIPAA 164.312(b) audit controls: what happened to the vault, when. Append-only,
-- enforced by the store so no code path can rewrite history.
CREATE TABLE audit_log (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    event  TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
