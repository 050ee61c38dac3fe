-- A client deleted permanently leaves nothing behind in the notes' search index (issue
-- 16). By default FTS5 records a deletion as a marker beside the old words, which stay
-- in the index pages until a merge; with 'secure-delete' it rewrites those pages at
-- once. The option is stored in the index itself. 'optimize' merges the index now, so
-- words of notes deleted before this version are dropped too.
INSERT INTO note_search (note_search, rank) VALUES ('secure-delete', 1);
INSERT INTO note_search (note_search) VALUES ('optimize');
