//! Views: in-memory snapshots of the register that the engines read — a
//! cluster's collaboration network in a period, observations, indicators and
//! regional activity.

use std::collections::BTreeMap;

use sqlx::Row;
use weaver_core::period::valid_in;

use crate::sql::assert_safe;
use crate::{Store, StoreError};

/// An organization as a node of a network, with its attributes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OrgNode {
    /// The organization's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Actor type (government, enterprise, …).
    pub actor_type: String,
    /// Region code, if known.
    pub region: Option<String>,
    /// Industry code, if known.
    pub industry: Option<String>,
    /// Size class, if known.
    pub size: Option<String>,
}

/// A collaboration tie as an edge.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TieEdge {
    /// First organization.
    pub source: String,
    /// Second organization.
    pub target: String,
    /// Kind of tie.
    pub kind: String,
    /// Weight, if given.
    pub weight: Option<f64>,
    /// Whether the tie has a direction.
    pub directed: bool,
}

/// A cluster's network in a period: its members and the ties among them.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ClusterNetwork {
    /// The cluster's id.
    pub cluster: String,
    /// The period, if one was asked for.
    pub period: Option<String>,
    /// Members with a membership valid in the period, sorted by id.
    pub organizations: Vec<OrgNode>,
    /// Ties valid in the period between two members, sorted by (source, target, kind, start).
    pub ties: Vec<TieEdge>,
}

/// Which rows of a cluster's register a network is built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkScope {
    /// Every membership, organization and tie, private ones included: what
    /// the cluster's managers and admins read (and the command line, which
    /// works on the whole database).
    All,
    /// Rows at `public` or `cluster` visibility only: what everyone who reads
    /// the cluster (officers of its programmes, its members) may see. A
    /// private tie, membership or organization is left out, so an analysis
    /// shown to them reveals nothing private.
    Shared,
}

/// One observation of an indicator.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ObservationRow {
    /// The cluster observed.
    pub cluster: String,
    /// The indicator's id.
    pub indicator: String,
    /// The period.
    pub period: String,
    /// The value.
    pub value: f64,
}

/// One row of regional activity.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ActivityRow {
    /// Region code.
    pub region: String,
    /// Industry code.
    pub industry: String,
    /// Year.
    pub year: i64,
    /// Employment.
    pub employment: f64,
    /// Establishments, if known.
    pub establishments: Option<f64>,
    /// Total annual payroll, if known.
    pub wages: Option<f64>,
}

/// One indicator of the register's catalogue.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IndicatorRow {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: String,
    /// `higher_better` or `lower_better`.
    pub direction: String,
    /// Dimension, if given.
    pub dimension: Option<String>,
    /// Weight, if given.
    pub weight: Option<f64>,
}

fn opt(s: Option<String>) -> Option<String> {
    s.filter(|x| !x.is_empty())
}

impl Store {
    /// The ids of every cluster, sorted.
    pub async fn cluster_ids(&self) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT id FROM clusters ORDER BY id")
            .fetch_all(&self.pool)
            .await?)
    }

    /// A cluster's members and the ties among them that hold in `period`
    /// (all of them when `period` is `None`), private rows included. Errors
    /// when the cluster is unknown.
    pub async fn cluster_network(
        &self,
        cluster: &str,
        period: Option<&str>,
    ) -> Result<ClusterNetwork, StoreError> {
        self.cluster_network_in(cluster, period, NetworkScope::All)
            .await
    }

    /// [`Store::cluster_network`] built from the rows of `scope` only.
    pub async fn cluster_network_in(
        &self,
        cluster: &str,
        period: Option<&str>,
        scope: NetworkScope,
    ) -> Result<ClusterNetwork, StoreError> {
        let (member_rows, tie_rows) = match scope {
            NetworkScope::All => ("", ""),
            NetworkScope::Shared => (
                " AND m.visibility <> 'private' AND o.visibility <> 'private'",
                " AND t.visibility <> 'private'",
            ),
        };
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
        let rows = sqlx::query(assert_safe(format!(
            "SELECT m.org, m.since, m.until, o.name, o.actor_type, o.region, o.industry, o.size \
             FROM memberships m JOIN organizations o ON o.id = m.org WHERE m.cluster = $1{member_rows}",
        )))
        .bind(cluster)
        .fetch_all(&self.pool)
        .await?;
        let mut members: BTreeMap<String, OrgNode> = BTreeMap::new();
        for r in &rows {
            let since = opt(r.try_get(1)?);
            let until = opt(r.try_get(2)?);
            if !valid_in(since.as_deref(), until.as_deref(), period) {
                continue;
            }
            let id: String = r.try_get(0)?;
            members.entry(id.clone()).or_insert(OrgNode {
                id,
                name: r.try_get(3)?,
                actor_type: r.try_get(4)?,
                region: opt(r.try_get(5)?),
                industry: opt(r.try_get(6)?),
                size: opt(r.try_get(7)?),
            });
        }
        let rows = sqlx::query(assert_safe(format!(
            "SELECT t.source, t.target, t.kind, t.start, t.\"end\", t.weight, t.directed FROM ties t \
             WHERE t.source IN (SELECT org FROM memberships WHERE cluster = $1) \
               AND t.target IN (SELECT org FROM memberships WHERE cluster = $1){tie_rows} \
             ORDER BY t.source, t.target, t.kind, t.start",
        )))
        .bind(cluster)
        .fetch_all(&self.pool)
        .await?;
        let mut ties = Vec::new();
        for r in &rows {
            let (source, target): (String, String) = (r.try_get(0)?, r.try_get(1)?);
            let start = opt(r.try_get(3)?);
            let end = opt(r.try_get(4)?);
            if !members.contains_key(&source)
                || !members.contains_key(&target)
                || !valid_in(start.as_deref(), end.as_deref(), period)
            {
                continue;
            }
            ties.push(TieEdge {
                source,
                target,
                kind: r.try_get(2)?,
                weight: r.try_get(5)?,
                directed: r.try_get::<Option<i64>, _>(6)?.unwrap_or(0) != 0,
            });
        }
        // SQL collations differ between backends: sort here, by bytes.
        ties.sort_by(|a, b| (&a.source, &a.target, &a.kind).cmp(&(&b.source, &b.target, &b.kind)));
        Ok(ClusterNetwork {
            cluster: cluster.to_owned(),
            period: period.map(str::to_owned),
            organizations: members.into_values().collect(),
            ties,
        })
    }

    /// Every observation, or those of one period, sorted by cluster, indicator and period.
    pub async fn observations(
        &self,
        period: Option<&str>,
    ) -> Result<Vec<ObservationRow>, StoreError> {
        let rows = sqlx::query("SELECT cluster, indicator, period, value FROM observations")
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let p: String = r.try_get(2)?;
            if period.is_some_and(|want| want != p) {
                continue;
            }
            out.push(ObservationRow {
                cluster: r.try_get(0)?,
                indicator: r.try_get(1)?,
                period: p,
                value: r.try_get(3)?,
            });
        }
        out.sort_by(|a, b| {
            (&a.cluster, &a.indicator, &a.period).cmp(&(&b.cluster, &b.indicator, &b.period))
        });
        Ok(out)
    }

    /// The indicator catalogue, sorted by id.
    pub async fn indicators(&self) -> Result<Vec<IndicatorRow>, StoreError> {
        let rows = sqlx::query("SELECT id, name, direction, dimension, weight FROM indicators")
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(IndicatorRow {
                id: r.try_get(0)?,
                name: r.try_get(1)?,
                direction: r.try_get(2)?,
                dimension: opt(r.try_get(3)?),
                weight: r.try_get(4)?,
            });
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    /// Every row of regional activity, sorted by region, industry and year.
    pub async fn regional_activity(&self) -> Result<Vec<ActivityRow>, StoreError> {
        let rows = sqlx::query("SELECT region, industry, year, employment, establishments, wages FROM regional_activity")
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(ActivityRow {
                region: r.try_get(0)?,
                industry: r.try_get(1)?,
                year: r.try_get(2)?,
                employment: r.try_get(3)?,
                establishments: r.try_get(4)?,
                wages: r.try_get(5)?,
            });
        }
        out.sort_by(|a, b| (&a.region, &a.industry, a.year).cmp(&(&b.region, &b.industry, b.year)));
        Ok(out)
    }
}
