-- 0004: the structured record of a dosing day, the practice's dosing settings, and
-- drafts of half-typed forms.
-- Append-only: never edit a migration that has shipped; add a new file instead.

-- One row per dosing session, written as the day goes. Times are the session's local
-- wall-clock `HH:MM`: a dosing day is one office afternoon, and that is what prints.
CREATE TABLE dosing_records (
    session_id       TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    intentions       TEXT NOT NULL DEFAULT '',
    -- The ride home for this day; empty means the client's usual ride-home person.
    ride_name        TEXT NOT NULL DEFAULT '',
    ride_phone       TEXT NOT NULL DEFAULT '',
    -- As prescribed by the partner medical team; the app never suggests a dose.
    medication       TEXT NOT NULL DEFAULT '',
    route            TEXT CHECK (route IN ('sublingual', 'oral', 'intramuscular', 'other')),
    route_other      TEXT NOT NULL DEFAULT '',
    dose_per_unit_mg REAL CHECK (dose_per_unit_mg > 0),
    units            REAL CHECK (units > 0),
    taken_at         TEXT,
    booster_mg       REAL CHECK (booster_mg > 0),
    booster_at       TEXT,
    discharged_at    TEXT,
    updated_at       TEXT NOT NULL
) STRICT;

-- Start and discharge checks: a row means ticked, at that time.
CREATE TABLE dosing_checks (
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    check_id   TEXT NOT NULL CHECK (check_id IN (
        'fasting', 'substances_held', 'medication_brought', 'ride_confirmed',
        'touch_reviewed', 'intention_stated',
        'effects_subsided', 'steady_on_feet', 'ride_present')),
    checked_at TEXT NOT NULL,
    PRIMARY KEY (session_id, check_id)
) STRICT;

CREATE TABLE dosing_vitals (
    id         TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    taken_at   TEXT NOT NULL,
    phase      TEXT NOT NULL CHECK (phase IN ('pre_dose', 'during', 'discharge')),
    systolic   INTEGER NOT NULL CHECK (systolic BETWEEN 60 AND 260),
    diastolic  INTEGER NOT NULL CHECK (diastolic BETWEEN 30 AND 160 AND diastolic < systolic),
    heart_rate INTEGER NOT NULL CHECK (heart_rate BETWEEN 25 AND 250),
    spo2       INTEGER CHECK (spo2 BETWEEN 50 AND 100),
    created_at TEXT NOT NULL
) STRICT;

CREATE INDEX dosing_vitals_by_session ON dosing_vitals (session_id, taken_at);

CREATE TABLE dosing_events (
    id          TEXT PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    occurred_at TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('nausea', 'vomiting', 'anxiety', 'raised_bp', 'other')),
    description TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;

CREATE INDEX dosing_events_by_session ON dosing_events (session_id, occurred_at);

CREATE TABLE dosing_settings (
    id                   INTEGER PRIMARY KEY CHECK (id = 1),
    -- A pre-dose reading above either shows a warning; NULL (the default) means none.
    bp_systolic_max      INTEGER CHECK (bp_systolic_max BETWEEN 90 AND 220),
    bp_diastolic_max     INTEGER CHECK (bp_diastolic_max BETWEEN 50 AND 140),
    -- Sources differ (4 h food; or 6 h food and 2 h clear liquids): the prescriber's rule.
    fasting_food_hours   INTEGER NOT NULL DEFAULT 4 CHECK (fasting_food_hours BETWEEN 0 AND 12),
    fasting_liquid_hours INTEGER CHECK (fasting_liquid_hours BETWEEN 0 AND 12)
) STRICT;

INSERT INTO dosing_settings (id) VALUES (1);

-- Half-typed forms (a vitals reading, an adverse event), kept inside the encrypted vault
-- so closing the app loses nothing and nothing lands in the web view's plaintext storage.
CREATE TABLE form_drafts (
    key        TEXT PRIMARY KEY,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- A practice's edited copy of a printed template (e.g. the dosing-day handout).
-- Absent means the default shipped in assets/.
CREATE TABLE document_templates (
    name       TEXT PRIMARY KEY,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
