-- Requests to exercise a right (purpose `rights_requests`), the e-mail
-- changes waiting for their link (purpose `account`), the objection to
-- service-news e-mails, and the one change a signed contract accepts: the
-- end of its retention, set once when the contract ends.

CREATE TABLE rights_requests (
    id                INTEGER PRIMARY KEY,
    kind              TEXT    NOT NULL CHECK (kind = 'acces' OR kind = 'portabilite' OR kind = 'rectification' OR kind = 'effacement' OR kind = 'opposition' OR kind = 'limitation'),
    -- No foreign key: the proof that a request was answered outlives the
    -- account (legal obligation).
    user_id           BIGINT,
    -- After the requester's erasure: 'empreinte:' and the SHA-256 of the address.
    email             TEXT    NOT NULL,
    visit_description TEXT,
    message           TEXT,
    status            TEXT    NOT NULL CHECK (status = 'a_confirmer' OR status = 'ouverte' OR status = 'info_demandee' OR status = 'close'),
    token_hash        TEXT    UNIQUE,
    created_at        BIGINT  NOT NULL,
    -- Receipt: when the requester confirmed the address (or at once, from
    -- the Profile). The deadline counts from here.
    received_at       BIGINT,
    due_at            BIGINT,
    extension_reason  TEXT,
    info_request      TEXT,
    closed_at         BIGINT,
    outcome           TEXT,
    expires_at        BIGINT
);
CREATE INDEX rights_requests_status ON rights_requests (status, due_at);
CREATE INDEX rights_requests_user ON rights_requests (user_id);
CREATE INDEX rights_requests_expires_at ON rights_requests (expires_at);

CREATE TABLE email_changes (
    id         INTEGER PRIMARY KEY,
    user_id    BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    new_email  TEXT    NOT NULL,
    token_hash TEXT    NOT NULL UNIQUE,
    created_at BIGINT  NOT NULL,
    used_at    BIGINT,
    expires_at BIGINT  NOT NULL
);
CREATE INDEX email_changes_user ON email_changes (user_id);

ALTER TABLE users ADD COLUMN news_objected_at BIGINT;

DROP TRIGGER contract_signatures_are_final;
CREATE TRIGGER contract_signatures_are_final BEFORE UPDATE ON contract_signatures
WHEN NOT (
    OLD.expires_at IS NULL AND NEW.expires_at IS NOT NULL
    AND NEW.id = OLD.id AND NEW.company_id = OLD.company_id
    AND NEW.template_version = OLD.template_version AND NEW.text = OLD.text
    AND NEW.text_sha256 = OLD.text_sha256 AND NEW.signer_id IS OLD.signer_id
    AND NEW.signer_name = OLD.signer_name AND NEW.signer_email = OLD.signer_email
    AND NEW.signed_at = OLD.signed_at AND NEW.ip = OLD.ip
)
BEGIN
    SELECT RAISE(ABORT, 'a contract signature cannot be changed');
END;
