-- Nothing changes on PostgreSQL. On SQLite this migration rewrites the CHECK
-- constraints of visitor_log without `IN (…)`, which SQLite evaluated at a
-- high cost for each row written; PostgreSQL checks `IN (…)` as cheaply as
-- comparisons. The file is here so that both backends keep the same list of
-- migration versions.
SELECT 1;
