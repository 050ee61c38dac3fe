-- 0015: outcome measures. Each administration of a questionnaire (PHQ-9, GAD-7,
-- PCL-5, WHO-5: the instruments are data in assets/measures/), the safety flag a PHQ-9
-- item 9 above 0 raises and the therapist's response to it, and the practice's
-- schedule of which measures are due when.
-- Append-only: never edit a migration that has shipped; add a new file instead.

-- Scores are computed in Rust when the form is recorded and kept with the answers, so
-- a record reads the same years later. A recorded administration never changes.
CREATE TABLE measure_administrations (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    -- The course current when it was given: a returning client needs a new baseline.
    course_id   TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    instrument  TEXT NOT NULL,
    given_on    TEXT NOT NULL,
    session_id  TEXT REFERENCES sessions (id) ON DELETE SET NULL,
    filled_by   TEXT NOT NULL CHECK (filled_by IN ('client', 'therapist')),
    -- A JSON array of the answers in item order.
    answers     TEXT NOT NULL,
    total       INTEGER NOT NULL CHECK (total >= 0),
    band        TEXT NOT NULL,
    safety_flag INTEGER NOT NULL CHECK (safety_flag IN (0, 1)),
    recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX measure_administrations_by_client
    ON measure_administrations (client_id, given_on, recorded_at);

CREATE TRIGGER measure_administrations_never_change
BEFORE UPDATE OF id, client_id, course_id, instrument, given_on, filled_by, answers, total,
    band, safety_flag, recorded_at ON measure_administrations
BEGIN
    SELECT RAISE(ABORT, 'a recorded measure is never changed');
END;

-- A raised flag stays open until a row here answers it; the response never changes,
-- so a flag is never cleared without the therapist's written note.
CREATE TABLE measure_safety_responses (
    administration_id TEXT PRIMARY KEY
        REFERENCES measure_administrations (id) ON DELETE CASCADE,
    risk_note   TEXT NOT NULL CHECK (length(trim(risk_note)) > 0),
    safety_plan TEXT NOT NULL CHECK (safety_plan IN ('made', 'reviewed', 'not_needed')),
    recorded_at TEXT NOT NULL
) STRICT;

CREATE TRIGGER measure_safety_responses_never_change
BEFORE UPDATE ON measure_safety_responses
BEGIN
    SELECT RAISE(ABORT, 'a recorded safety response is never changed');
END;

-- Which measures are due when, one row like the other practice settings. Lists are
-- comma-separated instrument ids; months after the last dosing comma-separated too.
CREATE TABLE measure_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    -- 1: a baseline of each `baseline` measure is a check before the first dosing.
    baseline_required INTEGER NOT NULL DEFAULT 1 CHECK (baseline_required IN (0, 1)),
    baseline           TEXT NOT NULL DEFAULT 'phq9,gad7,pcl5',
    before_each_dosing TEXT NOT NULL DEFAULT 'phq9,gad7',
    at_integration     TEXT NOT NULL DEFAULT 'phq9,gad7',
    follow_up          TEXT NOT NULL DEFAULT 'phq9,gad7,pcl5',
    follow_up_months   TEXT NOT NULL DEFAULT '1,3,6',
    updated_at TEXT
) STRICT;
INSERT INTO measure_settings (id) VALUES (1);
