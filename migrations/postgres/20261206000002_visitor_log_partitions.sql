-- visitor_log becomes a partitioned table, so that the purge drops a month
-- of expired rows at once instead of deleting them one by one
-- (docs/architecture.md, "The visitor log on PostgreSQL"):
--
--   visitor_log                       LIST (purpose)
--     visitor_log_audience            RANGE (occurred_at)
--       visitor_log_audience_YYYYMM   one per calendar month, UTC
--       visitor_log_audience_default  any other date: an insert never fails
--     visitor_log_security            the same, for the security rows
--
-- The two purposes have their own months because they expire at their own
-- time (13 and 6 months by default). The site creates the coming months at
-- start and at each housekeeping run (src/analytics/partitions.rs); this
-- migration creates the months that hold rows today and the current one.
--
-- The rows are copied with their ids, and the identity goes on after the
-- highest id the old table ever handed out: an id is never given twice.
-- The whole migration is one transaction; docs/operations.md says what it
-- costs on a big table.

ALTER TABLE visitor_log RENAME TO visitor_log_unpartitioned;
ALTER TABLE visitor_log_unpartitioned RENAME CONSTRAINT visitor_log_pkey TO visitor_log_unpartitioned_pkey;
ALTER SEQUENCE visitor_log_id_seq RENAME TO visitor_log_unpartitioned_id_seq;
DROP INDEX visitor_log_expires_at;
DROP INDEX visitor_log_purpose_occurred_at;

CREATE TABLE visitor_log (
    id              BIGINT GENERATED ALWAYS AS IDENTITY,
    purpose         TEXT    NOT NULL CHECK (purpose IN ('audience', 'security')),
    occurred_at     BIGINT  NOT NULL,
    expires_at      BIGINT  NOT NULL,
    ip              TEXT    NOT NULL,
    browser         TEXT,
    browser_version TEXT,
    os              TEXT,
    os_version      TEXT,
    device_type     TEXT    NOT NULL CHECK (device_type IN ('pc', 'smartphone', 'tablet', 'mobilephone', 'crawler', 'other')),
    manufacturer    TEXT,
    url             TEXT    NOT NULL
) PARTITION BY LIST (purpose);

CREATE TABLE visitor_log_audience PARTITION OF visitor_log
    FOR VALUES IN ('audience') PARTITION BY RANGE (occurred_at);
CREATE TABLE visitor_log_security PARTITION OF visitor_log
    FOR VALUES IN ('security') PARTITION BY RANGE (occurred_at);
-- Never holds a row: the CHECK on purpose refuses any other. It is there so
-- that a row of another purpose is refused by that CHECK, which names the
-- rule, rather than as a row without a partition.
CREATE TABLE visitor_log_other PARTITION OF visitor_log DEFAULT;
CREATE TABLE visitor_log_audience_default PARTITION OF visitor_log_audience DEFAULT;
CREATE TABLE visitor_log_security_default PARTITION OF visitor_log_security DEFAULT;

-- A month per purpose that holds rows, and the current month; rows dated
-- more than ten years back or a year ahead (a clock far off) stay in the
-- default partition rather than making hundreds of months.
DO $$
DECLARE
    m RECORD;
BEGIN
    FOR m IN
        SELECT DISTINCT purpose, month FROM (
            SELECT purpose,
                   date_trunc('month', to_timestamp(occurred_at / 1000.0) AT TIME ZONE 'UTC') AS month
            FROM visitor_log_unpartitioned
            UNION ALL
            SELECT purpose, date_trunc('month', now() AT TIME ZONE 'UTC')
            FROM (VALUES ('audience'), ('security')) AS purposes (purpose)
        ) AS months
        WHERE month >= date_trunc('month', now() AT TIME ZONE 'UTC') - INTERVAL '10 years'
          AND month <= date_trunc('month', now() AT TIME ZONE 'UTC') + INTERVAL '1 year'
    LOOP
        EXECUTE format(
            'CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%s) TO (%s)',
            'visitor_log_' || m.purpose || '_' || to_char(m.month, 'YYYYMM'),
            'visitor_log_' || m.purpose,
            (extract(epoch FROM m.month) * 1000)::BIGINT,
            (extract(epoch FROM m.month + INTERVAL '1 month') * 1000)::BIGINT
        );
    END LOOP;
END
$$;

INSERT INTO visitor_log (id, purpose, occurred_at, expires_at, ip, browser, browser_version,
    os, os_version, device_type, manufacturer, url)
OVERRIDING SYSTEM VALUE
SELECT id, purpose, occurred_at, expires_at, ip, browser, browser_version,
    os, os_version, device_type, manufacturer, url
FROM visitor_log_unpartitioned;

SELECT setval(
    pg_get_serial_sequence('visitor_log', 'id'),
    GREATEST(
        (SELECT COALESCE(MAX(id), 0) FROM visitor_log_unpartitioned),
        (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END
         FROM visitor_log_unpartitioned_id_seq)
    ) + 1,
    false
);

DROP TABLE visitor_log_unpartitioned;

-- Built after the copy, which is faster than updating them row by row.
-- The identity makes `id` unique; a partitioned table's primary key must
-- also hold the partition keys.
ALTER TABLE visitor_log ADD PRIMARY KEY (id, purpose, occurred_at);
-- The purge, by expiry; statistics and the roll-up, one purpose over a period.
CREATE INDEX visitor_log_expires_at ON visitor_log (expires_at);
CREATE INDEX visitor_log_purpose_occurred_at ON visitor_log (purpose, occurred_at);
-- The rights requests look up one address among the security rows only.
CREATE INDEX visitor_log_security_ip ON visitor_log_security (ip, occurred_at);
