//! The engines' other results over HTTP, as thin layers over
//! `weaver-network`, `weaver-evaluation` and `weaver-mapping` reading the
//! register through `weaver-store`:
//!
//! | endpoint | what | who |
//! |---|---|---|
//! | `GET /clusters/{id}/diffusion` | independent-cascade spread of each member as a seed, and the what-if of the top-k recommended ties | the cluster's readers (as `…/network`) |
//! | `GET /clusters/{id}/labels` | the ECCP profile criteria from the register | the cluster's readers |
//! | `GET`/`POST /evaluation/ranking` | composite index by the default method, a built-in framework or a method file, with rank intervals from the uncertainty analysis | everyone, over the observations they may read |
//! | `GET /evaluation/lifecycle` | lifecycle and policy stage per cluster and period | everyone, likewise |
//! | `GET /mapping/clusters` | location quotients with strong clusters, stars or quadrants per year | everyone, over the regional activity they may read |
//!
//! Results that cost to compute are cached in the database at the
//! register's version, as the network endpoints are. A cluster's analyses
//! follow the network's rule ([`crate::engines::network_access`]): managers
//! and admins get them from every row, the cluster's other readers from the
//! rows that are not private (cached apart).

use std::collections::{BTreeSet, HashMap};

use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::Digest;
use weaver_evaluation::uncertainty::{UncertaintyOptions, rank_uncertainty};
use weaver_evaluation::{IndexOptions, Method, Observation, Panel, composite_index};
use weaver_network::{CascadeOptions, EdgeRecord, Graph, GraphOptions, cascade_spread};
use weaver_store::{ClusterNetwork, NetworkScope, Principal, RowKey};

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::files::internal;

/// Most Monte Carlo runs of a cascade.
pub const MAX_CASCADE_RUNS: usize = 10_000;
/// Most recommended ties added in a what-if.
pub const MAX_WHAT_IF: usize = 100;
/// Most work of one cascade request: runs × (nodes + ties).
pub const CASCADE_BUDGET: usize = 50_000_000;
/// Most runs of the uncertainty analysis of a ranking.
pub const MAX_UNCERTAINTY_RUNS: usize = 10_000;
/// Most work of one uncertainty analysis: runs × clusters × indicators.
pub const UNCERTAINTY_BUDGET: usize = 1_000_000_000;

/// A number for JSON: `null` when not finite (no value).
fn num(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

fn check_period(p: &str) -> ApiResult<()> {
    if weaver_core::cell::is_period(p) {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "period must be a year (2024), a quarter (2024-Q3) or a month (2024-07), not '{p}'"
        )))
    }
}

/// A cached result, marked as such, if there is one at `version`.
async fn from_cache(
    state: &AppState,
    kind: &str,
    key: &str,
    period: &str,
    version: i64,
) -> ApiResult<Option<Value>> {
    let Some((body, at)) = state.store.cached(kind, key, period, version).await? else {
        return Ok(None);
    };
    let mut v: Value = serde_json::from_str(&body).map_err(|e| internal("read the cache", e))?;
    v["computed_at"] = json!(at);
    v["cached"] = json!(true);
    Ok(Some(v))
}

/// Keeps a fresh result in the cache and marks it as fresh.
async fn to_cache(
    state: &AppState,
    kind: &str,
    key: &str,
    period: &str,
    version: i64,
    mut v: Value,
) -> ApiResult<Value> {
    state
        .store
        .cache(kind, key, period, version, &v.to_string())
        .await?;
    v["computed_at"] = json!(weaver_store::now_text());
    v["cached"] = json!(false);
    Ok(v)
}

/// Runs a computation off the async threads; a panic or a cancelled task is
/// a logged 500, the computation's own error a 400.
async fn compute<T: Send + 'static>(
    what: &'static str,
    f: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| internal(what, e))?
        .map_err(|e| ApiError::bad_request(format!("{what}: {e}")))
}

/// A cache key for what `who` may read: callers with the same key read the
/// same rows, so a result computed from the rows one of them reads may be
/// given to the others. `public` for the public, `all` for admins, else a
/// digest of every field of the principal the read rule may look at (all
/// but the account's number and e-mail, so a field added later counts too).
pub(crate) fn reader_key(who: Option<&Principal>) -> String {
    let Some(p) = who else {
        return "public".to_owned();
    };
    if p.is_admin() {
        return "all".to_owned();
    }
    let mut rights = serde_json::to_value(p).unwrap_or_else(|_| json!(p.user_id));
    if let Some(m) = rights.as_object_mut() {
        m.remove("user_id");
        m.remove("email");
        for v in m.values_mut() {
            if let Some(items) = v.as_array_mut() {
                items.sort_by_key(Value::to_string);
            }
        }
    }
    let digest = sha2::Sha256::digest(rights.to_string().as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("reader:{}", &hex[..32])
}

// ---------------------------------------------------------------- diffusion

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DiffusionQuery {
    period: Option<String>,
    runs: Option<usize>,
    probability: Option<f64>,
    seed: Option<u64>,
    what_if: Option<usize>,
    weighted: Option<bool>,
}

/// The cluster's members as nodes (in the view's order, by id) and the ties
/// among them as undirected edges, weighted when any tie has a weight, as
/// the network endpoints build it; `extra` ties (of weight 1) are added.
fn cluster_graph(
    view: &ClusterNetwork,
    extra: &[(String, String)],
) -> Result<Graph, weaver_network::NetworkError> {
    let nodes: Vec<String> = view.organizations.iter().map(|o| o.id.clone()).collect();
    let weighted = view.ties.iter().any(|t| t.weight.is_some());
    let mut edges: Vec<EdgeRecord> = view
        .ties
        .iter()
        .map(|t| EdgeRecord::new(t.source.clone(), t.target.clone(), t.weight.unwrap_or(1.0)))
        .collect();
    edges.extend(
        extra
            .iter()
            .map(|(s, t)| EdgeRecord::new(s.clone(), t.clone(), 1.0)),
    );
    let (g, _) = Graph::from_edges(
        &nodes,
        &edges,
        GraphOptions {
            directed: false,
            weighted,
        },
    )?;
    Ok(g)
}

/// Ranks 1, 2, 2, 4 by decreasing value (ties share the smallest rank).
fn ranks_desc(values: &[f64]) -> Vec<usize> {
    values
        .iter()
        .map(|&v| 1 + values.iter().filter(|&&x| x > v).count())
        .collect()
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        f64::NAN
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

/// Knowledge spillover in the cluster's network as an independent cascade
/// (Kempe, Kleinberg & Tardos 2003; [`cascade_spread`]): each member's
/// expected spread as a seed, ranked, and with `what_if` K the spread after
/// the K best suggestions of `…/recommendations` became ties.
fn diffusion_of(
    view: &ClusterNetwork,
    options: CascadeOptions,
    what_if: usize,
) -> Result<Value, String> {
    let g = cluster_graph(view, &[]).map_err(|e| e.to_string())?;
    let work = options.runs.saturating_mul(g.node_count() + g.edge_count());
    if work > CASCADE_BUDGET {
        return Err(format!(
            "{} runs on {} organizations and {} ties is more than one request may compute \
             (runs × (organizations + ties) ≤ {CASCADE_BUDGET}); ask for at most {} runs, \
             or use `weaver network diffuse --model cascade`",
            options.runs,
            g.node_count(),
            g.edge_count(),
            CASCADE_BUDGET / (g.node_count() + g.edge_count()).max(1)
        ));
    }
    let before = cascade_spread(&g, &options).map_err(|e| e.to_string())?;
    let ranks = ranks_desc(&before);
    let mut after = None;
    let mut added = Vec::new();
    if what_if > 0 {
        let rec = crate::engines::recommendations_of(view).map_err(|e| e.to_string())?;
        let pairs: Vec<(String, String)> = rec["suggestions"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .take(what_if)
            .map(|s| {
                added.push(
                    json!({"source": s["source"], "target": s["target"], "score": s["score"]}),
                );
                (
                    s["source"].as_str().unwrap_or_default().to_owned(),
                    s["target"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        let g2 = cluster_graph(view, &pairs).map_err(|e| e.to_string())?;
        after = Some(cascade_spread(&g2, &options).map_err(|e| e.to_string())?);
    }
    let mut order: Vec<usize> = (0..g.node_count()).collect();
    order.sort_by_key(|&i| (ranks[i], i));
    let by_id: HashMap<&str, &weaver_store::OrgNode> = view
        .organizations
        .iter()
        .map(|o| (o.id.as_str(), o))
        .collect();
    let nodes: Vec<Value> = order
        .iter()
        .map(|&i| {
            let id = g.ids()[i].as_str();
            let o = by_id.get(id);
            let mut r = json!({
                "id": id, "name": o.map(|o| o.name.as_str()), "actor_type": o.map(|o| o.actor_type.as_str()),
                "expected_spread": num(before[i]), "rank": ranks[i],
            });
            if let Some(a) = &after {
                r["expected_spread_after"] = num(a[i]);
            }
            r
        })
        .collect();
    let mut v = json!({
        "cluster": view.cluster,
        "period": view.period,
        "model": "independent cascade (Kempe, Kleinberg & Tardos 2003)",
        "probability": options.probability,
        "weighted": options.weighted,
        "runs": options.runs,
        "seed": options.seed,
        "mean_expected_spread": num(mean(&before)),
        "nodes": nodes,
    });
    if let Some(a) = &after {
        v["what_if"] = json!({
            "ties_added": added,
            "mean_expected_spread_after": num(mean(a)),
            "note": "the best suggestions of /recommendations added as ties of weight 1",
        });
    }
    Ok(v)
}

/// `GET /api/v1/clusters/{id}/diffusion?period=&runs=&probability=&seed=&what_if=&weighted=`.
pub(crate) async fn diffusion(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
    q: Result<Query<DiffusionQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Path(cluster) = id?;
    let Query(q) = q?;
    if let Some(p) = &q.period {
        check_period(p)?;
    }
    let runs = q.runs.unwrap_or(1_000);
    if !(1..=MAX_CASCADE_RUNS).contains(&runs) {
        return Err(ApiError::bad_request(format!(
            "runs must be between 1 and {MAX_CASCADE_RUNS}, not {runs}"
        )));
    }
    let probability = q.probability.unwrap_or(0.1);
    if !(0.0..=1.0).contains(&probability) {
        return Err(ApiError::bad_request(format!(
            "probability must be between 0 and 1, not {probability}"
        )));
    }
    let what_if = q.what_if.unwrap_or(0);
    if what_if > MAX_WHAT_IF {
        return Err(ApiError::bad_request(format!(
            "what_if must be between 0 and {MAX_WHAT_IF} recommended ties, not {what_if}"
        )));
    }
    let options = CascadeOptions {
        probability,
        weighted: q.weighted.unwrap_or(false),
        runs,
        seed: q.seed.unwrap_or(0),
    };
    let who = &caller.principal;
    let scope = crate::engines::network_access(&state, who, &cluster, q.period.as_deref()).await?;
    let period = q.period.clone().unwrap_or_default();
    let kind = format!(
        "diffusion:{runs}:{probability}:{}:{what_if}:{}{}",
        options.seed,
        options.weighted,
        if scope == NetworkScope::Shared {
            ":shared"
        } else {
            ""
        }
    );
    let version = state.store.register_version().await?;
    if let Some(v) = from_cache(&state, &kind, &cluster, &period, version).await? {
        return Ok(Json(v));
    }
    let view = state
        .store
        .cluster_network_in(&cluster, q.period.as_deref(), scope)
        .await?;
    let v = compute("the diffusion", move || {
        diffusion_of(&view, options, what_if)
    })
    .await?;
    Ok(Json(
        to_cache(&state, &kind, &cluster, &period, version, v).await?,
    ))
}

// ---------------------------------------------------------------- labels

/// The member types of the European Cluster Collaboration Platform's profile
/// criteria (industry, research and universities, public bodies, civil
/// society), from the register's actor types.
fn eccp_member_type(actor_type: &str) -> &'static str {
    match actor_type {
        "enterprise" | "finance" => "industry",
        "university" | "research" => "research",
        "government" => "public",
        _ => "civil_society",
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PeriodQuery {
    period: Option<String>,
}

/// `GET /api/v1/clusters/{id}/labels?period=`: the ECCP profile criteria
/// ([`weaver_evaluation::labels::ECCP_PROFILE`]) checked on the cluster's
/// profile as the register has it in the period: members (memberships valid
/// in the period), member types (of those members), management FTE and the
/// English website (the cluster's row).
pub(crate) async fn labels(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
    q: Result<Query<PeriodQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Path(cluster) = id?;
    let Query(q) = q?;
    if let Some(p) = &q.period {
        check_period(p)?;
    }
    let who = &caller.principal;
    let scope = crate::engines::network_access(&state, who, &cluster, q.period.as_deref()).await?;
    let t =
        weaver_core::schema::table("clusters").ok_or_else(|| ApiError::not_found("clusters"))?;
    let row = state
        .store
        .get(t, Some(who), &RowKey::Id(cluster.clone()))
        .await?
        .to_json(t);
    let view = state
        .store
        .cluster_network_in(&cluster, q.period.as_deref(), scope)
        .await?;
    let types: BTreeSet<&str> = view
        .organizations
        .iter()
        .map(|o| eccp_member_type(&o.actor_type))
        .collect();
    let mut profile: HashMap<String, f64> = HashMap::new();
    profile.insert("members".into(), view.organizations.len() as f64);
    profile.insert("member_types".into(), types.len() as f64);
    if let Some(x) = row.get("management_fte").and_then(Value::as_f64) {
        profile.insert("management_fte".into(), x);
    }
    if let Some(b) = row.get("website_en").and_then(Value::as_bool) {
        profile.insert("website_en".into(), if b { 1.0 } else { 0.0 });
    }
    let set =
        weaver_evaluation::labels::CriteriaSet::from_toml(weaver_evaluation::labels::ECCP_PROFILE)
            .map_err(|e| internal("read the ECCP criteria", e))?;
    let res = set.check(&profile);
    let word = |o: weaver_evaluation::labels::Outcome| match o {
        weaver_evaluation::labels::Outcome::Pass => "pass",
        weaver_evaluation::labels::Outcome::Fail => "fail",
        weaver_evaluation::labels::Outcome::Unknown => "unknown",
    };
    let criteria: Vec<Value> = set
        .criteria
        .iter()
        .zip(&res.outcomes)
        .map(|(c, (_, o))| {
            json!({"id": c.id, "field": c.field, "op": c.op, "value": c.value,
                   "actual": profile.get(&c.field).copied().map(num), "outcome": word(*o)})
        })
        .collect();
    let num_opt = |k: &str| profile.get(k).copied().map_or(Value::Null, num);
    Ok(Json(json!({
        "cluster": cluster,
        "period": q.period,
        "ruleset": {"id": set.ruleset.id, "name": set.ruleset.name, "version": set.ruleset.version},
        "profile": {
            "members": view.organizations.len(),
            "member_types": types.into_iter().collect::<Vec<_>>(),
            "management_fte": num_opt("management_fte"),
            "website_en": row.get("website_en").cloned().unwrap_or(Value::Null),
        },
        "criteria": criteria,
        "eligible": word(res.overall),
        "note": "members are the memberships valid in the period; member types map actor types to \
                 the ECCP's: enterprise and finance → industry, university and research → research, \
                 government → public, intermediary and user → civil society",
    })))
}

// ---------------------------------------------------------------- evaluation

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RankingQuery {
    period: String,
    framework: Option<String>,
    runs: Option<usize>,
    seed: Option<u64>,
    ranking: Option<String>,
    computed: Option<bool>,
}

/// The register's indicator catalogue as the engine's indicators: the
/// indicators `who` may read (all of them when `who` is `None`: the
/// campaign's own evaluation, whose indicators the campaign names).
async fn catalogue(
    state: &AppState,
    who: Option<Option<&Principal>>,
    with_computed: bool,
) -> ApiResult<Vec<weaver_evaluation::Indicator>> {
    let computed = if with_computed {
        crate::register_indicators::catalogue()
    } else {
        Vec::new()
    };
    let entered = match who {
        Some(who) => state.store.readable_indicators(who).await?,
        None => state.store.indicators().await?,
    };
    Ok(entered
        .into_iter()
        .map(crate::register_indicators::engine_indicator)
        .chain(computed)
        .fold(
            Vec::new(),
            |mut all: Vec<weaver_evaluation::Indicator>, ind| {
                // The catalogue's own entry for a computed code wins.
                if !all.iter().any(|i| i.id == ind.id) {
                    all.push(ind);
                }
                all
            },
        ))
}

/// The observations `who` may read (all periods), as the engine's, with
/// the indicators the register computes (`auto.*`, as the
/// `--from-register` commands add them) for the clusters `who` reads: an
/// entered observation of the same code wins. The computed values total
/// only the rows `who` may read (a private membership counts for the
/// cluster's managers and admins, not for its members and officers); the
/// public gets none.
async fn observations_for(
    state: &AppState,
    who: Option<&Principal>,
    period: Option<&str>,
    with_computed: bool,
) -> ApiResult<Vec<Observation>> {
    let entered: Vec<Observation> = state
        .store
        .readable_observations(who, None)
        .await?
        .into_iter()
        .map(|o| Observation {
            unit: o.cluster,
            indicator: o.indicator,
            period: o.period,
            value: o.value,
        })
        .collect();
    let Some(who) = who.filter(|_| with_computed) else {
        return Ok(entered);
    };
    let mut periods: Vec<String> = entered.iter().map(|o| o.period.clone()).collect();
    periods.extend(period.map(str::to_owned));
    periods.sort_unstable();
    periods.dedup();
    let mut computed = computed_indicators(state, who, &periods).await?;
    computed.retain(|o| who.is_admin() || who.readable.contains(&o.unit));
    Ok(crate::register_indicators::join(entered, computed).0)
}

/// The indicators the register computes in `periods` from the rows `who`
/// may read, sorted by cluster, indicator and period. They need every tie
/// `who` reads, so each period's values are computed once per register
/// version and reader's rights ([`reader_key`]), off the async threads, and
/// cached like the engines' results.
async fn computed_indicators(
    state: &AppState,
    who: &Principal,
    periods: &[String],
) -> ApiResult<Vec<Observation>> {
    type Row = (String, String, String, f64);
    let version = state.store.register_version().await?;
    let reader = reader_key(Some(who));
    let mut out: Vec<Observation> = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    for p in periods {
        let rows = match state.store.cached("auto", &reader, p, version).await? {
            Some((body, _)) => serde_json::from_str::<Vec<Row>>(&body).ok(),
            None => None,
        };
        match rows {
            Some(rows) => {
                out.extend(
                    rows.into_iter()
                        .map(|(unit, indicator, period, value)| Observation {
                            unit,
                            indicator,
                            period,
                            value,
                        }),
                )
            }
            None => missing.push(p.clone()),
        }
    }
    if !missing.is_empty() {
        let facts = state.store.readable_evaluation_facts(Some(who)).await?;
        let asked = missing.clone();
        let (fresh, _) = tokio::task::spawn_blocking(move || {
            crate::register_indicators::compute(&facts, &asked)
        })
        .await
        .map_err(|e| internal("compute the register's indicators", e))?
        .map_err(|e| internal("compute the register's indicators", e))?;
        for p in &missing {
            let rows: Vec<Row> = fresh
                .iter()
                .filter(|o| &o.period == p)
                .map(|o| {
                    (
                        o.unit.clone(),
                        o.indicator.clone(),
                        o.period.clone(),
                        o.value,
                    )
                })
                .collect();
            state
                .store
                .cache(
                    "auto",
                    &reader,
                    p,
                    version,
                    &serde_json::to_string(&rows)
                        .map_err(|e| internal("keep the register's indicators", e))?,
                )
                .await?;
        }
        out.extend(fresh);
    }
    out.sort_by(|a, b| (&a.unit, &a.indicator, &a.period).cmp(&(&b.unit, &b.indicator, &b.period)));
    Ok(out)
}

/// The method asked for: a method file (the body of a POST), a built-in
/// framework, or the default (min-max, equal weights, arithmetic mean).
fn method_of(body: Option<&str>, framework: Option<&str>) -> ApiResult<(Method, String)> {
    match (body, framework) {
        (Some(_), Some(_)) => Err(ApiError::bad_request(
            "give either a method file (the body) or a framework, not both",
        )),
        (Some(text), None) => Method::from_toml(text)
            .map(|m| (m, "method file".to_owned()))
            .map_err(|e| ApiError::bad_request(format!("the method file: {e}"))),
        (None, Some("default")) | (None, None) => Ok((Method::default(), "default".to_owned())),
        (None, Some(name)) => {
            let text = weaver_evaluation::frameworks::built_in(name).ok_or_else(|| {
                let names: Vec<&str> = weaver_evaluation::frameworks::BUILT_IN
                    .iter()
                    .map(|(n, _)| *n)
                    .collect();
                ApiError::bad_request(format!(
                    "no framework '{name}'; built in: default, {}",
                    names.join(", ")
                ))
            })?;
            Method::from_toml(text)
                .map(|m| (m, name.to_owned()))
                .map_err(|e| internal("read a built-in framework", e))
        }
    }
}

/// What a ranking computes.
#[derive(Debug, Clone)]
pub(crate) struct RankingRequest {
    /// The period.
    pub period: String,
    /// The method.
    pub method: Method,
    /// Its name (default, a framework, or "method file").
    pub method_name: String,
    /// Runs of the uncertainty analysis, if any.
    pub runs: Option<usize>,
    /// Their seed.
    pub seed: u64,
    /// TOPSIS closeness instead of the index.
    pub topsis: bool,
}

/// The composite index of one period over `observations` (all periods, so
/// that methods reading earlier periods see them), as `weaver evaluate
/// index` computes it: the catalogue's indicators and those the method
/// defines, observations of other indicators left out.
pub(crate) fn ranking_of(
    mut indicators: Vec<weaver_evaluation::Indicator>,
    mut observations: Vec<Observation>,
    req: &RankingRequest,
) -> Result<Value, String> {
    req.method.add_defined_indicators(&mut indicators);
    observations.retain(|o| indicators.iter().any(|i| i.id == o.indicator));
    if !observations.iter().any(|o| o.period == req.period) {
        return Err(format!(
            "there are no observations of the method's indicators for {} that you may see",
            req.period
        ));
    }
    let panel = Panel::from_observations(indicators, &observations).map_err(|e| e.to_string())?;
    let p = panel
        .period_index(&req.period)
        .ok_or_else(|| format!("no period {}", req.period))?;
    let options = IndexOptions {
        groups: None,
        period: Some(req.period.clone()),
    };
    let r = composite_index(&panel, &req.method, &options).map_err(|e| e.to_string())?;
    let pr = r.periods.first().ok_or("no period computed")?;
    let (scores, ranks) = if req.topsis {
        pr.topsis(&r.framework).map_err(|e| e.to_string())?
    } else {
        (pr.scores.clone(), pr.ranks.clone())
    };
    let mc = match req.runs {
        Some(runs) => {
            let data = weaver_evaluation::index::PeriodData::of(&panel, &r.framework, p);
            let work = runs
                .saturating_mul(panel.units.len())
                .saturating_mul(r.framework.indicators.len());
            if work > UNCERTAINTY_BUDGET {
                return Err(format!(
                    "{runs} runs on {} clusters and {} indicators is more than one request may \
                     compute (runs × clusters × indicators ≤ {UNCERTAINTY_BUDGET}); ask for fewer \
                     runs, or use `weaver evaluate index --uncertainty`",
                    panel.units.len(),
                    r.framework.indicators.len()
                ));
            }
            let opts = UncertaintyOptions {
                runs,
                seed: req.seed,
                ..UncertaintyOptions::default()
            };
            Some(
                rank_uncertainty(&data.as_input(), &r.framework, &req.method, None, &opts)
                    .map_err(|e| format!("the uncertainty analysis: {e}"))?,
            )
        }
        None => None,
    };
    let mut rows: Vec<Value> = panel
        .units
        .iter()
        .enumerate()
        .filter(|(i, _)| pr.present[*i])
        .map(|(i, u)| {
            let mut row = json!({"cluster": u, "score": num(scores[i]), "rank": ranks[i], "coverage": num(pr.coverage[i])});
            if let Some(m) = &mc {
                row["rank_median"] = num(m.median[i]);
                row["rank_p5"] = num(m.p5[i]);
                row["rank_p95"] = num(m.p95[i]);
            }
            row
        })
        .collect();
    rows.sort_by_key(|v| v["rank"].as_u64().unwrap_or(u64::MAX));
    let mut out = json!({
        "period": pr.period,
        "method": req.method_name,
        "ranking": if req.topsis { "topsis" } else { "index" },
        "method_record": r.method_record(),
        "notices": pr.notices.iter().chain(&r.framework.notices).collect::<Vec<_>>(),
        "clusters": rows,
    });
    if let Some(m) = &mc {
        out["uncertainty"] = json!({
            "runs": m.options.runs, "seed": m.options.seed, "runs_ok": m.runs_ok,
            "runs_failed": m.runs_failed, "failures": m.failures,
            "settings": m.options.describe(),
        });
    }
    Ok(out)
}

async fn ranking(
    state: AppState,
    caller: Option<Caller>,
    q: RankingQuery,
    body: Option<String>,
) -> ApiResult<Json<Value>> {
    check_period(&q.period)?;
    let (method, method_name) = method_of(body.as_deref(), q.framework.as_deref())?;
    if method.imputation == weaver_evaluation::method::Imputation::GroupMean {
        return Err(ApiError::bad_request(
            "imputation = \"group_mean\" needs a group for each cluster, which the API does not \
             take; use `weaver evaluate index --groups G.csv`",
        ));
    }
    let topsis = match q.ranking.as_deref() {
        None | Some("index") => false,
        Some("topsis") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "ranking must be index or topsis, not '{other}'"
            )));
        }
    };
    if let Some(runs) = q.runs {
        if !(1..=MAX_UNCERTAINTY_RUNS).contains(&runs) {
            return Err(ApiError::bad_request(format!(
                "runs must be between 1 and {MAX_UNCERTAINTY_RUNS}, not {runs}"
            )));
        }
        if topsis {
            return Err(ApiError::bad_request(
                "the uncertainty analysis (runs) varies the index; it does not go with ranking=topsis",
            ));
        }
    }
    let req = RankingRequest {
        period: q.period,
        method,
        method_name,
        runs: q.runs,
        seed: q.seed.unwrap_or(0),
        topsis,
    };
    let who = caller.as_ref().map(|c| &c.principal);
    let with_computed = q.computed.unwrap_or(true);
    let observations = observations_for(&state, who, Some(&req.period), with_computed).await?;
    if observations.is_empty() {
        return Err(ApiError::not_found(
            "there are no observations that you may see",
        ));
    }
    let indicators = catalogue(&state, Some(who), with_computed).await?;
    // The cache key is what the result depends on: the observations the
    // caller reads, the method and the settings.
    let mut h = sha2::Sha256::new();
    for o in &observations {
        h.update(format!(
            "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1e}",
            o.unit, o.indicator, o.period, o.value
        ));
    }
    h.update(format!(
        "{}\u{1d}{:?}\u{1d}{}\u{1d}{}\u{1d}{}",
        req.method.to_toml(),
        req.runs,
        req.seed,
        req.topsis,
        req.method_name
    ));
    let key: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    let version = state.store.register_version().await?;
    if let Some(v) = from_cache(&state, "ranking", &key, &req.period, version).await? {
        return Ok(Json(v));
    }
    let period = req.period.clone();
    let v = compute("the ranking", move || {
        ranking_of(indicators, observations, &req)
    })
    .await?;
    Ok(Json(
        to_cache(&state, "ranking", &key, &period, version, v).await?,
    ))
}

/// `GET /api/v1/evaluation/ranking?period=&framework=&runs=&seed=&ranking=`:
/// the composite index of the clusters whose observations the caller may
/// read (the public: published ones) with the default method or a built-in
/// framework, and with `runs` the rank intervals of the uncertainty analysis.
pub(crate) async fn ranking_get(
    State(state): State<AppState>,
    caller: Option<Caller>,
    q: Result<Query<RankingQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(q) = q?;
    ranking(state, caller, q, None).await
}

/// `POST /api/v1/evaluation/ranking?period=…` with a TOML method file as
/// the body (as `weaver evaluate index --method`).
pub(crate) async fn ranking_post(
    State(state): State<AppState>,
    caller: Option<Caller>,
    q: Result<Query<RankingQuery>, QueryRejection>,
    body: Result<String, axum::extract::rejection::StringRejection>,
) -> ApiResult<Json<Value>> {
    let Query(q) = q?;
    let body = body.map_err(|r| {
        ApiError::new(
            r.status(),
            "invalid",
            format!("the method file: {}", r.body_text()),
        )
    })?;
    if body.trim().is_empty() {
        return Err(ApiError::bad_request(
            "send a TOML method file as the body (or use GET for the default method)",
        ));
    }
    ranking(state, caller, q, Some(body)).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LifecycleQuery {
    period: Option<String>,
    cluster: Option<String>,
}

/// `GET /api/v1/evaluation/lifecycle?period=&cluster=`: the lifecycle stage
/// (Menzel & Fornahl 2010) and the policy stage of each cluster in each
/// period by the shipped rules, as `weaver evaluate lifecycle` gives them,
/// over the observations the caller may read; the rules that fired are
/// listed with the values that made them fire.
pub(crate) async fn lifecycle(
    State(state): State<AppState>,
    caller: Option<Caller>,
    q: Result<Query<LifecycleQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(q) = q?;
    if let Some(p) = &q.period {
        check_period(p)?;
    }
    let who = caller.as_ref().map(|c| &c.principal);
    let observations = crate::register_indicators::lifecycle_signals(
        observations_for(&state, who, None, true).await?,
    );
    if observations.is_empty() {
        return Err(ApiError::not_found(
            "there are no observations that you may see",
        ));
    }
    let out = compute("the lifecycle", move || {
        let rules = weaver_evaluation::lifecycle::LifecycleRules::default();
        let r = weaver_evaluation::lifecycle::classify_observations(&observations, &rules);
        let stages: Vec<Value> = r
            .stages
            .iter()
            .filter(|(u, p, _)| {
                q.cluster.as_ref().is_none_or(|c| *c == r.units[*u])
                    && q.period.as_ref().is_none_or(|x| *x == r.periods[*p])
            })
            .map(|(u, p, s)| {
                json!({
                    "cluster": r.units[*u], "period": r.periods[*p],
                    "policy_stage": s.policy_stage, "lifecycle_stage": s.lifecycle_stage,
                    "signals_available": s.signals_available,
                    "rules": s.fired.iter().map(|f| f.describe()).collect::<Vec<_>>(),
                })
            })
            .collect();
        Ok(json!({
            "rules": "shipped defaults (weaver-evaluation frameworks/lifecycle_rules.toml)",
            "signals": weaver_evaluation::lifecycle::SIGNALS,
            "ignored": r.ignored,
            "stages": stages,
        }))
    })
    .await?;
    Ok(Json(out))
}

/// The evaluation kept when a campaign closes, per cluster of the campaign:
/// the composite index by the default method over the campaign's clusters
/// and indicators in its period (the observations the close freezes), so
/// that it can be recomputed from the frozen values. Like the network kept
/// then, it is what the programme sees: private observations are left out
/// (read as an officer of exactly the campaign's clusters would read them).
pub(crate) async fn campaign_evaluation(
    state: &AppState,
    campaign: &weaver_store::Campaign,
) -> ApiResult<Vec<(String, String, String)>> {
    let programme = Principal {
        user_id: 0,
        email: format!("campaign {}", campaign.id),
        role: weaver_core::enums::Role::Officer,
        managed: Vec::new(),
        programmes: Vec::new(),
        organizations: Vec::new(),
        readable: campaign.clusters.clone(),
    };
    let observations: Vec<Observation> = state
        .store
        .readable_observations(Some(&programme), Some(&campaign.period))
        .await?
        .into_iter()
        .filter(|o| {
            campaign.clusters.contains(&o.cluster) && campaign.indicators.contains(&o.indicator)
        })
        .map(|o| Observation {
            unit: o.cluster,
            indicator: o.indicator,
            period: o.period,
            value: o.value,
        })
        .collect();
    if observations.is_empty() {
        return Ok(Vec::new());
    }
    let mut indicators = catalogue(state, None, false).await?;
    indicators.retain(|i| campaign.indicators.contains(&i.id));
    let req = RankingRequest {
        period: campaign.period.clone(),
        method: Method::default(),
        method_name: "default".into(),
        runs: None,
        seed: 0,
        topsis: false,
    };
    let v = compute("the campaign's evaluation", move || {
        ranking_of(indicators, observations, &req)
    })
    .await?;
    let compared = v["clusters"].as_array().map_or(0, Vec::len);
    Ok(v["clusters"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|row| {
            let body = json!({
                "period": v["period"], "method": v["method_record"],
                "indicators": campaign.indicators, "clusters_compared": compared,
                "score": row["score"], "rank": row["rank"], "coverage": row["coverage"],
            });
            (
                row["cluster"].as_str().unwrap_or_default().to_owned(),
                "evaluation".to_owned(),
                body.to_string(),
            )
        })
        .collect())
}

// ---------------------------------------------------------------- mapping

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MappingQuery {
    year: Option<i32>,
    method: Option<String>,
    region: Option<String>,
    cluster: Option<String>,
    percentiles: Option<bool>,
}

/// Location quotients and classes of every region × industry × year of the
/// register's regional activity, each industry its own category (as `weaver
/// map clusters --from-register` computes them).
fn mapping_of(
    rows: Vec<weaver_store::ActivityRow>,
    method: &str,
    percentiles: bool,
    year: Option<i32>,
) -> Result<Value, String> {
    use weaver_mapping::classify::{
        CmpOptions, EcoOptions, QuadrantOptions, classify_cmp, classify_eco, classify_quadrant,
        peer_percentile_ranks,
    };
    let rows: Vec<weaver_mapping::input::ActivityRow> = rows
        .into_iter()
        .map(|r| {
            let year =
                i32::try_from(r.year).map_err(|_| format!("year {} out of range", r.year))?;
            Ok(weaver_mapping::input::ActivityRow {
                region: r.region,
                industry: r.industry,
                year,
                employment: Some(r.employment),
                establishments: r.establishments,
                wages: r.wages,
                kind: None,
            })
        })
        .collect::<Result<_, String>>()?;
    let columns = weaver_mapping::input::ActivityColumns::from_rows(&rows);
    let panel = weaver_mapping::panel::Panel::build_columns(&columns, None, None)
        .map_err(|e| e.to_string())?;
    let lq = panel.location_quotients();
    let mut notices = Vec::new();
    let mut classes: Vec<Value> = match method {
        "cmp" => {
            let r = classify_cmp(&panel, &lq, &CmpOptions::default()).map_err(|e| e.to_string())?;
            if !r.establishments_used {
                notices.push("no establishments: the establishments condition of cmp is dropped");
            }
            r.classes
                .iter()
                .map(|c| json!({"qualifying": c.qualifying, "significant": c.significant, "strong": c.strong, "strong10": c.strong10}))
                .collect()
        }
        "eco" => classify_eco(&panel, &lq, &EcoOptions::default())
            .map_err(|e| e.to_string())?
            .iter()
            .map(|s| json!({"size_star": s.size, "specialisation_star": s.specialisation, "focus_star": s.focus, "stars": s.count()}))
            .collect(),
        _ => classify_quadrant(&panel, &lq, &QuadrantOptions::default())
            .map_err(|e| e.to_string())?
            .iter()
            .map(|q| json!({"quadrant": q.map(|q| q.as_str())}))
            .collect(),
    };
    if percentiles {
        let emp: Vec<f64> = panel.cells.iter().map(|c| c.employment).collect();
        let lp = peer_percentile_ranks(&panel, &lq).map_err(|e| e.to_string())?;
        let ep = peer_percentile_ranks(&panel, &emp).map_err(|e| e.to_string())?;
        for (i, c) in classes.iter_mut().enumerate() {
            c["lq_percentile"] = num(lp[i]);
            c["employment_percentile"] = num(ep[i]);
        }
    }
    // Every year is classified (the quadrant compares years); one is kept.
    let y = match year {
        Some(y) => panel.years.iter().position(|&x| x == y).ok_or_else(|| {
            let years: Vec<String> = panel.years.iter().map(i32::to_string).collect();
            format!(
                "the regional activity has no year {y} (years: {})",
                years.join(", ")
            )
        })?,
        None => panel.years.len().saturating_sub(1),
    };
    let cells: Vec<Value> = panel
        .cells
        .iter()
        .zip(classes)
        .enumerate()
        .filter(|(_, (c, _))| c.year() == y)
        .map(|(i, (c, extra))| {
            let mut v = json!({
                "region": panel.regions[c.region()], "cluster": panel.clusters[c.cluster()],
                "year": panel.years[c.year()], "employment": num(c.employment),
                "establishments": c.establishments().map_or(Value::Null, num), "lq": num(lq[i]),
            });
            if let (Some(o), Value::Object(e)) = (v.as_object_mut(), extra) {
                o.extend(e);
            }
            v
        })
        .collect();
    Ok(json!({
        "method": method, "year": panel.years.get(y), "years": panel.years,
        "definitions": "each industry is its own category (no cluster definitions)",
        "notices": notices, "cells": cells,
    }))
}

/// `GET /api/v1/mapping/clusters?year=&method=cmp|eco|quadrant&region=&cluster=&percentiles=`:
/// the register's regional activity mapped: per region, industry and year
/// (by default the last), employment, LQ and US Cluster Mapping's classes
/// (`cmp`: qualifying, significant, strong, strong10), the European Cluster
/// Observatory's stars (`eco`) or the practitioners' quadrant. Computed from
/// the rows of regional activity the caller may read (the public: public
/// rows), so a hidden row changes neither its cell nor any LQ or class it
/// enters; cached per reader's rights ([`reader_key`]).
pub(crate) async fn mapping(
    State(state): State<AppState>,
    caller: Option<Caller>,
    q: Result<Query<MappingQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(q) = q?;
    let method = q.method.clone().unwrap_or_else(|| "cmp".to_owned());
    if !matches!(method.as_str(), "cmp" | "eco" | "quadrant") {
        return Err(ApiError::bad_request(format!(
            "method must be cmp (US Cluster Mapping), eco (European Cluster Observatory stars) \
             or quadrant, not '{method}'"
        )));
    }
    if let Some(y) = q.year
        && !(1000..=9999).contains(&y)
    {
        return Err(ApiError::bad_request(format!(
            "year must be a four-digit year, not {y}"
        )));
    }
    let percentiles = q.percentiles.unwrap_or(false);
    let kind = format!("mapping:{method}:{percentiles}");
    let period = q.year.map(|y| y.to_string()).unwrap_or_default();
    let version = state.store.register_version().await?;
    let who = caller.as_ref().map(|c| &c.principal);
    let reader = reader_key(who);
    let mut v = match from_cache(&state, &kind, &reader, &period, version).await? {
        Some(v) => v,
        None => {
            let rows = state.store.readable_regional_activity(who).await?;
            if rows.is_empty() {
                return Err(ApiError::not_found(
                    "there is no regional activity that you may see (an admin imports a \
                     regional_activity table)",
                ));
            }
            if let Some(y) = q.year
                && !rows.iter().any(|r| r.year == i64::from(y))
            {
                let years: BTreeSet<i64> = rows.iter().map(|r| r.year).collect();
                let years: Vec<String> = years.iter().map(i64::to_string).collect();
                return Err(ApiError::not_found(format!(
                    "the regional activity has no year {y} (years: {})",
                    years.join(", ")
                )));
            }
            let m = method.clone();
            let year = q.year;
            let v = compute("the mapping", move || {
                mapping_of(rows, &m, percentiles, year)
            })
            .await?;
            to_cache(&state, &kind, &reader, &period, version, v).await?
        }
    };
    let cells: Vec<Value> = v["cells"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|c| {
            q.region.as_ref().is_none_or(|r| c["region"] == *r)
                && q.cluster.as_ref().is_none_or(|k| c["cluster"] == *k)
        })
        .cloned()
        .collect();
    v["cells"] = json!(cells);
    Ok(Json(v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use weaver_core::enums::Role;

    fn officer(user_id: i64, readable: &[&str]) -> Principal {
        Principal {
            user_id,
            email: format!("u{user_id}@example.org"),
            role: Role::Officer,
            managed: Vec::new(),
            programmes: vec!["p1".into()],
            organizations: Vec::new(),
            readable: readable.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn reader_keys_are_equal_exactly_for_equal_rights() {
        let a = reader_key(Some(&officer(1, &["c1", "c3"])));
        // Another account with the same rights, listed in another order.
        assert_eq!(a, reader_key(Some(&officer(2, &["c3", "c1"]))));
        assert_ne!(a, reader_key(Some(&officer(1, &["c1"]))));
        let mut manager = officer(1, &["c1", "c3"]);
        manager.role = Role::Manager;
        assert_ne!(a, reader_key(Some(&manager)));
        assert_ne!(a, reader_key(None));
        let mut admin = officer(3, &[]);
        admin.role = Role::Admin;
        assert_eq!(reader_key(Some(&admin)), "all");
        assert_eq!(reader_key(None), "public");
    }
}
