//! The clusters organizations and ties were written for
//! (`docs/adr/0003-rows-record-their-cluster.md`): written when such a row
//! is created through the API, by an admin's write of a membership or of a
//! cluster's `manager_org`, and by an import. [`crate::access`] reads them.

use std::collections::BTreeSet;

use weaver_core::enums::Role;
use weaver_core::schema::TableSchema;

use crate::StoreError;
use crate::access::Principal;
use crate::records::Record;
use crate::sql::assert_safe;

/// The text of column `name` of `record` (empty when absent or null).
fn cell(t: &TableSchema, record: &Record, name: &str) -> String {
    t.position(name)
        .map(|p| record.values[p].to_text())
        .unwrap_or_default()
}

/// Records `org` for `cluster` (once).
async fn record_org(
    conn: &mut sqlx::AnyConnection,
    org: &str,
    cluster: &str,
) -> Result<(), StoreError> {
    if org.is_empty() || cluster.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO organization_clusters (org, cluster) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(org)
    .bind(cluster)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Writes the records that a new row, or an admin's change to a row, gives:
/// called inside the write's transaction, after the write is checked.
/// `created` is true for a new row.
pub(crate) async fn after_write(
    conn: &mut sqlx::AnyConnection,
    t: &TableSchema,
    who: &Principal,
    record: &Record,
    created: bool,
) -> Result<(), StoreError> {
    let admin = who.role == Role::Admin;
    match t.name {
        "organizations" if created => {
            // A new organization: whatever an earlier one of this id was
            // recorded for does not carry over.
            let id = cell(t, record, "id");
            sqlx::query("DELETE FROM organization_clusters WHERE org = $1")
                .bind(&id)
                .execute(&mut *conn)
                .await?;
            if who.role == Role::Manager {
                for c in &who.managed {
                    record_org(conn, &id, c).await?;
                }
            }
        }
        "ties" if created => {
            let Some(row_id) = record.row_id else {
                return Ok(());
            };
            let (source, target) = (cell(t, record, "source"), cell(t, record, "target"));
            let mut clusters: BTreeSet<String> = BTreeSet::new();
            let recorded: Vec<(String, String)> = sqlx::query_as(
                "SELECT org, cluster FROM organization_clusters WHERE org IN ($1, $2)",
            )
            .bind(&source)
            .bind(&target)
            .fetch_all(&mut *conn)
            .await?;
            if admin {
                clusters.extend(recorded.into_iter().map(|r| r.1));
            } else if who.role == Role::Manager {
                let members: Vec<(String, String)> =
                    sqlx::query_as("SELECT org, cluster FROM memberships WHERE org IN ($1, $2)")
                        .bind(&source)
                        .bind(&target)
                        .fetch_all(&mut *conn)
                        .await?;
                clusters.extend(
                    recorded
                        .into_iter()
                        .chain(members)
                        .map(|r| r.1)
                        .filter(|c| who.managed.contains(c)),
                );
            }
            sqlx::query("DELETE FROM tie_clusters WHERE tie = $1")
                .bind(row_id)
                .execute(&mut *conn)
                .await?;
            for c in clusters {
                sqlx::query("INSERT INTO tie_clusters (tie, cluster) VALUES ($1, $2)")
                    .bind(row_id)
                    .bind(c)
                    .execute(&mut *conn)
                    .await?;
            }
        }
        "memberships" if admin => {
            record_org(conn, &cell(t, record, "org"), &cell(t, record, "cluster")).await?;
        }
        "clusters" if admin => {
            record_org(
                conn,
                &cell(t, record, "manager_org"),
                &cell(t, record, "id"),
            )
            .await?;
        }
        _ => {}
    }
    Ok(())
}

/// The (organization, cluster) pairs an import records: those of the
/// package's memberships and of its clusters' `manager_org`. Memberships a
/// manager wrote through the API gain nothing from an import that does not
/// hold them.
pub(crate) fn package_pairs(package: &weaver_core::Package) -> Vec<(String, String)> {
    let mut pairs = BTreeSet::new();
    for table in &package.tables {
        let t = table.schema;
        let (org, cluster) = match t.name {
            "memberships" => ("org", "cluster"),
            "clusters" => ("manager_org", "id"),
            _ => continue,
        };
        let (Some(o), Some(c)) = (t.position(org), t.position(cluster)) else {
            continue;
        };
        for row in &table.rows {
            let (o, c) = (row[o].to_text(), row[c].to_text());
            if !o.is_empty() && !c.is_empty() {
                pairs.insert((o, c));
            }
        }
    }
    pairs.into_iter().collect()
}

/// The statements an import runs after its rows are in: forget the records
/// of organizations deleted since, record `pairs` (organization, cluster) in
/// batches, then record every tie recorded for no cluster yet (new ones)
/// for its ends' clusters. Each a statement and its text arguments.
pub(crate) fn import_statements(pairs: &[(String, String)]) -> Vec<(String, Vec<String>)> {
    let mut out = vec![(
        "DELETE FROM organization_clusters WHERE org NOT IN (SELECT id FROM organizations)"
            .to_owned(),
        Vec::new(),
    )];
    for batch in pairs.chunks(400) {
        let mut args = Vec::with_capacity(batch.len() * 2);
        let values: Vec<String> = batch
            .iter()
            .map(|(o, c)| {
                args.push(o.clone());
                args.push(c.clone());
                format!("(${}, ${})", args.len() - 1, args.len())
            })
            .collect();
        out.push((
            format!(
                "INSERT INTO organization_clusters (org, cluster) VALUES {} ON CONFLICT DO NOTHING",
                values.join(", ")
            ),
            args,
        ));
    }
    out.push((
        "INSERT INTO tie_clusters (tie, cluster) \
         SELECT u.tie, u.cluster FROM ( \
           SELECT t.row_id AS tie, oc.cluster AS cluster FROM ties t \
             JOIN organization_clusters oc ON oc.org = t.source \
           UNION \
           SELECT t.row_id, oc.cluster FROM ties t \
             JOIN organization_clusters oc ON oc.org = t.target \
         ) u WHERE NOT EXISTS (SELECT 1 FROM tie_clusters x WHERE x.tie = u.tie) \
         ON CONFLICT DO NOTHING"
            .to_owned(),
        Vec::new(),
    ));
    out
}

/// Runs `statements` ([`import_statements`]) on an import's connection.
pub(crate) async fn run_any(
    conn: &mut sqlx::AnyConnection,
    statements: Vec<(String, Vec<String>)>,
) -> Result<(), sqlx::Error> {
    for (text, args) in statements {
        let mut q = sqlx::query(assert_safe(text));
        for a in args {
            q = q.bind(a);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Runs `statements` on an import's SQLite connection.
pub(crate) async fn run_sqlite(
    conn: &mut sqlx::SqliteConnection,
    statements: Vec<(String, Vec<String>)>,
) -> Result<(), sqlx::Error> {
    for (text, args) in statements {
        let mut q = sqlx::query(assert_safe(text));
        for a in args {
            q = q.bind(a);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}
