-- Weaver register, migration 0007: regions as data, and the classification of
-- industry codes (issue 15). Frozen once landed.
--
-- regions: one row per region, keyed by its code (NUTS, GB/T 2260, ...) as id,
-- with its level, its parent region, its country (ISO 3166-1 alpha-2) and an
-- optional centroid. The package check refuses an unknown parent.
-- region_boundaries: the package's regions.geojson, kept whole as one
-- document (too large for a cell), id always 1.
--
-- Defaults for the rows of an existing register (the columns are added empty):
-- regional_activity.country NULL means the country of the row's region in the
-- regions table, when that region is known there (otherwise the country is
-- unknown and the row is mapped in a section of its own);
-- regional_activity.classification NULL means "unstated": such rows are mapped
-- in their own section, with a note, never pooled with a stated one;
-- clusters.sector_classification NULL means the sectors' classification is
-- not stated.

CREATE TABLE regions (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_en TEXT,
    level TEXT NOT NULL,
    parent TEXT,
    country TEXT NOT NULL,
    lat REAL,
    lon REAL,
    visibility TEXT NOT NULL,
    source TEXT
);
CREATE INDEX regions_country ON regions (country);
CREATE INDEX regions_parent ON regions (parent);

CREATE TABLE region_boundaries (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    document TEXT NOT NULL
);

ALTER TABLE regional_activity ADD COLUMN country TEXT;
ALTER TABLE regional_activity ADD COLUMN classification TEXT;
ALTER TABLE clusters ADD COLUMN sector_classification TEXT;
