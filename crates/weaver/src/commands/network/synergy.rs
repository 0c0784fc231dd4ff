//! Triple-helix synergy: the mutual information among two to four node
//! attributes, of a nodes table or of a cluster's members in the register.
//! The register's question is answered by
//! [`weaver_service::synergy::cluster_synergy`] (as the API's
//! `GET /clusters/{id}/synergy` answers it); both forms render one table.

use anyhow::{Context, bail};
use weaver_network as net;
use weaver_service::synergy::{ClusterSynergy, MemberAttribute, SynergyParams};

use super::args::SynergyArgs;
use super::input::{NetworkInput, read_nodes};
use super::output::emit_by_cluster;
use crate::commands::Ctx;
use crate::commands::from_register::period_of;
use crate::commands::register::{block_on, open};
use crate::output::{Cell, Table};

/// `weaver network synergy`: of `--nodes`, of `--cluster` or of every
/// cluster (`--all-clusters`, stacked as [`super::by_cluster`] does).
pub(super) fn run(a: &SynergyArgs, ctx: &Ctx) -> anyhow::Result<()> {
    let register = &a.register;
    if register.cluster.is_none() && !register.all_clusters {
        let Some(path) = &a.nodes else {
            bail!("give the nodes as --nodes N.csv, or a cluster of the register as --cluster ID");
        };
        let (node_ids, attributes) = read_nodes(path)?;
        let input = NetworkInput {
            node_ids,
            attributes,
            ..Default::default()
        };
        return synergy_table(&input, a.columns.as_deref())?.emit(a.output.path(), ctx.json);
    }
    period_of("--period", register.period.as_deref())?;
    let columns = match &a.columns {
        None => MemberAttribute::DEFAULT.to_vec(),
        Some(names) => names
            .iter()
            .map(|n| MemberAttribute::parse(n))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| anyhow::anyhow!("--{e}"))?,
    };
    check_count(columns.len())?;
    let params = SynergyParams {
        period: register.period.clone(),
        columns,
    };
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
                let s = weaver_service::synergy::cluster_synergy(&store, &admin, &id, &params)
                    .await
                    .with_context(|| format!("cannot read cluster {id} from the register"))?;
                answers.push(s);
            }
            anyhow::Ok(answers)
        };
        let answers = read.await;
        store.close().await;
        answers
    })?;
    if register.cluster.is_some() {
        let s = answers.first().context("no answer for the cluster")?;
        return cluster_synergy_table(s).emit(a.output.path(), ctx.json);
    }
    if answers.is_empty() {
        bail!("--all-clusters: the register holds no clusters; import a clusters table first");
    }
    let tables: Vec<(String, Table)> = answers
        .iter()
        .map(|s| (s.cluster.clone(), cluster_synergy_table(s)))
        .collect();
    emit_by_cluster(&tables, a.output.path(), ctx.json)
}

fn check_count(n: usize) -> anyhow::Result<()> {
    if !(2..=4).contains(&n) {
        bail!("--columns: expected 2 to 4 columns, got {n}");
    }
    Ok(())
}

/// The one-row table of a synergy: `dimensions,columns,rows,mutual_information_bits`
/// (columns joined by `;`).
pub fn synergy_rows(columns: &[&str], rows: usize, bits: f64) -> Table {
    let mut t = Table::new(&["dimensions", "columns", "rows", "mutual_information_bits"]);
    t.push(vec![
        Cell::from(columns.len()),
        Cell::from(columns.join(";")),
        Cell::from(rows),
        Cell::from(bits),
    ]);
    t
}

/// The table of a cluster's synergy, as of a nodes table.
fn cluster_synergy_table(s: &ClusterSynergy) -> Table {
    let names: Vec<&str> = s.columns.iter().map(|c| c.name()).collect();
    synergy_rows(&names, s.rows, s.mutual_information_bits)
}

/// Computes the mutual information of node attributes of a nodes table.
pub fn synergy_table(input: &NetworkInput, columns: Option<&[String]>) -> anyhow::Result<Table> {
    let cols: Vec<String> = match columns {
        Some(c) => c.to_vec(),
        None => MemberAttribute::DEFAULT
            .iter()
            .map(|a| a.name().to_owned())
            .collect(),
    };
    check_count(cols.len())?;
    let mut data = Vec::new();
    for c in &cols {
        let Some((_, v)) = input.attributes.iter().find(|(n, _)| n == c) else {
            bail!("--columns: the nodes table has no column {c:?}");
        };
        data.push(v.as_slice());
    }
    let mi = net::mutual_information(&data)?;
    let names: Vec<&str> = cols.iter().map(String::as_str).collect();
    Ok(synergy_rows(&names, mi.rows, mi.value))
}
