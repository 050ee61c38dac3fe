-- 0014: clinical texts a careful clinician would sign. Concrete cancellation terms for a
-- dosing slot (printed in the consent), the clear-liquids window's default, the
-- prescriber's own medication instructions for the handout, the release of information
-- to the partner medical team, and which shipped default each template came from (so an
-- untouched template follows a newer default and an edited one is offered it).
-- Append-only: never edit a migration that has shipped; add a new file instead.

-- A dosing session holds about 3 hours; the consent states the notice and the fee.
-- An empty fee means "the late-cancellation fee in the practice's fee schedule".
ALTER TABLE dosing_settings ADD COLUMN cancellation_notice_hours INTEGER NOT NULL DEFAULT 48
    CHECK (cancellation_notice_hours BETWEEN 0 AND 336);
ALTER TABLE dosing_settings ADD COLUMN cancellation_fee TEXT NOT NULL DEFAULT '';

-- The handout gives two windows (food, clear liquids), both "as instructed by your
-- prescriber". None set meant the handout said nothing about liquids: 2 hours is the
-- default the practice's sources agree on, and it stays a setting.
UPDATE dosing_settings SET fasting_liquid_hours = 2 WHERE fasting_liquid_hours IS NULL;

-- What the prescriber tells this client to hold and when, in their words. Empty: the
-- handout says not to stop or change any medicine unless the prescriber said so.
ALTER TABLE prescriptions ADD COLUMN medication_instructions TEXT NOT NULL DEFAULT '';

-- The client's signed permission for the therapist and the partner medical team to talk.
-- A signed release, valid on the day, is one of the checks before a first dosing.
CREATE TABLE releases_of_information (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    recipient   TEXT NOT NULL CHECK (length(trim(recipient)) > 0),
    may_share   TEXT NOT NULL CHECK (length(trim(may_share)) > 0),
    signed_on   TEXT NOT NULL,
    valid_until TEXT,  -- YYYY-MM-DD, or NULL when it runs until revoked
    created_at  TEXT NOT NULL
) STRICT;

CREATE INDEX releases_by_client ON releases_of_information (client_id, signed_on);

-- Where each stored consent template version came from. default_revision: this version
-- is the shipped default of that revision (NULL: the practice's own edit).
-- based_on_revision: the newest default there was when it was saved; a newer shipped
-- default is offered to a practice whose newest version is its own edit.
CREATE TABLE consent_template_origins (
    template_id       TEXT NOT NULL,
    version           INTEGER NOT NULL,
    default_revision  INTEGER,
    based_on_revision INTEGER NOT NULL,
    PRIMARY KEY (template_id, version),
    FOREIGN KEY (template_id, version) REFERENCES consent_templates (template_id, version)
) STRICT;

-- Version 1 is always the default the vault was seeded with (edits are saved as new
-- versions); every version so far was made when revision 1 was the newest default.
INSERT INTO consent_template_origins (template_id, version, default_revision, based_on_revision)
SELECT template_id, version, CASE WHEN version = 1 THEN 1 END, 1 FROM consent_templates;

-- The handout's edited copy (no row: the default applies) and the default revision it
-- was saved against.
ALTER TABLE document_templates ADD COLUMN based_on_revision INTEGER NOT NULL DEFAULT 1;
