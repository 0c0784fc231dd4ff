-- Weaver register, migration 0003 (PostgreSQL): substring search served by
-- an index where pg_trgm is installed, an index for the cluster-scoped
-- lists, and background jobs.

-- `%q%` searches of names: trigram GIN indexes on the expressions the
-- search uses (crates/weaver-store/src/records.rs). pg_trgm ships with
-- PostgreSQL (contrib) and is a trusted extension; where it cannot be
-- created, searches still work, by scanning.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available: name searches will scan';
END
$$;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX organizations_name_trgm ON organizations
            USING gin (LOWER(COALESCE(name, '')) gin_trgm_ops);
        CREATE INDEX organizations_name_en_trgm ON organizations
            USING gin (LOWER(COALESCE(name_en, '')) gin_trgm_ops);
        CREATE INDEX projects_title_trgm ON projects
            USING gin (LOWER(COALESCE(title, '')) gin_trgm_ops);
    END IF;
END
$$;

CREATE INDEX memberships_cluster_visibility ON memberships (cluster, visibility);
CREATE INDEX memberships_cluster ON memberships (cluster);

CREATE TABLE jobs (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    cluster TEXT NOT NULL,
    period TEXT NOT NULL,
    scope TEXT NOT NULL,
    version BIGINT NOT NULL,
    requested_by BIGINT,
    status TEXT NOT NULL,
    progress TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    result TEXT,
    error TEXT
);
CREATE INDEX jobs_key ON jobs (kind, cluster, period, scope, version);
