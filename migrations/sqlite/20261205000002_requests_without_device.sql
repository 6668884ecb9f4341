-- A client with no device declared yet can still report a problem: the
-- request then says where it is in words (`location`, free text typed by
-- the client, purpose `account` like the description) and, optionally,
-- which building; staff attach the device later. Either a device or a
-- location is required.
--
-- SQLite cannot drop a NOT NULL in place: the table is rebuilt, ids,
-- rows and indexes kept (foreign keys are off during migrations, see
-- `Db::migrate`).
CREATE TABLE maintenance_requests_rebuilt (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id  BIGINT  NOT NULL REFERENCES companies (id),
    device_id   BIGINT  REFERENCES devices (id),
    building_id BIGINT  REFERENCES buildings (id),
    location    TEXT,
    created_by  BIGINT,
    nature      TEXT    NOT NULL CHECK (nature = 'panne' OR nature = 'entretien' OR nature = 'travaux'),
    urgency     TEXT    NOT NULL CHECK (urgency = 'personne_bloquee' OR urgency = 'appareil_arret' OR urgency = 'dysfonctionnement' OR urgency = 'question'),
    description TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status = 'recue' OR status = 'planifiee' OR status = 'en_cours' OR status = 'resolue' OR status = 'annulee'),
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    expires_at  BIGINT,
    CHECK (device_id IS NOT NULL OR location IS NOT NULL)
);
INSERT INTO maintenance_requests_rebuilt (id, company_id, device_id, created_by, nature, urgency, description, status, created_at, updated_at, expires_at)
SELECT id, company_id, device_id, created_by, nature, urgency, description, status, created_at, updated_at, expires_at FROM maintenance_requests;
-- The counter goes along, so that an id deleted at the top is never given again.
DELETE FROM sqlite_sequence WHERE name = 'maintenance_requests_rebuilt';
INSERT INTO sqlite_sequence (name, seq)
SELECT 'maintenance_requests_rebuilt', seq FROM sqlite_sequence WHERE name = 'maintenance_requests';
DROP TABLE maintenance_requests;
ALTER TABLE maintenance_requests_rebuilt RENAME TO maintenance_requests;
CREATE INDEX maintenance_requests_company ON maintenance_requests (company_id, created_at);
CREATE INDEX maintenance_requests_status ON maintenance_requests (status, created_at);
