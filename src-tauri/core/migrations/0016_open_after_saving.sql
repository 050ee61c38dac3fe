-- Whether the app opens a PDF it has just saved (issue 16: an opened file lands in the
-- desktop's recent-files list). On by default, as before.
ALTER TABLE practice_settings ADD COLUMN open_after_saving INTEGER NOT NULL DEFAULT 1
    CHECK (open_after_saving IN (0, 1));
