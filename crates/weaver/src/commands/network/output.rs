//! Writing the tables: one network's, or every cluster's together.

use std::path::Path;

use anyhow::Context;

use super::args::GraphArgs;
use super::input::{NetworkInput, load};
use crate::commands::Ctx;
use crate::output::{Cell, Table};

/// Runs `table` on the network named by `args` and writes the result; with
/// `--all-clusters` runs it on every cluster's network of the register, in
/// id order, and writes the tables together (see [`by_cluster`]). Notices on
/// standard error are preceded by `cluster ID:` then.
pub fn for_each_network(
    args: &GraphArgs,
    ctx: &Ctx,
    out: Option<&Path>,
    table: impl Fn(&NetworkInput) -> anyhow::Result<Table>,
) -> anyhow::Result<()> {
    if !args.register.all_clusters {
        let input = load(args, ctx.db)?;
        return table(&input)?.emit(out, ctx.json);
    }
    let inputs = crate::commands::from_register::all_network_inputs(
        ctx.db,
        args.register.period.as_deref(),
        args.directed,
    )?;
    let mut tables = Vec::with_capacity(inputs.len());
    for (id, input) in &inputs {
        eprintln!("cluster {id}:");
        let t = table(input).with_context(|| format!("cluster {id}"))?;
        tables.push((id.clone(), t));
    }
    emit_by_cluster(&tables, out, ctx.json)
}

/// Writes per-cluster tables together: as JSON one entry per cluster id, as
/// CSV stacked with a leading `cluster` column (see [`by_cluster`]).
pub fn emit_by_cluster(
    tables: &[(String, Table)],
    out: Option<&Path>,
    json: bool,
) -> anyhow::Result<()> {
    if json {
        let obj: serde_json::Map<String, serde_json::Value> = tables
            .iter()
            .map(|(id, t)| (id.clone(), t.to_json()))
            .collect();
        let text = serde_json::to_string_pretty(&serde_json::Value::Object(obj))?;
        match out {
            Some(path) => std::fs::write(path, text + "\n")
                .with_context(|| format!("cannot write {}", path.display())),
            // As `Table::emit`: a closed pipe is an error, not a panic.
            None => {
                use std::io::Write;
                writeln!(std::io::stdout().lock(), "{text}").context("cannot write the output")
            }
        }
    } else {
        by_cluster(tables).emit(out, false)
    }
}

/// Stacks per-cluster tables into one with a leading `cluster` column. The
/// columns are those of the first table followed by any others in order of
/// first appearance; a table without a column gets empty cells there.
pub fn by_cluster(tables: &[(String, Table)]) -> Table {
    let mut columns: Vec<String> = vec!["cluster".into()];
    for (_, t) in tables {
        for c in &t.columns {
            if !columns[1..].contains(c) {
                columns.push(c.clone());
            }
        }
    }
    let mut out = Table::new(&columns);
    for (id, t) in tables {
        let pos: Vec<Option<usize>> = columns[1..]
            .iter()
            .map(|c| t.columns.iter().position(|x| x == c))
            .collect();
        for row in &t.rows {
            let mut r = vec![Cell::from(id.as_str())];
            r.extend(
                pos.iter()
                    .map(|p| p.map_or(Cell::Empty, |k| row[k].clone())),
            );
            out.push(r);
        }
    }
    out
}
