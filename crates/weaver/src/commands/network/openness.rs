//! `weaver network openness` on the register: the openness of a cluster
//! (or of every cluster) with the ties beyond it, answered by
//! [`weaver_service::openness::openness`] as the API's
//! `GET /clusters/{id}/openness` answers it. With `--json` the answer is
//! printed whole (as the API gives it, without the cache's fields); as a
//! table, one row per attribute, or with `--partners` one row per group of
//! outside partners. The openness of files (`--edges`, `--nodes`) is
//! [`super::openness_table`].

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use weaver_service::openness::{ClusterOpenness, Grouping};

use super::args::OpennessArgs;
use super::output::emit_by_cluster;
use crate::commands::Ctx;
use crate::commands::from_register::period_of;
use crate::commands::register::{block_on, open};
use crate::output::{Cell, Table};

/// Runs `weaver network openness --cluster ID` or `--all-clusters`.
pub(super) fn run(a: &OpennessArgs, ctx: &Ctx) -> anyhow::Result<()> {
    let register = &a.graph.register;
    period_of("--period", register.period.as_deref())?;
    let groups = match &a.group {
        None => Grouping::ALL.to_vec(),
        Some(names) => Grouping::list(Some(names.join(",").as_str()))
            .map_err(|e| anyhow::anyhow!("--{}", e.to_string().trim_start_matches("--")))?,
    };
    let period = register.period.clone();
    let answers = block_on(async {
        let store = open(ctx.db).await?;
        let read = async {
            let ids = match &register.cluster {
                Some(id) => vec![id.clone()],
                None => {
                    let mut ids = store
                        .cluster_ids()
                        .await
                        .context("cannot list the clusters of the register")?;
                    // Byte order of the ids, whatever the database's collation.
                    ids.sort();
                    ids
                }
            };
            let admin = weaver_service::admin();
            let mut answers = Vec::with_capacity(ids.len());
            for id in ids {
                let o = weaver_service::openness::openness(
                    &store,
                    &admin,
                    &id,
                    period.as_deref(),
                    &groups,
                )
                .await
                .with_context(|| format!("cannot read cluster {id} from the register"))?;
                answers.push(o);
            }
            anyhow::Ok(answers)
        };
        let answers = read.await;
        store.close().await;
        answers
    })?;
    let out = a.output.path();
    if register.cluster.is_some() {
        let o = answers.first().context("no answer for the cluster")?;
        summary(o);
        if ctx.json {
            return emit_json(&serde_json::to_value(o)?, out);
        }
        return table(o, a.partners).emit(out, false);
    }
    if answers.is_empty() {
        bail!("--all-clusters: the register holds no clusters; import a clusters table first");
    }
    if ctx.json {
        let all: serde_json::Map<String, serde_json::Value> = answers
            .iter()
            .map(|o| Ok((o.cluster.clone(), serde_json::to_value(o)?)))
            .collect::<anyhow::Result<_>>()?;
        return emit_json(&serde_json::Value::Object(all), out);
    }
    let tables: Vec<(String, Table)> = answers
        .iter()
        .map(|o| {
            eprint!("cluster {}: ", o.cluster);
            summary(o);
            (o.cluster.clone(), table(o, a.partners))
        })
        .collect();
    emit_by_cluster(&tables, out, false)
}

/// The counts on standard error: members, ties, partners (the undisclosed
/// ones counted) and the E-I index of membership.
fn summary(o: &ClusterOpenness) {
    let f = |x: Option<f64>| x.map_or_else(|| "–".to_owned(), crate::output::format_f64);
    eprintln!(
        "{} members; ties: {} internal, {} external ({} to undisclosed partners); \
         {} partners outside ({} undisclosed); E-I of membership {}",
        o.members,
        o.ties.internal,
        o.ties.external,
        o.ties.undisclosed,
        o.partners.total,
        o.partners.undisclosed,
        f(o.ei_index)
    );
}

/// One row per attribute (external ties in, then the members' ties only),
/// or with `partners` one row per (attribute, partner value).
fn table(o: &ClusterOpenness, partners: bool) -> Table {
    if partners {
        let mut t = Table::new(&["attribute", "value", "ties", "partners"]);
        for by in &o.by {
            for g in &by.partners {
                t.push(vec![
                    Cell::from(by.attribute.name()),
                    Cell::from(g.value.clone()),
                    Cell::from(g.ties),
                    Cell::from(g.partners),
                ]);
            }
        }
        return t;
    }
    let mut t = Table::new(&[
        "attribute",
        "internal",
        "external",
        "unknown",
        "ei_index",
        "cross_share",
        "partner_groups",
        "members_internal",
        "members_external",
        "members_ei_index",
    ]);
    for by in &o.by {
        let inner = o
            .internal
            .iter()
            .find(|x| x.attribute == by.attribute.name());
        t.push(vec![
            Cell::from(by.attribute.name()),
            Cell::from(by.internal),
            Cell::from(by.external),
            Cell::from(by.unknown),
            Cell::from(by.ei_index),
            Cell::from(by.cross_share),
            Cell::from(by.partners.len()),
            Cell::from(inner.map(|x| x.internal)),
            Cell::from(inner.map(|x| x.external)),
            Cell::from(inner.map(|x| x.ei_index)),
        ]);
    }
    t
}

/// Writes `v` as pretty JSON to `out` or standard output (a closed pipe is
/// an error, not a panic).
pub(super) fn emit_json(v: &serde_json::Value, out: Option<&Path>) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(v)?;
    match out {
        Some(path) => std::fs::write(path, text + "\n")
            .with_context(|| format!("cannot write {}", path.display())),
        None => writeln!(std::io::stdout().lock(), "{text}").context("cannot write the output"),
    }
}
