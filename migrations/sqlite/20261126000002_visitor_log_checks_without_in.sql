-- SQLite checks `x IN ('a', 'b', 'c', …)` with more than two constants by
-- building a temporary index of the list, and in a CHECK constraint it does
-- so for every row written: the device_type check made an insert into
-- visitor_log about 1.8 times as costly (docs/benchmarks.md, "SQLite's own
-- cost"). The same rules written as comparisons joined by OR cost nothing
-- measurable. SQLite cannot alter a constraint, so the table is rebuilt as
-- https://www.sqlite.org/lang_altertable.html#otheralter describes; rows and
-- their ids are kept.
CREATE TABLE visitor_log_rebuilt (
    id              INTEGER PRIMARY KEY,
    purpose         TEXT    NOT NULL CHECK (purpose = 'audience' OR purpose = 'security'),
    occurred_at     BIGINT  NOT NULL,
    expires_at      BIGINT  NOT NULL,
    ip              TEXT    NOT NULL,
    browser         TEXT,
    browser_version TEXT,
    os              TEXT,
    os_version      TEXT,
    device_type     TEXT    NOT NULL CHECK (
        device_type = 'pc' OR device_type = 'smartphone' OR device_type = 'tablet'
        OR device_type = 'mobilephone' OR device_type = 'crawler' OR device_type = 'other'
    ),
    manufacturer    TEXT,
    url             TEXT    NOT NULL
);

INSERT INTO visitor_log_rebuilt (id, purpose, occurred_at, expires_at, ip, browser,
    browser_version, os, os_version, device_type, manufacturer, url)
SELECT id, purpose, occurred_at, expires_at, ip, browser,
    browser_version, os, os_version, device_type, manufacturer, url
FROM visitor_log;

DROP TABLE visitor_log;
ALTER TABLE visitor_log_rebuilt RENAME TO visitor_log;

CREATE INDEX visitor_log_expires_at ON visitor_log (expires_at);
CREATE INDEX visitor_log_purpose_occurred_at ON visitor_log (purpose, occurred_at);
