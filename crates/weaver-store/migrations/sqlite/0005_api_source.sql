-- Weaver register, migration 0005: every row has a provenance. Rows written
-- through the API before it recorded 'weaver-api' (the only rows without
-- one: imports record the package's name, campaigns 'campaign <id>') get
-- it now, so that export -> import -> export gives identical files.
UPDATE programmes SET source = 'weaver-api' WHERE source IS NULL OR source = '';
UPDATE organizations SET source = 'weaver-api' WHERE source IS NULL OR source = '';
UPDATE clusters SET source = 'weaver-api' WHERE source IS NULL OR source = '';
UPDATE programme_clusters SET source = 'weaver-api' WHERE source IS NULL OR source = '';
UPDATE memberships SET source = 'weaver-api' WHERE source IS NULL OR source = '';
UPDATE governance SET source = 'weaver-api' WHERE source IS NULL OR source = '';
UPDATE projects SET source = 'weaver-api' WHERE source IS NULL OR source = '';
UPDATE participations SET source = 'weaver-api' WHERE source IS NULL OR source = '';
UPDATE funding SET source = 'weaver-api' WHERE source IS NULL OR source = '';
UPDATE indicators SET source = 'weaver-api' WHERE source IS NULL OR source = '';
UPDATE observations SET source = 'weaver-api' WHERE source IS NULL OR source = '';
UPDATE regional_activity SET source = 'weaver-api' WHERE source IS NULL OR source = '';
UPDATE ties SET citation = 'weaver-api' WHERE citation IS NULL OR citation = '';
