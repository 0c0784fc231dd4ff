//! The cluster directory (issue 19): the clusters a caller may read,
//! filtered by country, region (with the regions under it), sector (a NACE
//! code or its prefix), programme (a current link), lifecycle stage and
//! the ECCP profile criteria, searched by name, sorted and paged, with each
//! row's region name, current member count, stage and ECCP outcome, and the
//! matching clusters counted by region for a map.
//!
//! Everything is read with the caller's rights in a few statements
//! ([`weaver_store::Store::directory_facts`], the readable regions and the
//! lifecycle over the observations the caller reads) and filtered in one
//! pass, so that a register of 10,000 clusters answers in one request.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use serde::Serialize;
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
#[derive(Debug, Clone, Serialize, ToSchema)]
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
    pub eccp: &'static str,
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
    let facts = store.directory_facts(who, today).await?;
    let regions = store.readable_regions(who).await?;
    // Stages only where asked for, shown or sorted by: always, as each row
    // shows its stage; the lifecycle reads what the caller reads.
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
        let e = latest.entry(s.cluster.clone());
        let better = |old: &(i64, String, String)| end > old.0;
        match e {
            std::collections::hash_map::Entry::Occupied(mut o) => {
                if better(o.get()) {
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
    // The regions asked for and every region under them.
    let wanted_regions: Option<HashSet<&str>> = (!query.region.is_empty()).then(|| {
        let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
        for r in &regions {
            if let Some(p) = &r.parent {
                children.entry(p.as_str()).or_default().push(r.id.as_str());
            }
        }
        let mut out: HashSet<&str> = query.region.iter().map(String::as_str).collect();
        let mut todo: Vec<&str> = out.iter().copied().collect();
        while let Some(r) = todo.pop() {
            for &c in children.get(r).into_iter().flatten() {
                if out.insert(c) {
                    todo.push(c);
                }
            }
        }
        out
    });
    let region_names: HashMap<&str, (&str, Option<&str>)> = regions
        .iter()
        .map(|r| (r.id.as_str(), (r.name.as_str(), r.name_en.as_deref())))
        .collect();
    let funded: Option<HashSet<&str>> = (!query.programme.is_empty()).then(|| {
        facts
            .programmes
            .iter()
            .filter(|(p, _)| query.programme.contains(p))
            .map(|(_, c)| c.as_str())
            .collect()
    });
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
    let criteria = crate::labels::eccp_criteria()?;
    let mut rows = Vec::new();
    let mut all_countries = std::collections::BTreeSet::new();
    let mut all_sectors = std::collections::BTreeSet::new();
    for c in &facts.clusters {
        all_countries.extend(c.country.clone());
        all_sectors.extend(
            c.sectors
                .as_deref()
                .unwrap_or("")
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
        );
        if !countries.is_empty()
            && !c
                .country
                .as_deref()
                .is_some_and(|x| countries.contains(&x.to_uppercase()))
        {
            continue;
        }
        if let Some(w) = &wanted_regions
            && !w.contains(c.region.as_str())
        {
            continue;
        }
        if let Some(f) = &funded
            && !f.contains(c.id.as_str())
        {
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
        let sectors: Vec<String> = c
            .sectors
            .as_deref()
            .unwrap_or("")
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        if !sectors_asked.is_empty() && !has_sector(&sectors, &sectors_asked) {
            continue;
        }
        let (stage_period, stage) = match latest.get(&c.id) {
            Some((_, p, s)) => (Some(p.clone()), s.clone()),
            None => (None, NO_STAGE.to_owned()),
        };
        if !query.stage.is_empty() && !query.stage.contains(&stage) {
            continue;
        }
        let own = members.get(c.id.as_str());
        let profile = crate::labels::Profile::of(
            own.into_iter().flat_map(|m| m.values().copied()),
            c.management_fte,
            c.website_en,
        );
        let eccp = crate::labels::check(&criteria, &profile.values()).eligible;
        if let Some(want) = query.eccp
            && want != (eccp == "pass")
        {
            continue;
        }
        let (region_name, region_name_en) = match region_names.get(c.region.as_str()) {
            Some((n, en)) => (Some((*n).to_owned()), en.map(str::to_owned)),
            None => (None, None),
        };
        rows.push(DirectoryRow {
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
            eccp,
            members: own.map_or(0, HashMap::len),
        });
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
