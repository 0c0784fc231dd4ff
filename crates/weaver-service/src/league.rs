//! League tables over a named population, the same for whoever asks.
//!
//! A league table ranks the clusters of a **population** — every cluster
//! (`all`), a programme's (`programme:<id>`, its `programme_clusters`) or a
//! campaign's (`campaign:<id>`, in the campaign's period, on its
//! indicators) — by the default method (min-max to [0, 100], equal weights
//! within and across dimensions, arithmetic mean). Its **data** is what an
//! officer of that population may read, never the caller's view: the
//! observations at `public` or `cluster` visibility of the population's
//! clusters (private rows never enter a league table), read under the
//! rights of a principal made for the purpose ([`population_officer`]). So
//! a cluster has the same score and rank for every caller.
//!
//! The table is computed once, then each caller sees what is theirs
//! ([`league`]): admins and officers every row; a cluster's manager (a
//! member: its organizations' clusters) its own clusters' rows, `of` (how
//! many were ranked) and the anonymised distribution of the others' scores
//! ([`Distribution`]); anyone else, the public included, only a published
//! table (a closed campaign's, [`publish`]), or a 403 that says what would
//! make it readable.
//!
//! **Money.** An indicator whose unit is monetary
//! ([`weaver_core::money::monetary_unit`]) has values in the observation's
//! currency (one without a currency takes its cluster's country's,
//! [`weaver_core::money::country_currency`], with a notice). Every such
//! value is converted to the table's currency (default EUR) at the yearly
//! rates of `exchange_rates` for the period's year
//! ([`weaver_core::money::convert`]); a value whose rate is missing is
//! missing, with that reason. The answer names the rates it used.
//!
//! **Missing values.** Each cluster lists the indicators of the table it
//! has no value for, with why: no observation the population's officers may
//! read, an observation that is private, no exchange rate, no currency.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use weaver_core::enums::Role;
use weaver_core::money::{self, Monetary};
use weaver_core::period::Period;
use weaver_evaluation::{IndexMethod, Observation};
use weaver_store::{Campaign, Principal, Store};

use crate::error::{Result, ServiceError};
use crate::ranking::{DEFAULT_METHOD, RankingInput, RankingRequest};

/// The clusters a league table ranks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Population {
    /// Every cluster of the register.
    All,
    /// The clusters a programme funds (`programme_clusters`).
    Programme(String),
    /// The clusters a campaign asks, in its period, on its indicators.
    Campaign(String),
}

impl Population {
    /// `all`, `programme:<id>` or `campaign:<id>`; anything else is
    /// [`ServiceError::Invalid`] naming the parameter.
    pub fn parse(text: &str) -> Result<Population> {
        let bad = || {
            ServiceError::Invalid(format!(
                "population must be all, programme:<id> or campaign:<id>, not '{text}'"
            ))
        };
        let t = text.trim();
        if t == "all" {
            return Ok(Population::All);
        }
        let (kind, id) = t.split_once(':').ok_or_else(bad)?;
        let id = id.trim();
        if id.is_empty() {
            return Err(bad());
        }
        match kind.trim() {
            "programme" => Ok(Population::Programme(id.to_owned())),
            "campaign" => Ok(Population::Campaign(id.to_owned())),
            _ => Err(bad()),
        }
    }

    /// `all`, `programme` or `campaign`.
    pub fn kind(&self) -> &'static str {
        match self {
            Population::All => "all",
            Population::Programme(_) => "programme",
            Population::Campaign(_) => "campaign",
        }
    }

    /// The programme's or campaign's id.
    pub fn id(&self) -> Option<&str> {
        match self {
            Population::All => None,
            Population::Programme(id) | Population::Campaign(id) => Some(id),
        }
    }

    /// As the parameter writes it (`all`, `programme:p1`).
    pub fn label(&self) -> String {
        match self.id() {
            None => self.kind().to_owned(),
            Some(id) => format!("{}:{id}", self.kind()),
        }
    }
}

/// What a league table is asked for.
#[derive(Debug, Clone)]
pub struct LeagueRequest {
    /// The population (default [`Population::All`]).
    pub population: Population,
    /// The period; a campaign's table defaults to the campaign's.
    pub period: Option<String>,
    /// The currency money is compared in (ISO 4217; default EUR).
    pub currency: Option<String>,
}

/// The population a table was computed over.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PopulationInfo {
    /// `all`, `programme` or `campaign`.
    pub kind: String,
    /// The programme's or campaign's id.
    pub id: Option<String>,
    /// How many clusters it holds.
    pub clusters: usize,
}

/// Why a cluster has no value of an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MissingReason {
    /// No observation for the period that the population's officers may read.
    NoObservation,
    /// An observation exists but is private: the population's officers may
    /// not read it, so it does not count.
    NotReadable,
    /// Money without an exchange rate for the period's year.
    NoRate,
    /// Money without a currency (none given, and none known for the
    /// cluster's country).
    NoCurrency,
}

/// One indicator a cluster has no value for.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Missing {
    /// The indicator.
    pub indicator: String,
    /// Why.
    pub reason: MissingReason,
    /// Why, for people.
    pub detail: String,
}

/// One cluster of a league table.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LeagueEntry {
    /// The cluster.
    pub cluster: String,
    /// Its index score (none when not ranked).
    pub score: Option<f64>,
    /// Its rank (1 best; none when not ranked).
    pub rank: Option<usize>,
    /// Share of the table's indicators it has a value for.
    pub coverage: f64,
    /// The table's indicators it has no value for, with why.
    pub missing: Vec<Missing>,
}

/// The scores of the clusters a caller may not see, without their names:
/// how many, the least, the quartiles (type 7, as `numpy.quantile`), the
/// median and the greatest.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Distribution {
    /// How many clusters.
    pub n: usize,
    /// The lowest score.
    pub min: f64,
    /// The first quartile.
    pub q1: f64,
    /// The median.
    pub median: f64,
    /// The third quartile.
    pub q3: f64,
    /// The highest score.
    pub max: f64,
}

/// An exchange rate a table used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RateUsed {
    /// The currency (ISO 4217).
    pub currency: String,
    /// The year.
    pub year: i64,
    /// Units of it per 1 EUR (yearly average).
    pub per_eur: f64,
    /// Where the rate comes from.
    pub source: String,
}

/// What of the table the answer shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LeagueView {
    /// Every row (admins, officers).
    Full,
    /// The caller's own clusters' rows and the distribution of the others.
    Own,
    /// The published table (a closed campaign's), as it was published.
    Published,
}

/// A league table over a population, as one caller sees it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct League {
    /// The population.
    pub population: PopulationInfo,
    /// The period.
    pub period: String,
    /// The currency money was compared in.
    pub currency: String,
    /// The method, for people.
    pub method: String,
    /// What of the table this answer shows.
    pub view: LeagueView,
    /// When it was published (a published table).
    pub published_at: Option<String>,
    /// How many clusters were ranked.
    pub of: usize,
    /// The rows shown, by rank (unranked last, by id).
    pub clusters: Vec<LeagueEntry>,
    /// The scores of the ranked clusters not shown (the `own` view).
    pub others: Option<Distribution>,
    /// The exchange rates used.
    pub rates: Vec<RateUsed>,
    /// What the computation had to say.
    pub notices: Vec<String>,
}

/// The principal a population's data is read as: an officer of the
/// population (of programme `programme`, when it is one) who reads the
/// `cluster`-visibility rows of exactly `clusters` and no private row.
pub fn population_officer(clusters: &[String], programme: Option<&str>) -> Principal {
    Principal {
        user_id: 0,
        email: "league table".to_owned(),
        role: Role::Officer,
        managed: Vec::new(),
        programmes: programme.map(|p| vec![p.to_owned()]).unwrap_or_default(),
        organizations: Vec::new(),
        readable: clusters.to_vec(),
    }
}

/// The clusters of `population` (sorted; never a cluster whose own row is
/// private: private rows never enter a league table) and its campaign, when
/// it is one (`None` also when there is no such campaign).
async fn population_clusters(
    store: &Store,
    population: &Population,
) -> Result<(Vec<String>, Option<Campaign>)> {
    let shared: BTreeSet<String> = store
        .cluster_countries()
        .await?
        .into_iter()
        .filter(|(_, _, v)| v != "private")
        .map(|(id, _, _)| id)
        .collect();
    let (mut clusters, campaign) = match population {
        Population::All => (shared.iter().cloned().collect(), None),
        Population::Programme(id) => (store.programme_cluster_ids(id).await?, None),
        Population::Campaign(id) => match store.campaign_of_population(id).await? {
            Some(c) => (c.clusters.clone(), Some(c)),
            None => (Vec::new(), None),
        },
    };
    clusters.retain(|c: &String| shared.contains(c));
    clusters.sort();
    clusters.dedup();
    Ok((clusters, campaign))
}

/// The population's clusters (sorted), its campaign (when it is one) and
/// the period asked (or the campaign's).
async fn resolve(
    store: &Store,
    population: &Population,
    period: Option<&str>,
) -> Result<(Vec<String>, Option<Campaign>, String)> {
    let (clusters, campaign) = population_clusters(store, population).await?;
    if let (Population::Campaign(id), None) = (population, &campaign) {
        return Err(ServiceError::NotFound(format!(
            "there is no campaign '{id}'"
        )));
    }
    let period = match (period, &campaign) {
        (Some(p), Some(c)) if p != c.period => {
            return Err(ServiceError::Invalid(format!(
                "period: campaign '{}' asked for {}, not {p}; leave period out or give {}",
                c.id, c.period, c.period
            )));
        }
        (Some(p), _) => p.to_owned(),
        (None, Some(c)) => c.period.clone(),
        (None, None) => {
            return Err(ServiceError::Invalid(
                "period is required: a year (2024), a quarter (2024-Q3) or a month (2024-07)"
                    .into(),
            ));
        }
    };
    period.parse::<Period>()?;
    Ok((clusters, campaign, period))
}

/// The currency asked for, checked (default EUR).
fn currency_of(currency: Option<&str>) -> Result<&'static str> {
    match currency {
        None => Ok(money::BASE),
        Some(c) => money::currency(c).ok_or_else(|| {
            ServiceError::Invalid(format!(
                "currency must be an ISO 4217 code such as EUR, CNY or USD, not '{c}'"
            ))
        }),
    }
}

/// The full league table of `population` in `period` (money in
/// `currency`): every cluster of the population, from what the
/// population's officers may read. See the [module docs](self).
pub async fn compute(
    store: &Store,
    population: &Population,
    period: Option<&str>,
    currency: Option<&str>,
) -> Result<League> {
    let target = currency_of(currency)?;
    let (clusters, campaign, period) = resolve(store, population, period).await?;
    let year = i64::from(period.parse::<Period>()?.year());
    let officer = population_officer(
        &clusters,
        match population {
            Population::Programme(id) => Some(id.as_str()),
            _ => None,
        },
    );
    let wanted = |indicator: &str| {
        campaign
            .as_ref()
            .is_none_or(|c| c.indicators.iter().any(|i| i == indicator))
    };
    let in_population: BTreeSet<&str> = clusters.iter().map(String::as_str).collect();
    let mut catalogue = crate::observations::catalogue(
        store,
        crate::observations::CatalogueOf::Caller(Some(&officer)),
        false,
    )
    .await?;
    catalogue.retain(|i| wanted(&i.id));
    let units: HashMap<String, Monetary> = store
        .readable_indicator_units(Some(&officer))
        .await?
        .into_iter()
        .filter_map(|u| {
            let m = money::monetary_unit(u.unit.as_deref()?)?;
            Some((u.id, m))
        })
        .collect();
    let rates = store.readable_exchange_rates(Some(&officer)).await?;
    let countries: HashMap<String, Option<String>> = store
        .cluster_countries()
        .await?
        .into_iter()
        .map(|(id, country, _)| (id, country))
        .collect();
    let per_eur = |cur: &str| -> Option<RateUsed> {
        if cur == money::BASE {
            return None;
        }
        rates
            .iter()
            .find(|r| r.currency == cur && r.year == year && r.per_eur > 0.0)
            .map(|r| RateUsed {
                currency: r.currency.clone(),
                year: r.year,
                per_eur: r.per_eur,
                source: r.source.clone(),
            })
    };
    let rate = |cur: &str| -> Option<f64> {
        if cur == money::BASE {
            Some(1.0)
        } else {
            per_eur(cur).map(|r| r.per_eur)
        }
    };
    let known: BTreeSet<&str> = catalogue.iter().map(|i| i.id.as_str()).collect();
    let mut notices = Vec::new();
    let mut used: BTreeMap<String, RateUsed> = BTreeMap::new();
    let mut usable: Vec<Observation> = Vec::new();
    // (cluster, indicator) → why it has no value.
    let mut why: BTreeMap<(String, String), (MissingReason, String)> = BTreeMap::new();
    let mut fallback: Vec<String> = Vec::new();
    for o in store.readable_money_observations(&officer, &period).await? {
        if !in_population.contains(o.cluster.as_str()) || !known.contains(o.indicator.as_str()) {
            continue;
        }
        let mut value = o.value;
        if let Some(&m) = units.get(&o.indicator) {
            let country = countries.get(&o.cluster).cloned().flatten();
            let cur = match o.currency.as_deref() {
                Some(c) => Some(c.to_owned()),
                None => {
                    let c = country.as_deref().and_then(money::country_currency);
                    if let Some(c) = c {
                        fallback.push(format!("{}/{} ({c})", o.cluster, o.indicator));
                    }
                    c.map(str::to_owned)
                }
            };
            let Some(cur) = cur else {
                why.insert(
                    (o.cluster.clone(), o.indicator.clone()),
                    (
                        MissingReason::NoCurrency,
                        format!(
                            "the value is money without a currency, and cluster {}'s country ({}) \
                             has none Weaver knows; give the observation's currency",
                            o.cluster,
                            country.as_deref().unwrap_or("not given")
                        ),
                    ),
                );
                continue;
            };
            let (from, to) = (rate(&cur), rate(target));
            let (Some(from), Some(to)) = (from, to) else {
                let lacking = if from.is_none() { cur.as_str() } else { target };
                why.insert(
                    (o.cluster.clone(), o.indicator.clone()),
                    (
                        MissingReason::NoRate,
                        format!(
                            "the value is in {cur}, to be compared in {target}, but \
                             exchange_rates has no rate of {lacking} for {year}"
                        ),
                    ),
                );
                continue;
            };
            for c in [cur.as_str(), target] {
                if let Some(r) = per_eur(c) {
                    used.insert(c.to_owned(), r);
                }
            }
            value = money::convert(m, o.value, from, to);
        }
        usable.push(Observation {
            unit: o.cluster,
            indicator: o.indicator,
            period: o.period,
            value,
        });
    }
    if !fallback.is_empty() {
        notices.push(format!(
            "money without a currency was taken in its cluster's country's currency: {}",
            fallback.join(", ")
        ));
    }
    for (cluster, indicator) in store.private_observation_keys(&period).await? {
        if in_population.contains(cluster.as_str()) && known.contains(indicator.as_str()) {
            why.entry((cluster, indicator)).or_insert((
                MissingReason::NotReadable,
                "an observation exists but is private: the population's officers may not read \
                 it, so it does not count"
                    .to_owned(),
            ));
        }
    }
    // The table's indicators: those with a value or a reason, in the
    // catalogue's order.
    let with_value: BTreeSet<&str> = usable.iter().map(|o| o.indicator.as_str()).collect();
    let with_reason: BTreeSet<&str> = why.keys().map(|(_, i)| i.as_str()).collect();
    // (A campaign's are the indicators it asked for.)
    let table_indicators: Vec<String> = catalogue
        .iter()
        .filter(|i| {
            campaign.is_some()
                || with_value.contains(i.id.as_str())
                || with_reason.contains(i.id.as_str())
        })
        .map(|i| i.id.clone())
        .collect();
    if table_indicators.is_empty() {
        return Err(ServiceError::NotFound(format!(
            "there are no observations for {period} of the clusters of population {} that its \
             officers may read",
            population.label()
        )));
    }
    for i in &table_indicators {
        if !with_value.contains(i.as_str()) {
            notices.push(format!(
                "indicator {i} has no value that can be compared in {period}: it is left out of \
                 the scores and listed as missing"
            ));
        }
    }
    let mut scored: HashMap<String, (Option<f64>, Option<usize>, f64)> = HashMap::new();
    if !usable.is_empty() {
        let indicators: Vec<_> = catalogue
            .into_iter()
            .filter(|i| with_value.contains(i.id.as_str()))
            .collect();
        let req = RankingRequest {
            period: period.clone(),
            method: IndexMethod::default(),
            method_name: "default".into(),
            runs: None,
            seed: 0,
            topsis: false,
            computed: false,
            max_work: None,
        };
        let input = RankingInput {
            indicators,
            observations: usable.clone(),
        };
        let r = crate::blocking("the league table", move || {
            crate::ranking::ranking_of(input, &req).map_err(|e| match e {
                ServiceError::Invalid(m) => {
                    ServiceError::Invalid(format!("the league table cannot be computed: {m}"))
                }
                e => e,
            })
        })
        .await?;
        notices.extend(r.notices);
        for c in r.clusters {
            let score = c.score.is_finite().then_some(c.score);
            scored.insert(c.cluster, (score, c.rank, c.coverage));
        }
    }
    let has: BTreeSet<(&str, &str)> = usable
        .iter()
        .map(|o| (o.unit.as_str(), o.indicator.as_str()))
        .collect();
    let mut entries: Vec<LeagueEntry> = clusters
        .iter()
        .map(|c| {
            let (score, rank, coverage) = scored.get(c).cloned().unwrap_or((None, None, 0.0));
            let missing = table_indicators
                .iter()
                .filter(|i| !has.contains(&(c.as_str(), i.as_str())))
                .map(|i| {
                    let (reason, detail) = why
                        .get(&(c.clone(), i.clone()))
                        .cloned()
                        .unwrap_or_else(|| {
                            (
                                MissingReason::NoObservation,
                                format!(
                                    "no observation for {period} that the population's \
                                     officers may read"
                                ),
                            )
                        });
                    Missing {
                        indicator: i.clone(),
                        reason,
                        detail,
                    }
                })
                .collect();
            LeagueEntry {
                cluster: c.clone(),
                score,
                rank,
                coverage,
                missing,
            }
        })
        .collect();
    entries.sort_by(|a, b| {
        (a.rank.unwrap_or(usize::MAX), &a.cluster).cmp(&(b.rank.unwrap_or(usize::MAX), &b.cluster))
    });
    Ok(League {
        population: PopulationInfo {
            kind: population.kind().to_owned(),
            id: population.id().map(str::to_owned),
            clusters: clusters.len(),
        },
        period,
        currency: target.to_owned(),
        method: DEFAULT_METHOD.to_owned(),
        view: LeagueView::Full,
        published_at: None,
        of: entries.iter().filter(|e| e.rank.is_some()).count(),
        clusters: entries,
        others: None,
        rates: used.into_values().collect(),
        notices,
    })
}

/// The distribution of `scores` (none when empty).
pub fn distribution(scores: &[f64]) -> Option<Distribution> {
    use weaver_evaluation::stats::quantile_sorted;
    let mut v: Vec<f64> = scores.iter().copied().filter(|s| s.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    Some(Distribution {
        n: v.len(),
        min: v[0],
        q1: quantile_sorted(&v, 0.25),
        median: quantile_sorted(&v, 0.5),
        q3: quantile_sorted(&v, 0.75),
        max: v[v.len() - 1],
    })
}

/// Keeps the rows of the clusters `keep` admits and gives the others'
/// scores as their distribution (without names); a notice that names a
/// cluster left out is left out too.
fn shown(mut table: League, view: LeagueView, keep: impl Fn(&str) -> bool) -> League {
    let (mine, others): (Vec<LeagueEntry>, Vec<LeagueEntry>) =
        table.clusters.into_iter().partition(|e| keep(&e.cluster));
    let scores: Vec<f64> = others.iter().filter_map(|e| e.score).collect();
    table
        .notices
        .retain(|n| !others.iter().any(|e| n.contains(e.cluster.as_str())));
    table.clusters = mine;
    table.others = if others.is_empty() {
        None
    } else {
        distribution(&scores)
    };
    table.view = view;
    table
}

/// The visibility of every cluster's row.
async fn cluster_visibility(store: &Store) -> Result<HashMap<String, String>> {
    Ok(store
        .cluster_countries()
        .await?
        .into_iter()
        .map(|(id, _, v)| (id, v))
        .collect())
}

/// Why `population`'s table is not the caller's to read, and what would
/// make it readable.
fn not_yours(population: &Population) -> ServiceError {
    ServiceError::Forbidden(match population {
        Population::All => "the league table of all clusters is read by admins and programme \
                            officers, and by managers and members for their own clusters' \
                            rows; the public reads a campaign's table once it is published"
            .to_owned(),
        Population::Programme(id) => format!(
            "the league table of programme '{id}' is read by admins and the programme's \
             officers, and by the managers and members of its clusters for their own rows; \
             a programme's table is not published (a closed campaign's is, by its officer)"
        ),
        Population::Campaign(id) => format!(
            "the league table of campaign '{id}' is not published: until an admin or the \
             campaign's officer publishes it (POST /api/v1/campaigns/{id}/publish, once the \
             campaign is closed), it is read by admins, the campaign's officers and the \
             managers and members of its clusters"
        ),
    })
}

/// The league table `who` (the public when `None`) asked for, as `who`
/// may see it: a campaign's published table to anyone; otherwise the table
/// computed over the population ([`compute`]), in full for admins and
/// officers (of the programme, for a programme's table; of the campaign's
/// clusters, for a campaign's), the own view for managers and members of
/// the population's clusters, and [`ServiceError::Forbidden`] (saying what
/// would make it readable) for anyone else.
pub async fn league(store: &Store, who: Option<&Principal>, req: &LeagueRequest) -> Result<League> {
    let population = &req.population;
    if let Some(p) = &req.period {
        p.parse::<Period>()?;
    }
    let target = currency_of(req.currency.as_deref())?;
    if let Population::Campaign(id) = population {
        let campaign = store.campaign_of_population(id).await?;
        match &campaign {
            Some(c) if c.published_at.is_some() => {
                let body = store.published_league(id).await?.ok_or_else(|| {
                    ServiceError::engine(
                        "the published league table",
                        format!("campaign '{id}' is published but its table is not kept"),
                    )
                })?;
                let mut table: League = serde_json::from_str(&body)
                    .map_err(|e| ServiceError::engine("read the published league table", e))?;
                if req.currency.is_some() && table.currency != target {
                    return Err(ServiceError::Invalid(format!(
                        "currency: campaign '{id}' published its table in {}; ask for {} or \
                         leave currency out",
                        table.currency, table.currency
                    )));
                }
                if let Some(p) = &req.period
                    && *p != table.period
                {
                    return Err(ServiceError::Invalid(format!(
                        "period: campaign '{id}' published its table for {}, not {p}",
                        table.period
                    )));
                }
                table.view = LeagueView::Published;
                table.published_at = c.published_at.clone();
                return Ok(table);
            }
            Some(_) => {}
            None if who.is_some_and(Principal::is_admin) => {
                return Err(ServiceError::NotFound(format!(
                    "there is no campaign '{id}'"
                )));
            }
            None => return Err(not_yours(population)),
        }
    }
    let Some(who) = who else {
        return Err(not_yours(population));
    };
    let clusters: Vec<String> = match population_clusters(store, population).await {
        Ok((c, _)) => c,
        Err(ServiceError::Store(weaver_store::StoreError::NotFound { .. })) if !who.is_admin() => {
            return Err(not_yours(population));
        }
        Err(e) => return Err(e),
    };
    let full = match who.role {
        Role::Admin => true,
        Role::Officer => match population {
            Population::All => true,
            Population::Programme(id) => who.programmes.contains(id),
            Population::Campaign(_) => clusters.iter().any(|c| who.readable.contains(c)),
        },
        Role::Manager | Role::Member => false,
    };
    let own: Vec<String> = match who.role {
        Role::Manager => clusters
            .iter()
            .filter(|c| who.managed.contains(c))
            .cloned()
            .collect(),
        Role::Member => clusters
            .iter()
            .filter(|c| who.readable.contains(c))
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    if !full && own.is_empty() {
        return Err(not_yours(population));
    }
    let table = compute(
        store,
        population,
        req.period.as_deref(),
        req.currency.as_deref(),
    )
    .await?;
    if who.is_admin() {
        return Ok(table);
    }
    if full {
        // An officer reads the rows of the clusters whose own row it may
        // read; the others count in the distribution only.
        let visibility = cluster_visibility(store).await?;
        return Ok(shown(table, LeagueView::Full, |c| {
            visibility.get(c).is_some_and(|v| v == "public") || who.readable.iter().any(|r| r == c)
        }));
    }
    Ok(shown(table, LeagueView::Own, |c| {
        own.iter().any(|o| o == c)
    }))
}

/// A campaign and the league table it published.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublishedCampaign {
    /// The campaign.
    pub campaign: Campaign,
    /// Its league table, as published: public from now on.
    pub league: League,
}

/// `who` publishes closed campaign `id`'s league table (money in
/// `currency`, default EUR): the table over the campaign's clusters, period
/// and indicators, computed now from the frozen observations, is kept and
/// from now on served to anyone. Admins, and officers whose programmes fund
/// every cluster of the campaign.
pub async fn publish(
    store: &Store,
    who: &Principal,
    id: &str,
    currency: Option<&str>,
) -> Result<PublishedCampaign> {
    let c = store.campaign(who, id).await?;
    weaver_store::may_close(who, &c).map_err(|e| match e {
        weaver_store::StoreError::Forbidden(m) => {
            ServiceError::Forbidden(m.replace("closed by", "published by"))
        }
        e => e.into(),
    })?;
    if c.status != "closed" {
        return Err(weaver_store::StoreError::Conflict(format!(
            "campaign '{id}' is still open: close it first (its observations are then frozen), \
             then publish its league table"
        ))
        .into());
    }
    if let Some(at) = &c.published_at {
        return Err(weaver_store::StoreError::Conflict(format!(
            "campaign '{id}' was published on {at}; a published table does not change"
        ))
        .into());
    }
    let population = Population::Campaign(id.to_owned());
    let table = compute(store, &population, None, currency).await?;
    // What is made public names only public clusters and indicators; the
    // other clusters count in the distribution.
    let visibility = cluster_visibility(store).await?;
    let mut table = shown(table, LeagueView::Published, |c| {
        visibility.get(c).is_some_and(|v| v == "public")
    });
    let public: BTreeSet<String> = store
        .readable_indicator_units(None)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    for e in &mut table.clusters {
        e.missing.retain(|m| public.contains(&m.indicator));
    }
    let body = serde_json::to_string(&table)
        .map_err(|e| ServiceError::engine("keep the league table", e))?;
    let campaign = store.publish_campaign(who, id, &body).await?;
    table.published_at = campaign.published_at.clone();
    Ok(PublishedCampaign {
        campaign,
        league: table,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn populations_parse_and_name_the_parameter() {
        assert_eq!(Population::parse("all").unwrap(), Population::All);
        assert_eq!(
            Population::parse("programme:p1").unwrap(),
            Population::Programme("p1".into())
        );
        assert_eq!(
            Population::parse("campaign:c-2024").unwrap().label(),
            "campaign:c-2024"
        );
        for bad in ["", "some", "programme:", "cluster:c1"] {
            let e = Population::parse(bad).unwrap_err().to_string();
            assert!(e.starts_with("population must be"), "{e}");
        }
    }

    #[test]
    fn the_distribution_is_type_7() {
        // numpy.quantile([10, 20, 40, 80], [0.25, 0.5, 0.75]) = 17.5, 30, 50.
        let d = distribution(&[80.0, 10.0, f64::NAN, 40.0, 20.0]).unwrap();
        assert_eq!(
            (d.n, d.min, d.q1, d.median, d.q3, d.max),
            (4, 10.0, 17.5, 30.0, 50.0, 80.0)
        );
        assert!(distribution(&[]).is_none());
    }

    #[test]
    fn a_currency_is_an_iso_code() {
        assert_eq!(currency_of(None).unwrap(), "EUR");
        assert_eq!(currency_of(Some("usd")).unwrap(), "USD");
        assert!(
            currency_of(Some("RMB"))
                .unwrap_err()
                .to_string()
                .starts_with("currency must be")
        );
    }
}
