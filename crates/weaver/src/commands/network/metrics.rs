//! Node metrics and the graph's summary.

use anyhow::bail;
use weaver_network as net;
use weaver_network::NetworkError;
use weaver_service::structure::ExtraMetric;

use super::args::{MetricsArgs, name_of};
use super::input::NetworkInput;
use crate::output::{Cell, Table};

/// Node count above which exact betweenness needs `--exact` (or a sampled
/// estimate with `--sample-epsilon`).
pub const EXACT_BETWEENNESS_LIMIT: usize = 20_000;

/// The columns of `weaver network metrics`, in output order: the names of
/// [`Metric`](super::args::Metric)'s values.
pub const METRIC_COLUMNS: [&str; 11] = [
    "degree",
    "strength",
    "betweenness",
    "closeness",
    "eigenvector",
    "pagerank",
    "clustering",
    "core_number",
    "component",
    "constraint",
    "effective_size",
];

/// Computes the metrics table for an in-memory network.
pub fn metrics_table(input: &NetworkInput, args: &MetricsArgs) -> anyhow::Result<Table> {
    let wanted: Vec<&str> = match &args.metrics {
        None => METRIC_COLUMNS.to_vec(),
        // Output follows the standard column order, each column once.
        Some(list) => METRIC_COLUMNS
            .iter()
            .copied()
            .filter(|&c| list.iter().any(|m| name_of(m) == c))
            .collect(),
    };
    let g = input.graph()?;
    let n = g.node_count();
    let wants = |c: &str| wanted.contains(&c);
    if wants("betweenness")
        && n > EXACT_BETWEENNESS_LIMIT
        && !args.exact
        && args.sample_epsilon.is_none()
    {
        bail!(
            "the graph has {n} nodes: exact betweenness (O(nm)) would take long. Pass --exact to \
             compute it anyway, or --sample-epsilon 0.01 for an estimate within ε with \
             probability 1−δ (Riondato–Kornaropoulos), or leave betweenness out of --metrics"
        );
    }
    if wants("closeness") && n > EXACT_BETWEENNESS_LIMIT {
        eprintln!(
            "notice: closeness on {n} nodes runs one search per node (O(nm)); this may take a while"
        );
    }
    let mut cols: Vec<Vec<Cell>> = Vec::new();
    for &c in &wanted {
        let col: Vec<Cell> = match c {
            "degree" => net::degree(&g).into_iter().map(Cell::from).collect(),
            "strength" => floats(net::strength(&g)),
            "betweenness" => match args.sample_epsilon {
                Some(eps) if !args.exact => {
                    let opts = net::SampledBetweennessOptions {
                        epsilon: eps,
                        delta: args.sample_delta,
                        seed: args.seed,
                        weighted_paths: args.weighted_paths,
                        ..Default::default()
                    };
                    let est = net::betweenness_sampled(&g, &opts)?;
                    eprintln!(
                        "notice: betweenness is a sampled estimate (Riondato–Kornaropoulos) on \
                         {} shortest paths: ε = {}, δ = {}, sample size = {}, vertex-diameter \
                         bound = {}; on the normalized scale every value is within {:.6} of the \
                         exact one with probability {}",
                        if args.weighted_paths {
                            "weighted (length 1/weight)"
                        } else {
                            "unweighted"
                        },
                        est.epsilon,
                        est.delta,
                        est.samples,
                        est.vertex_diameter_bound,
                        est.epsilon_normalized,
                        1.0 - est.delta
                    );
                    floats(est.values)
                }
                _ => floats(net::betweenness(
                    &g,
                    &net::BetweennessOptions {
                        weighted_paths: args.weighted_paths,
                        ..Default::default()
                    },
                )),
            },
            "closeness" => floats(net::closeness(
                &g,
                &net::ClosenessOptions {
                    weighted_paths: args.weighted_paths,
                    ..Default::default()
                },
            )),
            "eigenvector" => match ExtraMetric::Eigenvector.values(&g, args.weighted_paths) {
                Ok(x) => floats(x),
                Err(NetworkError::EmptyGraph { .. }) => Vec::new(),
                Err(e) => {
                    eprintln!("notice: eigenvector left empty: {e}");
                    vec![Cell::Empty; n]
                }
            },
            // The register's directed ties as arcs (the API's rule).
            "pagerank" => match net::pagerank(&input.form_graph()?, &Default::default()) {
                Ok(x) => floats(x),
                Err(e) => {
                    eprintln!("notice: pagerank left empty: {e}");
                    vec![Cell::Empty; n]
                }
            },
            "clustering" => floats(net::clustering(&g)),
            "core_number" => net::core_number(&g).into_iter().map(Cell::from).collect(),
            "component" => net::components(&g)
                .membership
                .into_iter()
                .map(Cell::from)
                .collect(),
            "constraint" => floats(ExtraMetric::Constraint.values(&g, args.weighted_paths)?),
            "effective_size" => floats(ExtraMetric::EffectiveSize.values(&g, args.weighted_paths)?),
            other => bail!("unknown metric {other}"),
        };
        cols.push(col);
    }
    let mut header = vec!["node"];
    header.extend(&wanted);
    let mut t = Table::new(&header);
    for v in 0..n {
        let mut row = vec![Cell::from(g.ids()[v].as_str())];
        row.extend(cols.iter().map(|c| c[v].clone()));
        t.push(row);
    }
    Ok(t)
}

fn floats(v: Vec<f64>) -> Vec<Cell> {
    v.into_iter().map(Cell::Float).collect()
}

/// Computes the one-row summary table for an in-memory network.
pub fn summary_table(input: &NetworkInput, attribute: Option<&str>) -> anyhow::Result<Table> {
    let g = input.graph()?;
    let attr_name = match attribute {
        Some(a) => {
            if !input.attributes.iter().any(|(n, _)| n == a) {
                bail!("--attribute {a}: the nodes table has no column {a:?}");
            }
            Some(a.to_owned())
        }
        None => input
            .attributes
            .iter()
            .any(|(n, _)| n == "actor_type")
            .then(|| "actor_type".to_owned()),
    };
    let values = attr_name.as_deref().and_then(|a| input.attribute(&g, a));
    let attr = attr_name.as_deref().zip(values.as_deref());
    let s = net::summary(&g, attr, &Default::default())?;
    let mut header = vec![
        "nodes".to_owned(),
        "edges".into(),
        "directed".into(),
        "density".into(),
        "components".into(),
        "giant_size".into(),
        "average_clustering".into(),
        "transitivity".into(),
        "average_path_length_giant".into(),
        "degree_assortativity".into(),
    ];
    let mut row = vec![
        Cell::from(s.nodes),
        Cell::from(s.edges),
        Cell::from(s.directed),
        Cell::from(s.density),
        Cell::from(s.components),
        Cell::from(s.giant_size),
        Cell::from(s.average_clustering),
        Cell::from(s.transitivity),
        Cell::from(s.average_path_length_giant),
        Cell::from(s.degree_assortativity),
    ];
    if let Some((name, r)) = s.attribute_assortativity {
        header.push(format!("attribute_assortativity_{name}"));
        row.push(Cell::from(r));
    }
    let mut t = Table::new(&header);
    t.push(row);
    Ok(t)
}

#[cfg(test)]
mod tests {
    use clap::ValueEnum;

    use super::super::args::Metric;

    use super::*;

    #[test]
    fn metric_columns_are_the_metric_values_in_order() {
        let names: Vec<String> = Metric::value_variants().iter().map(name_of).collect();
        assert_eq!(names, METRIC_COLUMNS);
    }
}
