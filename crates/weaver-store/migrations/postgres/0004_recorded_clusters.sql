-- Weaver register, migration 0004: organizations and ties record the clusters
-- they were written for (docs/adr/0003-rows-record-their-cluster.md).
-- Frozen once landed: change the schema only in a new numbered migration.
--
-- Rights over an organization or a tie follow these records, not the current
-- memberships, so that adding an organization to one's cluster gives no right
-- over its profile or its ties. A record is written when the row is created
-- (for the clusters of the manager who creates it), by an admin's write of a
-- membership or of a cluster's manager_org, and by an import; a manager's
-- writes never add to the record of a row it did not create. Rows keep their
-- record when deleted, so that undo brings their rights back with them.
CREATE TABLE organization_clusters (
    org TEXT NOT NULL,
    cluster TEXT NOT NULL,
    PRIMARY KEY (org, cluster)
);
CREATE INDEX organization_clusters_cluster ON organization_clusters (cluster, org);

CREATE TABLE tie_clusters (
    tie BIGINT NOT NULL,
    cluster TEXT NOT NULL,
    PRIMARY KEY (tie, cluster)
);
CREATE INDEX tie_clusters_cluster ON tie_clusters (cluster, tie);

-- Existing rows: the clusters that the memberships and the clusters'
-- manager_org give them at migration time (what the rule read until now),
-- an organization for each cluster it is a member of or manages, a tie for
-- each cluster of either end.
INSERT INTO organization_clusters (org, cluster)
SELECT org, cluster FROM memberships
UNION
SELECT manager_org, id FROM clusters WHERE manager_org IS NOT NULL;

INSERT INTO tie_clusters (tie, cluster)
SELECT t.row_id, oc.cluster FROM ties t JOIN organization_clusters oc ON oc.org = t.source
UNION
SELECT t.row_id, oc.cluster FROM ties t JOIN organization_clusters oc ON oc.org = t.target;
