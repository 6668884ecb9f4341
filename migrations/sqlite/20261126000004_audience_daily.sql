-- Daily audience counts (purpose `audience_aggregates`, 25 months): per day
-- (in Paris time), per dimension (total, page, campaign, browser, os,
-- device, manufacturer) and value, the page views and the visitors. Counts
-- only: no IP, no individual time. They let a 12-month view work after the
-- raw rows (13 months) are gone, and keep the statistics pages fast.
CREATE TABLE audience_daily (
    id         INTEGER PRIMARY KEY,
    -- The Paris day, as days since 1970-01-01.
    day        BIGINT  NOT NULL,
    -- When that day began (ms, UTC): the window counts from it.
    day_start  BIGINT  NOT NULL,
    dimension  TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    views      BIGINT  NOT NULL,
    visitors   BIGINT  NOT NULL,
    expires_at BIGINT  NOT NULL
);
CREATE UNIQUE INDEX audience_daily_day_dimension_value ON audience_daily (day, dimension, value);
CREATE INDEX audience_daily_dimension_day ON audience_daily (dimension, day);
CREATE INDEX audience_daily_expires_at ON audience_daily (expires_at);
