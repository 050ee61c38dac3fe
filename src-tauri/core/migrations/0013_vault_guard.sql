-- 0013: the vault guards itself. How long the app may sit idle before it locks, and
-- where and how many automatic encrypted backups it keeps. One row, like the other
-- practice settings. No backup folder (NULL) means automatic backups are off until the
-- therapist chooses one; the app says so on the dashboard.
-- Append-only: never edit a migration that has shipped; add a new file instead.

CREATE TABLE vault_guard (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    lock_after_minutes INTEGER NOT NULL DEFAULT 10
        CHECK (lock_after_minutes BETWEEN 1 AND 60),
    backup_dir TEXT,
    keep_daily INTEGER NOT NULL DEFAULT 7 CHECK (keep_daily BETWEEN 1 AND 60),
    keep_weekly INTEGER NOT NULL DEFAULT 4 CHECK (keep_weekly BETWEEN 0 AND 52),
    keep_monthly INTEGER NOT NULL DEFAULT 12 CHECK (keep_monthly BETWEEN 0 AND 120),
    -- The dashboard warns when the newest verified backup is older than this.
    warn_after_days INTEGER NOT NULL DEFAULT 7 CHECK (warn_after_days BETWEEN 1 AND 90),
    updated_at TEXT
);
INSERT INTO vault_guard (id) VALUES (1);
