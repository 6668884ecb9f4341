-- A sign-up now waits for its address to be proven: it is `unconfirmed`
-- until the link sent to the address is opened (7 days at most, then it is
-- purged), and only then `pending` for staff. An account records when its
-- address was proven, so that records sent with that address (questions,
-- applications, rights requests) are tied to it only once it has been.
--
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt,
-- with AUTOINCREMENT so that the id of a deleted sign-up, which appears in
-- staff URLs and e-mails, is never given to another one. Nothing refers to
-- this table by foreign key.
CREATE TABLE registrations_rebuilt (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    email              TEXT    NOT NULL,
    password_hash      TEXT    NOT NULL,
    first_name         TEXT    NOT NULL,
    last_name          TEXT    NOT NULL,
    civility           TEXT    NOT NULL CHECK (civility = 'madame' OR civility = 'monsieur' OR civility = 'non_precise'),
    job_title          TEXT    NOT NULL,
    phone              TEXT    NOT NULL,
    company_name       TEXT    NOT NULL,
    company_kind       TEXT    NOT NULL CHECK (company_kind = 'agence' OR company_kind = 'siege'),
    address            TEXT    NOT NULL,
    address_extra      TEXT,
    city               TEXT    NOT NULL,
    postal_code        TEXT    NOT NULL,
    country            TEXT    NOT NULL,
    status             TEXT    NOT NULL CHECK (status = 'unconfirmed' OR status = 'pending' OR status = 'rejected'),
    rejection_reason   TEXT,
    requested_at       BIGINT  NOT NULL,
    decided_at         BIGINT,
    expires_at         BIGINT  NOT NULL,
    -- Hash of the single-use link sent to the address; NULL once used.
    confirm_token_hash TEXT    UNIQUE,
    -- When the address was proven; NULL for sign-ups made before this
    -- migration, whose address nobody proved.
    confirmed_at       BIGINT
);
INSERT INTO registrations_rebuilt (id, email, password_hash, first_name, last_name, civility,
    job_title, phone, company_name, company_kind, address, address_extra, city, postal_code,
    country, status, rejection_reason, requested_at, decided_at, expires_at)
SELECT id, email, password_hash, first_name, last_name, civility, job_title, phone,
    company_name, company_kind, address, address_extra, city, postal_code, country, status,
    rejection_reason, requested_at, decided_at, expires_at
FROM registrations;
DROP TABLE registrations;
ALTER TABLE registrations_rebuilt RENAME TO registrations;
CREATE INDEX registrations_email ON registrations (email);
CREATE INDEX registrations_expires_at ON registrations (expires_at);

-- NULL: nobody proved the account owns its address (accounts made before
-- this migration, or from the command line) until it confirms it.
ALTER TABLE users ADD COLUMN email_confirmed_at BIGINT;
