//! `weaver map …`: cluster mapping from regional activity files or the
//! register.
//!
//! | file | concern |
//! |---|---|
//! | `args.rs` | the subcommands' arguments (clap) |
//! | `input.rs` | reading the files (or the register) into a [`MapInput`] and building the panel |
//! | `fast.rs` | the activity file parsed on every core (the fast path of `input.rs`) |
//! | `clusters.rs` | `map clusters`: LQs and classes of every cell |
//! | `stream.rs` | the clusters table streamed as CSV on every core |
//! | `strength.rs`, `growth.rs`, `complexity.rs`, `related.rs` | the other analyses: a call to `weaver-service` and its table |
//!
//! Files are read into a [`MapInput`] (plain values of the mapping engine);
//! everything after that ([`build_panel`], [`clusters_table`], …) works on
//! the in-memory panel, so the register's regional activity feeds the same
//! path.

mod args;
mod clusters;
mod complexity;
mod fast;
mod growth;
mod input;
mod related;
mod stream;
mod strength;

use super::Ctx;
use crate::output;
use anyhow::Context;
use clap::Subcommand;
use weaver_service::mapping::SectionKey;

pub use args::{
    ClassificationMethod, ClustersArgs, ComplexityArgs, GrowthArgs, InputArgs, ProfileArgs,
    RelatedArgs, StrengthArgs,
};
pub use clusters::{Classes, ClustersResult, classify, clusters_table};
pub use complexity::complexity_tables;
pub use growth::growth_table;
pub use input::{
    MapInput, build_panel, load_inputs, read_activity, read_benchmark, read_definitions,
    read_hierarchy, read_industry_parents,
};
pub use related::related_table;
pub use strength::strength_table;

/// Cluster mapping: location quotients, strong clusters, stars, complexity.
#[derive(Debug, Subcommand)]
pub enum MapCommand {
    /// One row per region, cluster and year: employment, establishments, LQ
    /// and the classes of the chosen method.
    #[command(
        after_help = "Examples:\n  weaver map clusters --activity emp.csv --definitions clusters.csv\n  weaver map clusters --activity emp.csv --method eco --out stars.csv"
    )]
    Clusters(ClustersArgs),
    /// One row per region and year: the share of traded employment in strong
    /// clusters (US Cluster Mapping's cluster strength).
    Strength(StrengthArgs),
    /// One row per region and cluster: change, CAGR and shift-share between two
    /// years.
    Growth(GrowthArgs),
    /// RCA, proximity, density, ECI, PCI, COI, COG and a "what next" list,
    /// written as tables into a folder.
    Complexity(ComplexityArgs),
    /// Related clusters by co-location: correlation of LQs across regions.
    Related(RelatedArgs),
    /// The location quotients of a register cluster's own sectors (in its
    /// sector classification) in its own region, against its country (or
    /// --benchmark).
    #[command(
        after_help = "Example:\n  weaver map profile --cluster de-silicon-saxony --year 2024"
    )]
    Profile(ProfileArgs),
}

/// Runs a `weaver map` subcommand.
pub fn run(cmd: &MapCommand, ctx: &Ctx) -> anyhow::Result<()> {
    let (db, json) = (ctx.db, ctx.json);
    match cmd {
        MapCommand::Clusters(a) => {
            let inputs = load_inputs(&a.input, db)?;
            if let [(None, input)] = inputs.as_slice() {
                // An activity file: one table, streamed on every core.
                let panel = build_panel(input)?;
                drop(inputs);
                let mut result = classify(&panel, a.method)?;
                if a.percentiles {
                    result.add_percentiles(&panel)?;
                }
                for n in &result.notices {
                    eprintln!("notice: {n}");
                }
                return if json {
                    result.table(&panel).emit(a.output.path(), json)
                } else {
                    stream::write_clusters_csv(a.output.path(), &result, &panel, parallelism())
                };
            }
            let mut tables = Vec::new();
            for (key, input) in &inputs {
                let panel = build_panel(input)?;
                let mut result = classify(&panel, a.method)?;
                if a.percentiles {
                    result.add_percentiles(&panel)?;
                }
                for n in &result.notices {
                    eprintln!("notice: {}: {n}", label(key));
                }
                tables.push((key, result.table(&panel)));
            }
            sectioned(tables).emit(a.output.path(), json)
        }
        MapCommand::Strength(a) => {
            let inputs = load_inputs(&a.input, db)?;
            let mut tables = Vec::new();
            for (key, input) in &inputs {
                let panel = build_panel(input)?;
                let (table, notices) = strength_table(&panel)?;
                for n in notices {
                    eprintln!("notice: {}{n}", prefix(key));
                }
                tables.push((key, table));
            }
            sectioned(tables).emit(a.output.path(), json)
        }
        MapCommand::Growth(a) => {
            let inputs = load_inputs(&a.input, db)?;
            let mut tables = Vec::new();
            for (key, input) in &inputs {
                let panel = build_panel(input)?;
                let table = growth_table(&panel, a.start, a.end).with_context(|| label(key))?;
                tables.push((key, table));
            }
            sectioned(tables).emit(a.output.path(), json)
        }
        MapCommand::Complexity(a) => {
            let mut by_name: Vec<(&'static str, Vec<SectionTable>)> = Vec::new();
            let inputs = load_inputs(&a.input, db)?;
            for (key, input) in &inputs {
                let panel = build_panel(input)?;
                let tables =
                    complexity_tables(&panel, a.year, a.kind.as_deref(), a.rca_threshold, a.top)
                        .with_context(|| label(key))?;
                for (name, table) in tables {
                    match by_name.iter_mut().find(|(n, _)| *n == name) {
                        Some((_, v)) => v.push((key, table)),
                        None => by_name.push((name, vec![(key, table)])),
                    }
                }
            }
            std::fs::create_dir_all(&a.out)
                .with_context(|| format!("cannot create {}", a.out.display()))?;
            for (name, tables) in by_name {
                let file = a
                    .out
                    .join(format!("{name}.{}", if json { "json" } else { "csv" }));
                sectioned(tables).emit(Some(&file), json)?;
            }
            Ok(())
        }
        MapCommand::Related(a) => {
            let inputs = load_inputs(&a.input, db)?;
            let mut tables = Vec::new();
            for (key, input) in &inputs {
                let panel = build_panel(input)?;
                let table = related_table(&panel, a.year, a.kind.as_deref(), a.top)
                    .with_context(|| label(key))?;
                tables.push((key, table));
            }
            sectioned(tables).emit(a.output.path(), json)
        }
        MapCommand::Profile(a) => profile(a, db, json),
    }
}

/// `weaver map profile`: [`weaver_service::mapping::cluster_specialisation`]
/// as a table, one row per sector.
fn profile(a: &ProfileArgs, db: &str, json: bool) -> anyhow::Result<()> {
    use crate::commands::register::{block_on, open};
    let answer = block_on(async {
        let store = open(db).await?;
        let admin = weaver_service::admin();
        let answer = weaver_service::mapping::cluster_specialisation(
            &store,
            Some(&admin),
            &a.cluster,
            a.year,
            a.benchmark.as_deref(),
        )
        .await;
        store.close().await;
        answer.map_err(anyhow::Error::from)
    })
    .with_context(|| format!("--cluster {}", a.cluster))?;
    for n in answer.notes.iter().chain(&answer.section.notes) {
        eprintln!("note: {n}");
    }
    let mut t = output::Table::new(&[
        "cluster",
        "region",
        "activity_region",
        "country",
        "classification",
        "reference_area",
        "year",
        "sector",
        "employment",
        "lq",
    ]);
    for s in &answer.sectors {
        t.push(vec![
            answer.cluster.as_str().into(),
            answer.region.as_str().into(),
            answer.activity_region.as_str().into(),
            answer.section.country.as_deref().into(),
            answer.section.classification.as_str().into(),
            answer.section.reference_area.as_str().into(),
            i64::from(answer.year).into(),
            s.sector.as_str().into(),
            s.employment.into(),
            s.lq.into(),
        ]);
    }
    t.emit(a.output.path(), json)
}

/// One section's table (no section: an activity file's).
type SectionTable<'a> = (&'a Option<SectionKey>, output::Table);

/// A section's name for messages (`DE, NACE Rev. 2`), or `the activity`.
fn label(key: &Option<SectionKey>) -> String {
    key.as_ref()
        .map_or_else(|| "the activity".to_owned(), SectionKey::label)
}

/// `DE, NACE Rev. 2: ` before a section's notice; nothing for a file.
fn prefix(key: &Option<SectionKey>) -> String {
    key.as_ref()
        .map_or_else(String::new, |k| format!("{}: ", k.label()))
}

/// The tables of the sections as one: each row with its section's
/// `country`, `classification` and `reference_area` first (the register's
/// sections; computed each on its own, never pooled), or the one table of
/// an activity file as it is.
fn sectioned(tables: Vec<SectionTable>) -> output::Table {
    if let [(None, _)] = tables.as_slice() {
        return tables.into_iter().next().expect("one table").1;
    }
    let mut out: Option<output::Table> = None;
    for (key, t) in tables {
        let all = out.get_or_insert_with(|| {
            let mut columns = vec!["country", "classification", "reference_area"];
            columns.extend(t.columns.iter().map(String::as_str));
            output::Table::new(&columns)
        });
        for n in key.iter().flat_map(|k| &k.notes) {
            eprintln!("note: {}: {n}", label(key));
        }
        for row in t.rows {
            let mut cells: Vec<output::Cell> = match key {
                Some(k) => vec![
                    k.country.as_deref().into(),
                    k.classification.as_str().into(),
                    k.reference_area.as_str().into(),
                ],
                None => vec![
                    None::<&str>.into(),
                    None::<&str>.into(),
                    None::<&str>.into(),
                ],
            };
            cells.extend(row);
            all.push(cells);
        }
    }
    out.unwrap_or_else(|| output::Table::new(&["country", "classification", "reference_area"]))
}

fn parallelism() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}
