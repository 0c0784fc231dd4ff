//! A cluster's profile in one answer, for the web UI's cluster page: the
//! cluster's row, its region, its programmes, the counts of its current
//! memberships, and the memberships and governance seats the caller may
//! read with the organizations' names embedded.
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

    Ok(ClusterProfile {
        cluster,
        region,
        programmes,
        member_counts,
        memberships,
        governance,
    })
}
