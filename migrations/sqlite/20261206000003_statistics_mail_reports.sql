-- Statistics reports by e-mail (purpose `account`): which staff account
-- asked for the weekly or the monthly report, and which report went to whom.
-- Both go with their account. A sent report keeps the hash of the link that
-- stops its subscription (never the link itself) and expires after 3 months.
CREATE TABLE statistics_report_subscriptions (
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    frequency     TEXT   NOT NULL CHECK (frequency = 'weekly' OR frequency = 'monthly'),
    subscribed_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, frequency)
);

CREATE TABLE statistics_report_sends (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    frequency    TEXT   NOT NULL CHECK (frequency = 'weekly' OR frequency = 'monthly'),
    -- The report's first Paris day (days since 1970-01-01).
    period_start BIGINT NOT NULL,
    sent_at      BIGINT NOT NULL,
    token_hash   TEXT   NOT NULL UNIQUE,
    expires_at   BIGINT NOT NULL,
    UNIQUE (user_id, frequency, period_start)
);
CREATE INDEX statistics_report_sends_expires_at ON statistics_report_sends (expires_at);
