//! Views: in-memory snapshots of the register that the engines read — a
//! cluster's collaboration network in a period, observations, indicators and
//! regional activity.

use std::collections::BTreeMap;

use sqlx::Row;
use weaver_core::enums::{ActorType, Direction, SizeClass, SourceType, TieKind};
use weaver_core::period::{Period, valid_in};

use crate::access::{self, Principal, SqlParts};
use crate::records::bind_all;
use crate::sql::assert_safe;
use crate::{Store, StoreError};

/// An organization as a node of a network, with its attributes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OrgNode {
    /// The organization's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Actor type.
    pub actor_type: ActorType,
    /// Region code, if known.
    pub region: Option<String>,
    /// Industry code, if known.
    pub industry: Option<String>,
    /// Size class, if known.
    pub size: Option<SizeClass>,
}

/// A collaboration tie as an edge.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TieEdge {
    /// First organization.
    pub source: String,
    /// Second organization.
    pub target: String,
    /// Kind of tie.
    pub kind: TieKind,
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
    pub period: Option<Period>,
    /// Members with a membership valid in the period, sorted by id.
    pub organizations: Vec<OrgNode>,
    /// Ties valid in the period between two members, sorted by (source, target, kind, start).
    pub ties: Vec<TieEdge>,
}

/// Which rows of a cluster's register a network is built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkScope {
    /// Every membership, and the organizations and ties that are public or
    /// recorded for the cluster, private ones included: what the cluster's
    /// managers and admins read (and the command line).
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
    /// The row's country: its own `country`, or else that of its region in
    /// the regions table (as far as the reader may read it); `None` when
    /// neither says.
    pub country: Option<String>,
    /// The row's industry classification (canonical name); `None` when the
    /// row does not state it ("unstated").
    pub classification: Option<String>,
}

/// One region of the register's regions table.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RegionRow {
    /// The region's code.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its English name, if given.
    pub name_en: Option<String>,
    /// Its level (NUTS 2, province, ...).
    pub level: String,
    /// The region it lies in, if given.
    pub parent: Option<String>,
    /// Its country (ISO 3166-1 alpha-2).
    pub country: String,
}

/// One indicator of the register's catalogue.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IndicatorRow {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Whether more or less is better.
    pub direction: Direction,
    /// Dimension, if given.
    pub dimension: Option<String>,
    /// Weight, if given.
    pub weight: Option<f64>,
}

fn opt(s: Option<String>) -> Option<String> {
    s.filter(|x| !x.is_empty())
}

/// Column `i` of `r`, a name of one of the register's vocabularies (checked
/// on the way in, so anything else is data this program did not write).
fn word<T>(r: &sqlx::any::AnyRow, i: usize, column: &str) -> Result<T, StoreError>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let text: String = r.try_get(i)?;
    text.parse()
        .map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))
}

/// [`word`] of a column that may be empty.
fn opt_word<T>(r: &sqlx::any::AnyRow, i: usize, column: &str) -> Result<Option<T>, StoreError>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    match opt(r.try_get(i)?) {
        None => Ok(None),
        Some(text) => text
            .parse()
            .map(Some)
            .map_err(|e| StoreError::Corrupt(format!("{column}: {e}"))),
    }
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
        let period = period.map(str::parse::<Period>).transpose()?;
        // An organization or a tie belongs to this cluster's network at
        // `cluster` or `private` visibility only when it is recorded for the
        // cluster (docs/adr/0003-rows-record-their-cluster.md): a member
        // added by the cluster's manager brings in none of another
        // cluster's hidden rows.
        let org_here = "o.id IN (SELECT org FROM organization_clusters WHERE cluster = $1)";
        let tie_here = "t.row_id IN (SELECT tie FROM tie_clusters WHERE cluster = $1)";
        let (member_rows, tie_rows) = match scope {
            NetworkScope::All => (
                format!(" AND (o.visibility = 'public' OR {org_here})"),
                format!(" AND (t.visibility = 'public' OR {tie_here})"),
            ),
            NetworkScope::Shared => (
                format!(
                    " AND m.visibility <> 'private' AND (o.visibility = 'public' \
                     OR (o.visibility = 'cluster' AND {org_here}))"
                ),
                format!(
                    " AND (t.visibility = 'public' OR (t.visibility = 'cluster' AND {tie_here}))"
                ),
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
                actor_type: word(r, 4, "organizations.actor_type")?,
                region: opt(r.try_get(5)?),
                industry: opt(r.try_get(6)?),
                size: opt_word(r, 7, "organizations.size")?,
            });
        }
        let rows = sqlx::query(assert_safe(format!(
            "SELECT t.source, t.target, t.kind, t.start, t.\"end\", t.weight, t.directed FROM ties t \
             WHERE t.source IN (SELECT org FROM memberships WHERE cluster = $1) \
               AND EXISTS (SELECT 1 FROM memberships m WHERE m.cluster = $1 AND m.org = t.target){tie_rows} \
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
                kind: word(r, 2, "ties.kind")?,
                weight: r.try_get(5)?,
                directed: r.try_get::<Option<i64>, _>(6)?.unwrap_or(0) != 0,
            });
        }
        // SQL collations differ between backends: sort here, by bytes.
        ties.sort_by(|a, b| {
            (&a.source, &a.target, a.kind.as_str()).cmp(&(&b.source, &b.target, b.kind.as_str()))
        });
        Ok(ClusterNetwork {
            cluster: cluster.to_owned(),
            period,
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
        self.indicators_of(Reader::Everything).await
    }

    /// The indicators of the catalogue `who` (the public when `None`) may
    /// read, sorted by id: the catalogue of an evaluation shown to `who`.
    pub async fn readable_indicators(
        &self,
        who: Option<&Principal>,
    ) -> Result<Vec<IndicatorRow>, StoreError> {
        self.indicators_of(Reader::Caller(who)).await
    }

    async fn indicators_of(&self, reader: Reader<'_>) -> Result<Vec<IndicatorRow>, StoreError> {
        let mut sql = SqlParts::default();
        let from = reader.rows(&mut sql, "indicators");
        let text = format!("SELECT id, name, direction, dimension, weight FROM {from} i");
        let rows = bind_all(sqlx::query(assert_safe(text)), &sql.args)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(IndicatorRow {
                id: r.try_get(0)?,
                name: r.try_get(1)?,
                direction: word(r, 2, "indicators.direction")?,
                dimension: opt(r.try_get(3)?),
                weight: r.try_get(4)?,
            });
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    /// Every row of regional activity, sorted by region, industry and year.
    pub async fn regional_activity(&self) -> Result<Vec<ActivityRow>, StoreError> {
        self.regional_activity_of(Reader::Everything).await
    }

    /// The rows of regional activity `who` (the public when `None`) may
    /// read, sorted by region, industry and year: what the mapping of an
    /// answer to `who` is computed from.
    pub async fn readable_regional_activity(
        &self,
        who: Option<&Principal>,
    ) -> Result<Vec<ActivityRow>, StoreError> {
        self.regional_activity_of(Reader::Caller(who)).await
    }

    async fn regional_activity_of(
        &self,
        reader: Reader<'_>,
    ) -> Result<Vec<ActivityRow>, StoreError> {
        let mut sql = SqlParts::default();
        let from = reader.rows(&mut sql, "regional_activity");
        let regions = reader.rows(&mut sql, "regions");
        let text = format!(
            "SELECT ra.region, ra.industry, ra.year, ra.employment, ra.establishments, ra.wages, \
             COALESCE(ra.country, rg.country), ra.classification \
             FROM {from} ra LEFT JOIN {regions} rg ON rg.id = ra.region"
        );
        let rows = bind_all(sqlx::query(assert_safe(text)), &sql.args)
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
                country: opt(r.try_get(6)?),
                classification: opt(r.try_get(7)?),
            });
        }
        out.sort_by(|a, b| (&a.region, &a.industry, a.year).cmp(&(&b.region, &b.industry, b.year)));
        Ok(out)
    }

    /// The regions `who` (the public when `None`) may read, sorted by id.
    pub async fn readable_regions(
        &self,
        who: Option<&Principal>,
    ) -> Result<Vec<RegionRow>, StoreError> {
        let mut sql = SqlParts::default();
        let from = Reader::Caller(who).rows(&mut sql, "regions");
        let text = format!("SELECT id, name, name_en, level, parent, country FROM {from} r");
        let rows = bind_all(sqlx::query(assert_safe(text)), &sql.args)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(RegionRow {
                id: r.try_get(0)?,
                name: r.try_get(1)?,
                name_en: opt(r.try_get(2)?),
                level: r.try_get(3)?,
                parent: opt(r.try_get(4)?),
                country: r.try_get(5)?,
            });
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }
}

/// The rows of the register that the evaluation commands compute their
/// indicators, profiles and programme groups from, read in one pass (every
/// row, whatever its visibility, as [`Store::cluster_network`] reads them).
/// Validity dates are kept as given (empty as `None`) for
/// [`weaver_core::period::Period::holds`].
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct EvaluationFacts {
    /// Clusters, sorted by id.
    pub clusters: Vec<ClusterFacts>,
    /// Memberships with the member's actor type, sorted by (cluster, org, since).
    pub memberships: Vec<MembershipFact>,
    /// Collaboration ties with their validity, sorted by (source, target, kind, start).
    pub ties: Vec<DatedTieFact>,
    /// Projects, sorted by id.
    pub projects: Vec<ProjectFact>,
    /// Funding rows, sorted by (recipient, source type, programme, year).
    pub funding: Vec<FundingFact>,
    /// Programmes, sorted by id.
    pub programmes: Vec<ProgrammeFact>,
    /// Clusters supported by programmes, sorted by (programme, cluster).
    pub programme_clusters: Vec<ProgrammeClusterFact>,
}

/// A cluster's id and the fields of its profile.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ClusterFacts {
    /// The cluster's id.
    pub id: String,
    /// Full-time equivalents of cluster management, if known.
    pub management_fte: Option<f64>,
    /// Whether it has an English website, if known.
    pub website_en: Option<bool>,
}

/// One membership of an organization in a cluster.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MembershipFact {
    /// The cluster.
    pub cluster: String,
    /// The member organization.
    pub org: String,
    /// The organization's actor type.
    pub actor_type: ActorType,
    /// Start of the membership.
    pub since: Option<String>,
    /// End of the membership.
    pub until: Option<String>,
}

/// One collaboration tie with its validity.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DatedTieFact {
    /// First organization.
    pub source: String,
    /// Second organization.
    pub target: String,
    /// Kind of tie.
    pub kind: TieKind,
    /// Start.
    pub start: Option<String>,
    /// End.
    pub end: Option<String>,
}

/// A project, the cluster it belongs to and its duration.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ProjectFact {
    /// The project's id.
    pub id: String,
    /// Its cluster, if any.
    pub cluster: Option<String>,
    /// Start.
    pub start: Option<String>,
    /// End.
    pub end: Option<String>,
}

/// One funding row.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FundingFact {
    /// A project or cluster id.
    pub recipient: String,
    /// Where the money comes from.
    pub source_type: SourceType,
    /// The amount.
    pub amount: f64,
    /// The year.
    pub year: i64,
}

/// A programme and when it runs.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ProgrammeFact {
    /// The programme's id.
    pub id: String,
    /// Start, if known.
    pub start: Option<String>,
}

/// A cluster supported by a programme.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ProgrammeClusterFact {
    /// The programme.
    pub programme: String,
    /// The cluster.
    pub cluster: String,
    /// Start of the support, if known.
    pub since: Option<String>,
}

/// Whose rows a view is read for: every row (the command line, which works
/// on the whole database), or the rows a caller may read.
#[derive(Debug, Clone, Copy)]
enum Reader<'a> {
    Everything,
    Caller(Option<&'a Principal>),
}

impl Reader<'_> {
    /// The rows of `table` this reader reads, as a FROM item: the table, or
    /// the table's rows under the read rule (`access::read_condition`).
    fn rows(self, sql: &mut SqlParts, table: &str) -> String {
        match self {
            Reader::Everything => table.to_owned(),
            Reader::Caller(who) => {
                let cond = access::read_condition(sql, table, who);
                format!("(SELECT * FROM {table} t WHERE {cond})")
            }
        }
    }
}

impl Store {
    /// The rows the evaluation commands compute from: see [`EvaluationFacts`].
    pub async fn evaluation_facts(&self) -> Result<EvaluationFacts, StoreError> {
        self.evaluation_facts_of(Reader::Everything).await
    }

    /// [`Store::evaluation_facts`] from the rows `who` (the public when
    /// `None`) may read only: a membership counts when both it and its
    /// organization are readable, and every other table is read under the
    /// caller's read rule, so that the indicators computed from the facts
    /// total only what the caller may read.
    pub async fn readable_evaluation_facts(
        &self,
        who: Option<&Principal>,
    ) -> Result<EvaluationFacts, StoreError> {
        self.evaluation_facts_of(Reader::Caller(who)).await
    }

    async fn evaluation_facts_of(&self, reader: Reader<'_>) -> Result<EvaluationFacts, StoreError> {
        // One statement of `text` with `{}` for each table's rows, in order.
        let query = |text: &str, tables: &[&str]| {
            let mut sql = SqlParts::default();
            let mut out = text.to_owned();
            for t in tables {
                let from = reader.rows(&mut sql, t);
                out = out.replacen("{}", &from, 1);
            }
            (out, sql)
        };
        let fetch = |(text, sql): (String, SqlParts)| async move {
            bind_all(sqlx::query(assert_safe(text)), &sql.args)
                .fetch_all(&self.pool)
                .await
        };
        let mut f = EvaluationFacts::default();
        let rows = fetch(query(
            "SELECT id, management_fte, website_en FROM {} c",
            &["clusters"],
        ))
        .await?;
        for r in &rows {
            f.clusters.push(ClusterFacts {
                id: r.try_get(0)?,
                management_fte: r.try_get(1)?,
                website_en: r.try_get::<Option<i64>, _>(2)?.map(|v| v != 0),
            });
        }
        f.clusters.sort_by(|a, b| a.id.cmp(&b.id));
        let rows = fetch(query(
            "SELECT m.cluster, m.org, o.actor_type, m.since, m.until \
             FROM {} m JOIN {} o ON o.id = m.org",
            &["memberships", "organizations"],
        ))
        .await?;
        for r in &rows {
            f.memberships.push(MembershipFact {
                cluster: r.try_get(0)?,
                org: r.try_get(1)?,
                actor_type: word(r, 2, "organizations.actor_type")?,
                since: opt(r.try_get(3)?),
                until: opt(r.try_get(4)?),
            });
        }
        f.memberships
            .sort_by(|a, b| (&a.cluster, &a.org, &a.since).cmp(&(&b.cluster, &b.org, &b.since)));
        let rows = fetch(query(
            "SELECT source, target, kind, start, \"end\" FROM {} x",
            &["ties"],
        ))
        .await?;
        for r in &rows {
            f.ties.push(DatedTieFact {
                source: r.try_get(0)?,
                target: r.try_get(1)?,
                kind: word(r, 2, "ties.kind")?,
                start: opt(r.try_get(3)?),
                end: opt(r.try_get(4)?),
            });
        }
        f.ties.sort_by(|a, b| {
            (&a.source, &a.target, a.kind.as_str(), &a.start).cmp(&(
                &b.source,
                &b.target,
                b.kind.as_str(),
                &b.start,
            ))
        });
        let rows = fetch(query(
            "SELECT id, cluster, start, \"end\" FROM {} p",
            &["projects"],
        ))
        .await?;
        for r in &rows {
            f.projects.push(ProjectFact {
                id: r.try_get(0)?,
                cluster: opt(r.try_get(1)?),
                start: opt(r.try_get(2)?),
                end: opt(r.try_get(3)?),
            });
        }
        f.projects.sort_by(|a, b| a.id.cmp(&b.id));
        let rows = fetch(query(
            "SELECT recipient, source_type, programme, amount, year FROM {} f",
            &["funding"],
        ))
        .await?;
        let mut funding: Vec<(FundingFact, String)> = Vec::with_capacity(rows.len());
        for r in &rows {
            funding.push((
                FundingFact {
                    recipient: r.try_get(0)?,
                    source_type: word(r, 1, "funding.source_type")?,
                    amount: r.try_get(3)?,
                    year: r.try_get(4)?,
                },
                r.try_get(2)?,
            ));
        }
        funding.sort_by(|(a, pa), (b, pb)| {
            (&a.recipient, a.source_type.as_str(), pa, a.year).cmp(&(
                &b.recipient,
                b.source_type.as_str(),
                pb,
                b.year,
            ))
        });
        f.funding = funding.into_iter().map(|(x, _)| x).collect();
        let rows = fetch(query("SELECT id, start FROM {} p", &["programmes"])).await?;
        for r in &rows {
            f.programmes.push(ProgrammeFact {
                id: r.try_get(0)?,
                start: opt(r.try_get(1)?),
            });
        }
        f.programmes.sort_by(|a, b| a.id.cmp(&b.id));
        let rows = fetch(query(
            "SELECT programme, cluster, since FROM {} pc",
            &["programme_clusters"],
        ))
        .await?;
        for r in &rows {
            f.programme_clusters.push(ProgrammeClusterFact {
                programme: r.try_get(0)?,
                cluster: r.try_get(1)?,
                since: opt(r.try_get(2)?),
            });
        }
        f.programme_clusters
            .sort_by(|a, b| (&a.programme, &a.cluster).cmp(&(&b.programme, &b.cluster)));
        Ok(f)
    }
}
