//! What a cluster's network reaches beyond the cluster, and how the
//! clusters' networks meet, read for a caller: the ties between a cluster's
//! members and organizations outside it (openness), and the readable
//! clusters with their members and the ties among them (the network of
//! clusters).
//!
//! Every row is read under the caller's read rule
//! ([`crate::access::read_condition`]): a tie, a membership or a cluster the
//! caller may not read is not read at all. A partner organization the
//! caller may not read is handed out as an opaque number
//! ([`Partner::Undisclosed`]), never by its id or attributes, so that its
//! ties can be counted and nothing about it can be shown.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use sqlx::Row;
use weaver_core::enums::ActorType;
use weaver_core::period::{Period, valid_in};

use crate::access::{Principal, SqlParts, read_condition};
use crate::records::bind_all;
use crate::sql::assert_safe;
use crate::{Store, StoreError, TieEdge};

/// The other end of a tie that leaves a cluster.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Partner {
    /// An organization the caller may read, by id (see
    /// [`ClusterReach::partners`]).
    Disclosed(String),
    /// An organization the caller may not read: a number from 0 that tells
    /// one such partner from another within one answer, and nothing else.
    Undisclosed(usize),
}

/// A tie between a member of a cluster and an organization outside it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OutsideTie {
    /// The member's id.
    pub member: String,
    /// The organization outside the cluster.
    pub partner: Partner,
    /// The tie's weight, if given.
    pub weight: Option<f64>,
}

/// An organization outside a cluster that the caller may read, with the
/// attributes openness groups by.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PartnerOrg {
    /// The organization's id.
    pub id: String,
    /// Its actor type.
    pub actor_type: ActorType,
    /// Its region, if known.
    pub region: Option<String>,
    /// Its country, if known.
    pub country: Option<String>,
    /// The clusters it is a member of in the period, as far as the caller
    /// may read both the membership and the cluster, sorted.
    pub clusters: Vec<String>,
}

/// A cluster's ties to organizations outside it in a period, as a caller
/// may read them ([`Store::cluster_reach`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ClusterReach {
    /// The cluster's id.
    pub cluster: String,
    /// The period, if one was asked for.
    pub period: Option<Period>,
    /// The country of each member asked about (by id; `None` when unknown).
    pub member_countries: BTreeMap<String, Option<String>>,
    /// The readable ties valid in the period between a member asked about
    /// and an organization with no membership of the cluster valid in the
    /// period, sorted by member, partner and weight.
    pub ties: Vec<OutsideTie>,
    /// The partners of [`ClusterReach::ties`] the caller may read, sorted
    /// by id.
    pub partners: Vec<PartnerOrg>,
    /// How many partners the caller may not read
    /// ([`Partner::Undisclosed`] numbers `0..undisclosed`).
    pub undisclosed: usize,
}

/// A cluster as a node of the network of clusters.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ClusterNode {
    /// The cluster's id.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// The readable clusters, their members and the ties among members in a
/// period ([`Store::cluster_links`]).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct ClusterLinks {
    /// The clusters the caller may read, sorted by id.
    pub clusters: Vec<ClusterNode>,
    /// (cluster, organization) of each readable membership valid in the
    /// period of a readable cluster, sorted, without repeats.
    pub memberships: Vec<(String, String)>,
    /// (source, target) of each readable tie valid in the period between
    /// two organizations of `memberships` (two distinct ones), sorted, one
    /// entry per tie row.
    pub ties: Vec<(String, String)>,
}

fn opt(s: Option<String>) -> Option<String> {
    s.filter(|x| !x.is_empty())
}

/// `table`'s rows `who` may read, as a FROM item aliased `alias`.
fn readable(sql: &mut SqlParts, table: &str, who: &Principal, alias: &str) -> String {
    let cond = read_condition(sql, table, Some(who));
    format!("(SELECT * FROM {table} t WHERE {cond}) {alias}")
}

impl Store {
    /// The ties between `members` (the members of `cluster`'s network the
    /// caller reads, as [`Store::cluster_network_in`] gave them) and
    /// organizations outside the cluster valid in `period`, as `who` may
    /// read them: only ties `who` reads count; an organization is outside
    /// when it has no membership of the cluster valid in the period (of any
    /// visibility: a member hidden from the caller is not called an outside
    /// partner); a partner `who` may not read is [`Partner::Undisclosed`].
    /// Errors when the cluster is unknown.
    pub async fn cluster_reach(
        &self,
        cluster: &str,
        period: Option<&str>,
        members: &[String],
        who: &Principal,
    ) -> Result<ClusterReach, StoreError> {
        let period = period.map(str::parse::<Period>).transpose()?;
        let known: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM clusters WHERE id = $1")
            .bind(cluster)
            .fetch_one(&self.pool)
            .await?;
        if known == 0 {
            return Err(StoreError::NotFound {
                table: "clusters",
                id: cluster.to_owned(),
            });
        }
        let asked: HashSet<&str> = members.iter().map(String::as_str).collect();
        // Every organization with a membership of the cluster in the period.
        let rows = sqlx::query("SELECT org, since, until FROM memberships WHERE cluster = $1")
            .bind(cluster)
            .fetch_all(&self.pool)
            .await?;
        let mut inside: HashSet<String> = HashSet::new();
        for r in &rows {
            let since = opt(r.try_get(1)?);
            let until = opt(r.try_get(2)?);
            if valid_in(since.as_deref(), until.as_deref(), period) {
                inside.insert(r.try_get(0)?);
            }
        }
        let in_cluster = "(SELECT org FROM memberships WHERE cluster = $1)";
        // The readable ties with an end in the cluster.
        let mut sql = SqlParts::default();
        sql.arg(cluster);
        let ties_from = readable(&mut sql, "ties", who, "x");
        let text = format!(
            "SELECT x.source, x.target, x.start, x.\"end\", x.weight FROM {ties_from} \
             WHERE x.source IN {in_cluster} OR x.target IN {in_cluster}"
        );
        let rows = bind_all(sqlx::query(assert_safe(text)), &sql.args)
            .fetch_all(&self.pool)
            .await?;
        let mut raw: Vec<(String, String, Option<f64>)> = Vec::new();
        for r in &rows {
            let (s, t): (String, String) = (r.try_get(0)?, r.try_get(1)?);
            let start = opt(r.try_get(2)?);
            let end = opt(r.try_get(3)?);
            if !valid_in(start.as_deref(), end.as_deref(), period) {
                continue;
            }
            let weight: Option<f64> = r.try_get(4)?;
            if asked.contains(s.as_str()) && !inside.contains(&t) {
                raw.push((s, t, weight));
            } else if asked.contains(t.as_str()) && !inside.contains(&s) {
                raw.push((t, s, weight));
            }
        }
        let partner_ids: BTreeSet<&str> = raw.iter().map(|(_, p, _)| p.as_str()).collect();
        // The partners the caller may read, with their attributes.
        let tied = format!(
            "(SELECT target FROM ties WHERE source IN {in_cluster} \
             UNION SELECT source FROM ties WHERE target IN {in_cluster})"
        );
        let mut sql = SqlParts::default();
        sql.arg(cluster);
        let orgs_from = readable(&mut sql, "organizations", who, "o");
        let text = format!(
            "SELECT o.id, o.actor_type, o.region, o.country FROM {orgs_from} WHERE o.id IN {tied}"
        );
        let rows = bind_all(sqlx::query(assert_safe(text)), &sql.args)
            .fetch_all(&self.pool)
            .await?;
        let mut partners: BTreeMap<String, PartnerOrg> = BTreeMap::new();
        for r in &rows {
            let id: String = r.try_get(0)?;
            if !partner_ids.contains(id.as_str()) {
                continue;
            }
            let text: String = r.try_get(1)?;
            let actor_type = text
                .parse()
                .map_err(|e| StoreError::Corrupt(format!("organizations.actor_type: {e}")))?;
            partners.insert(
                id.clone(),
                PartnerOrg {
                    id,
                    actor_type,
                    region: opt(r.try_get(2)?),
                    country: opt(r.try_get(3)?),
                    clusters: Vec::new(),
                },
            );
        }
        // Their readable memberships of readable clusters in the period.
        let mut sql = SqlParts::default();
        sql.arg(cluster);
        let m_from = readable(&mut sql, "memberships", who, "m");
        let c_from = readable(&mut sql, "clusters", who, "c");
        let text = format!(
            "SELECT m.cluster, m.org, m.since, m.until FROM {m_from} \
             WHERE m.org IN {tied} AND m.cluster IN (SELECT c.id FROM {c_from})"
        );
        let rows = bind_all(sqlx::query(assert_safe(text)), &sql.args)
            .fetch_all(&self.pool)
            .await?;
        for r in &rows {
            let org: String = r.try_get(1)?;
            let Some(p) = partners.get_mut(&org) else {
                continue;
            };
            let since = opt(r.try_get(2)?);
            let until = opt(r.try_get(3)?);
            if valid_in(since.as_deref(), until.as_deref(), period) {
                p.clusters.push(r.try_get(0)?);
            }
        }
        for p in partners.values_mut() {
            p.clusters.sort();
            p.clusters.dedup();
        }
        // Undisclosed partners numbered in the order of their ids, which
        // are not handed out.
        let hidden: HashMap<&str, usize> = partner_ids
            .iter()
            .filter(|id| !partners.contains_key(**id))
            .enumerate()
            .map(|(k, id)| (*id, k))
            .collect();
        let mut ties: Vec<OutsideTie> = raw
            .iter()
            .map(|(m, p, w)| OutsideTie {
                member: m.clone(),
                partner: match hidden.get(p.as_str()) {
                    Some(k) => Partner::Undisclosed(*k),
                    None => Partner::Disclosed(p.clone()),
                },
                weight: *w,
            })
            .collect();
        ties.sort_by(|a, b| {
            (&a.member, &a.partner)
                .cmp(&(&b.member, &b.partner))
                .then(a.weight.unwrap_or(1.0).total_cmp(&b.weight.unwrap_or(1.0)))
        });
        // The members' countries (the view does not carry them).
        let rows = sqlx::query(
            "SELECT id, country FROM organizations \
             WHERE id IN (SELECT org FROM memberships WHERE cluster = $1)",
        )
        .bind(cluster)
        .fetch_all(&self.pool)
        .await?;
        let mut member_countries: BTreeMap<String, Option<String>> = BTreeMap::new();
        for r in &rows {
            let id: String = r.try_get(0)?;
            if asked.contains(id.as_str()) {
                member_countries.insert(id, opt(r.try_get(1)?));
            }
        }
        Ok(ClusterReach {
            cluster: cluster.to_owned(),
            period,
            member_countries,
            ties,
            partners: partners.into_values().collect(),
            undisclosed: hidden.len(),
        })
    }

    /// The clusters `who` may read, their memberships and the ties among
    /// their members valid in `period`, each row read under `who`'s read
    /// rule: what the network of clusters is computed from.
    pub async fn cluster_links(
        &self,
        period: Option<&str>,
        who: &Principal,
    ) -> Result<ClusterLinks, StoreError> {
        let period = period.map(str::parse::<Period>).transpose()?;
        let mut sql = SqlParts::default();
        let c_from = readable(&mut sql, "clusters", who, "c");
        let rows = bind_all(
            sqlx::query(assert_safe(format!("SELECT c.id, c.name FROM {c_from}"))),
            &sql.args,
        )
        .fetch_all(&self.pool)
        .await?;
        let mut clusters = Vec::with_capacity(rows.len());
        for r in &rows {
            clusters.push(ClusterNode {
                id: r.try_get(0)?,
                name: r.try_get(1)?,
            });
        }
        // Byte order, whatever the database's collation.
        clusters.sort_by(|a, b| a.id.cmp(&b.id));
        let known: HashSet<&str> = clusters.iter().map(|c| c.id.as_str()).collect();
        let mut sql = SqlParts::default();
        let m_from = readable(&mut sql, "memberships", who, "m");
        let rows = bind_all(
            sqlx::query(assert_safe(format!(
                "SELECT m.cluster, m.org, m.since, m.until FROM {m_from}"
            ))),
            &sql.args,
        )
        .fetch_all(&self.pool)
        .await?;
        let mut memberships = BTreeSet::new();
        for r in &rows {
            let cluster: String = r.try_get(0)?;
            let since = opt(r.try_get(2)?);
            let until = opt(r.try_get(3)?);
            if known.contains(cluster.as_str())
                && valid_in(since.as_deref(), until.as_deref(), period)
            {
                memberships.insert((cluster, r.try_get::<String, _>(1)?));
            }
        }
        let orgs: HashSet<&str> = memberships.iter().map(|(_, o)| o.as_str()).collect();
        let mut sql = SqlParts::default();
        let t_from = readable(&mut sql, "ties", who, "x");
        let rows = bind_all(
            sqlx::query(assert_safe(format!(
                "SELECT x.source, x.target, x.start, x.\"end\" FROM {t_from} \
                 WHERE x.source IN (SELECT org FROM memberships) \
                 AND x.target IN (SELECT org FROM memberships)"
            ))),
            &sql.args,
        )
        .fetch_all(&self.pool)
        .await?;
        let mut ties = Vec::new();
        for r in &rows {
            let (s, t): (String, String) = (r.try_get(0)?, r.try_get(1)?);
            let start = opt(r.try_get(2)?);
            let end = opt(r.try_get(3)?);
            if s != t
                && orgs.contains(s.as_str())
                && orgs.contains(t.as_str())
                && valid_in(start.as_deref(), end.as_deref(), period)
            {
                ties.push((s, t));
            }
        }
        ties.sort();
        Ok(ClusterLinks {
            clusters,
            memberships: memberships.into_iter().collect(),
            ties,
        })
    }

    /// The readable ties valid in `period` between two organizations of
    /// `orgs` (the members of several clusters' networks the caller reads),
    /// both members of one of `clusters`, sorted by (source, target, kind).
    pub async fn ties_among(
        &self,
        clusters: &[String],
        orgs: &[String],
        period: Option<&str>,
        who: &Principal,
    ) -> Result<Vec<TieEdge>, StoreError> {
        let period = period.map(str::parse::<Period>).transpose()?;
        if clusters.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = SqlParts::default();
        let list: Vec<String> = clusters.iter().map(|c| sql.arg(c.clone())).collect();
        let in_clusters = format!(
            "(SELECT org FROM memberships WHERE cluster IN ({}))",
            list.join(", ")
        );
        let t_from = readable(&mut sql, "ties", who, "x");
        let text = format!(
            "SELECT x.source, x.target, x.kind, x.start, x.\"end\", x.weight, x.directed \
             FROM {t_from} WHERE x.source IN {in_clusters} AND x.target IN {in_clusters}"
        );
        let rows = bind_all(sqlx::query(assert_safe(text)), &sql.args)
            .fetch_all(&self.pool)
            .await?;
        let orgs: HashSet<&str> = orgs.iter().map(String::as_str).collect();
        let mut out = Vec::new();
        for r in &rows {
            let (source, target): (String, String) = (r.try_get(0)?, r.try_get(1)?);
            let start = opt(r.try_get(3)?);
            let end = opt(r.try_get(4)?);
            if !orgs.contains(source.as_str())
                || !orgs.contains(target.as_str())
                || !valid_in(start.as_deref(), end.as_deref(), period)
            {
                continue;
            }
            let kind: String = r.try_get(2)?;
            out.push(TieEdge {
                source,
                target,
                kind: kind
                    .parse()
                    .map_err(|e| StoreError::Corrupt(format!("ties.kind: {e}")))?,
                weight: r.try_get(5)?,
                directed: r.try_get::<Option<i64>, _>(6)?.unwrap_or(0) != 0,
            });
        }
        out.sort_by(|a, b| {
            (&a.source, &a.target, a.kind.as_str()).cmp(&(&b.source, &b.target, b.kind.as_str()))
        });
        Ok(out)
    }
}
