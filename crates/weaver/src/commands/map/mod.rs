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
use anyhow::Context;
use clap::Subcommand;

pub use args::{
    ClassificationMethod, ClustersArgs, ComplexityArgs, GrowthArgs, InputArgs, RelatedArgs,
    StrengthArgs,
};
pub use clusters::{Classes, ClustersResult, classify, clusters_table};
pub use complexity::complexity_tables;
pub use growth::growth_table;
pub use input::{
    MapInput, build_panel, load_input, read_activity, read_benchmark, read_definitions,
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
}

/// Runs a `weaver map` subcommand.
pub fn run(cmd: &MapCommand, ctx: &Ctx) -> anyhow::Result<()> {
    let (db, json) = (ctx.db, ctx.json);
    match cmd {
        MapCommand::Clusters(a) => {
            let input = load_input(&a.input, db)?;
            let panel = build_panel(&input)?;
            // Free the rows before classifying: the memory is reused rather
            // than fresh pages faulted in (most of the cost on large inputs).
            drop(input);
            let mut result = classify(&panel, a.method)?;
            if a.percentiles {
                result.add_percentiles(&panel)?;
            }
            for n in &result.notices {
                eprintln!("notice: {n}");
            }
            if json {
                result.table(&panel).emit(a.output.path(), json)
            } else {
                // Stream the rows: a panel may have millions of cells.
                stream::write_clusters_csv(a.output.path(), &result, &panel, parallelism())
            }
        }
        MapCommand::Strength(a) => {
            let input = load_input(&a.input, db)?;
            let panel = build_panel(&input)?;
            let (table, notices) = strength_table(&panel)?;
            for n in notices {
                eprintln!("notice: {n}");
            }
            table.emit(a.output.path(), json)
        }
        MapCommand::Growth(a) => {
            let input = load_input(&a.input, db)?;
            let panel = build_panel(&input)?;
            growth_table(&panel, a.start, a.end)?.emit(a.output.path(), json)
        }
        MapCommand::Complexity(a) => {
            let input = load_input(&a.input, db)?;
            let panel = build_panel(&input)?;
            let tables =
                complexity_tables(&panel, a.year, a.kind.as_deref(), a.rca_threshold, a.top)?;
            std::fs::create_dir_all(&a.out)
                .with_context(|| format!("cannot create {}", a.out.display()))?;
            for (name, table) in tables {
                let file = a
                    .out
                    .join(format!("{name}.{}", if json { "json" } else { "csv" }));
                table.emit(Some(&file), json)?;
            }
            Ok(())
        }
        MapCommand::Related(a) => {
            let input = load_input(&a.input, db)?;
            let panel = build_panel(&input)?;
            related_table(&panel, a.year, a.kind.as_deref(), a.top)?.emit(a.output.path(), json)
        }
    }
}

/// Threads to use: the machine's cores.
fn parallelism() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}
