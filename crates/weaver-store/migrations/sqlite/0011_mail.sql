-- Weaver register, migration 0011: mail that is really sent (issue 18).
-- Frozen once landed: change the schema only in a new numbered migration.
--
-- users.language: the language of the messages an account is sent, 'zh' or
-- 'en'; accounts made before this migration get 'zh' (the platform's first
-- language), an admin changes it (PATCH /api/v1/users/{id}).
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'zh';
-- users.digest: 1 when the account takes its campaign messages as one daily
-- digest mail instead of one mail each (they are its notifications all the
-- same); digest_sent_at: when its last digest was taken.
ALTER TABLE users ADD COLUMN digest INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN digest_sent_at TEXT;

-- Every message to a person, rendered when it was queued, and what became
-- of it: queued -> sending (claimed by one server until claimed_until) ->
-- sent, or failed (tried again at next_attempt_at, with exponential
-- backoff) and, after the last attempt, given_up. user_id: the account it
-- is for, if any (an account's erasure deletes its messages).
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient TEXT NOT NULL,
    user_id INTEGER,
    kind TEXT NOT NULL,
    language TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    next_attempt_at TEXT NOT NULL,
    claimed_by TEXT,
    claimed_until TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_user ON outbox (user_id);

-- What an account is told in the application (unread while read_at is NULL).
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT
);
CREATE INDEX notifications_user ON notifications (user_id, read_at);

-- Password-reset requests, for their limits per address and per client
-- (shared by every server process).
CREATE TABLE reset_requests (
    email TEXT NOT NULL,
    address TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX reset_requests_email ON reset_requests (email, at);
CREATE INDEX reset_requests_address ON reset_requests (address, at);

-- The campaign messages that go out once per campaign whichever server sees
-- the moment first (deadline_passed): which were taken, and when.
CREATE TABLE campaign_notices (
    campaign TEXT NOT NULL REFERENCES campaigns(id),
    kind TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (campaign, kind)
);
