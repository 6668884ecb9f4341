-- Demandes de proposition commerciale for chosen devices, with an optional
-- pré-visite, and staff's answer (purpose `account`).
CREATE TABLE proposal_requests (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
CREATE INDEX proposal_requests_company ON proposal_requests (company_id, created_at);

CREATE TABLE proposal_devices (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    proposal_id BIGINT  NOT NULL REFERENCES proposal_requests (id),
    device_id   BIGINT  NOT NULL REFERENCES devices (id),
    expires_at  BIGINT
);
CREATE INDEX proposal_devices_proposal ON proposal_devices (proposal_id);
