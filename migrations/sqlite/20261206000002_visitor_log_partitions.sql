-- Nothing changes on SQLite. On PostgreSQL this migration partitions
-- visitor_log by purpose and month so that the purge drops whole months;
-- SQLite has no partitions, and keeps one table purged row by row. The file
-- is here so that both backends keep the same list of migration versions.
SELECT 1;
