-- The client company's buildings and the devices (Appareils) in them
-- (purpose `account`: kept while the company's account lasts).
CREATE TABLE buildings (
    id          INTEGER PRIMARY KEY,
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
CREATE INDEX buildings_company_id ON buildings (company_id, archived_at);

CREATE TABLE devices (
    id                INTEGER PRIMARY KEY,
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
CREATE INDEX devices_building_id ON devices (building_id);
