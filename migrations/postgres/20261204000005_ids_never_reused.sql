-- The SQLite migration of the same name rebuilds the tables whose ids
-- appear in URLs and e-mails with AUTOINCREMENT, so that an id is never
-- given to another row. PostgreSQL's identity columns never hand out a
-- value twice: nothing to do here.
SELECT 1;
