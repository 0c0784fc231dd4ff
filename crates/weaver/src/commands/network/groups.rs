//! Analyses by group of nodes: communities, brokerage roles and openness.

use anyhow::bail;
use weaver_network as net;

use super::args::{CommunitiesArgs, Quality, name_of};
use super::input::NetworkInput;
use crate::output::{Cell, Table};

/// Computes `node,community` for an in-memory network; prints the modularity
/// on standard error.
pub fn communities_table(input: &NetworkInput, args: &CommunitiesArgs) -> anyhow::Result<Table> {
    let g = input.graph()?;
    if g.is_directed() {
        eprintln!("notice: communities treat the directed graph as undirected");
    }
    let params = weaver_service::structure::CommunityParams {
        method: args.method.into(),
        quality: args.quality.into(),
        resolution: args.resolution,
        seed: args.seed,
    };
    let p = params
        .detect(&g)
        .map_err(|e| anyhow::anyhow!("--resolution/--method/--quality: {e}"))?;
    // The optimised quality is the modularity itself at resolution 1.
    let optimised = if args.quality == Quality::Modularity && args.resolution == 1.0 {
        String::new()
    } else {
        format!(
            "; {} at resolution {} = {}",
            name_of(&args.quality),
            args.resolution,
            crate::output::format_f64(p.quality)
        )
    };
    eprintln!(
        "{} communities; modularity = {}{optimised} (seed {})",
        p.sizes.len(),
        crate::output::format_f64(p.modularity),
        args.seed
    );
    let mut t = Table::new(&["node", "community"]);
    for (v, c) in p.membership.iter().enumerate() {
        t.push(vec![Cell::from(g.ids()[v].as_str()), Cell::from(*c)]);
    }
    Ok(t)
}

/// Computes the brokerage table for an in-memory network: the groups of
/// the nodes table's column `group`, every node with one
/// ([`weaver_service::structure::group_codes`]).
pub fn brokerage_table(input: &NetworkInput, group: &str) -> anyhow::Result<Table> {
    // The register's directed ties as arcs (the API's rule).
    let g = input.form_graph()?;
    let Some(values) = input.attribute(&g, group) else {
        bail!("--group {group}: the nodes table (--nodes) has no column {group:?}");
    };
    let codes = weaver_service::structure::group_codes(group, g.ids(), &values)
        .map_err(|e| anyhow::anyhow!("--{e}"))?;
    let b = net::brokerage(&g, &codes)?;
    let mut header = vec!["node".to_owned()];
    header.extend(net::BrokerageRole::ALL.map(|r| r.as_str().to_owned()));
    header.extend(net::BrokerageRole::ALL.map(|r| format!("{r}_z")));
    let mut t = Table::new(&header);
    for v in 0..g.node_count() {
        let mut row = vec![Cell::from(g.ids()[v].as_str())];
        row.extend(b.raw[v].values().map(|x| Cell::Int(x as i64)));
        row.extend(b.z[v].values().map(Cell::Float));
        t.push(row);
    }
    Ok(t)
}

/// Computes the openness table (one row per grouping attribute).
pub fn openness_table(input: &NetworkInput, groups: Option<&[String]>) -> anyhow::Result<Table> {
    let g = input.graph()?;
    let cols: Vec<String> = match groups {
        Some(c) => c.to_vec(),
        None => ["actor_type", "region", "cluster"]
            .iter()
            .filter(|c| input.attributes.iter().any(|(n, _)| n == *c))
            .map(|c| (*c).to_owned())
            .collect(),
    };
    if cols.is_empty() {
        bail!(
            "no attribute to group by: pass --nodes with actor_type, region or cluster, or --group COL"
        );
    }
    let mut t = Table::new(&[
        "attribute",
        "external",
        "internal",
        "ei_index",
        "cross_share",
        "groups",
    ]);
    let mut columns = Vec::with_capacity(cols.len());
    for col in &cols {
        let Some(values) = input.attribute(&g, col) else {
            bail!("--group {col}: the nodes table has no column {col:?}");
        };
        columns.push((col.clone(), values));
    }
    for r in weaver_service::network::openness(&g, &columns)? {
        t.push(vec![
            Cell::from(r.attribute.as_str()),
            Cell::from(r.external),
            Cell::from(r.internal),
            Cell::from(r.ei_index),
            Cell::from(r.cross_share),
            Cell::from(r.groups),
        ]);
    }
    Ok(t)
}
