-- No id that appears in a URL or an e-mail may ever be given to another
-- row. Without AUTOINCREMENT, SQLite gives a new row the highest id plus
-- one, so deleting the newest row (an erasure, a validation, the purge)
-- hands its id to the next one: a staff e-mail's link to the first then
-- opens the second. Every table whose ids are shown is rebuilt with
-- AUTOINCREMENT, its rows, indexes and triggers kept.
--
-- SQLite cannot add AUTOINCREMENT in place. Rebuilding a table that others
-- refer to needs foreign keys off: `Db::migrate` runs the SQLite migrations
-- on a connection opened with them off, then checks every reference.

-- companies
CREATE TABLE companies_rebuilt (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO companies_rebuilt (id, name, kind, address, address_extra, city, postal_code, country, created_at, expires_at)
SELECT id, name, kind, address, address_extra, city, postal_code, country, created_at, expires_at FROM companies;
DROP TABLE companies;
ALTER TABLE companies_rebuilt RENAME TO companies;

-- users
CREATE TABLE users_rebuilt (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
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
, news_objected_at BIGINT, email_confirmed_at BIGINT);
INSERT INTO users_rebuilt (id, company_id, email, password_hash, first_name, last_name, civility, job_title, phone, role, status, session_epoch, created_at, expires_at, news_objected_at, email_confirmed_at)
SELECT id, company_id, email, password_hash, first_name, last_name, civility, job_title, phone, role, status, session_epoch, created_at, expires_at, news_objected_at, email_confirmed_at FROM users;
DROP TABLE users;
ALTER TABLE users_rebuilt RENAME TO users;

-- buildings
CREATE TABLE buildings_rebuilt (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id  BIGINT  NOT NULL REFERENCES companies (id),
    name        TEXT    NOT NULL,
    address     TEXT    NOT NULL,
    postal_code TEXT    NOT NULL,
    city        TEXT    NOT NULL,
    country     TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    archived_at BIGINT,
    expires_at  BIGINT
);
INSERT INTO buildings_rebuilt (id, company_id, name, address, postal_code, city, country, created_at, archived_at, expires_at)
SELECT id, company_id, name, address, postal_code, city, country, created_at, archived_at, expires_at FROM buildings;
DROP TABLE buildings;
ALTER TABLE buildings_rebuilt RENAME TO buildings;
CREATE INDEX buildings_company_id ON buildings (company_id, archived_at);

-- devices
CREATE TABLE devices_rebuilt (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    building_id       BIGINT  NOT NULL REFERENCES buildings (id),
    kind              TEXT    NOT NULL CHECK (kind = 'ascenseur' OR kind = 'monte_charge' OR kind = 'monte_personne'),
    -- Where in the building: staircase, wing, floors served (required).
    location          TEXT    NOT NULL,
    brand             TEXT,
    serial_number     TEXT,
    commissioned_year INTEGER,
    status            TEXT    NOT NULL CHECK (status = 'en_service' OR status = 'a_l_arret' OR status = 'hors_service'),
    created_at        BIGINT  NOT NULL,
    expires_at        BIGINT
);
INSERT INTO devices_rebuilt (id, building_id, kind, location, brand, serial_number, commissioned_year, status, created_at, expires_at)
SELECT id, building_id, kind, location, brand, serial_number, commissioned_year, status, created_at, expires_at FROM devices;
DROP TABLE devices;
ALTER TABLE devices_rebuilt RENAME TO devices;
CREATE INDEX devices_building_id ON devices (building_id);

-- maintenance_requests
CREATE TABLE maintenance_requests_rebuilt (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id  BIGINT  NOT NULL REFERENCES companies (id),
    device_id   BIGINT  NOT NULL REFERENCES devices (id),
    created_by  BIGINT,
    nature      TEXT    NOT NULL CHECK (nature = 'panne' OR nature = 'entretien' OR nature = 'travaux'),
    urgency     TEXT    NOT NULL CHECK (urgency = 'personne_bloquee' OR urgency = 'appareil_arret' OR urgency = 'dysfonctionnement' OR urgency = 'question'),
    description TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status = 'recue' OR status = 'planifiee' OR status = 'en_cours' OR status = 'resolue' OR status = 'annulee'),
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    expires_at  BIGINT
);
INSERT INTO maintenance_requests_rebuilt (id, company_id, device_id, created_by, nature, urgency, description, status, created_at, updated_at, expires_at)
SELECT id, company_id, device_id, created_by, nature, urgency, description, status, created_at, updated_at, expires_at FROM maintenance_requests;
DROP TABLE maintenance_requests;
ALTER TABLE maintenance_requests_rebuilt RENAME TO maintenance_requests;
CREATE INDEX maintenance_requests_company ON maintenance_requests (company_id, created_at);
CREATE INDEX maintenance_requests_status ON maintenance_requests (status, created_at);

-- reports
CREATE TABLE reports_rebuilt (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id     BIGINT  NOT NULL REFERENCES companies (id),
    device_id      BIGINT  NOT NULL REFERENCES devices (id),
    kind           TEXT    NOT NULL CHECK (kind = 'maintenance' OR kind = 'installation' OR kind = 'reparation' OR kind = 'travaux'),
    -- The day of the work, as days since 1970-01-01.
    performed_on   BIGINT  NOT NULL,
    work_done      TEXT    NOT NULL,
    parts_replaced TEXT,
    device_state   TEXT    NOT NULL CHECK (device_state = 'en_service' OR device_state = 'a_l_arret' OR device_state = 'hors_service'),
    published_by   BIGINT,
    published_at   BIGINT  NOT NULL,
    expires_at     BIGINT
);
INSERT INTO reports_rebuilt (id, company_id, device_id, kind, performed_on, work_done, parts_replaced, device_state, published_by, published_at, expires_at)
SELECT id, company_id, device_id, kind, performed_on, work_done, parts_replaced, device_state, published_by, published_at, expires_at FROM reports;
DROP TABLE reports;
ALTER TABLE reports_rebuilt RENAME TO reports;
CREATE INDEX reports_company ON reports (company_id, performed_on);

-- proposal_requests
CREATE TABLE proposal_requests_rebuilt (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id      BIGINT  NOT NULL REFERENCES companies (id),
    created_by      BIGINT,
    message         TEXT,
    previsit        BOOLEAN NOT NULL,
    preferred_dates TEXT,
    status          TEXT    NOT NULL CHECK (status = 'recue' OR status = 'repondue'),
    answer          TEXT,
    answered_at     BIGINT,
    created_at      BIGINT  NOT NULL,
    expires_at      BIGINT
);
INSERT INTO proposal_requests_rebuilt (id, company_id, created_by, message, previsit, preferred_dates, status, answer, answered_at, created_at, expires_at)
SELECT id, company_id, created_by, message, previsit, preferred_dates, status, answer, answered_at, created_at, expires_at FROM proposal_requests;
DROP TABLE proposal_requests;
ALTER TABLE proposal_requests_rebuilt RENAME TO proposal_requests;
CREATE INDEX proposal_requests_company ON proposal_requests (company_id, created_at);

-- contract_signatures
CREATE TABLE contract_signatures_rebuilt (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    -- No foreign key: the evidence outlives the account (legal obligation).
    company_id       BIGINT  NOT NULL,
    template_version TEXT    NOT NULL,
    text             TEXT    NOT NULL,
    text_sha256      TEXT    NOT NULL,
    signer_id        BIGINT,
    signer_name      TEXT    NOT NULL,
    signer_email     TEXT    NOT NULL,
    signed_at        BIGINT  NOT NULL,
    ip               TEXT    NOT NULL,
    expires_at       BIGINT
);
INSERT INTO contract_signatures_rebuilt (id, company_id, template_version, text, text_sha256, signer_id, signer_name, signer_email, signed_at, ip, expires_at)
SELECT id, company_id, template_version, text, text_sha256, signer_id, signer_name, signer_email, signed_at, ip, expires_at FROM contract_signatures;
DROP TABLE contract_signatures;
ALTER TABLE contract_signatures_rebuilt RENAME TO contract_signatures;
CREATE UNIQUE INDEX contract_signatures_company_version ON contract_signatures (company_id, template_version);
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

-- rights_requests
CREATE TABLE rights_requests_rebuilt (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO rights_requests_rebuilt (id, kind, user_id, email, visit_description, message, status, token_hash, created_at, received_at, due_at, extension_reason, info_request, closed_at, outcome, expires_at)
SELECT id, kind, user_id, email, visit_description, message, status, token_hash, created_at, received_at, due_at, extension_reason, info_request, closed_at, outcome, expires_at FROM rights_requests;
DROP TABLE rights_requests;
ALTER TABLE rights_requests_rebuilt RENAME TO rights_requests;
CREATE INDEX rights_requests_status ON rights_requests (status, due_at);
CREATE INDEX rights_requests_user ON rights_requests (user_id);
CREATE INDEX rights_requests_expires_at ON rights_requests (expires_at);

-- contact_messages
CREATE TABLE contact_messages_rebuilt (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO contact_messages_rebuilt (id, received_at, last_exchange_at, expires_at, first_name, last_name, phone, email, message, handled_at, handled_by)
SELECT id, received_at, last_exchange_at, expires_at, first_name, last_name, phone, email, message, handled_at, handled_by FROM contact_messages;
DROP TABLE contact_messages;
ALTER TABLE contact_messages_rebuilt RENAME TO contact_messages;
CREATE INDEX contact_messages_expires_at ON contact_messages (expires_at);

-- technician_applications
CREATE TABLE technician_applications_rebuilt (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO technician_applications_rebuilt (id, received_at, expires_at, first_name, last_name, phone, email, years_experience, current_company, handled_at, handled_by)
SELECT id, received_at, expires_at, first_name, last_name, phone, email, years_experience, current_company, handled_at, handled_by FROM technician_applications;
DROP TABLE technician_applications;
ALTER TABLE technician_applications_rebuilt RENAME TO technician_applications;
CREATE INDEX technician_applications_expires_at ON technician_applications (expires_at);

