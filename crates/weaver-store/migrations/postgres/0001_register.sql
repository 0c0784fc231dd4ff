-- Weaver register, version 1: the tables of the data package (DESIGN.md).
-- Frozen once landed: change the schema only in a new numbered migration.
--
-- Ids are the users' own stable strings. Tables without an id are keyed by their
-- natural key (UNIQUE); an optional part of such a key is stored as '' when empty so
-- that empty parts compare as equal. Each also has a surrogate row_id for the API.
-- Booleans are stored as 0/1 integers, dates and periods as ISO text, so that both
-- backends decode the same primitive types through sqlx's Any driver.
-- visibility is public, cluster or private; source (citation in ties) is provenance.

CREATE TABLE programmes (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_en TEXT,
    agency TEXT,
    level TEXT,
    start TEXT,
    "end" TEXT,
    description TEXT,
    visibility TEXT NOT NULL,
    source TEXT
);

CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_en TEXT,
    actor_type TEXT NOT NULL,
    size TEXT,
    identifiers TEXT,
    region TEXT,
    country TEXT,
    industry TEXT,
    founded TEXT,
    employees BIGINT,
    website TEXT,
    visibility TEXT NOT NULL,
    source TEXT
);

CREATE TABLE clusters (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_en TEXT,
    region TEXT NOT NULL,
    country TEXT,
    sectors TEXT,
    form TEXT,
    founded TEXT,
    manager_org TEXT REFERENCES organizations(id),
    management_fte DOUBLE PRECISION,
    website TEXT,
    website_en BIGINT,
    description TEXT,
    visibility TEXT NOT NULL,
    source TEXT
);

CREATE TABLE programme_clusters (
    row_id BIGSERIAL PRIMARY KEY,
    programme TEXT NOT NULL REFERENCES programmes(id),
    cluster TEXT NOT NULL REFERENCES clusters(id),
    since TEXT,
    until TEXT,
    visibility TEXT NOT NULL,
    source TEXT,
    UNIQUE (programme, cluster)
);

CREATE TABLE memberships (
    row_id BIGSERIAL PRIMARY KEY,
    cluster TEXT NOT NULL REFERENCES clusters(id),
    org TEXT NOT NULL REFERENCES organizations(id),
    tier TEXT NOT NULL,
    since TEXT NOT NULL DEFAULT '',
    until TEXT,
    visibility TEXT NOT NULL,
    source TEXT,
    UNIQUE (cluster, org, tier, since)
);

CREATE TABLE governance (
    row_id BIGSERIAL PRIMARY KEY,
    cluster TEXT NOT NULL REFERENCES clusters(id),
    body TEXT NOT NULL,
    org TEXT NOT NULL REFERENCES organizations(id),
    role TEXT,
    since TEXT NOT NULL DEFAULT '',
    until TEXT,
    visibility TEXT NOT NULL,
    source TEXT,
    UNIQUE (cluster, body, org, since)
);

CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    cluster TEXT REFERENCES clusters(id),
    start TEXT,
    "end" TEXT,
    budget DOUBLE PRECISION,
    currency TEXT,
    field TEXT,
    status TEXT,
    visibility TEXT NOT NULL,
    source TEXT
);

CREATE TABLE participations (
    row_id BIGSERIAL PRIMARY KEY,
    project TEXT NOT NULL REFERENCES projects(id),
    org TEXT NOT NULL REFERENCES organizations(id),
    role TEXT NOT NULL,
    contribution DOUBLE PRECISION,
    visibility TEXT NOT NULL,
    source TEXT,
    UNIQUE (project, org)
);

CREATE TABLE funding (
    row_id BIGSERIAL PRIMARY KEY,
    recipient TEXT NOT NULL,
    source_type TEXT NOT NULL,
    programme TEXT NOT NULL DEFAULT '',
    amount DOUBLE PRECISION NOT NULL,
    currency TEXT,
    year BIGINT NOT NULL,
    visibility TEXT NOT NULL,
    source TEXT,
    UNIQUE (recipient, source_type, programme, year)
);

CREATE TABLE ties (
    row_id BIGSERIAL PRIMARY KEY,
    source TEXT NOT NULL REFERENCES organizations(id),
    target TEXT NOT NULL REFERENCES organizations(id),
    kind TEXT NOT NULL,
    start TEXT NOT NULL DEFAULT '',
    "end" TEXT,
    weight DOUBLE PRECISION,
    directed BIGINT,
    visibility TEXT NOT NULL,
    citation TEXT,
    UNIQUE (source, target, kind, start)
);

CREATE TABLE indicators (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_en TEXT,
    unit TEXT,
    dimension TEXT,
    direction TEXT NOT NULL,
    weight DOUBLE PRECISION,
    description TEXT,
    visibility TEXT NOT NULL,
    source TEXT
);

CREATE TABLE observations (
    row_id BIGSERIAL PRIMARY KEY,
    cluster TEXT NOT NULL REFERENCES clusters(id),
    indicator TEXT NOT NULL REFERENCES indicators(id),
    period TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    source TEXT,
    note TEXT,
    visibility TEXT NOT NULL,
    UNIQUE (cluster, indicator, period)
);

CREATE TABLE regional_activity (
    row_id BIGSERIAL PRIMARY KEY,
    region TEXT NOT NULL,
    industry TEXT NOT NULL,
    year BIGINT NOT NULL,
    employment DOUBLE PRECISION NOT NULL,
    establishments DOUBLE PRECISION,
    wages DOUBLE PRECISION,
    visibility TEXT NOT NULL,
    source TEXT,
    UNIQUE (region, industry, year)
);

CREATE INDEX ties_target ON ties (target);
CREATE INDEX memberships_org ON memberships (org);
CREATE INDEX participations_org ON participations (org);
CREATE INDEX projects_cluster ON projects (cluster);
