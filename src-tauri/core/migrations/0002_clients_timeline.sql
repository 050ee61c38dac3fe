-- 0002: clients, treatment courses, sessions, and the records that gate a first dosing.
-- Append-only: never edit a migration that has shipped; add a new file instead.

CREATE TABLE clients (
    id                  TEXT PRIMARY KEY,
    legal_name          TEXT NOT NULL CHECK (length(trim(legal_name)) > 0),
    preferred_name      TEXT NOT NULL DEFAULT '',
    pronouns            TEXT NOT NULL DEFAULT '',
    date_of_birth       TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD or ''
    phone               TEXT NOT NULL DEFAULT '',
    email               TEXT NOT NULL DEFAULT '',
    address             TEXT NOT NULL DEFAULT '',
    emergency_name      TEXT NOT NULL DEFAULT '',
    emergency_relation  TEXT NOT NULL DEFAULT '',
    emergency_phone     TEXT NOT NULL DEFAULT '',
    ride_name           TEXT NOT NULL DEFAULT '',
    ride_phone          TEXT NOT NULL DEFAULT '',
    prescriber_name     TEXT NOT NULL DEFAULT '',
    prescriber_org      TEXT NOT NULL DEFAULT '',
    prescriber_phone    TEXT NOT NULL DEFAULT '',
    referral_source     TEXT NOT NULL DEFAULT '',
    presenting_concerns TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL DEFAULT 'inquiry'
        CHECK (status IN ('inquiry', 'preparation', 'dosing', 'integration', 'completed', 'discharged')),
    -- Records are kept for years: clients are archived, not deleted.
    archived_at         TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
) STRICT;

CREATE INDEX clients_by_name ON clients (legal_name COLLATE NOCASE);

-- A client may come back for a second course months later; gates are per course.
CREATE TABLE courses (
    id         TEXT PRIMARY KEY,
    client_id  TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    number     INTEGER NOT NULL CHECK (number >= 1),
    started_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (client_id, number)
) STRICT;

CREATE TABLE sessions (
    id            TEXT PRIMARY KEY,
    course_id     TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL
        CHECK (kind IN ('intake', 'preparation', 'dosing', 'integration', 'follow_up', 'other')),
    -- What the therapist booked (local wall time and zone) and the instant it names:
    -- the instant orders sessions and finds "today"; the local time is what prints.
    starts_local  TEXT NOT NULL,  -- YYYY-MM-DDTHH:MM
    time_zone     TEXT NOT NULL,  -- IANA name
    starts_utc    TEXT NOT NULL,  -- RFC 3339, UTC
    duration_min  INTEGER NOT NULL CHECK (duration_min BETWEEN 5 AND 720),
    status        TEXT NOT NULL DEFAULT 'scheduled'
        CHECK (status IN ('scheduled', 'completed', 'cancelled', 'no_show')),
    location      TEXT NOT NULL DEFAULT '',
    -- The therapist's written reason when a dosing was booked with gates open.
    gate_override TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

CREATE INDEX sessions_by_course ON sessions (course_id, starts_utc);
CREATE INDEX sessions_by_start ON sessions (starts_utc);

-- Entered from what the partner medical team sends. Kept as history: the latest counts.
CREATE TABLE clearances (
    id           TEXT PRIMARY KEY,
    course_id    TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    clinician    TEXT NOT NULL,
    organisation TEXT NOT NULL DEFAULT '',
    cleared_on   TEXT NOT NULL,
    valid_until  TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL
) STRICT;

CREATE TABLE prescriptions (
    id            TEXT PRIMARY KEY,
    course_id     TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    medication    TEXT NOT NULL,
    route         TEXT NOT NULL,
    dose          TEXT NOT NULL,
    prescriber    TEXT NOT NULL,
    prescribed_on TEXT NOT NULL,
    created_at    TEXT NOT NULL
) STRICT;

-- The signed informed consent for a course. The consent checklist (a later migration)
-- links its items to this record.
CREATE TABLE consent_signatures (
    id         TEXT PRIMARY KEY,
    course_id  TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    signed_on  TEXT NOT NULL,
    method     TEXT NOT NULL CHECK (method IN ('paper', 'screen')),
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE protocol_settings (
    id                       INTEGER PRIMARY KEY CHECK (id = 1),
    min_preparation_sessions INTEGER NOT NULL DEFAULT 4,
    integration_min_days     INTEGER NOT NULL DEFAULT 2,
    integration_max_days     INTEGER NOT NULL DEFAULT 3,
    recommended_dosings      INTEGER NOT NULL DEFAULT 6,
    max_dosings_per_week     INTEGER NOT NULL DEFAULT 2,
    -- IANA zone sessions are booked in; '' means this computer's zone.
    time_zone                TEXT NOT NULL DEFAULT ''
) STRICT;

INSERT INTO protocol_settings (id) VALUES (1);
