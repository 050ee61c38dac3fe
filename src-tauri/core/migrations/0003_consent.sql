-- 0003: informed consent as versioned templates and per-course checklists.
-- Append-only: never edit a migration that has shipped; add a new file instead.

-- Every saved edit of a template is a new version; versions never change.
CREATE TABLE consent_templates (
    template_id TEXT NOT NULL,
    version     INTEGER NOT NULL CHECK (version >= 1),
    body        TEXT NOT NULL,  -- the template as JSON
    created_at  TEXT NOT NULL,
    PRIMARY KEY (template_id, version)
) STRICT;

CREATE TRIGGER consent_templates_never_change BEFORE UPDATE ON consent_templates
BEGIN
    SELECT RAISE(ABORT, 'a consent template version never changes; save a new version');
END;

-- A client's consent for one course. It keeps a copy of the exact text the client was
-- shown, so a later template edit never changes what they signed.
CREATE TABLE consent_checklists (
    id               TEXT PRIMARY KEY,
    course_id        TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    template_id      TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    snapshot         TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    signed_on        TEXT,
    signed_method    TEXT CHECK (signed_method IN ('paper', 'screen')),
    attested_by      TEXT,
    signed_at        TEXT,
    FOREIGN KEY (template_id, template_version) REFERENCES consent_templates (template_id, version)
) STRICT;

CREATE INDEX consent_checklists_by_course ON consent_checklists (course_id, created_at);

CREATE TABLE consent_items (
    checklist_id TEXT NOT NULL REFERENCES consent_checklists (id) ON DELETE CASCADE,
    item_id      TEXT NOT NULL,
    discussed_on TEXT,
    session_id   TEXT REFERENCES sessions (id) ON DELETE SET NULL,
    initialled   INTEGER NOT NULL DEFAULT 0 CHECK (initialled IN (0, 1)),
    note         TEXT NOT NULL DEFAULT '',
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (checklist_id, item_id)
) STRICT;

-- A signed consent is a record: the store refuses any change to it, whatever the code.
CREATE TRIGGER signed_consent_is_locked BEFORE UPDATE ON consent_checklists
WHEN OLD.signed_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a signed consent cannot be changed');
END;

CREATE TRIGGER signed_consent_items_are_locked_update BEFORE UPDATE ON consent_items
WHEN (SELECT signed_at FROM consent_checklists WHERE id = OLD.checklist_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a signed consent cannot be changed');
END;

CREATE TRIGGER signed_consent_items_are_locked_insert BEFORE INSERT ON consent_items
WHEN (SELECT signed_at FROM consent_checklists WHERE id = NEW.checklist_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a signed consent cannot be changed');
END;

-- Withdrawal is a dated event, never an edit of the signed record.
CREATE TABLE consent_withdrawals (
    id           TEXT PRIMARY KEY,
    checklist_id TEXT NOT NULL REFERENCES consent_checklists (id) ON DELETE CASCADE,
    withdrawn_on TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL
) STRICT;

-- Superseded: a signature now belongs to the checklist it attests, and the consent gate
-- closes only on a signed, complete checklist.
DROP TABLE consent_signatures;
