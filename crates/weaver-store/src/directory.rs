//! What the cluster directory reads: the clusters a caller may read, all
//! their current memberships with the members' actor types (counts are
//! public, as on a cluster's profile: the directory counts, it names
//! nobody), and the current programme links the caller may read, each in
//! one statement (issue 19).

use sqlx::Row;

use crate::access::{self, Principal, SqlParts};
use crate::records::bind_all;
use crate::sql::assert_safe;
use crate::{Store, StoreError};

/// A cluster as the directory lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct DirectoryCluster {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Region id.
    pub region: String,
    /// Country code.
    pub country: Option<String>,
    /// Sectors, as the register holds them (`;`-separated).
    pub sectors: Option<String>,
    /// Founding date.
    pub founded: Option<String>,
    /// Management staff, in full-time equivalents.
    pub management_fte: Option<f64>,
    /// Whether it has an English website.
    pub website_en: Option<bool>,
}

/// A membership current at a date, with the member's actor type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentMember {
    /// The cluster.
    pub cluster: String,
    /// The organization.
    pub org: String,
    /// Its actor type.
    pub actor_type: String,
}

/// What [`Store::directory_facts`] reads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DirectoryFacts {
    /// The clusters, sorted by id.
    pub clusters: Vec<DirectoryCluster>,
    /// Every current membership of the clusters read, whatever its
    /// visibility (for counts only: never to be answered by name).
    pub members: Vec<CurrentMember>,
    /// The current programme links: (programme, cluster).
    pub programmes: Vec<(String, String)>,
}

fn opt(s: Option<String>) -> Option<String> {
    s.filter(|x| !x.is_empty())
}

/// The condition of a row `t` with `since` and `until` current at `date`.
fn current(sql: &mut SqlParts, date: &str) -> String {
    let from = sql.arg(date);
    let to = sql.arg(date);
    format!(
        "(COALESCE(t.since, '') = '' OR t.since <= {from}) \
         AND (COALESCE(t.until, '') = '' OR t.until >= SUBSTR({to}, 1, LENGTH(t.until)))"
    )
}

impl Store {
    /// The clusters `who` (the public when `None`) may read, all their
    /// memberships current at `date` (`YYYY-MM-DD`) — for counts, as
    /// [`Store::current_member_counts`] — and the programme links current
    /// at `date` that `who` reads: three statements, whatever the
    /// register's size.
    pub async fn directory_facts(
        &self,
        who: Option<&Principal>,
        date: &str,
    ) -> Result<DirectoryFacts, StoreError> {
        let date = date.trim();
        if date.len() != 10 || !weaver_core::cell::is_date(date) {
            return Err(StoreError::Invalid(format!(
                "date: '{date}' is not a valid date; expected YYYY-MM-DD"
            )));
        }
        let mut f = DirectoryFacts::default();
        let mut sql = SqlParts::default();
        let read = access::read_condition(&mut sql, "clusters", who);
        let text = format!(
            "SELECT t.id, t.name, t.name_en, t.region, t.country, t.sectors, t.founded, \
             t.management_fte, t.website_en FROM clusters t WHERE {read} ORDER BY t.id"
        );
        for r in bind_all(sqlx::query(assert_safe(text)), &sql.args)
            .fetch_all(&self.pool)
            .await?
        {
            f.clusters.push(DirectoryCluster {
                id: r.try_get(0)?,
                name: r.try_get(1)?,
                name_en: opt(r.try_get(2)?),
                region: r.try_get(3)?,
                country: opt(r.try_get(4)?),
                sectors: opt(r.try_get(5)?),
                founded: opt(r.try_get(6)?),
                management_fte: r.try_get(7)?,
                website_en: r.try_get::<Option<i64>, _>(8)?.map(|v| v != 0),
            });
        }
        // Every current membership of the clusters `who` reads, whatever its
        // own visibility: a cluster's member counts are public, as on its
        // profile (`current_member_counts`); the answer names nobody.
        let mut sql = SqlParts::default();
        let now = current(&mut sql, date);
        let clusters = access::read_condition(&mut sql, "clusters", who);
        let text = format!(
            "SELECT t.cluster, t.org, o.actor_type FROM memberships t \
             JOIN organizations o ON o.id = t.org \
             WHERE {now} AND t.cluster IN (SELECT t.id FROM clusters t WHERE {clusters})"
        );
        for r in bind_all(sqlx::query(assert_safe(text)), &sql.args)
            .fetch_all(&self.pool)
            .await?
        {
            f.members.push(CurrentMember {
                cluster: r.try_get(0)?,
                org: r.try_get(1)?,
                actor_type: r.try_get(2)?,
            });
        }
        let mut sql = SqlParts::default();
        let read = access::read_condition(&mut sql, "programme_clusters", who);
        let now = current(&mut sql, date);
        let text = format!(
            "SELECT t.programme, t.cluster FROM programme_clusters t WHERE {read} AND {now}"
        );
        for r in bind_all(sqlx::query(assert_safe(text)), &sql.args)
            .fetch_all(&self.pool)
            .await?
        {
            f.programmes.push((r.try_get(0)?, r.try_get(1)?));
        }
        Ok(f)
    }
}
