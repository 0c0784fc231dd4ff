//! What a league table over a named population reads: the observations of
//! the population's clusters with their currency, read under the rights of
//! the population's officers (a principal the service makes); the clusters
//! of a programme; the exchange rates; the units of the indicators; the
//! clusters' countries; and which observations exist but are private (for
//! the reasons a value is missing). Money filled in on import is here too
//! ([`fill_currencies_sql`]).

use sqlx::Row;

use crate::access::{self, Principal, SqlParts};
use crate::records::bind_all;
use crate::sql::assert_safe;
use crate::{Store, StoreError};

/// One observation with its currency.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MoneyObservation {
    /// The cluster observed.
    pub cluster: String,
    /// The indicator's id.
    pub indicator: String,
    /// The period.
    pub period: String,
    /// The value.
    pub value: f64,
    /// Its currency (ISO 4217), for money; `None` otherwise or when not given.
    pub currency: Option<String>,
}

/// One yearly exchange rate.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct ExchangeRate {
    /// The currency (ISO 4217).
    pub currency: String,
    /// The year.
    pub year: i64,
    /// Units of the currency per 1 EUR, yearly average.
    pub per_eur: f64,
    /// Where the rate comes from.
    pub source: String,
}

/// An indicator's id and unit, as a league table reads them.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorUnit {
    /// The indicator.
    pub id: String,
    /// Its unit, if given.
    pub unit: Option<String>,
}

fn opt(s: Option<String>) -> Option<String> {
    s.filter(|x| !x.is_empty())
}

impl Store {
    /// The observations of `period` that `reader` may read, with their
    /// currency, sorted by cluster and indicator.
    pub async fn readable_money_observations(
        &self,
        reader: &Principal,
        period: &str,
    ) -> Result<Vec<MoneyObservation>, StoreError> {
        let mut sql = SqlParts::default();
        let cond = access::read_condition(&mut sql, "observations", Some(reader));
        let p = sql.arg(period);
        let text = format!(
            "SELECT t.cluster, t.indicator, t.period, t.value, t.currency FROM observations t \
             WHERE {cond} AND t.period = {p}"
        );
        let rows = bind_all(sqlx::query(assert_safe(text)), &sql.args)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(MoneyObservation {
                cluster: r.try_get(0)?,
                indicator: r.try_get(1)?,
                period: r.try_get(2)?,
                value: r.try_get(3)?,
                currency: opt(r.try_get(4)?),
            });
        }
        out.sort_by(|a, b| (&a.cluster, &a.indicator).cmp(&(&b.cluster, &b.indicator)));
        Ok(out)
    }

    /// The (cluster, indicator) pairs of `period` that have an observation
    /// at `private` visibility, sorted: which values a league table leaves
    /// out because the population's officers may not read them (the values
    /// themselves are not read).
    pub async fn private_observation_keys(
        &self,
        period: &str,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let mut out: Vec<(String, String)> = sqlx::query_as(
            "SELECT cluster, indicator FROM observations \
             WHERE period = $1 AND visibility = 'private'",
        )
        .bind(period)
        .fetch_all(&self.pool)
        .await?;
        out.sort();
        Ok(out)
    }

    /// The clusters programme `id` funds as its officers read them: its
    /// `programme_clusters` rows that are not private, sorted; `NotFound`
    /// when there is no such programme.
    pub async fn programme_cluster_ids(&self, id: &str) -> Result<Vec<String>, StoreError> {
        let found: Option<String> = sqlx::query_scalar("SELECT id FROM programmes WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        if found.is_none() {
            return Err(StoreError::NotFound {
                table: "programmes",
                id: id.to_owned(),
            });
        }
        let mut out: Vec<String> = sqlx::query_scalar(
            "SELECT cluster FROM programme_clusters WHERE programme = $1 \
             AND visibility <> 'private'",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// Every cluster with its country (`None` when not given) and its
    /// row's visibility, sorted by id.
    pub async fn cluster_countries(
        &self,
    ) -> Result<Vec<(String, Option<String>, String)>, StoreError> {
        let rows: Vec<(String, Option<String>, String)> =
            sqlx::query_as("SELECT id, country, visibility FROM clusters ORDER BY id")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|(id, c, v)| (id, opt(c), v)).collect())
    }

    /// The exchange rates `who` (the public when `None`) may read, sorted
    /// by currency and year.
    pub async fn readable_exchange_rates(
        &self,
        who: Option<&Principal>,
    ) -> Result<Vec<ExchangeRate>, StoreError> {
        let mut sql = SqlParts::default();
        let cond = access::read_condition(&mut sql, "exchange_rates", who);
        let text = format!(
            "SELECT t.currency, t.year, t.per_eur, t.source FROM exchange_rates t WHERE {cond}"
        );
        let rows = bind_all(sqlx::query(assert_safe(text)), &sql.args)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(ExchangeRate {
                currency: r.try_get(0)?,
                year: r.try_get(1)?,
                per_eur: r.try_get(2)?,
                source: r.try_get(3)?,
            });
        }
        out.sort_by(|a, b| (&a.currency, a.year).cmp(&(&b.currency, b.year)));
        Ok(out)
    }

    /// The ids and units of the indicators `who` may read, sorted by id.
    pub async fn readable_indicator_units(
        &self,
        who: Option<&Principal>,
    ) -> Result<Vec<IndicatorUnit>, StoreError> {
        let mut sql = SqlParts::default();
        let cond = access::read_condition(&mut sql, "indicators", who);
        let text = format!("SELECT t.id, t.unit FROM indicators t WHERE {cond}");
        let rows = bind_all(sqlx::query(assert_safe(text)), &sql.args)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(IndicatorUnit {
                id: r.try_get(0)?,
                unit: opt(r.try_get(1)?),
            });
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }
}

/// The monetary observations without a currency: (row_id, cluster,
/// indicator, period, the cluster's country), for the import to fill in
/// (see [`fill_currencies_sql`]); `units` are the indicators' (id, unit).
pub(crate) const MISSING_CURRENCY_SQL: &str = "SELECT o.row_id, o.cluster, o.indicator, o.period, \
     c.country, i.unit FROM observations o JOIN clusters c ON c.id = o.cluster \
     JOIN indicators i ON i.id = o.indicator \
     WHERE (o.currency IS NULL OR o.currency = '') AND i.unit IS NOT NULL AND i.unit <> ''";

/// What an import does after its rows are in: every observation of a
/// monetary indicator (its unit by [`weaver_core::money::monetary_unit`])
/// without a currency takes its cluster's country's currency
/// ([`weaver_core::money::country_currency`]); returns the UPDATE
/// statements to run (`row_id`, currency) and the warnings naming the rows
/// filled in, and those that could not be (a cluster without a country or
/// of a country not in the map).
pub(crate) fn fill_currencies_sql(
    rows: Vec<(i64, String, String, String, Option<String>, String)>,
) -> (Vec<(i64, &'static str)>, Vec<String>) {
    let mut updates = Vec::new();
    let mut filled: Vec<String> = Vec::new();
    let mut unfilled: Vec<String> = Vec::new();
    for (row_id, cluster, indicator, period, country, unit) in rows {
        if weaver_core::money::monetary_unit(&unit).is_none() {
            continue;
        }
        let name = format!("{cluster}/{indicator}/{period}");
        match country
            .as_deref()
            .and_then(weaver_core::money::country_currency)
        {
            Some(cur) => {
                updates.push((row_id, cur));
                filled.push(format!("{name} → {cur}"));
            }
            None => unfilled.push(format!(
                "{name} (country {})",
                country.as_deref().unwrap_or("not given")
            )),
        }
    }
    let list = |items: &[String]| {
        const SHOWN: usize = 20;
        let mut s = items
            .iter()
            .take(SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if items.len() > SHOWN {
            s.push_str(&format!(" and {} more", items.len() - SHOWN));
        }
        s
    };
    let mut warnings = Vec::new();
    if !filled.is_empty() {
        warnings.push(format!(
            "observations: {} monetary observation(s) had no currency and took their cluster's \
             country's: {}",
            filled.len(),
            list(&filled)
        ));
    }
    if !unfilled.is_empty() {
        warnings.push(format!(
            "observations: {} monetary observation(s) have no currency and their cluster's \
             country has none Weaver knows, so they cannot be converted; give their currency: {}",
            unfilled.len(),
            list(&unfilled)
        ));
    }
    (updates, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_without_currency_takes_the_countrys() {
        let rows = vec![
            (
                1,
                "c1".into(),
                "rev".into(),
                "2024".into(),
                Some("CN".into()),
                "money million".into(),
            ),
            (
                2,
                "c2".into(),
                "rev".into(),
                "2024".into(),
                Some("de".into()),
                "money million".into(),
            ),
            (
                3,
                "c3".into(),
                "rev".into(),
                "2024".into(),
                None,
                "money million".into(),
            ),
            (
                4,
                "c1".into(),
                "pat".into(),
                "2024".into(),
                Some("CN".into()),
                "count".into(),
            ),
        ];
        let (updates, warnings) = fill_currencies_sql(rows);
        assert_eq!(updates, vec![(1, "CNY"), (2, "EUR")]);
        assert_eq!(warnings.len(), 2);
        assert!(warnings[0].contains("c1/rev/2024 → CNY"), "{warnings:?}");
        assert!(
            warnings[1].contains("c3/rev/2024 (country not given)"),
            "{warnings:?}"
        );
    }
}
