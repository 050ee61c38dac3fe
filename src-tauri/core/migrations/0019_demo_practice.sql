-- 0019: a vault can say it is the demo practice (issue 18). `kapdesk demo` writes a
-- practice of invented clients into a new file and sets this once; the app shows a
-- banner while such a vault is open, and a backup of it is never restored over a
-- practice's real records. Every vault made before this step is a real one.
-- Append-only: never edit a migration that has shipped; add a new file instead.

ALTER TABLE vault_guard ADD COLUMN demo_practice INTEGER NOT NULL DEFAULT 0
    CHECK (demo_practice IN (0, 1));
