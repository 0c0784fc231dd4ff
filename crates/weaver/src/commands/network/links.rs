//! Ties: suggested ties, link prediction on a time split, and the projection
//! of participations onto organizations.

use anyhow::bail;
use weaver_network as net;

use super::args::{EvaluateLinksArgs, ProjectArgs, RecommendArgs};
use super::input::{NetworkInput, column};
use weaver_io::csv_table::{CsvError, CsvTable};

use crate::output::{Cell, Table};

/// Computes the suggestions table for an in-memory network.
pub fn recommend_table(input: &NetworkInput, args: &RecommendArgs) -> anyhow::Result<Table> {
    let g = input.graph()?;
    let params = weaver_service::network::RecommendParams {
        score: args.score.into(),
        top: args.top,
        for_node: args.for_node.clone(),
        seed: args.seed,
    };
    let opts = params.options(&g, None).map_err(|e| match &args.for_node {
        Some(id) if g.find(id).is_none() => {
            anyhow::anyhow!("--for {id}: no such node in the input")
        }
        _ => anyhow::anyhow!("--{e}"),
    })?;
    let types = input.attribute(&g, &args.type_column);
    let fields = input.attribute(&g, &args.field_column);
    let attrs = net::RecommendAttributes {
        actor_type: types.as_deref(),
        field: fields.as_deref(),
    };
    let sugg = net::recommend(&g, attrs, &opts)?;
    let mut t = Table::new(&[
        "source",
        "target",
        "score",
        "structural",
        "complementarity",
        "bridging",
        "common_neighbors",
        "reasons",
    ]);
    for s in sugg {
        t.push(vec![
            Cell::from(g.ids()[s.source].as_str()),
            Cell::from(g.ids()[s.target].as_str()),
            Cell::from(s.score),
            Cell::from(s.structural),
            Cell::from(s.complementarity),
            Cell::from(s.bridging),
            Cell::from(s.common_neighbors),
            Cell::from(s.reasons.join("; ")),
        ]);
    }
    Ok(t)
}

/// Splits the ties by time and evaluates the score (AUC, precision@k).
pub fn evaluate_links_table(
    input: &NetworkInput,
    times: &[String],
    args: &EvaluateLinksArgs,
) -> anyhow::Result<Table> {
    let score: net::LinkScore = args.score.into();
    let mut train = NetworkInput {
        weighted: input.weighted,
        directed: false,
        ..Default::default()
    };
    let mut test = Vec::new();
    for (k, e) in input.edges.iter().enumerate() {
        let raw = &times[k];
        let t: f64 = raw.parse().map_err(|_| {
            anyhow::anyhow!(
                "{}, column {}: expected a number (year), found {raw:?}",
                input.edge_origin[k],
                args.time_column
            )
        })?;
        if t <= args.split {
            train.edges.push(e.clone());
            train.edge_origin.push(input.edge_origin[k].clone());
        } else {
            test.push(e);
        }
    }
    let g = train.graph()?;
    let index: std::collections::HashMap<&str, usize> = g
        .ids()
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let (mut probes, mut unseen, mut repeated) = (Vec::new(), 0usize, 0usize);
    for e in test {
        match (index.get(e.source.as_str()), index.get(e.target.as_str())) {
            (Some(&u), Some(&v)) if u != v => {
                if g.edge_weight(u, v).is_some() {
                    repeated += 1;
                } else {
                    probes.push((u, v));
                }
            }
            (Some(_), Some(_)) => {}
            _ => unseen += 1,
        }
    }
    eprintln!(
        "train: {} nodes, {} ties; test: {} new ties between train nodes, {} with a new node \
         (left out), {} repeating a train tie (left out)",
        g.node_count(),
        g.edge_count(),
        probes.len(),
        unseen,
        repeated
    );
    let opts = net::LinkEvalOptions {
        score,
        k: args.k,
        samples: args.samples,
        seed: args.seed,
    };
    let r = net::evaluate_links(&g, &probes, &opts)?;
    let mut t = Table::new(&[
        "score",
        "split",
        "probes",
        "auc",
        "comparisons",
        "exact",
        "k",
        "precision_at_k",
    ]);
    t.push(vec![
        Cell::from(score.name()),
        Cell::from(args.split),
        Cell::from(r.probes),
        Cell::from(r.auc),
        Cell::from(r.comparisons),
        Cell::from(r.exact),
        Cell::from(r.k),
        Cell::from(r.precision),
    ]);
    Ok(t)
}

/// Reads participations and projects them onto organizations.
pub fn project_table(args: &ProjectArgs) -> anyhow::Result<Table> {
    let weight: net::ProjectionWeight = args.weight.into();
    if weight == net::ProjectionWeight::ProjectValue && args.value_column.is_none() {
        bail!("--weight value needs --value-column");
    }
    let path = &args.participations;
    let file = path.display().to_string();
    let mut table = CsvTable::open(path)?;
    let headers = table.raw_header().to_vec();
    let need = |name: &str| {
        column(&headers, name).ok_or_else(|| CsvError::missing_column(&file, name, &headers))
    };
    let (oi, pi) = (need("org")?, need("project")?);
    let vi = match &args.value_column {
        Some(c) => {
            Some(column(&headers, c).ok_or_else(|| CsvError::missing_column(&file, c, &headers))?)
        }
        None => None,
    };
    let mut rows = Vec::new();
    table.rows(|line, rec| -> anyhow::Result<()> {
        let get = |k: usize, name: &str| -> anyhow::Result<String> {
            let v = rec.get(k).unwrap_or("").trim();
            if v.is_empty() {
                return Err(CsvError::cell(
                    &file,
                    line,
                    name,
                    "expected an id, found an empty cell",
                )
                .into());
            }
            Ok(v.to_owned())
        };
        let value = match vi {
            Some(k) => {
                let raw = rec.get(k).unwrap_or("").trim();
                if raw.is_empty() {
                    None
                } else {
                    let x: f64 = raw
                        .parse()
                        .ok()
                        .filter(|x: &f64| x.is_finite())
                        .ok_or_else(|| {
                            CsvError::cell(
                                &file,
                                line,
                                args.value_column.as_deref().unwrap_or(""),
                                format!("expected a number, found {raw:?}"),
                            )
                        })?;
                    Some(x)
                }
            }
            None => None,
        };
        rows.push(net::Participation {
            org: get(oi, "org")?,
            project: get(pi, "project")?,
            value,
        });
        Ok(())
    })?;
    let (orgs, edges) = net::project_participations(&rows, weight)?;
    let linked: std::collections::HashSet<&str> = edges
        .iter()
        .flat_map(|e| [e.source.as_str(), e.target.as_str()])
        .collect();
    let alone = orgs.iter().filter(|o| !linked.contains(o.as_str())).count();
    eprintln!(
        "{} organizations, {} ties; {alone} organization(s) share no project (not in the edge list)",
        orgs.len(),
        edges.len()
    );
    let mut t = Table::new(&["source", "target", "weight"]);
    for e in edges {
        t.push(vec![
            Cell::from(e.source),
            Cell::from(e.target),
            Cell::from(e.weight),
        ]);
    }
    Ok(t)
}
