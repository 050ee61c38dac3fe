-- 0010: watching a dosing as it happens. The practice's vital-signs schedule (before
-- the dose, minutes after it, before discharge), the reason kept when what was taken
-- differs from the prescription, and each adverse event's severity with the time the
-- prescriber was told. Events recorded before this version have no severity (NULL):
-- the record says so instead of guessing.
-- Append-only: never edit a migration that has shipped; add a new file instead.

ALTER TABLE dosing_settings ADD COLUMN vitals_before_dose INTEGER NOT NULL DEFAULT 1
    CHECK (vitals_before_dose IN (0, 1));
-- Minutes after the dose, comma-separated and increasing: "40" or "40,90".
ALTER TABLE dosing_settings ADD COLUMN vitals_after_dose_minutes TEXT NOT NULL DEFAULT '40';
-- 1: discharge is refused until a reading before discharge is recorded.
ALTER TABLE dosing_settings ADD COLUMN discharge_reading_required INTEGER NOT NULL DEFAULT 1
    CHECK (discharge_reading_required IN (0, 1));

ALTER TABLE dosing_records ADD COLUMN prescription_difference TEXT NOT NULL DEFAULT '';

ALTER TABLE dosing_events ADD COLUMN severity TEXT
    CHECK (severity IN ('mild', 'moderate', 'severe'));
ALTER TABLE dosing_events ADD COLUMN prescriber_informed_at TEXT;

-- A session other than a dosing that was marked completed by mistake can be put back
-- to booked with a written reason: the latest reason stays on the session, the audit
-- trail has each time it happened. A completed dosing never reopens (migration 0008).
ALTER TABLE sessions ADD COLUMN reopen_reason TEXT;

-- A prescription may say when it ends (YYYY-MM-DD; NULL when it does not): a dosing
-- after that day waits for a renewed prescription.
ALTER TABLE prescriptions ADD COLUMN valid_until TEXT;
