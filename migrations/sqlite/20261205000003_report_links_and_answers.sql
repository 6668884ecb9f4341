-- A report may name the maintenance request it answers (of the same
-- company); staff may correct a published report, which says when.
ALTER TABLE reports ADD COLUMN request_id BIGINT REFERENCES maintenance_requests (id) ON DELETE SET NULL;
ALTER TABLE reports ADD COLUMN corrected_at BIGINT;
ALTER TABLE reports ADD COLUMN corrected_by BIGINT;
CREATE INDEX reports_request ON reports (request_id);

-- The answer staff e-mailed to a question from /contact, kept with it
-- (purpose `contact`, personal data of the asker like the question).
ALTER TABLE contact_messages ADD COLUMN answer TEXT;
ALTER TABLE contact_messages ADD COLUMN answered_at BIGINT;
ALTER TABLE contact_messages ADD COLUMN answered_by BIGINT;
