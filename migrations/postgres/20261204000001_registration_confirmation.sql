-- A sign-up now waits for its address to be proven: it is `unconfirmed`
-- until the link sent to the address is opened (7 days at most, then it is
-- purged), and only then `pending` for staff. An account records when its
-- address was proven, so that records sent with that address (questions,
-- applications, rights requests) are tied to it only once it has been.
ALTER TABLE registrations DROP CONSTRAINT registrations_status_check;
ALTER TABLE registrations ADD CONSTRAINT registrations_status_check
    CHECK (status = 'unconfirmed' OR status = 'pending' OR status = 'rejected');
-- Hash of the single-use link sent to the address; NULL once used.
ALTER TABLE registrations ADD COLUMN confirm_token_hash TEXT UNIQUE;
-- When the address was proven; NULL for sign-ups made before this
-- migration, whose address nobody proved.
ALTER TABLE registrations ADD COLUMN confirmed_at BIGINT;

-- NULL: nobody proved the account owns its address (accounts made before
-- this migration, or from the command line) until it confirms it.
ALTER TABLE users ADD COLUMN email_confirmed_at BIGINT;
