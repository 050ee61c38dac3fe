-- 0006: the dashboard lists draft notes left unsigned. Drafts are few and signed notes
-- many, so a partial index finds them without reading every note's text.
-- Append-only: never edit a migration that has shipped; add a new file instead.

CREATE INDEX notes_unsigned ON notes (session_id) WHERE signed_at IS NULL;
