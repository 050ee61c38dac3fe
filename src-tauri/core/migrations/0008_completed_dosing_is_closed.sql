-- 0008: a completed dosing session is closed for good. Its status, time and kind never
-- change again, and its record (checks, medication, vitals, adverse events, discharge)
-- is neither changed nor removed; corrections go in an addendum to the session's note.
-- The database refuses it itself, as it does for signed notes, so no code path (and no
-- other SQLCipher client holding the passphrase, short of dropping the triggers) can.
-- Deleting a client removes their sessions by cascade: by then the parent row is gone,
-- which the EXISTS conditions let through.
-- Append-only: never edit a migration that has shipped; add a new file instead.

CREATE TRIGGER completed_dosing_is_closed BEFORE UPDATE ON sessions
WHEN OLD.kind = 'dosing' AND OLD.status = 'completed'
  AND (NEW.status IS NOT OLD.status OR NEW.kind IS NOT OLD.kind
       OR NEW.starts_utc IS NOT OLD.starts_utc OR NEW.starts_local IS NOT OLD.starts_local
       OR NEW.course_id IS NOT OLD.course_id OR NEW.duration_min IS NOT OLD.duration_min)
BEGIN
    SELECT RAISE(ABORT, 'a completed dosing session is closed');
END;

CREATE TRIGGER completed_dosing_is_kept BEFORE DELETE ON sessions
WHEN OLD.kind = 'dosing' AND OLD.status = 'completed'
  AND EXISTS (SELECT 1 FROM courses WHERE id = OLD.course_id)
BEGIN
    SELECT RAISE(ABORT, 'a completed dosing session cannot be deleted');
END;

CREATE TRIGGER completed_dosing_record_update BEFORE UPDATE ON dosing_records
WHEN EXISTS (SELECT 1 FROM sessions WHERE id = OLD.session_id AND kind = 'dosing' AND status = 'completed')
BEGIN
    SELECT RAISE(ABORT, 'the dosing record of a completed session is closed');
END;

CREATE TRIGGER completed_dosing_record_delete BEFORE DELETE ON dosing_records
WHEN EXISTS (SELECT 1 FROM sessions WHERE id = OLD.session_id AND kind = 'dosing' AND status = 'completed')
BEGIN
    SELECT RAISE(ABORT, 'the dosing record of a completed session is closed');
END;

CREATE TRIGGER completed_dosing_record_insert BEFORE INSERT ON dosing_records
WHEN EXISTS (SELECT 1 FROM sessions WHERE id = NEW.session_id AND kind = 'dosing' AND status = 'completed')
BEGIN
    SELECT RAISE(ABORT, 'the dosing record of a completed session is closed');
END;

CREATE TRIGGER completed_dosing_checks_update BEFORE UPDATE ON dosing_checks
WHEN EXISTS (SELECT 1 FROM sessions WHERE id = OLD.session_id AND kind = 'dosing' AND status = 'completed')
BEGIN
    SELECT RAISE(ABORT, 'the dosing record of a completed session is closed');
END;

CREATE TRIGGER completed_dosing_checks_delete BEFORE DELETE ON dosing_checks
WHEN EXISTS (SELECT 1 FROM sessions WHERE id = OLD.session_id AND kind = 'dosing' AND status = 'completed')
BEGIN
    SELECT RAISE(ABORT, 'the dosing record of a completed session is closed');
END;

CREATE TRIGGER completed_dosing_checks_insert BEFORE INSERT ON dosing_checks
WHEN EXISTS (SELECT 1 FROM sessions WHERE id = NEW.session_id AND kind = 'dosing' AND status = 'completed')
BEGIN
    SELECT RAISE(ABORT, 'the dosing record of a completed session is closed');
END;

CREATE TRIGGER completed_dosing_vitals_update BEFORE UPDATE ON dosing_vitals
WHEN EXISTS (SELECT 1 FROM sessions WHERE id = OLD.session_id AND kind = 'dosing' AND status = 'completed')
BEGIN
    SELECT RAISE(ABORT, 'the dosing record of a completed session is closed');
END;

CREATE TRIGGER completed_dosing_vitals_delete BEFORE DELETE ON dosing_vitals
WHEN EXISTS (SELECT 1 FROM sessions WHERE id = OLD.session_id AND kind = 'dosing' AND status = 'completed')
BEGIN
    SELECT RAISE(ABORT, 'the dosing record of a completed session is closed');
END;

CREATE TRIGGER completed_dosing_vitals_insert BEFORE INSERT ON dosing_vitals
WHEN EXISTS (SELECT 1 FROM sessions WHERE id = NEW.session_id AND kind = 'dosing' AND status = 'completed')
BEGIN
    SELECT RAISE(ABORT, 'the dosing record of a completed session is closed');
END;

CREATE TRIGGER completed_dosing_events_update BEFORE UPDATE ON dosing_events
WHEN EXISTS (SELECT 1 FROM sessions WHERE id = OLD.session_id AND kind = 'dosing' AND status = 'completed')
BEGIN
    SELECT RAISE(ABORT, 'the dosing record of a completed session is closed');
END;

CREATE TRIGGER completed_dosing_events_delete BEFORE DELETE ON dosing_events
WHEN EXISTS (SELECT 1 FROM sessions WHERE id = OLD.session_id AND kind = 'dosing' AND status = 'completed')
BEGIN
    SELECT RAISE(ABORT, 'the dosing record of a completed session is closed');
END;

CREATE TRIGGER completed_dosing_events_insert BEFORE INSERT ON dosing_events
WHEN EXISTS (SELECT 1 FROM sessions WHERE id = NEW.session_id AND kind = 'dosing' AND status = 'completed')
BEGIN
    SELECT RAISE(ABORT, 'the dosing record of a completed session is closed');
END;
