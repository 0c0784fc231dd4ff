//! A cluster's profile in one answer, for the web UI's cluster page: the
//! cluster's row, its region, its programmes, the counts of its current
//! memberships, and the memberships and governance seats the caller may
//! read with the organizations' names embedded; its projects, funding mix
//! over time, latest indicator values and lifecycle stage (with the
//! evidence in words) from what the caller may read. And an organization's
//! profile: its row, region, memberships, seats, participations and ties,
//! the other records' names embedded where the caller may read them.
//!
//! Counts are public, names are not (issue 19): the counts cover every
//! current membership of a cluster the caller may read, whatever each
//! membership's visibility, and name nobody; an organization's name is
//! given only where the caller may read that organization's row.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{Map, Value};
use weaver_core::enums::{ActorType, Body, GovernanceRole, Tier};
use weaver_core::schema::TableSchema;
use weaver_store::{ListQuery, MAX_PAGE, Principal, RowKey, Store, StoreError};

use crate::error::{Result, ServiceError};

/// A row of the register as the API writes it (`row_id` when the table
/// has one, then every column).
pub type Row = Map<String, Value>;

/// The counts of a cluster's current memberships.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MemberCounts {
    /// The date the memberships are current at (`YYYY-MM-DD`): `since`
    /// empty or on or before it, `until` empty or on or after it.
    pub counted_as_of: String,
    /// What is counted: every current membership, whatever its visibility.
    pub scope: &'static str,
    /// Organizations with a current membership.
    pub members: i64,
    /// Current memberships (an organization may hold more than one tier).
    pub memberships: i64,
    /// Organizations with a current membership by actor type (every actor
    /// type, 0 when none).
    pub by_actor_type: BTreeMap<String, i64>,
    /// Current memberships by tier (every tier, 0 when none).
    pub by_tier: BTreeMap<String, i64>,
}

/// A cluster's profile.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClusterProfile {
    /// The cluster's row.
    #[schema(value_type = Object)]
    pub cluster: Row,
    /// Its region's row; `null` when the caller may not read it.
    #[schema(value_type = Option<Object>)]
    pub region: Option<Row>,
    /// The cluster's `programme_clusters` rows the caller may read, each
    /// with `programme_name` and `programme_name_en` (`null` when the
    /// caller may not read the programme).
    #[schema(value_type = Vec<Object>)]
    pub programmes: Vec<Row>,
    /// The counts of all its current memberships.
    pub member_counts: MemberCounts,
    /// Its current memberships the caller may read, each with `org_name`
    /// and `org_name_en` (`null` when the caller may not read the
    /// organization), sorted by tier then organization.
    #[schema(value_type = Vec<Object>)]
    pub memberships: Vec<Row>,
    /// Its current governance seats the caller may read, each with
    /// `org_name` and `org_name_en` as the memberships, sorted by body,
    /// role (in the vocabularies' order: chair first) and organization.
    #[schema(value_type = Vec<Object>)]
    pub governance: Vec<Row>,
    /// The cluster's projects the caller may read, by start then id.
    pub projects: Vec<ProjectSummary>,
    /// The funding the caller may read to the cluster or to those
    /// projects, summed by year, funder type and currency.
    pub funding_mix: Vec<FundingShare>,
    /// The latest value of each indicator the caller may read observed on
    /// the cluster (observations the caller may read).
    pub indicators: Vec<IndicatorValue>,
    /// The lifecycle and policy stages from the cluster's observations the
    /// caller may read ([`crate::lifecycle::cluster_lifecycle`]).
    pub lifecycle: ProfileLifecycle,
    /// The ECCP profile criteria checked on the current members counted in
    /// `member_counts` and the cluster's management FTE and English website:
    /// the check the directory's `eccp` column gives.
    pub eccp: ProfileEccp,
}

/// The ECCP profile criteria checked on a cluster's profile.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProfileEccp {
    /// The profile checked.
    pub profile: crate::labels::Profile,
    /// Each criterion's outcome and the overall one (`eligible`).
    #[serde(flatten)]
    pub check: crate::labels::LabelCheck,
    /// How the profile is read.
    pub note: &'static str,
}

/// How a profile's ECCP check reads the register.
pub const ECCP_NOTE: &str = "members: the organizations with a membership current at counted_as_of, whatever its \
    visibility (as member_counts, and as the directory counts them); member types map actor types to the ECCP's: \
    enterprise and finance → industry, university and research → research, government → public, intermediary and \
    user → civil society; management FTE and the English website are the cluster's row";

/// A project in a profile.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProjectSummary {
    /// The project's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The year it starts, if given.
    pub start_year: Option<i32>,
    /// The year it ends, if given.
    pub end_year: Option<i32>,
    /// Its status, if given.
    pub status: Option<String>,
    /// The participations the caller may read.
    pub participants: i64,
    /// Those participations by role (only the roles present).
    pub by_role: BTreeMap<String, i64>,
}

/// The funding of one year, funder type and currency.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FundingShare {
    /// The year.
    pub year: i64,
    /// The funder type (`source_type`).
    pub source_type: String,
    /// The currency as entered (`null` when the rows give none).
    pub currency: Option<String>,
    /// The sum of the amounts.
    pub amount: f64,
    /// How many funding rows it sums.
    pub rows: i64,
}

/// The latest value of an indicator.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IndicatorValue {
    /// The indicator's id.
    pub indicator: String,
    /// Its name.
    pub name: String,
    /// Its English name, if given.
    pub name_en: Option<String>,
    /// Its unit, if given.
    pub unit: Option<String>,
    /// The latest period observed (a year, quarter or month).
    pub period: String,
    /// The value.
    pub value: f64,
    /// The observation's currency, if given.
    pub currency: Option<String>,
}

/// A cluster's lifecycle in its profile.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProfileLifecycle {
    /// Which rules.
    pub rules: &'static str,
    /// The latest period's stages (the latest year when the cluster has
    /// yearly observations, else the latest period); `null` when the caller
    /// reads no observation of the cluster.
    pub current: Option<crate::lifecycle::StageRow>,
    /// Every period's stages, oldest first.
    pub stages: Vec<crate::lifecycle::StageRow>,
}

fn schema(name: &str) -> Result<&'static TableSchema> {
    weaver_core::schema::table(name)
        .ok_or_else(|| ServiceError::engine("the profile", format!("no table {name}")))
}

/// Every row of `t` that `who` may read with the column filters and valid
/// at `valid_at`, page after page.
async fn all_rows(
    store: &Store,
    t: &'static TableSchema,
    who: Option<&Principal>,
    filters: &[(&str, &str)],
    valid_at: Option<&str>,
) -> Result<Vec<Row>> {
    let mut out = Vec::new();
    loop {
        let q = ListQuery {
            filters: filters
                .iter()
                .map(|(c, v)| ((*c).to_owned(), (*v).to_owned()))
                .collect(),
            valid_at: valid_at.map(str::to_owned),
            limit: MAX_PAGE,
            offset: out.len() as i64,
            ..ListQuery::default()
        };
        let page = store.list(t, who, &q).await?;
        out.extend(page.rows.iter().map(|r| r.to_json(t)));
        if page.rows.is_empty() || out.len() as i64 >= page.total {
            return Ok(out);
        }
    }
}

fn text<'a>(row: &'a Row, column: &str) -> &'a str {
    row.get(column).and_then(Value::as_str).unwrap_or("")
}

/// The row of `table` named `id` if `who` may read it.
async fn readable(
    store: &Store,
    table: &str,
    who: Option<&Principal>,
    id: &str,
) -> Result<Option<Row>> {
    let t = schema(table)?;
    match store.get(t, who, &RowKey::Id(id.to_owned())).await {
        Ok(r) => Ok(Some(r.to_json(t))),
        Err(StoreError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Adds `org_name` and `org_name_en` to each row from the organizations
/// `who` may read.
async fn name_organizations(
    store: &Store,
    who: Option<&Principal>,
    rows: &mut [Row],
) -> Result<()> {
    let ids: BTreeSet<String> = rows.iter().map(|r| text(r, "org").to_owned()).collect();
    let ids: Vec<String> = ids.into_iter().collect();
    let names = store.readable_organization_names(who, &ids).await?;
    for r in rows {
        let found = names.get(text(r, "org"));
        r.insert(
            "org_name".into(),
            found.map_or(Value::Null, |(n, _)| Value::from(n.as_str())),
        );
        r.insert(
            "org_name_en".into(),
            found
                .and_then(|(_, e)| e.as_deref())
                .map_or(Value::Null, Value::from),
        );
    }
    Ok(())
}

/// The profile of cluster `id` for `who` (the public when `None`), its
/// memberships and seats current at `today` (`YYYY-MM-DD`). `NotFound`
/// (the store's, worded as for a missing row) when there is no such
/// cluster or `who` may not read it.
pub async fn cluster_profile(
    store: &Store,
    who: Option<&Principal>,
    id: &str,
    today: &str,
) -> Result<ClusterProfile> {
    let clusters = schema("clusters")?;
    let cluster = store
        .get(clusters, who, &RowKey::Id(id.to_owned()))
        .await?
        .to_json(clusters);
    let id = text(&cluster, "id").to_owned();
    let region = match text(&cluster, "region") {
        "" => None,
        r => readable(store, "regions", who, r).await?,
    };

    let mut programmes = all_rows(
        store,
        schema("programme_clusters")?,
        who,
        &[("cluster", &id)],
        None,
    )
    .await?;
    for link in &mut programmes {
        let p = readable(store, "programmes", who, text(link, "programme")).await?;
        let field = |c: &str| {
            p.as_ref()
                .and_then(|p| p.get(c).cloned())
                .unwrap_or(Value::Null)
        };
        let (name, name_en) = (field("name"), field("name_en"));
        link.insert("programme_name".into(), name);
        link.insert("programme_name_en".into(), name_en);
    }

    let counts = store.current_member_counts(&id, today).await?;
    let mut by_actor_type: BTreeMap<String, i64> = ActorType::NAMES
        .iter()
        .map(|n| ((*n).to_owned(), 0))
        .collect();
    by_actor_type.extend(counts.by_actor_type);
    let mut by_tier: BTreeMap<String, i64> =
        Tier::NAMES.iter().map(|n| ((*n).to_owned(), 0)).collect();
    by_tier.extend(counts.by_tier);
    let eccp = {
        let profile = crate::labels::Profile::of(
            by_actor_type.iter().flat_map(|(t, n)| {
                std::iter::repeat_n(t.as_str(), usize::try_from(*n).unwrap_or(0))
            }),
            cluster.get("management_fte").and_then(Value::as_f64),
            cluster.get("website_en").and_then(Value::as_bool),
        );
        let check = crate::labels::check(&crate::labels::eccp_criteria()?, &profile.values());
        ProfileEccp {
            profile,
            check,
            note: ECCP_NOTE,
        }
    };
    let member_counts = MemberCounts {
        counted_as_of: today.to_owned(),
        scope: "every current membership of the cluster, whatever its visibility",
        members: counts.members,
        memberships: counts.memberships,
        by_actor_type,
        by_tier,
    };

    let mut memberships = all_rows(
        store,
        schema("memberships")?,
        who,
        &[("cluster", &id)],
        Some(today),
    )
    .await?;
    name_organizations(store, who, &mut memberships).await?;
    let tier_rank = |r: &Row| Tier::NAMES.iter().position(|t| *t == text(r, "tier"));
    memberships.sort_by(|a, b| (tier_rank(a), text(a, "org")).cmp(&(tier_rank(b), text(b, "org"))));

    let mut governance = all_rows(
        store,
        schema("governance")?,
        who,
        &[("cluster", &id)],
        Some(today),
    )
    .await?;
    name_organizations(store, who, &mut governance).await?;
    let seat = |r: &Row| {
        (
            Body::NAMES.iter().position(|n| *n == text(r, "body")),
            GovernanceRole::NAMES
                .iter()
                .position(|n| *n == text(r, "role")),
            text(r, "org").to_owned(),
        )
    };
    governance.sort_by_key(seat);

    let projects_rows =
        all_rows(store, schema("projects")?, who, &[("cluster", &id)], None).await?;
    let mut projects = Vec::with_capacity(projects_rows.len());
    let mut funding = all_rows(store, schema("funding")?, who, &[("recipient", &id)], None).await?;
    for p in &projects_rows {
        let pid = text(p, "id");
        let parts = all_rows(
            store,
            schema("participations")?,
            who,
            &[("project", pid)],
            None,
        )
        .await?;
        let mut by_role = BTreeMap::new();
        for r in &parts {
            *by_role.entry(text(r, "role").to_owned()).or_insert(0) += 1;
        }
        projects.push(ProjectSummary {
            id: pid.to_owned(),
            title: text(p, "title").to_owned(),
            start_year: year_of(text(p, "start")),
            end_year: year_of(text(p, "end")),
            status: non_empty(text(p, "status")),
            participants: parts.len() as i64,
            by_role,
        });
        funding
            .extend(all_rows(store, schema("funding")?, who, &[("recipient", pid)], None).await?);
    }
    projects.sort_by(|a, b| (a.start_year, &a.id).cmp(&(b.start_year, &b.id)));

    let indicators = latest_indicators(store, who, &id).await?;
    let stages = crate::lifecycle::cluster_lifecycle(store, who, &id, true)
        .await?
        .stages;
    let current = stages
        .iter()
        .rev()
        .find(|s| s.granularity == "year")
        .or(stages.last())
        .cloned();

    Ok(ClusterProfile {
        cluster,
        region,
        programmes,
        member_counts,
        memberships,
        governance,
        projects,
        funding_mix: funding_mix(&funding),
        indicators,
        lifecycle: ProfileLifecycle {
            rules: crate::lifecycle::SHIPPED_RULES,
            current,
            stages,
        },
        eccp,
    })
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

/// The year of a date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
fn year_of(date: &str) -> Option<i32> {
    date.get(..4).and_then(|y| y.parse().ok())
}

/// The funding rows summed by year, funder type and currency, in that order.
fn funding_mix(rows: &[Row]) -> Vec<FundingShare> {
    let mut sums: BTreeMap<(i64, String, Option<String>), (f64, i64)> = BTreeMap::new();
    for r in rows {
        let year = match r.get("year") {
            Some(Value::Number(n)) => n.as_i64(),
            Some(Value::String(s)) => s.parse().ok(),
            _ => None,
        };
        let (Some(year), Some(amount)) = (year, r.get("amount").and_then(Value::as_f64)) else {
            continue;
        };
        let key = (
            year,
            text(r, "source_type").to_owned(),
            non_empty(text(r, "currency")),
        );
        let e = sums.entry(key).or_insert((0.0, 0));
        e.0 += amount;
        e.1 += 1;
    }
    sums.into_iter()
        .map(
            |((year, source_type, currency), (amount, rows))| FundingShare {
                year,
                source_type,
                currency,
                amount,
                rows,
            },
        )
        .collect()
}

/// Where a period falls, to find the latest: its last day, then its first
/// (a quarter ending with its year is later than the year).
fn period_order(period: &str) -> (String, String) {
    match period.parse::<weaver_core::period::Period>() {
        Ok(p) => {
            let (start, end) = p.bounds();
            (end, start)
        }
        Err(_) => (String::new(), period.to_owned()),
    }
}

/// The latest observation `who` reads of cluster `id` for each indicator
/// `who` reads, sorted by indicator.
async fn latest_indicators(
    store: &Store,
    who: Option<&Principal>,
    id: &str,
) -> Result<Vec<IndicatorValue>> {
    let observations = all_rows(
        store,
        schema("observations")?,
        who,
        &[("cluster", id)],
        None,
    )
    .await?;
    let mut latest: BTreeMap<String, &Row> = BTreeMap::new();
    for o in &observations {
        let ind = text(o, "indicator").to_owned();
        let later = latest
            .get(&ind)
            .is_none_or(|l| period_order(text(o, "period")) > period_order(text(l, "period")));
        if later {
            latest.insert(ind, o);
        }
    }
    let mut out = Vec::with_capacity(latest.len());
    for (ind, o) in latest {
        let Some(def) = readable(store, "indicators", who, &ind).await? else {
            continue;
        };
        let Some(value) = o.get("value").and_then(Value::as_f64) else {
            continue;
        };
        out.push(IndicatorValue {
            name: text(&def, "name").to_owned(),
            name_en: non_empty(text(&def, "name_en")),
            unit: non_empty(text(&def, "unit")),
            period: text(o, "period").to_owned(),
            value,
            currency: non_empty(text(o, "currency")),
            indicator: ind,
        });
    }
    Ok(out)
}

/// An organization's profile.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrganizationProfile {
    /// The organization's row.
    #[schema(value_type = Object)]
    pub organization: Row,
    /// Its region's row; `null` when it names none or the caller may not
    /// read it.
    #[schema(value_type = Option<Object>)]
    pub region: Option<Row>,
    /// Its memberships the caller may read (past, current and future),
    /// each with `cluster_name` and `cluster_name_en` (`null` when the
    /// caller may not read the cluster), by cluster, tier and `since`.
    #[schema(value_type = Vec<Object>)]
    pub memberships: Vec<Row>,
    /// Its governance seats the caller may read, with the clusters' names
    /// as the memberships, by cluster, body and `since`.
    #[schema(value_type = Vec<Object>)]
    pub governance: Vec<Row>,
    /// Its project participations the caller may read, each with
    /// `project_title`, `project_cluster`, `project_start`, `project_end`
    /// and `project_currency` (`null` when the caller may not read the
    /// project), and `project_cluster_name` and `project_cluster_name_en`
    /// (`null` when the caller may not read that cluster),
    /// by project.
    #[schema(value_type = Vec<Object>)]
    pub participations: Vec<Row>,
    /// Its ties the caller may read (either end), each with `other` (the
    /// organization at the other end), `other_name` and `other_name_en`
    /// (`null` when the caller may not read that organization), by other
    /// organization, kind and start.
    #[schema(value_type = Vec<Object>)]
    pub ties: Vec<Row>,
}

/// Adds `{prefix}_{field}` for each of `fields` to each row from the row of
/// `table` its `column` names, `null` where `who` may not read that row.
async fn embed(
    store: &Store,
    who: Option<&Principal>,
    rows: &mut [Row],
    column: &str,
    table: &str,
    prefix: &str,
    fields: &[&str],
) -> Result<()> {
    let mut seen: BTreeMap<String, Option<Row>> = BTreeMap::new();
    for r in rows {
        let key = text(r, column).to_owned();
        if !seen.contains_key(&key) {
            let found = match key.as_str() {
                "" => None,
                k => readable(store, table, who, k).await?,
            };
            seen.insert(key.clone(), found);
        }
        let found = seen.get(&key).and_then(Option::as_ref);
        for f in fields {
            let v = found
                .and_then(|row| row.get(*f).cloned())
                .unwrap_or(Value::Null);
            r.insert(format!("{prefix}_{f}"), v);
        }
    }
    Ok(())
}

/// The profile of organization `id` for `who` (the public when `None`):
/// its row, region, memberships, seats, participations and ties the caller
/// may read, the other records' names embedded where the caller may read
/// them. `NotFound` (the store's, worded as for a missing row) when there
/// is no such organization or `who` may not read it.
pub async fn organization_profile(
    store: &Store,
    who: Option<&Principal>,
    id: &str,
) -> Result<OrganizationProfile> {
    let orgs = schema("organizations")?;
    let organization = store
        .get(orgs, who, &RowKey::Id(id.to_owned()))
        .await?
        .to_json(orgs);
    let id = text(&organization, "id").to_owned();
    let region = match text(&organization, "region") {
        "" => None,
        r => readable(store, "regions", who, r).await?,
    };

    let mut memberships =
        all_rows(store, schema("memberships")?, who, &[("org", &id)], None).await?;
    embed(
        store,
        who,
        &mut memberships,
        "cluster",
        "clusters",
        "cluster",
        &["name", "name_en"],
    )
    .await?;
    let tier_rank = |r: &Row| Tier::NAMES.iter().position(|t| *t == text(r, "tier"));
    memberships.sort_by(|a, b| {
        (text(a, "cluster"), tier_rank(a), text(a, "since")).cmp(&(
            text(b, "cluster"),
            tier_rank(b),
            text(b, "since"),
        ))
    });

    let mut governance = all_rows(store, schema("governance")?, who, &[("org", &id)], None).await?;
    embed(
        store,
        who,
        &mut governance,
        "cluster",
        "clusters",
        "cluster",
        &["name", "name_en"],
    )
    .await?;
    let body_rank = |r: &Row| Body::NAMES.iter().position(|n| *n == text(r, "body"));
    governance.sort_by(|a, b| {
        (text(a, "cluster"), body_rank(a), text(a, "since")).cmp(&(
            text(b, "cluster"),
            body_rank(b),
            text(b, "since"),
        ))
    });

    let mut participations =
        all_rows(store, schema("participations")?, who, &[("org", &id)], None).await?;
    embed(
        store,
        who,
        &mut participations,
        "project",
        "projects",
        "project",
        &["title", "cluster", "start", "end", "currency"],
    )
    .await?;
    embed(
        store,
        who,
        &mut participations,
        "project_cluster",
        "clusters",
        "project_cluster",
        &["name", "name_en"],
    )
    .await?;
    participations.sort_by(|a, b| text(a, "project").cmp(text(b, "project")));

    let mut ties = all_rows(store, schema("ties")?, who, &[("source", &id)], None).await?;
    for t in all_rows(store, schema("ties")?, who, &[("target", &id)], None).await? {
        // A tie of the organization with itself is listed once.
        if text(&t, "source") != id {
            ties.push(t);
        }
    }
    for t in &mut ties {
        let other = match text(t, "source") == id {
            true => text(t, "target").to_owned(),
            false => text(t, "source").to_owned(),
        };
        t.insert("other".into(), Value::from(other));
    }
    let others: BTreeSet<String> = ties.iter().map(|t| text(t, "other").to_owned()).collect();
    let others: Vec<String> = others.into_iter().collect();
    let names = store.readable_organization_names(who, &others).await?;
    for t in &mut ties {
        let found = names.get(text(t, "other"));
        t.insert(
            "other_name".into(),
            found.map_or(Value::Null, |(n, _)| Value::from(n.as_str())),
        );
        t.insert(
            "other_name_en".into(),
            found
                .and_then(|(_, e)| e.as_deref())
                .map_or(Value::Null, Value::from),
        );
    }
    ties.sort_by(|a, b| {
        (text(a, "other"), text(a, "kind"), text(a, "start")).cmp(&(
            text(b, "other"),
            text(b, "kind"),
            text(b, "start"),
        ))
    });

    Ok(OrganizationProfile {
        organization,
        region,
        memberships,
        governance,
        participations,
        ties,
    })
}
