-- A client with no device declared yet can still report a problem: the
-- request then says where it is in words (`location`, free text typed by
-- the client, purpose `account` like the description) and, optionally,
-- which building; staff attach the device later. Either a device or a
-- location is required.
ALTER TABLE maintenance_requests ALTER COLUMN device_id DROP NOT NULL;
ALTER TABLE maintenance_requests ADD COLUMN building_id BIGINT REFERENCES buildings (id);
ALTER TABLE maintenance_requests ADD COLUMN location TEXT;
ALTER TABLE maintenance_requests ADD CONSTRAINT maintenance_requests_device_or_location
    CHECK (device_id IS NOT NULL OR location IS NOT NULL);
