-- 0009: a booked session can be moved to another day or time; each move is kept, so
-- the record shows when a session was first booked for and every change since.
-- Append-only: never edit a migration that has shipped; add a new file instead.

CREATE TABLE session_moves (
    id          INTEGER PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    from_local  TEXT NOT NULL,  -- YYYY-MM-DDTHH:MM, as booked before the move
    to_local    TEXT NOT NULL,
    moved_at    TEXT NOT NULL   -- RFC 3339, UTC
) STRICT;

CREATE INDEX session_moves_by_session ON session_moves (session_id, id);
