-- Rapports d'Information: what staff did on a device, published for the
-- client company to read (purpose `account`).
CREATE TABLE reports (
    id             INTEGER PRIMARY KEY,
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
CREATE INDEX reports_company ON reports (company_id, performed_on);
