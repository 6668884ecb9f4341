-- Per-filter daily aggregates and monthly sums (purpose
-- `audience_aggregates`, 25 months), so that a filtered view and a long
-- period are read from counts instead of the raw rows.
--
-- `audience_daily` gains the filter a row is counted under: '' for the whole
-- site, else a filter's key (`appareil`, `chemin`…) and value: the counts of
-- the visits that filter keeps, broken down as the site's are. Counts only:
-- no IP, no identifier. `filters_counted` marks, on a day's site total, that
-- the day's per-filter rows were written with it (days counted before this
-- migration whose raw rows are gone have none).
ALTER TABLE audience_daily ADD COLUMN filter_key TEXT NOT NULL DEFAULT '';
ALTER TABLE audience_daily ADD COLUMN filter_value TEXT NOT NULL DEFAULT '';
ALTER TABLE audience_daily ADD COLUMN filters_counted BOOLEAN NOT NULL DEFAULT FALSE;
DROP INDEX audience_daily_day_dimension_value;
DROP INDEX audience_daily_dimension_day;
CREATE UNIQUE INDEX audience_daily_day_slice_value
    ON audience_daily (day, filter_key, filter_value, dimension, value);
CREATE INDEX audience_daily_slice_day ON audience_daily (filter_key, filter_value, day, dimension);

-- The sums of `audience_daily` over a Paris month (hours left out), written
-- by the roll-up after the days it counts: a 12-month view reads 12 months
-- instead of 365 days. `days` is the number of days summed (on every row),
-- so that a month missing a day counted since is read from its days. Its
-- window counts from the month's first day, so a month never outlives it.
CREATE TABLE audience_monthly (
    id           INTEGER PRIMARY KEY,
    -- The month's first Paris day, as days since 1970-01-01.
    first_day    BIGINT  NOT NULL,
    -- When that day began (ms, UTC): the window counts from it.
    month_start  BIGINT  NOT NULL,
    filter_key   TEXT    NOT NULL,
    filter_value TEXT    NOT NULL,
    dimension    TEXT    NOT NULL,
    value        TEXT    NOT NULL,
    views        BIGINT  NOT NULL,
    visitors     BIGINT  NOT NULL,
    visits       BIGINT  NOT NULL,
    bounces      BIGINT  NOT NULL,
    duration_s   BIGINT  NOT NULL,
    days         BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL
);
CREATE UNIQUE INDEX audience_monthly_month_slice_value
    ON audience_monthly (first_day, filter_key, filter_value, dimension, value);
CREATE INDEX audience_monthly_slice_month ON audience_monthly (filter_key, filter_value, first_day);
CREATE INDEX audience_monthly_expires_at ON audience_monthly (expires_at);

-- Days whose raw rows are all still there are counted again by the next
-- roll-up, with their per-filter rows.
DELETE FROM audience_daily
WHERE day_start >= (SELECT MIN(occurred_at) FROM visitor_log WHERE purpose = 'audience');
