-- One table of counters in fixed windows (purpose `security`): the login
-- throttle's failures per account and network, and the limits of the forms
-- that send e-mail or hash a password. Keys are hashes, never an address or
-- an IP. It replaces `login_throttle`, whose counters only last 15 minutes.
CREATE TABLE rate_limits (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_hash     TEXT    NOT NULL UNIQUE,
    window_start BIGINT  NOT NULL,
    hits         BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL
);
CREATE INDEX rate_limits_expires_at ON rate_limits (expires_at);

DROP TABLE login_throttle;
