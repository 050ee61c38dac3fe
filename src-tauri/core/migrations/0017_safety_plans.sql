-- 0017: the client's safety plan (issue 17), written with the client in the
-- Stanley-Brown structure: seven parts, each a list of short lines kept as a JSON array
-- of strings. The headings and prompts the client reads are data in
-- assets/templates/safety-plan/.
-- Append-only: never edit a migration that has shipped; add a new file instead.

-- One row per version. Saving makes a new version (the next number for the client);
-- a saved version is a closed record and never changes.
CREATE TABLE safety_plans (
    id                TEXT PRIMARY KEY,
    client_id         TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    version           INTEGER NOT NULL CHECK (version >= 1),
    -- The day it was written (or reviewed) with the client, YYYY-MM-DD.
    written_on        TEXT NOT NULL,
    warning_signs     TEXT NOT NULL DEFAULT '[]',
    coping_strategies TEXT NOT NULL DEFAULT '[]',
    distractions      TEXT NOT NULL DEFAULT '[]',
    people_to_ask     TEXT NOT NULL DEFAULT '[]',
    professionals     TEXT NOT NULL DEFAULT '[]',
    safe_environment  TEXT NOT NULL DEFAULT '[]',
    reasons_to_live   TEXT NOT NULL DEFAULT '[]',
    created_at        TEXT NOT NULL,
    UNIQUE (client_id, version)
) STRICT;

CREATE TRIGGER safety_plans_never_change
BEFORE UPDATE ON safety_plans
BEGIN
    SELECT RAISE(ABORT, 'a saved safety plan is never changed; save a new version');
END;
