//! `weaver evaluate label`: the ECCP profile criteria or an ESCA-style
//! level, from files or the register.

use std::collections::HashMap;

use anyhow::{Context, bail};
use weaver_evaluation::labels::{self, CriteriaSet, LevelModel};

use weaver_io::csv_table::CsvError;

use super::args::LabelArgs;
use super::input::{read_keyed, read_text};
use crate::commands::{from_register, register};
use crate::output::{Cell, Table};

pub(super) fn label_command(a: &LabelArgs, db: &str) -> anyhow::Result<Table> {
    if a.from_register {
        return label_from_register(a, db);
    }
    if let Some(scores) = &a.scores {
        let model = level_model(a)?;
        let keyed = read_keyed(scores, &["unit", "cluster"], &["indicator", "score"])?;
        let mut units: Vec<String> = Vec::new();
        let mut by_unit: HashMap<String, HashMap<String, f64>> = HashMap::new();
        for (line, r) in keyed.rows {
            let (ind, sc) = (&r["indicator"], &r["score"]);
            let v: f64 = sc
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| {
                    CsvError::cell(
                        &keyed.name,
                        line,
                        "score",
                        format!("expected a number, found {sc:?}"),
                    )
                })?;
            let u = r["__key"].clone();
            if !units.contains(&u) {
                units.push(u.clone());
            }
            by_unit.entry(u).or_default().insert(ind.clone(), v);
        }
        return Ok(levels_table(&model, &units, &by_unit, a.year));
    }
    let Some(profiles) = &a.profiles else {
        bail!("give --profiles P.csv, --scores S.csv or --from-register --period P");
    };
    let set = criteria_set(a)?;
    let keyed = read_keyed(profiles, &["unit", "cluster", "id"], &[])?;
    let mut table = criteria_header(&set);
    for (line, r) in keyed.rows {
        let mut profile = HashMap::new();
        for c in &set.criteria {
            let Some(raw) = r.get(&c.field) else { continue };
            let v = match raw.as_str() {
                "" => continue,
                "true" => 1.0,
                "false" => 0.0,
                s => s
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| {
                        CsvError::cell(
                            &keyed.name,
                            line,
                            &c.field,
                            format!("expected a number or true/false, found {s:?}"),
                        )
                    })?,
            };
            profile.insert(c.field.clone(), v);
        }
        push_criteria_row(&mut table, &set, &r["__key"], &profile);
    }
    Ok(table)
}

fn level_model(a: &LabelArgs) -> anyhow::Result<LevelModel> {
    let model = match &a.model {
        Some(p) => {
            LevelModel::from_toml(&read_text(p)?).with_context(|| format!("{}", p.display()))?
        }
        None => LevelModel::from_toml(labels::ESCA_STYLE_MODEL)?,
    };
    eprintln!("note: {}", model.model.note);
    Ok(model)
}

fn levels_header() -> Table {
    Table::new(&[
        "unit",
        "level",
        "share",
        "below_threshold",
        "missing",
        "valid_until",
        "note",
    ])
}

fn levels_table(
    model: &LevelModel,
    units: &[String],
    by_unit: &HashMap<String, HashMap<String, f64>>,
    year: i32,
) -> Table {
    let mut table = levels_header();
    let empty = HashMap::new();
    for u in units {
        let r = model.assess(by_unit.get(u).unwrap_or(&empty), year);
        table.push(vec![
            u.as_str().into(),
            r.level.into(),
            r.share.into(),
            r.below_threshold.join(";").into(),
            r.missing.join(";").into(),
            i64::from(r.valid_until_year).into(),
            r.note.into(),
        ]);
    }
    table
}

fn criteria_set(a: &LabelArgs) -> anyhow::Result<CriteriaSet> {
    let set = match &a.criteria {
        Some(p) => {
            CriteriaSet::from_toml(&read_text(p)?).with_context(|| format!("{}", p.display()))?
        }
        None => CriteriaSet::from_toml(labels::ECCP_PROFILE)?,
    };
    eprintln!(
        "note: criteria {} version {}",
        set.ruleset.id, set.ruleset.version
    );
    Ok(set)
}

fn criteria_header(set: &CriteriaSet) -> Table {
    let mut cols: Vec<String> = vec!["unit".into()];
    cols.extend(set.criteria.iter().map(|c| c.id.clone()));
    cols.push("eligible".into());
    Table::new(&cols)
}

fn push_criteria_row(
    table: &mut Table,
    set: &CriteriaSet,
    unit: &str,
    profile: &HashMap<String, f64>,
) {
    let res = weaver_service::labels::check(set, profile);
    let mut row: Vec<Cell> = vec![unit.into()];
    row.extend(res.criteria.iter().map(|c| Cell::from(c.outcome)));
    row.push(res.eligible.into());
    table.push(row);
}

/// `evaluate label --from-register`: profiles (or level scores) of every
/// cluster in the period.
fn label_from_register(a: &LabelArgs, db: &str) -> anyhow::Result<Table> {
    let period = a.period.as_deref().unwrap_or_default();
    let parsed = from_register::period_of("--period", Some(period))?;
    let facts = from_register::evaluation_facts(db)?;
    if facts.clusters.is_empty() {
        bail!("the register holds no clusters: import a clusters table first");
    }
    if a.levels {
        let model = level_model(a)?;
        let (levels, read) = register::block_on(async {
            let store = register::open(db).await?;
            let out = weaver_service::labels::levels(
                &store,
                Some(&weaver_service::admin()),
                &model,
                period,
                a.year,
                false,
            )
            .await;
            store.close().await;
            anyhow::Ok(out?)
        })?;
        from_register::print_notes(&read);
        if read.entered + read.computed == 0 {
            bail!(
                "the register holds no observations and computes no indicator (no memberships in the periods asked for): import an observations table or give --period"
            );
        }
        let mut table = levels_header();
        for r in levels.clusters {
            table.push(vec![
                r.cluster.as_str().into(),
                r.level.into(),
                r.share.into(),
                r.below_threshold.join(";").into(),
                r.missing.join(";").into(),
                i64::from(r.valid_until).into(),
                r.note.into(),
            ]);
        }
        return Ok(table);
    }
    let set = criteria_set(a)?;
    let mut table = criteria_header(&set);
    for c in &facts.clusters {
        let mut members: HashMap<&str, &str> = HashMap::new();
        for m in facts.memberships.iter().filter(|m| m.cluster == c.id) {
            if weaver_core::period::valid_in(m.since.as_deref(), m.until.as_deref(), parsed) {
                members.insert(&m.org, m.actor_type.as_str());
            }
        }
        let profile = weaver_service::labels::Profile::of(
            members.values().copied(),
            c.management_fte,
            c.website_en,
        );
        push_criteria_row(&mut table, &set, &c.id, &profile.values());
    }
    Ok(table)
}
