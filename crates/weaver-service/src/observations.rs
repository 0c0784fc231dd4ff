//! The observations a caller may read, as the evaluation engine's, joined
//! by the indicators the register computes ([`crate::indicators`]) from
//! what the caller may read; and the indicator catalogue.

use serde::Serialize;
use sha2::Digest;
use weaver_evaluation::{Indicator, Observation};
use weaver_store::{ObservationRow, Principal, Store};

use crate::error::{Result, ServiceError};
use crate::indicators;

/// An observation of the register as the evaluation engine's (units are
/// cluster ids).
pub fn observation(o: ObservationRow) -> Observation {
    Observation {
        unit: o.cluster,
        indicator: o.indicator,
        period: o.period,
        value: o.value,
    }
}

/// A cache key for what `who` may read: callers with the same key read the
/// same rows, so a result computed from the rows one of them reads may be
/// given to the others. `public` for the public, `all` for admins, else a
/// digest of every field of the principal the read rule may look at (all
/// but the account's number and e-mail, so a field added later counts too).
pub fn reader_key(who: Option<&Principal>) -> String {
    let Some(p) = who else {
        return "public".to_owned();
    };
    if p.is_admin() {
        return "all".to_owned();
    }
    let mut rights = serde_json::to_value(p).unwrap_or_else(|_| serde_json::json!(p.user_id));
    if let Some(m) = rights.as_object_mut() {
        m.remove("user_id");
        m.remove("email");
        for v in m.values_mut() {
            if let Some(items) = v.as_array_mut() {
                items.sort_by_key(serde_json::Value::to_string);
            }
        }
    }
    let digest = sha2::Sha256::digest(rights.to_string().as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("reader:{}", &hex[..32])
}

/// Whose indicator catalogue.
#[derive(Debug, Clone, Copy)]
pub enum CatalogueOf<'a> {
    /// The indicators a caller may read (the public: `None`).
    Caller(Option<&'a Principal>),
    /// Every indicator (a campaign's own evaluation, whose indicators the
    /// campaign names).
    Everything,
}

/// The register's indicator catalogue as the engine's indicators (those
/// `of` may read), with the computed ones (`auto.*`, dimension
/// [`indicators::DIMENSION`]) when `with_computed`; the catalogue's own
/// entry for a computed code wins.
pub async fn catalogue(
    store: &Store,
    of: CatalogueOf<'_>,
    with_computed: bool,
) -> Result<Vec<Indicator>> {
    let computed = if with_computed {
        indicators::catalogue()
    } else {
        Vec::new()
    };
    let entered = match of {
        CatalogueOf::Caller(who) => store.readable_indicators(who).await?,
        CatalogueOf::Everything => store.indicators().await?,
    };
    Ok(entered
        .into_iter()
        .map(indicators::engine_indicator)
        .chain(computed)
        .fold(Vec::new(), |mut all: Vec<Indicator>, ind| {
            if !all.iter().any(|i| i.id == ind.id) {
                all.push(ind);
            }
            all
        }))
}

/// The observations a caller reads, entered first and computed after.
#[derive(Debug, Clone, Default)]
pub struct ReadObservations {
    /// Entered observations (the first [`ReadObservations::entered`]) then
    /// the computed ones no entered observation overrides.
    pub observations: Vec<Observation>,
    /// How many of `observations` were entered by people.
    pub entered: usize,
    /// How many values the register computed.
    pub computed: usize,
    /// How many computed values an entered observation replaced.
    pub overridden: usize,
    /// Notices of the computation (periods it could not use).
    pub notices: Vec<String>,
}

/// The observations `who` may read (all periods), as the engine's, with
/// the indicators the register computes (`auto.*`) for the clusters `who`
/// reads in every period of those observations and `period`, when
/// `with_computed`: an entered observation of the same code wins. The
/// computed values total only the rows `who` may read (a private membership
/// counts for the cluster's managers and admins, not for its members and
/// officers); the public gets none. With `cache`, each period's computed
/// values are kept in the store at the register's version per reader's
/// rights ([`reader_key`]).
pub async fn observations_for(
    store: &Store,
    who: Option<&Principal>,
    period: Option<&str>,
    with_computed: bool,
    cache: bool,
) -> Result<ReadObservations> {
    let entered: Vec<Observation> = store
        .readable_observations(who, None)
        .await?
        .into_iter()
        .map(observation)
        .collect();
    let Some(who) = who.filter(|_| with_computed) else {
        return Ok(ReadObservations {
            entered: entered.len(),
            observations: entered,
            ..ReadObservations::default()
        });
    };
    let mut periods: Vec<String> = entered.iter().map(|o| o.period.clone()).collect();
    periods.extend(period.map(str::to_owned));
    periods.sort_unstable();
    periods.dedup();
    let (mut computed, notices) = computed_indicators(store, who, &periods, cache).await?;
    computed.retain(|o| who.is_admin() || who.readable.contains(&o.unit));
    let n_entered = entered.len();
    let n_computed = computed.len();
    let (observations, overridden) = indicators::join(entered, computed);
    Ok(ReadObservations {
        observations,
        entered: n_entered,
        computed: n_computed,
        overridden,
        notices,
    })
}

/// The indicators the register computes in `periods` from the rows `who`
/// may read, sorted by cluster, indicator and period, with the notices of
/// the computation. They need every tie `who` reads, so they are computed
/// off the async threads; with `cache`, once per period, register version
/// and reader's rights ([`reader_key`]).
pub async fn computed_indicators(
    store: &Store,
    who: &Principal,
    periods: &[String],
    cache: bool,
) -> Result<(Vec<Observation>, Vec<String>)> {
    type Row = (String, String, String, f64);
    let version = store.register_version().await?;
    let reader = reader_key(Some(who));
    let mut out: Vec<Observation> = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    for p in periods {
        let rows = match cache {
            true => match store.cached("auto", &reader, p, version).await? {
                Some((body, _)) => serde_json::from_str::<Vec<Row>>(&body).ok(),
                None => None,
            },
            false => None,
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
    let mut notices = Vec::new();
    if !missing.is_empty() {
        let facts = store.readable_evaluation_facts(Some(who)).await?;
        let asked = missing.clone();
        let (fresh, n) = tokio::task::spawn_blocking(move || indicators::compute(&facts, &asked))
            .await
            .map_err(|e| ServiceError::engine("the register's indicators", e))??;
        notices = n;
        if cache {
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
                let body = serde_json::to_string(&rows)
                    .map_err(|e| ServiceError::engine("keep the register's indicators", e))?;
                store.cache("auto", &reader, p, version, &body).await?;
            }
        }
        out.extend(fresh);
    }
    out.sort_by(|a, b| (&a.unit, &a.indicator, &a.period).cmp(&(&b.unit, &b.indicator, &b.period)));
    Ok((out, notices))
}

/// Where a value of a computed code comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Entered by people (it overrides the computed value).
    Entered,
    /// Computed from the register.
    Computed,
}

/// One value of a computed indicator code.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComputedValue {
    /// The cluster.
    pub cluster: String,
    /// The code (`auto.*`).
    pub indicator: String,
    /// The period.
    pub period: String,
    /// The value.
    pub value: f64,
    /// Whether it was entered or computed.
    pub origin: Origin,
}

/// The values of the computed codes (`auto.*`) that `who` reads, in
/// `period` when given, else in every period of the observations `who`
/// reads: computed from the rows `who` may read, or entered for the same
/// code (which wins); sorted by cluster, code and period; with what
/// [`observations_for`] read. The public gets the entered ones only.
pub async fn computed_values(
    store: &Store,
    who: Option<&Principal>,
    period: Option<&str>,
    cache: bool,
) -> Result<(Vec<ComputedValue>, ReadObservations)> {
    let mut read = observations_for(store, who, period, true, cache).await?;
    let observations = std::mem::take(&mut read.observations);
    let mut out: Vec<ComputedValue> = observations
        .into_iter()
        .enumerate()
        .filter(|(_, o)| {
            o.indicator.starts_with(indicators::PREFIX) && period.is_none_or(|p| o.period == p)
        })
        .map(|(k, o)| ComputedValue {
            origin: if k < read.entered {
                Origin::Entered
            } else {
                Origin::Computed
            },
            cluster: o.unit,
            indicator: o.indicator,
            period: o.period,
            value: o.value,
        })
        .collect();
    out.sort_by(|a, b| {
        (&a.cluster, &a.indicator, &a.period).cmp(&(&b.cluster, &b.indicator, &b.period))
    });
    Ok((out, read))
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
