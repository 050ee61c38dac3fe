-- 0011: the audit trail becomes tamper-evident (45 CFR 164.312(b)).
-- Append-only: never edit a migration that has shipped; add a new file instead.
--
-- Each entry is sealed with SHA-256 over the seal of the entry before it and its own
-- fields (`model::audit::seal`), so the entries form a hash chain: an entry changed or
-- removed anywhere but at the end breaks the chain, even in the hands of someone who
-- holds the passphrase and drops these triggers. `prev_hash` repeats the previous
-- entry's seal so verification can tell which of two neighbours was changed.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;

-- SQLite has no SHA-256: the entries already written are sealed by KAP Desk right after
-- this file runs, in the same transaction (`store::audit::seal_unsealed`, registered
-- with this migration in vault/migrations.rs). The append-only rule is restated to
-- allow exactly that, and nothing else: an unsealed entry may be given its seal once;
-- no field of an entry ever changes.
DROP TRIGGER audit_log_is_append_only_update;

CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
WHEN OLD.hash IS NOT NULL
  OR NEW.hash IS NULL OR NEW.prev_hash IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at
  OR NEW.event IS NOT OLD.event OR NEW.detail IS NOT OLD.detail
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- From here on every entry is written with its seal, so none can be left to seal later.
CREATE TRIGGER audit_log_entries_are_sealed BEFORE INSERT ON audit_log
WHEN NEW.hash IS NULL OR NEW.prev_hash IS NULL
BEGIN
    SELECT RAISE(ABORT, 'an audit entry is written with its seal');
END;
