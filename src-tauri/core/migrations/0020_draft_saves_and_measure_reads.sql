-- 'secure-delete' on every change of the notes' search index (migration 18) made each
-- autosave of a draft rewrite the index pages of every word it held: 45 ms per typed
-- change in a ten-year practice. The words of a deleted client are what must not stay
-- behind, so permanent deletion now turns it on for its own transaction and merges the
-- index ('optimize') before committing, dropping earlier versions of drafts too. The
-- index is inside the encrypted vault either way.
INSERT INTO note_search (note_search, rank) VALUES ('secure-delete', 0);

-- A course's measures are read by course (the timeline, the checks before a dosing, the
-- dashboard); only an index by client existed, so each read scanned every measure.
CREATE INDEX measure_administrations_by_course
    ON measure_administrations (course_id, given_on);
