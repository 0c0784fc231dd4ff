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
    ///
    /// Each value must pass its indicator's checks ([`IndicatorChecks`]:
    /// range, whole number); one that jumps from the cluster's value of the
    /// previous period beyond the indicator's factor is refused, listed
    /// with the jump, unless `confirm` is set.
    pub async fn submit_observations(
        &self,
        who: &Principal,
        campaign: &str,
        values: &[(String, String, f64)],
        confirm: bool,
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
        let mut problems = Problems::default();
        for (i, (cluster, indicator, value)) in values.iter().enumerate() {
            let row = Some(i + 1);
            match judge_observation(&mut tx, cluster, indicator, &c.period, *value).await? {
                None => {}
                Some(Finding::Refused(m)) => problems.at("submission", row, Some("value"), m),
                Some(Finding::Jump(_)) if confirm => {}
                Some(Finding::Jump(m)) => problems.at(
                    "submission",
                    row,
                    Some("value"),
                    format!("{cluster}: {m}; if it is right, submit again with confirm: true"),
                ),
            }
        }
        problems.into_result().map_err(StoreError::Rejected)?;
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

    /// What a campaign's template shows beside each value to fill in, for
    /// every cluster of `clusters` and indicator of `indicators` (in that
    /// order): the indicator's label and unit, and the cluster's last value
    /// before `period` that `who` may read (of the same granularity, as the
    /// jump check compares it).
    pub async fn template_hints(
        &self,
        who: &Principal,
        clusters: &[String],
        indicators: &[String],
        period: &str,
    ) -> Result<Vec<TemplateHint>, StoreError> {
        let mut sql = SqlParts::default();
        let cond = access::read_condition(&mut sql, "indicators", Some(who));
        let text = format!("SELECT t.id, t.name, t.name_en, t.unit FROM indicators t WHERE {cond}");
        let rows = bind_all(sqlx::query(assert_safe(text)), &sql.args)
            .fetch_all(&self.pool)
            .await?;
        let mut labels = std::collections::HashMap::new();
        for r in rows {
            let id: String = r.try_get(0)?;
            let name: String = r.try_get(1)?;
            let en: Option<String> = r.try_get(2)?;
            let unit: Option<String> = r.try_get(3)?;
            let label = match en {
                Some(en) if !en.is_empty() && en != name => format!("{name} ({en})"),
                _ => name,
            };
            labels.insert(id, (label, unit.filter(|u| !u.is_empty())));
        }
        let mut sql = SqlParts::default();
        let cond = access::read_condition(&mut sql, "observations", Some(who));
        let p = sql.arg(period);
        let text = format!(
            "SELECT t.cluster, t.indicator, t.period, t.value FROM observations t \
             WHERE {cond} AND t.period < {p}"
        );
        let rows = bind_all(sqlx::query(assert_safe(text)), &sql.args)
            .fetch_all(&self.pool)
            .await?;
        let g = granularity(period);
        let mut previous: std::collections::HashMap<(String, String), (String, f64)> =
            std::collections::HashMap::new();
        for r in rows {
            let (c, i, per): (String, String, String) =
                (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
            let v: f64 = r.try_get(3)?;
            if granularity(&per) != g {
                continue;
            }
            let e = previous.entry((c, i)).or_insert_with(|| (per.clone(), v));
            if per > e.0 {
                *e = (per, v);
            }
        }
        let mut out = Vec::new();
        for cluster in clusters {
            for indicator in indicators {
                let (label, unit) = labels
                    .get(indicator)
                    .cloned()
                    .unwrap_or_else(|| (indicator.clone(), None));
                out.push(TemplateHint {
                    cluster: cluster.clone(),
                    indicator: indicator.clone(),
                    label,
                    unit,
                    previous: previous.remove(&(cluster.clone(), indicator.clone())),
                });
            }
        }
        Ok(out)
    }

    /// The observations `who` (the public when `None`) may read, optionally of
    /// one period, sorted by cluster, indicator and period.
    pub async fn readable_observations(
        &self,
        who: Option<&Principal>,
        period: Option<&str>,
    ) -> Result<Vec<crate::ObservationRow>, StoreError> {
        self.observations_read(who, period, None).await
    }

    /// The observations of cluster `cluster` that `who` (the public when
    /// `None`) may read, sorted by indicator and period: the same rows as
    /// [`Store::readable_observations`] keeps of that cluster, read alone.
    pub async fn readable_cluster_observations(
        &self,
        who: Option<&Principal>,
        cluster: &str,
    ) -> Result<Vec<crate::ObservationRow>, StoreError> {
        self.observations_read(who, None, Some(cluster)).await
    }

    async fn observations_read(
        &self,
        who: Option<&Principal>,
        period: Option<&str>,
        cluster: Option<&str>,
    ) -> Result<Vec<crate::ObservationRow>, StoreError> {
        let mut sql = SqlParts::default();
        let mut cond = access::read_condition(&mut sql, "observations", who);
        if let Some(p) = period {
            cond = format!("{cond} AND t.period = {}", sql.arg(p));
        }
        if let Some(c) = cluster {
            cond = format!("{cond} AND t.cluster = {}", sql.arg(c));
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

/// The factor of a jump from the previous period that must be confirmed
/// when the indicator states none: a value more than 3 times, or less than
/// a third of, the cluster's value of the previous period.
pub const DEFAULT_JUMP_FACTOR: f64 = 3.0;

/// What an indicator asks of an observation's value (the indicators'
/// columns `min_value`, `max_value`, `integer_only` and `jump_factor`;
/// an empty cell asks nothing, except the jump factor, which is then
/// [`DEFAULT_JUMP_FACTOR`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndicatorChecks {
    /// The lowest value accepted (inclusive).
    pub min_value: Option<f64>,
    /// The highest value accepted (inclusive).
    pub max_value: Option<f64>,
    /// Whether the value must be a whole number.
    pub integer_only: bool,
    /// The factor beyond which a change from the previous period must be
    /// confirmed; `None` for [`DEFAULT_JUMP_FACTOR`], 1 or less for none.
    pub jump_factor: Option<f64>,
}

/// What an indicator's checks find in an observation's value
/// ([`IndicatorChecks::judge`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// The value breaks a rule of the indicator (range, whole number): it
    /// is refused, whoever writes it. The message names the indicator, the
    /// value and the rule.
    Refused(String),
    /// The value jumps from the cluster's previous one beyond the
    /// indicator's factor: a write must confirm it (an import reports it).
    /// The message names the indicator, both values and the earlier period.
    Jump(String),
}

/// A number as written in messages: whole numbers without a fraction.
fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

impl IndicatorChecks {
    /// Why `value` is not accepted for `indicator`, naming the indicator,
    /// the value and the rule; `None` when it is.
    pub fn violation(&self, indicator: &str, value: f64) -> Option<String> {
        let range = match (self.min_value, self.max_value) {
            (Some(a), Some(b)) => format!("{} to {}", num(a), num(b)),
            (Some(a), None) => format!("{} or more", num(a)),
            (None, Some(b)) => format!("{} or less", num(b)),
            (None, None) => String::new(),
        };
        if let Some(min) = self.min_value
            && value < min
        {
            return Some(format!(
                "{indicator}: {} is below the indicator's minimum {} (it accepts {range})",
                num(value),
                num(min)
            ));
        }
        if let Some(max) = self.max_value
            && value > max
        {
            return Some(format!(
                "{indicator}: {} is above the indicator's maximum {} (it accepts {range})",
                num(value),
                num(max)
            ));
        }
        if self.integer_only && value.fract() != 0.0 {
            return Some(format!(
                "{indicator}: {} is not a whole number (the indicator counts whole units)",
                num(value)
            ));
        }
        None
    }

    /// What these checks find in `value` of `indicator`, given the value of
    /// the same cluster's last earlier period of the same granularity
    /// (`previous`: its period and value): a [`Finding::Refused`] when the
    /// value breaks a rule ([`IndicatorChecks::violation`]), else a
    /// [`Finding::Jump`] when it jumps from the previous one beyond the
    /// factor ([`IndicatorChecks::jump`]), else `None`. The one judgement of
    /// every write of an observation: a campaign's submission, a row written
    /// through the API, a package's row.
    pub fn judge(
        &self,
        indicator: &str,
        value: f64,
        previous: Option<(&str, f64)>,
    ) -> Option<Finding> {
        if let Some(m) = self.violation(indicator, value) {
            return Some(Finding::Refused(m));
        }
        let (period, before) = previous?;
        self.jump(indicator, value, period, before)
            .map(Finding::Jump)
    }

    /// The jump from `previous` (the value of `period`) to `value` when it
    /// is beyond the indicator's factor f: value > f × previous or value <
    /// previous / f (both of one sign), or a change of sign. A previous
    /// value of 0 gives no factor and is not checked.
    pub fn jump(&self, indicator: &str, value: f64, period: &str, previous: f64) -> Option<String> {
        let f = self.jump_factor.unwrap_or(DEFAULT_JUMP_FACTOR);
        if f <= 1.0 || previous == 0.0 || !previous.is_finite() {
            return None;
        }
        let ratio = value / previous;
        let (v, p) = (num(value), num(previous));
        let ff = num(f);
        if ratio < 0.0 {
            Some(format!(
                "{indicator}: {v} changes sign from {p} in {period} (a jump to confirm)"
            ))
        } else if ratio > f {
            Some(format!(
                "{indicator}: {v} is more than {ff} times {p} in {period} (×{:.2}, a jump to confirm)",
                ratio
            ))
        } else if ratio < 1.0 / f {
            Some(format!(
                "{indicator}: {v} is less than 1/{ff} of {p} in {period} (×{:.2}, a jump to confirm)",
                ratio
            ))
        } else {
            None
        }
    }
}

/// The checks of `indicator` (none when it does not exist).
pub(crate) async fn indicator_checks(
    conn: &mut sqlx::AnyConnection,
    indicator: &str,
) -> Result<IndicatorChecks, StoreError> {
    let mut sql = SqlParts::default();
    let ph = sql.arg(indicator);
    let text = format!(
        "SELECT t.min_value, t.max_value, t.integer_only, t.jump_factor FROM indicators t \
         WHERE t.id = {ph}"
    );
    let row = bind_all(sqlx::query(assert_safe(text)), &sql.args)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(r) = row else {
        return Ok(IndicatorChecks::default());
    };
    Ok(IndicatorChecks {
        min_value: r.try_get::<Option<f64>, _>(0)?,
        max_value: r.try_get::<Option<f64>, _>(1)?,
        integer_only: r.try_get::<Option<i64>, _>(2)?.unwrap_or(0) != 0,
        jump_factor: r.try_get::<Option<f64>, _>(3)?,
    })
}

/// The granularity of a period: 0 a year (`2024`), 1 a quarter
/// (`2024-Q3`), 2 a month (`2024-07`).
fn granularity(period: &str) -> u8 {
    if period.len() == 4 {
        0
    } else if period.contains('Q') || period.contains('q') {
        1
    } else {
        2
    }
}

/// The cluster's last value of `indicator` before `period`, among the
/// periods of the same granularity (a year's previous year, a quarter's
/// last earlier quarter, a month's last earlier month), with its period.
pub(crate) async fn previous_value(
    conn: &mut sqlx::AnyConnection,
    cluster: &str,
    indicator: &str,
    period: &str,
) -> Result<Option<(String, f64)>, StoreError> {
    let mut sql = SqlParts::default();
    let (c, i, p) = (sql.arg(cluster), sql.arg(indicator), sql.arg(period));
    let text = format!(
        "SELECT t.period, t.value FROM observations t WHERE t.cluster = {c} \
         AND t.indicator = {i} AND t.period < {p}"
    );
    let rows = bind_all(sqlx::query(assert_safe(text)), &sql.args)
        .fetch_all(&mut *conn)
        .await?;
    let g = granularity(period);
    let mut best: Option<(String, f64)> = None;
    for r in rows {
        let per: String = r.try_get(0)?;
        let v: f64 = r.try_get(1)?;
        if granularity(&per) == g && best.as_ref().is_none_or(|(b, _)| per > *b) {
            best = Some((per, v));
        }
    }
    Ok(best)
}

/// What the checks of `indicator` find in `value` of `cluster` in `period`,
/// judged against the cluster's last earlier value of the same
/// granularity in the register ([`IndicatorChecks::judge`]).
pub(crate) async fn judge_observation(
    conn: &mut sqlx::AnyConnection,
    cluster: &str,
    indicator: &str,
    period: &str,
    value: f64,
) -> Result<Option<Finding>, StoreError> {
    let checks = indicator_checks(conn, indicator).await?;
    if let Some(m) = checks.violation(indicator, value) {
        return Ok(Some(Finding::Refused(m)));
    }
    let previous = previous_value(conn, cluster, indicator, period).await?;
    Ok(checks.judge(
        indicator,
        value,
        previous.as_ref().map(|(p, v)| (p.as_str(), *v)),
    ))
}

/// Refuses an observation row written through the API whose value its
/// indicator does not accept, and, unless `confirm`, one whose value jumps
/// from the cluster's last earlier period ([`IndicatorChecks::judge`]); the
/// refusal names the indicator, the value and the rule or the jump.
pub(crate) async fn check_observation_write(
    conn: &mut sqlx::AnyConnection,
    t: &weaver_core::schema::TableSchema,
    values: &[Value],
    confirm: bool,
) -> Result<(), StoreError> {
    if t.name != "observations" {
        return Ok(());
    }
    let at = |c: &str| t.position(c).map(|p| &values[p]);
    let (Some(cluster), Some(indicator), Some(period), Some(value)) =
        (at("cluster"), at("indicator"), at("period"), at("value"))
    else {
        return Ok(());
    };
    let Some(value) = value.as_f64() else {
        return Ok(());
    };
    let (cluster, indicator, period) = (cluster.to_text(), indicator.to_text(), period.to_text());
    let message = match judge_observation(conn, &cluster, &indicator, &period, value).await? {
        None => return Ok(()),
        Some(Finding::Jump(_)) if confirm => return Ok(()),
        Some(Finding::Refused(m)) => m,
        Some(Finding::Jump(m)) => {
            format!("{cluster}: {m}; if it is right, send it again with ?confirm=true")
        }
    };
    let mut p = Problems::default();
    p.at("request body", None, Some("value"), message);
    Err(StoreError::Rejected(weaver_core::Rejected(p)))
}

/// Most jumps an import names one by one among its warnings; the rest are
/// counted in one more warning.
pub const MAX_JUMP_WARNINGS: usize = 200;

/// The checks of a package's observations (`table`) as an import writes
/// them: each row that is new to the register or changes a value is judged
/// ([`IndicatorChecks::judge`]) by its indicator's checks (the package's
/// indicators row where it has one, over the register's,
/// `register_indicators`) against the cluster's last earlier value of the
/// same granularity among the register's observations (`existing`) with
/// the package's own over them. A value that breaks a rule is a problem
/// naming the file, the row and the column `value`; a jump is a warning
/// naming the file and the row (at most [`MAX_JUMP_WARNINGS`] of them, then
/// their count): an import loads history, whose jumps are facts to look at
/// rather than entries to confirm one by one.
pub(crate) fn check_imported(
    table: &weaver_core::TableData,
    package_indicators: Option<&weaver_core::TableData>,
    register_indicators: &[Vec<Value>],
    existing: &[Vec<Value>],
) -> (Problems, Vec<String>) {
    use rayon::prelude::*;
    use std::collections::HashMap;
    let mut problems = Problems::default();
    let mut warnings = Vec::new();
    let t = table.schema;
    let (Some(cp), Some(ip), Some(pp), Some(vp)) = (
        t.position("cluster"),
        t.position("indicator"),
        t.position("period"),
        t.position("value"),
    ) else {
        return (problems, warnings);
    };
    // The indicators' checks: the register's, the package's over them.
    let mut checks: HashMap<String, IndicatorChecks> = HashMap::new();
    if let Some(it) = weaver_core::schema::table("indicators") {
        let read = |row: &[Value], present: Option<&[bool]>, old: Option<&[Value]>| {
            let cell = |c: &str| -> Option<Value> {
                let p = it.position(c)?;
                match (present, old) {
                    (Some(present), Some(old)) if !present[p] => Some(old[p].clone()),
                    _ => Some(row[p].clone()),
                }
            };
            IndicatorChecks {
                min_value: cell("min_value").and_then(|v| v.as_f64()),
                max_value: cell("max_value").and_then(|v| v.as_f64()),
                integer_only: matches!(cell("integer_only"), Some(Value::Bool(true)))
                    || matches!(cell("integer_only"), Some(Value::Int(i)) if i != 0),
                jump_factor: cell("jump_factor").and_then(|v| v.as_f64()),
            }
        };
        let by_id: HashMap<String, &Vec<Value>> = register_indicators
            .iter()
            .map(|r| (r[0].to_text(), r))
            .collect();
        for (id, row) in &by_id {
            checks.insert(id.clone(), read(row, None, None));
        }
        if let Some(pi) = package_indicators {
            for row in &pi.rows {
                let id = row[0].to_text();
                let old = by_id.get(&id).map(|r| r.as_slice());
                checks.insert(id, read(row, Some(&pi.present), old));
            }
        }
    }
    let none = IndicatorChecks::default();
    // Which package rows are judged: new ones and those whose value changes.
    let old = weaver_core::package::KeyIndex::new(t, existing);
    let judged: Vec<bool> = table
        .rows
        .par_iter()
        .map(|row| old.get(row).is_none_or(|o| o[vp] != row[vp]))
        .collect();
    if !judged.contains(&true) {
        return (problems, warnings);
    }
    // The history: the register's rows the package does not replace, and
    // the package's, sorted by cluster, indicator, granularity and period.
    let ours = weaver_core::package::KeyIndex::new(t, &table.rows);
    type Entry<'a> = (&'a str, &'a str, u8, &'a str, f64, Option<usize>);
    let mut entries: Vec<Entry> = existing
        .par_iter()
        .filter(|row| ours.get(row).is_none())
        .filter_map(|row| {
            let (c, i, p) = (row[cp].as_str()?, row[ip].as_str()?, row[pp].as_str()?);
            Some((c, i, granularity(p), p, row[vp].as_f64()?, None))
        })
        .collect();
    entries.par_extend(table.rows.par_iter().enumerate().filter_map(|(j, row)| {
        let (c, i, p) = (row[cp].as_str()?, row[ip].as_str()?, row[pp].as_str()?);
        Some((c, i, granularity(p), p, row[vp].as_f64()?, Some(j)))
    }));
    entries.par_sort_unstable_by(|a, b| (a.0, a.1, a.2, a.3).cmp(&(b.0, b.1, b.2, b.3)));
    // What is found, by the package's row.
    let mut refused: Vec<(usize, String)> = Vec::new();
    let mut jumps: Vec<(usize, String)> = Vec::new();
    let mut previous: Option<&Entry> = None;
    for e in &entries {
        let same_series = previous.is_some_and(|p| (p.0, p.1, p.2) == (e.0, e.1, e.2));
        let before = previous.filter(|_| same_series).map(|p| (p.3, p.4));
        previous = Some(e);
        let Some(j) = e.5.filter(|&j| judged[j]) else {
            continue;
        };
        match checks.get(e.1).unwrap_or(&none).judge(e.1, e.4, before) {
            None => {}
            Some(Finding::Refused(m)) => refused.push((j, m)),
            Some(Finding::Jump(m)) => jumps.push((j, format!("{}: {m}", e.0))),
        }
    }
    refused.sort();
    jumps.sort();
    let line = |j: usize| table.lines.get(j).copied();
    for (j, m) in refused {
        problems.at(&table.origin, line(j), Some("value"), m);
    }
    for (j, m) in jumps.iter().take(MAX_JUMP_WARNINGS) {
        warnings.push(format!(
            "{}, row {}: {m}; imported as given",
            table.origin,
            line(*j).unwrap_or(0)
        ));
    }
    if jumps.len() > MAX_JUMP_WARNINGS {
        warnings.push(format!(
            "{}: {} more jumps from the previous period (the first {MAX_JUMP_WARNINGS} are listed)",
            table.origin,
            jumps.len() - MAX_JUMP_WARNINGS
        ));
    }
    (problems, warnings)
}

/// What a campaign's template shows beside one value to fill in.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateHint {
    /// The cluster.
    pub cluster: String,
    /// The indicator's id.
    pub indicator: String,
    /// The indicator's name (with its English name when it has another).
    pub label: String,
    /// The indicator's unit, when it states one.
    pub unit: Option<String>,
    /// The cluster's last value before the campaign's period, with its
    /// period, when the reader may read one.
    pub previous: Option<(String, f64)>,
}

impl TemplateHint {
    /// The hint as one line of text: `Employment [persons]; last period
    /// 2023: 230487` (or `…; no earlier value`).
    pub fn text(&self) -> String {
        let unit = self
            .unit
            .as_ref()
            .map(|u| format!(" [{u}]"))
            .unwrap_or_default();
        match &self.previous {
            Some((p, v)) => format!("{}{unit}; last period {p}: {}", self.label, num(*v)),
            None => format!("{}{unit}; no earlier value", self.label),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jump_is_judged_by_the_factor_both_ways_and_by_sign() {
        let default = IndicatorChecks::default();
        // ×3 exactly is within the default factor; just beyond is not.
        assert_eq!(default.jump("x", 30.0, "2023", 10.0), None);
        assert!(default.jump("x", 30.1, "2023", 10.0).is_some());
        assert_eq!(default.jump("x", 10.0 / 3.0 + 1e-9, "2023", 10.0), None);
        assert_eq!(
            default
                .jump("employment", 52000.0, "2023", 230487.0)
                .as_deref(),
            Some("employment: 52000 is less than 1/3 of 230487 in 2023 (×0.23, a jump to confirm)")
        );
        assert_eq!(
            default.jump("profit", -5.0, "2023", 5.0).as_deref(),
            Some("profit: -5 changes sign from 5 in 2023 (a jump to confirm)")
        );
        // No factor from 0; a factor of 1 or less asks nothing.
        assert_eq!(default.jump("x", 1e9, "2023", 0.0), None);
        let off = IndicatorChecks {
            jump_factor: Some(0.0),
            ..Default::default()
        };
        assert_eq!(off.jump("x", 1e9, "2023", 1.0), None);
    }

    #[test]
    fn bounds_are_inclusive_and_a_whole_number_has_no_fraction() {
        let c = IndicatorChecks {
            min_value: Some(1.0),
            max_value: Some(5.0),
            integer_only: true,
            jump_factor: None,
        };
        assert_eq!(c.violation("s", 1.0), None);
        assert_eq!(c.violation("s", 5.0), None);
        assert!(c.violation("s", 0.999).is_some());
        assert!(c.violation("s", 5.001).is_some());
        assert_eq!(
            c.violation("s", 2.5).as_deref(),
            Some("s: 2.5 is not a whole number (the indicator counts whole units)")
        );
        assert_eq!(IndicatorChecks::default().violation("s", -1e12), None);
    }

    #[test]
    fn periods_are_compared_within_their_granularity() {
        assert_eq!(
            [
                granularity("2024"),
                granularity("2024-Q3"),
                granularity("2024-07")
            ],
            [0, 1, 2]
        );
    }
}
