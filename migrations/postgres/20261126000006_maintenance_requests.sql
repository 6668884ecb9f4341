-- Demandes de Maintenance on a device, and the messages exchanged on each
-- between the client and WeMaintain (purpose `account`).
CREATE TABLE maintenance_requests (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
CREATE INDEX maintenance_requests_company ON maintenance_requests (company_id, created_at);
CREATE INDEX maintenance_requests_status ON maintenance_requests (status, created_at);

CREATE TABLE request_messages (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id BIGINT  NOT NULL REFERENCES maintenance_requests (id),
    author_id  BIGINT,
    from_staff BOOLEAN NOT NULL,
    body       TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    expires_at BIGINT
);
CREATE INDEX request_messages_request ON request_messages (request_id, created_at);
