//! The cluster directory (issue 19): the clusters a caller may read,
//! filtered by country, region (with the regions under it), sector (a NACE
//! code or its prefix), programme (a current link), lifecycle stage and
//! the ECCP profile criteria, searched by name, sorted and paged, with each
//! row's region name, current member count, stage and ECCP outcome, and the
//! matching clusters counted by region for a map.
//!
//! Every cluster the caller reads is first made a row with its members,
//! stage, ECCP outcome and current programmes (`table`): read with the
//! caller's rights in a few statements ([`weaver_store::Store::directory_facts`],
//! the readable regions and the lifecycle over the observations the caller
//! reads) and kept in the store's result cache per register version, date
//! and reader's rights ([`crate::observations::reader_key`]), as the
//! analyses' results are. A question of the directory then filters, sorts
//! and pages those rows alone: a filter change or another page on 10,000
//! clusters costs no recomputation until the register changes.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use weaver_evaluation::lifecycle::{LifecycleStage, UNDETERMINED};
use weaver_store::{Principal, Store};

use crate::error::{Result, ServiceError};

/// The stage of a cluster with no lifecycle stage the caller may read.
pub const NO_STAGE: &str = "none";

/// Largest page of the directory.
pub const MAX_LIMIT: usize = 1_000;

/// What the directory is asked (every list: any of its values).
#[derive(Debug, Clone, Default)]
pub struct DirectoryQuery {
    /// Countries (ISO codes).
    pub country: Vec<String>,
    /// Regions: each with the regions under it.
    pub region: Vec<String>,
    /// NACE codes or prefixes (`C`, `C26`, `C26.1`), matched against each
    /// of a cluster's sectors, case-insensitively.
    pub sector: Vec<String>,
    /// Programmes with a current link to the cluster.
    pub programme: Vec<String>,
    /// Lifecycle stages (`emergence` … `renewal`, `undetermined`, `none`).
    pub stage: Vec<String>,
    /// Whether the cluster meets the ECCP profile criteria (`false`: it
    /// fails them or it is not known).
    pub eccp: Option<bool>,
    /// Text in the name or English name (case-insensitive).
    pub q: Option<String>,
    /// Sort key: `name` (default), `name_en`, `country`, `region`,
    /// `founded`, `members`, `stage`.
    pub sort: Option<String>,
    /// Descending order.
    pub descending: bool,
    /// Rows per page (1–1,000).
    pub limit: usize,
    /// Rows skipped.
    pub offset: usize,
}

/// The sort keys the directory takes.
pub const SORTS: &[&str] = &[
    "name", "name_en", "country", "region", "founded", "members", "stage",
];

/// One cluster of the directory.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DirectoryRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Region id.
    pub region: String,
    /// The region's name, when the caller reads the region.
    pub region_name: Option<String>,
    /// The region's English name.
    pub region_name_en: Option<String>,
    /// Country code.
    pub country: Option<String>,
    /// Sectors (NACE codes as the register holds them).
    pub sectors: Vec<String>,
    /// Founding date.
    pub founded: Option<String>,
    /// The latest lifecycle stage over the observations the caller reads
    /// (`none` when there is none).
    pub stage: String,
    /// The period of that stage.
    pub stage_period: Option<String>,
    /// The ECCP profile criteria: `pass`, `fail` or `unknown`.
    pub eccp: String,
    /// Organizations with a current membership, whatever its visibility
    /// (the count the cluster's profile gives anyone).
    pub members: usize,
}

/// How many of the matching clusters lie in a region.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RegionCount {
    /// The region's id.
    pub region: String,
    /// Matching clusters in it.
    pub clusters: usize,
}

/// The directory's answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Directory {
    /// Matching clusters, over all pages.
    pub total: usize,
    /// Rows per page.
    pub limit: usize,
    /// Rows skipped.
    pub offset: usize,
    /// The date memberships and programme links are current at.
    pub as_of: String,
    /// This page.
    pub rows: Vec<DirectoryRow>,
    /// Every matching cluster counted by its region, sorted by region.
    pub map: Vec<RegionCount>,
    /// The countries of every cluster the caller reads (the filter's
    /// choices, whatever the filters), sorted.
    pub countries: Vec<String>,
    /// The sectors of every cluster the caller reads, sorted.
    pub sectors: Vec<String>,
    /// How members, stages and the ECCP outcome are read.
    pub note: &'static str,
}

/// How the directory reads its columns, for people.
pub const NOTE: &str = "members: organizations with a membership current at as_of, whatever its visibility \
    (counts are public, as on the cluster's profile; nobody is named); stage: \
    the lifecycle stage of the latest period by the shipped rules over the observations you may read \
    (none without any); eccp: the ECCP profile criteria on those members and the cluster's management \
    FTE and English website";

/// The end of a period label (`2024`, `2024-Q3`, `2024-07`) as months
/// since year 0, for "latest"; `None` for an unreadable label.
fn period_end(label: &str) -> Option<i64> {
    let (y, rest) = label
        .split_once('-')
        .map_or((label, None), |(a, b)| (a, Some(b)));
    let y: i64 = y.parse().ok().filter(|_| y.len() == 4)?;
    match rest {
        None => Some(y * 12 + 12),
        Some(r) => {
            if let Some(q) = r.strip_prefix(['Q', 'q']) {
                let q: i64 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
                Some(y * 12 + 3 * q)
            } else {
                let m: i64 = r.parse().ok().filter(|m| (1..=12).contains(m))?;
                Some(y * 12 + m)
            }
        }
    }
}

fn check_stage(s: &str) -> Result<()> {
    let known = LifecycleStage::LIFECYCLE
        .iter()
        .map(|s| s.as_str())
        .chain([UNDETERMINED, NO_STAGE]);
    if known.clone().any(|k| k == s) {
        Ok(())
    } else {
        Err(ServiceError::invalid(format!(
            "stage: '{s}' is not a lifecycle stage; expected one of {}",
            known.collect::<Vec<_>>().join(", ")
        )))
    }
}

/// Whether a cluster's `sectors` (`;`-separated) hold one starting with any
/// of `prefixes` (upper case).
fn has_sector(sectors: &[String], prefixes: &[String]) -> bool {
    sectors
        .iter()
        .any(|s| prefixes.iter().any(|p| s.to_uppercase().starts_with(p)))
}

/// A cluster the caller reads, as the directory lists it before any
/// filter, with the programmes linked to it at the date.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    row: DirectoryRow,
    programmes: Vec<String>,
}

/// What the result cache keeps the directory's rows under.
const CACHE_KIND: &str = "directory";

/// Every cluster `who` reads as a row of the directory, sorted by id, with
/// memberships and programme links current at `today`: from the result
/// cache when the register has not changed since they were made for the
/// same rights and date, made (and kept) otherwise.
async fn table(store: &Store, who: Option<&Principal>, today: &str) -> Result<Vec<Entry>> {
    // The version is read before the rows: a write while they are made
    // leaves them under the older version, never served again.
    let version = store.register_version().await?;
    let reader = crate::observations::reader_key(who);
    if let Some((body, _)) = store.cached(CACHE_KIND, &reader, today, version).await?
        && let Ok(rows) = serde_json::from_str::<Vec<Entry>>(&body)
    {
        return Ok(rows);
    }
    let rows = make_table(store, who, today).await?;
    let body = serde_json::to_string(&rows)
        .map_err(|e| ServiceError::engine("keep the directory's rows", e))?;
    store
        .cache(CACHE_KIND, &reader, today, version, &body)
        .await?;
    Ok(rows)
}

/// The directory's rows made from the register (see [`table`]).
async fn make_table(store: &Store, who: Option<&Principal>, today: &str) -> Result<Vec<Entry>> {
    let facts = store.directory_facts(who, today).await?;
    let regions = store.readable_regions(who).await?;
    // The latest stage of each cluster, over the observations `who` reads.
    let stages = match crate::lifecycle::lifecycle(store, who, None, None, true).await {
        Ok(l) => l.stages,
        Err(ServiceError::NotFound(_)) => Vec::new(),
        Err(e) => return Err(e),
    };
    let mut latest: HashMap<String, (i64, String, String)> = HashMap::new();
    for s in stages {
        let Some(end) = period_end(&s.period) else {
            continue;
        };
        match latest.entry(s.cluster.clone()) {
            std::collections::hash_map::Entry::Occupied(mut o) => {
                if end > o.get().0 {
                    o.insert((end, s.period, s.lifecycle_stage));
                }
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert((end, s.period, s.lifecycle_stage));
            }
        }
    }
    // Members per cluster (an organization once) and their actor types.
    let mut members: HashMap<&str, HashMap<&str, &str>> = HashMap::new();
    for m in &facts.members {
        members
            .entry(m.cluster.as_str())
            .or_default()
            .insert(m.org.as_str(), m.actor_type.as_str());
    }
    let mut programmes: HashMap<&str, Vec<String>> = HashMap::new();
    for (p, c) in &facts.programmes {
        programmes.entry(c.as_str()).or_default().push(p.clone());
    }
    let region_names: HashMap<&str, (&str, Option<&str>)> = regions
        .iter()
        .map(|r| (r.id.as_str(), (r.name.as_str(), r.name_en.as_deref())))
        .collect();
    let criteria = crate::labels::eccp_criteria()?;
    let mut out = Vec::with_capacity(facts.clusters.len());
    for c in &facts.clusters {
        let sectors: Vec<String> = c
            .sectors
            .as_deref()
            .unwrap_or("")
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let (stage_period, stage) = match latest.get(&c.id) {
            Some((_, p, s)) => (Some(p.clone()), s.clone()),
            None => (None, NO_STAGE.to_owned()),
        };
        let own = members.get(c.id.as_str());
        let profile = crate::labels::Profile::of(
            own.into_iter().flat_map(|m| m.values().copied()),
            c.management_fte,
            c.website_en,
        );
        let eccp = crate::labels::check(&criteria, &profile.values()).eligible;
        let (region_name, region_name_en) = match region_names.get(c.region.as_str()) {
            Some((n, en)) => (Some((*n).to_owned()), en.map(str::to_owned)),
            None => (None, None),
        };
        let mut linked = programmes.remove(c.id.as_str()).unwrap_or_default();
        linked.sort();
        linked.dedup();
        out.push(Entry {
            row: DirectoryRow {
                id: c.id.clone(),
                name: c.name.clone(),
                name_en: c.name_en.clone(),
                region: c.region.clone(),
                region_name,
                region_name_en,
                country: c.country.clone(),
                sectors,
                founded: c.founded.clone(),
                stage,
                stage_period,
                eccp: eccp.to_owned(),
                members: own.map_or(0, HashMap::len),
            },
            programmes: linked,
        });
    }
    Ok(out)
}

/// The directory as `who` (the public when `None`) may read it, memberships
/// and programme links current at `today` (`YYYY-MM-DD`).
pub async fn directory(
    store: &Store,
    who: Option<&Principal>,
    query: &DirectoryQuery,
    today: &str,
) -> Result<Directory> {
    for s in &query.stage {
        check_stage(s)?;
    }
    if !(1..=MAX_LIMIT).contains(&query.limit) {
        return Err(ServiceError::invalid(format!(
            "limit must be between 1 and {MAX_LIMIT}"
        )));
    }
    let sort = query.sort.as_deref().unwrap_or("name");
    if !SORTS.contains(&sort) {
        return Err(ServiceError::invalid(format!(
            "sort: '{sort}' is not a sort of the directory; expected one of {}",
            SORTS.join(", ")
        )));
    }
    let table = table(store, who, today).await?;
    // The regions asked for and every region under them.
    let wanted_regions: Option<HashSet<String>> = if query.region.is_empty() {
        None
    } else {
        let regions = store.readable_regions(who).await?;
        let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
        for r in &regions {
            if let Some(p) = &r.parent {
                children.entry(p.as_str()).or_default().push(r.id.as_str());
            }
        }
        let mut out: HashSet<String> = query.region.iter().cloned().collect();
        let mut todo: Vec<String> = out.iter().cloned().collect();
        while let Some(r) = todo.pop() {
            for &c in children.get(r.as_str()).into_iter().flatten() {
                if out.insert(c.to_owned()) {
                    todo.push(c.to_owned());
                }
            }
        }
        Some(out)
    };
    let sectors_asked: Vec<String> = query
        .sector
        .iter()
        .map(|s| s.trim().to_uppercase())
        .collect();
    let countries: Vec<String> = query
        .country
        .iter()
        .map(|c| c.trim().to_uppercase())
        .collect();
    let text = query
        .q
        .as_deref()
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    let mut rows = Vec::new();
    let mut all_countries = std::collections::BTreeSet::new();
    let mut all_sectors = std::collections::BTreeSet::new();
    for Entry { row: c, programmes } in table {
        all_countries.extend(c.country.clone());
        all_sectors.extend(c.sectors.iter().cloned());
        if !countries.is_empty()
            && !c
                .country
                .as_deref()
                .is_some_and(|x| countries.contains(&x.to_uppercase()))
        {
            continue;
        }
        if let Some(w) = &wanted_regions
            && !w.contains(&c.region)
        {
            continue;
        }
        if !query.programme.is_empty() && !programmes.iter().any(|p| query.programme.contains(p)) {
            continue;
        }
        if let Some(t) = &text
            && !c.name.to_lowercase().contains(t)
            && !c
                .name_en
                .as_deref()
                .is_some_and(|n| n.to_lowercase().contains(t))
        {
            continue;
        }
        if !sectors_asked.is_empty() && !has_sector(&c.sectors, &sectors_asked) {
            continue;
        }
        if !query.stage.is_empty() && !query.stage.contains(&c.stage) {
            continue;
        }
        if let Some(want) = query.eccp
            && want != (c.eccp == "pass")
        {
            continue;
        }
        rows.push(c);
    }
    // Rows without the sorted value come last, whichever the order.
    let key = |r: &DirectoryRow| -> (Option<String>, usize) {
        match sort {
            "name_en" => (Some(r.name_en.clone().unwrap_or_else(|| r.name.clone())), 0),
            "country" => (r.country.clone(), 0),
            "region" => (
                Some(r.region_name.clone().unwrap_or_else(|| r.region.clone())),
                0,
            ),
            "founded" => (r.founded.clone(), 0),
            "members" => (Some(String::new()), r.members),
            "stage" => (Some(r.stage.clone()), 0),
            _ => (Some(r.name.clone()), 0),
        }
    };
    let mut keyed: Vec<((Option<String>, usize), DirectoryRow)> =
        rows.into_iter().map(|r| (key(&r), r)).collect();
    keyed.sort_by(|(ka, a), (kb, b)| {
        let o = ka.0.is_none().cmp(&kb.0.is_none()).then_with(|| {
            let o = ka.cmp(kb);
            if query.descending { o.reverse() } else { o }
        });
        if o == Ordering::Equal {
            a.id.cmp(&b.id)
        } else {
            o
        }
    });
    let rows: Vec<DirectoryRow> = keyed.into_iter().map(|(_, r)| r).collect();
    let mut map: HashMap<&str, usize> = HashMap::new();
    for r in &rows {
        *map.entry(r.region.as_str()).or_default() += 1;
    }
    let mut map: Vec<RegionCount> = map
        .into_iter()
        .map(|(region, clusters)| RegionCount {
            region: region.to_owned(),
            clusters,
        })
        .collect();
    map.sort_by(|a, b| a.region.cmp(&b.region));
    let total = rows.len();
    let rows = rows
        .into_iter()
        .skip(query.offset)
        .take(query.limit)
        .collect();
    Ok(Directory {
        total,
        limit: query.limit,
        offset: query.offset,
        as_of: today.to_owned(),
        rows,
        map,
        countries: all_countries.into_iter().collect(),
        sectors: all_sectors.into_iter().collect(),
        note: NOTE,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_period_ends_last() {
        assert!(period_end("2024") > period_end("2024-Q3"));
        assert!(period_end("2024-Q3") > period_end("2024-08"));
        assert!(period_end("2024-09") == period_end("2024-Q3"));
        assert!(period_end("2025-01") > period_end("2024"));
        assert_eq!(period_end("2024-Q5"), None);
        assert_eq!(period_end("24"), None);
    }

    #[test]
    fn sectors_match_by_code_or_prefix() {
        let s = vec!["C26.1".to_owned(), "I65".to_owned()];
        assert!(has_sector(&s, &["C26".to_owned()]));
        assert!(has_sector(&s, &["C".to_owned()]));
        assert!(has_sector(&s, &["I65".to_owned()]));
        assert!(!has_sector(&s, &["C27".to_owned()]));
    }

    #[test]
    fn stages_are_checked() {
        assert!(check_stage("growth").is_ok());
        assert!(check_stage("none").is_ok());
        let e = check_stage("adolescence").unwrap_err().to_string();
        assert!(e.contains("stage") && e.contains("adolescence"), "{e}");
    }
}
