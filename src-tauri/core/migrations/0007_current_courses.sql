-- A client's current treatment course is their newest one. The rule is written once,
-- here: every query that needs "the current course" reads this view.
CREATE VIEW current_courses AS
SELECT k.id, k.client_id, k.number, k.started_on, k.created_at
FROM courses k
WHERE k.number = (SELECT max(o.number) FROM courses o WHERE o.client_id = k.client_id);
