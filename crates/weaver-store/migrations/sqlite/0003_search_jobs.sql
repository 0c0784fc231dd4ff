-- Weaver register, migration 0003 (SQLite): substring search served by an
-- index, an index for the cluster-scoped lists, and background jobs.

-- Search of organizations' and projects' names: FTS5 with the trigram
-- tokenizer answers `%q%` (any three characters or more, case-folded) from
-- an index. Each search table keeps its own copy of the names, keyed by the
-- row's id (a rowid of these tables may change on VACUUM, so it is not used).
-- `search_state.enabled` lets a restore or bulk load switch the triggers off
-- and rebuild the index once at the end.
CREATE TABLE search_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    enabled INTEGER NOT NULL
);
INSERT INTO search_state (id, enabled) VALUES (1, 1);

CREATE VIRTUAL TABLE organizations_search USING fts5(id, name, name_en, tokenize = 'trigram');
INSERT INTO organizations_search (id, name, name_en) SELECT id, name, name_en FROM organizations;
CREATE TRIGGER organizations_search_insert AFTER INSERT ON organizations
WHEN (SELECT enabled FROM search_state WHERE id = 1) = 1
BEGIN
    INSERT INTO organizations_search (id, name, name_en) VALUES (new.id, new.name, new.name_en);
END;
CREATE TRIGGER organizations_search_delete AFTER DELETE ON organizations
WHEN (SELECT enabled FROM search_state WHERE id = 1) = 1
BEGIN
    DELETE FROM organizations_search WHERE rowid IN (
        SELECT rowid FROM organizations_search
        WHERE organizations_search MATCH 'id:"' || replace(old.id, '"', '""') || '"' AND id = old.id
        UNION ALL
        SELECT rowid FROM organizations_search WHERE length(old.id) < 3 AND id = old.id
    );
END;
CREATE TRIGGER organizations_search_update AFTER UPDATE OF id, name, name_en ON organizations
WHEN (SELECT enabled FROM search_state WHERE id = 1) = 1
BEGIN
    DELETE FROM organizations_search WHERE rowid IN (
        SELECT rowid FROM organizations_search
        WHERE organizations_search MATCH 'id:"' || replace(old.id, '"', '""') || '"' AND id = old.id
        UNION ALL
        SELECT rowid FROM organizations_search WHERE length(old.id) < 3 AND id = old.id
    );
    INSERT INTO organizations_search (id, name, name_en) VALUES (new.id, new.name, new.name_en);
END;

CREATE VIRTUAL TABLE projects_search USING fts5(id, title, tokenize = 'trigram');
INSERT INTO projects_search (id, title) SELECT id, title FROM projects;
CREATE TRIGGER projects_search_insert AFTER INSERT ON projects
WHEN (SELECT enabled FROM search_state WHERE id = 1) = 1
BEGIN
    INSERT INTO projects_search (id, title) VALUES (new.id, new.title);
END;
CREATE TRIGGER projects_search_delete AFTER DELETE ON projects
WHEN (SELECT enabled FROM search_state WHERE id = 1) = 1
BEGIN
    DELETE FROM projects_search WHERE rowid IN (
        SELECT rowid FROM projects_search
        WHERE projects_search MATCH 'id:"' || replace(old.id, '"', '""') || '"' AND id = old.id
        UNION ALL
        SELECT rowid FROM projects_search WHERE length(old.id) < 3 AND id = old.id
    );
END;
CREATE TRIGGER projects_search_update AFTER UPDATE OF id, title ON projects
WHEN (SELECT enabled FROM search_state WHERE id = 1) = 1
BEGIN
    DELETE FROM projects_search WHERE rowid IN (
        SELECT rowid FROM projects_search
        WHERE projects_search MATCH 'id:"' || replace(old.id, '"', '""') || '"' AND id = old.id
        UNION ALL
        SELECT rowid FROM projects_search WHERE length(old.id) < 3 AND id = old.id
    );
    INSERT INTO projects_search (id, title) VALUES (new.id, new.title);
END;

-- A cluster's memberships in row order, all of them (admins, managers) or
-- at one visibility (the public): pages and counts of a cluster's
-- memberships come from an index, without a sort.
CREATE INDEX memberships_cluster_visibility ON memberships (cluster, visibility);
CREATE INDEX memberships_cluster ON memberships (cluster);

-- Background jobs (path metrics of large networks): any server process may
-- read a job's state; the one that took it updates `updated_at` while it runs.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
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
