-- The visitor fields the privacy policy lists, and nothing else, each row
-- tagged with the purpose it serves. Instants are milliseconds since the Unix
-- epoch, UTC, as on SQLite.
CREATE TABLE visitor_log (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
);

-- The purge deletes by expiry; statistics read one purpose over a period.
CREATE INDEX visitor_log_expires_at ON visitor_log (expires_at);
CREATE INDEX visitor_log_purpose_occurred_at ON visitor_log (purpose, occurred_at);

-- One row per purpose per purge run, so staff can see that retention is enforced.
CREATE TABLE purge_runs (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    purpose      TEXT    NOT NULL,
    rows_deleted BIGINT  NOT NULL,
    started_at   BIGINT  NOT NULL,
    finished_at  BIGINT  NOT NULL
);

CREATE INDEX purge_runs_started_at ON purge_runs (started_at);
