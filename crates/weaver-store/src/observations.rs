//! Observations written and read on behalf of a user: a campaign's
//! submissions (each with its audit entry) and the observations a user may
//! read.

use sqlx::Row;
use weaver_core::{Problems, Value};

use crate::access::{self, Principal, SqlParts};
use crate::audit::audit;
use crate::records::{bind_all, find_by_natural_key, get_admin, update_in};
use crate::sql::{self, assert_safe};
use crate::{Store, StoreError};

impl Store {
    /// Submits observations for a campaign on behalf of a manager (or an
    /// admin): every value must be for one of the campaign's clusters (that
    /// the user manages) and indicators, in its period, while it is open.
    /// All are written in one transaction, each with its audit entry, or none.
    pub async fn submit_observations(
        &self,
        who: &Principal,
        campaign: &str,
        values: &[(String, String, f64)],
    ) -> Result<(usize, usize), StoreError> {
        let c = self.campaign(who, campaign).await?;
        if c.status != "open" {
            return Err(StoreError::Conflict(format!(
                "campaign '{campaign}' is closed; its observations are frozen"
            )));
        }
        if !matches!(
            who.role,
            weaver_core::enums::Role::Admin | weaver_core::enums::Role::Manager
        ) {
            return Err(StoreError::Forbidden(
                "observations are submitted by the clusters' managers".into(),
            ));
        }
        let mut problems = Problems::default();
        for (i, (cluster, indicator, value)) in values.iter().enumerate() {
            let row = Some(i + 1);
            if !c.clusters.contains(cluster) {
                problems.at(
                    "submission",
                    row,
                    Some("cluster"),
                    format!("'{cluster}' is not asked by this campaign"),
                );
            } else if !who.is_admin() && !who.managed.contains(cluster) {
                problems.at(
                    "submission",
                    row,
                    Some("cluster"),
                    format!("you do not manage '{cluster}'"),
                );
            }
            if !c.indicators.contains(indicator) {
                problems.at(
                    "submission",
                    row,
                    Some("indicator"),
                    format!(
                        "'{indicator}' is not asked by this campaign (it asks: {})",
                        c.indicators.join(", ")
                    ),
                );
            }
            if !value.is_finite() {
                problems.at("submission", row, Some("value"), "expected a finite number");
            }
        }
        problems.into_result().map_err(StoreError::Rejected)?;
        let t = weaver_core::schema::table("observations")
            .ok_or_else(|| StoreError::Corrupt("no observations table".into()))?;
        let pos = |c: &str| t.position(c).unwrap_or(0);
        let mut tx = self.begin_write().await?;
        let (mut added, mut changed) = (0, 0);
        for (cluster, indicator, value) in values {
            let mut row = vec![Value::Null; t.columns.len()];
            row[pos("cluster")] = Value::Text(cluster.as_str().into());
            row[pos("indicator")] = Value::Text(indicator.as_str().into());
            row[pos("period")] = Value::Text(c.period.as_str().into());
            row[pos("value")] = Value::Float(*value);
            row[pos("source")] = Value::Text(format!("campaign {campaign}").into());
            row[pos("visibility")] = Value::Text(t.default_visibility.as_str().into());
            match find_by_natural_key(&mut tx, t, &row).await? {
                Some(old) => {
                    let mut new = old.values.clone();
                    new[pos("value")] = Value::Float(*value);
                    new[pos("source")] = row[pos("source")].clone();
                    if new == old.values {
                        continue;
                    }
                    let key = old.key();
                    update_in(&mut tx, t, &key, &new).await?;
                    let after = get_admin(&mut tx, t, &key).await?;
                    audit(&mut tx, who, "update", t, &key, Some(&old), Some(&after)).await?;
                    changed += 1;
                }
                None => {
                    let mut q = sqlx::query(assert_safe(sql::insert_sql(t, 1, self.backend)));
                    for (p, v) in row.iter().enumerate() {
                        q = sql::bind(q, t, p, v);
                    }
                    q.execute(&mut *tx).await?;
                    let rec = find_by_natural_key(&mut tx, t, &row)
                        .await?
                        .ok_or_else(|| {
                            StoreError::Corrupt("a submitted observation vanished".into())
                        })?;
                    audit(&mut tx, who, "create", t, &rec.key(), None, Some(&rec)).await?;
                    added += 1;
                }
            }
        }
        self.commit_change(tx).await?;
        Ok((added, changed))
    }

    /// The observations `who` (the public when `None`) may read, optionally of
    /// one period, sorted by cluster, indicator and period.
    pub async fn readable_observations(
        &self,
        who: Option<&Principal>,
        period: Option<&str>,
    ) -> Result<Vec<crate::ObservationRow>, StoreError> {
        let mut sql = SqlParts::default();
        let mut cond = access::read_condition(&mut sql, "observations", who);
        if let Some(p) = period {
            cond = format!("{cond} AND t.period = {}", sql.arg(p));
        }
        let text = format!(
            "SELECT t.cluster, t.indicator, t.period, t.value FROM observations t WHERE {cond} \
             ORDER BY t.cluster, t.indicator, t.period"
        );
        let rows = bind_all(sqlx::query(assert_safe(text)), &sql.args)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(crate::ObservationRow {
                    cluster: r.try_get(0)?,
                    indicator: r.try_get(1)?,
                    period: r.try_get(2)?,
                    value: r.try_get(3)?,
                })
            })
            .collect()
    }
}
