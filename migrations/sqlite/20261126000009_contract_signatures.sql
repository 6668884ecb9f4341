-- Signed maintenance contracts (purpose `contract_evidence`): the exact
-- text signed, its SHA-256, who signed, when and from which IP. A
-- signature is never edited: the trigger refuses any UPDATE; the purge
-- may still delete it once its retention has passed.
CREATE TABLE contract_signatures (
    id               INTEGER PRIMARY KEY,
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
CREATE UNIQUE INDEX contract_signatures_company_version ON contract_signatures (company_id, template_version);

CREATE TRIGGER contract_signatures_are_final BEFORE UPDATE ON contract_signatures
BEGIN
    SELECT RAISE(ABORT, 'a contract signature cannot be changed');
END;
