-- Login throttling per client address as well as per account: each attempt
-- records the address it came from ('' for attempts recorded before).
ALTER TABLE login_failures ADD COLUMN address TEXT NOT NULL DEFAULT '';
CREATE INDEX login_failures_address ON login_failures (address, at);
