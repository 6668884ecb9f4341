-- Accounts, sessions, the audit log, and the two public forms. Every table
-- has an `id` and an `expires_at` (milliseconds, UTC; NULL = kept while its
-- purpose lasts) so that the purge enforces its purpose's retention.

-- The client's company (purpose `account`).
CREATE TABLE companies (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind = 'agence' OR kind = 'siege'),
    address       TEXT    NOT NULL,
    address_extra TEXT,
    city          TEXT    NOT NULL,
    postal_code   TEXT    NOT NULL,
    country       TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    expires_at    BIGINT
);

-- Validated accounts: clients, and staff (purpose `account`).
CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company_id    BIGINT  REFERENCES companies (id),
    email         TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    first_name    TEXT    NOT NULL,
    last_name     TEXT    NOT NULL,
    civility      TEXT    CHECK (civility = 'madame' OR civility = 'monsieur' OR civility = 'non_precise'),
    job_title     TEXT,
    phone         TEXT,
    role          TEXT    NOT NULL CHECK (role = 'client' OR role = 'marketing' OR role = 'admin'),
    status        TEXT    NOT NULL CHECK (status = 'active' OR status = 'disabled'),
    -- Raised to end every session of the account at once.
    session_epoch BIGINT  NOT NULL DEFAULT 0,
    created_at    BIGINT  NOT NULL,
    expires_at    BIGINT
);

-- Sign-ups waiting for staff, or refused (purpose `pending_registrations`).
-- A validated sign-up moves to `companies` and `users` and leaves this table.
CREATE TABLE registrations (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email            TEXT    NOT NULL,
    password_hash    TEXT    NOT NULL,
    first_name       TEXT    NOT NULL,
    last_name        TEXT    NOT NULL,
    civility         TEXT    NOT NULL CHECK (civility = 'madame' OR civility = 'monsieur' OR civility = 'non_precise'),
    job_title        TEXT    NOT NULL,
    phone            TEXT    NOT NULL,
    company_name     TEXT    NOT NULL,
    company_kind     TEXT    NOT NULL CHECK (company_kind = 'agence' OR company_kind = 'siege'),
    address          TEXT    NOT NULL,
    address_extra    TEXT,
    city             TEXT    NOT NULL,
    postal_code      TEXT    NOT NULL,
    country          TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status = 'pending' OR status = 'rejected'),
    rejection_reason TEXT,
    requested_at     BIGINT  NOT NULL,
    decided_at       BIGINT,
    expires_at       BIGINT  NOT NULL
);
CREATE INDEX registrations_email ON registrations (email);
CREATE INDEX registrations_expires_at ON registrations (expires_at);

-- Single-use password reset links; only a hash of the token is kept.
CREATE TABLE password_resets (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT    NOT NULL UNIQUE,
    created_at BIGINT  NOT NULL,
    used_at    BIGINT,
    expires_at BIGINT  NOT NULL
);

-- Server-side sessions: the cookie holds a random key, encrypted; the
-- database holds its hash.
CREATE TABLE sessions (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_hash   TEXT    NOT NULL UNIQUE,
    user_id    BIGINT  REFERENCES users (id) ON DELETE CASCADE,
    state      TEXT    NOT NULL,
    expires_at BIGINT  NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- Failed logins per IP and per account in the current window (purpose
-- `security`); the key is a hash, never the address or IP itself.
CREATE TABLE login_throttle (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_hash     TEXT    NOT NULL UNIQUE,
    window_start BIGINT  NOT NULL,
    failures     BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL
);

-- Sensitive actions (purpose `security`).
CREATE TABLE audit_log (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at     BIGINT  NOT NULL,
    expires_at      BIGINT  NOT NULL,
    event           TEXT    NOT NULL,
    actor_user_id   BIGINT,
    subject_user_id BIGINT,
    subject         TEXT,
    ip              TEXT,
    detail          TEXT
);
CREATE INDEX audit_log_occurred_at ON audit_log (occurred_at);
CREATE INDEX audit_log_expires_at ON audit_log (expires_at);

-- Questions from /contact (purpose `contact`, kept from the last exchange).
CREATE TABLE contact_messages (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received_at      BIGINT  NOT NULL,
    last_exchange_at BIGINT  NOT NULL,
    expires_at       BIGINT  NOT NULL,
    first_name       TEXT    NOT NULL,
    last_name        TEXT    NOT NULL,
    phone            TEXT    NOT NULL,
    email            TEXT    NOT NULL,
    message          TEXT    NOT NULL,
    handled_at       BIGINT,
    handled_by       BIGINT
);
CREATE INDEX contact_messages_expires_at ON contact_messages (expires_at);

-- Applications from /techniciens (purpose `recruitment`).
CREATE TABLE technician_applications (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received_at      BIGINT  NOT NULL,
    expires_at       BIGINT  NOT NULL,
    first_name       TEXT    NOT NULL,
    last_name        TEXT    NOT NULL,
    phone            TEXT    NOT NULL,
    email            TEXT    NOT NULL,
    years_experience INTEGER NOT NULL CHECK (years_experience >= 0 AND years_experience <= 60),
    current_company  TEXT    NOT NULL,
    handled_at       BIGINT,
    handled_by       BIGINT
);
CREATE INDEX technician_applications_expires_at ON technician_applications (expires_at);
