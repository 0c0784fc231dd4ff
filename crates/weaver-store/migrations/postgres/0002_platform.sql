-- Weaver register, version 2: the platform's accounts, sessions and audit log.
-- Frozen once landed: change the schema only in a new numbered migration.
--
-- Timestamps are UTC RFC 3339 text ('2026-11-28T20:15:00Z'), which sorts as time does.
-- Secrets (session cookies, API tokens, one-time links) are stored only as their
-- SHA-256 hashes; passwords only as argon2id hashes.

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT,
    role TEXT NOT NULL,
    password_hash TEXT,
    created_at TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0
);

-- What a user is assigned to: clusters (managers), programmes (officers),
-- organizations (members).
CREATE TABLE user_scopes (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    ref TEXT NOT NULL,
    PRIMARY KEY (user_id, kind, ref)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used TEXT
);

-- Invitations and password resets.
CREATE TABLE one_time_links (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

-- Failed logins, for throttling (shared by every server process).
CREATE TABLE login_failures (
    email TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, at);

-- Every write to the register: who, when, what, before and after (JSON objects
-- of the row's columns). A delete keeps the row in `before`, so it can be undone.
CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    at TEXT NOT NULL,
    user_id BIGINT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    table_name TEXT NOT NULL,
    row_key TEXT NOT NULL,
    before TEXT,
    after TEXT,
    undone_by BIGINT
);
CREATE INDEX audit_log_row ON audit_log (table_name, row_key);

-- A counter bumped by every change to the register (API writes, imports,
-- restores), so that derived results can tell whether they are current.
CREATE TABLE register_state (
    id INTEGER PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO register_state (id, version) VALUES (1, 0);

-- Engine results computed for a cluster and period at a register version.
CREATE TABLE engine_cache (
    kind TEXT NOT NULL,
    cluster TEXT NOT NULL,
    period TEXT NOT NULL,
    version BIGINT NOT NULL,
    computed_at TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (kind, cluster, period)
);

-- Monitoring campaigns: an officer asks the managers of some clusters for the
-- observations of some indicators for one period by a deadline. Closing a
-- campaign freezes those observations and keeps the results computed then.
CREATE TABLE campaigns (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    period TEXT NOT NULL,
    deadline TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE TABLE campaign_indicators (
    campaign TEXT NOT NULL REFERENCES campaigns(id),
    indicator TEXT NOT NULL REFERENCES indicators(id),
    PRIMARY KEY (campaign, indicator)
);
CREATE TABLE campaign_clusters (
    campaign TEXT NOT NULL REFERENCES campaigns(id),
    cluster TEXT NOT NULL REFERENCES clusters(id),
    PRIMARY KEY (campaign, cluster)
);
CREATE TABLE frozen_results (
    campaign TEXT NOT NULL REFERENCES campaigns(id),
    cluster TEXT NOT NULL,
    kind TEXT NOT NULL,
    computed_at TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (campaign, cluster, kind)
);

-- Members confirm (or dispute) the ties their organization is part of, for a
-- campaign: the register's ties checked by the people they are about.
CREATE TABLE tie_confirmations (
    campaign TEXT NOT NULL REFERENCES campaigns(id),
    tie_row_id BIGINT NOT NULL,
    org TEXT NOT NULL,
    confirmed INTEGER NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (campaign, tie_row_id, org)
);
