//! Loading the NetworkX fixtures (see `tests/fixtures/make_fixtures.py`).

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;

use weaver_network::{EdgeRecord, Graph, GraphOptions};

/// A fixture of this crate (`tests/fixtures/{name}`).
pub fn fixture_path(name: &str) -> PathBuf {
    weaver_testkit::fixture("weaver-network", name)
}

/// Reads a simple CSV (no quoting) into a header and rows.
pub fn read_csv(name: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(fixture_path(name)).expect("fixture exists");
    let mut lines = text.lines();
    let header = lines
        .next()
        .expect("header")
        .split(',')
        .map(str::to_owned)
        .collect();
    let rows = lines
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect();
    (header, rows)
}

pub struct Fixture {
    pub graph: Graph,
    pub node_attrs: HashMap<String, Vec<Option<String>>>,
    pub metrics: HashMap<String, Vec<Option<f64>>>,
    pub summary: serde_json::Value,
}

pub fn load(name: &str) -> Fixture {
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture_path(&format!("{name}.summary.json"))).unwrap(),
    )
    .unwrap();
    let directed = summary["directed"].as_bool().unwrap();
    let weighted = summary["weighted"].as_bool().unwrap();
    let (nh, nrows) = read_csv(&format!("{name}.nodes.csv"));
    let ids: Vec<String> = nrows.iter().map(|r| r[0].clone()).collect();
    let mut node_attrs = HashMap::new();
    for (k, col) in nh.iter().enumerate().skip(1) {
        node_attrs.insert(
            col.clone(),
            nrows
                .iter()
                .map(|r| Some(r[k].clone()).filter(|s| !s.is_empty()))
                .collect(),
        );
    }
    let (_, erows) = read_csv(&format!("{name}.edges.csv"));
    let edges: Vec<EdgeRecord> = erows
        .iter()
        .map(|r| {
            EdgeRecord::new(
                r[0].clone(),
                r[1].clone(),
                r.get(2).map_or(1.0, |w| w.parse().unwrap()),
            )
        })
        .collect();
    let (graph, _) = Graph::from_edges(&ids, &edges, GraphOptions { directed, weighted }).unwrap();
    assert_eq!(graph.ids(), &ids[..], "node order follows the nodes table");
    let (mh, mrows) = read_csv(&format!("{name}.metrics.csv"));
    let mut metrics = HashMap::new();
    for (k, col) in mh.iter().enumerate().skip(1) {
        metrics.insert(
            col.clone(),
            mrows
                .iter()
                .map(|r| {
                    if r[k].is_empty() {
                        None
                    } else {
                        Some(r[k].parse().unwrap())
                    }
                })
                .collect(),
        );
    }
    Fixture {
        graph,
        node_attrs,
        metrics,
        summary,
    }
}

/// |a − b| ≤ rel · max(|a|, |b|) + abs (the one rule of every suite).
pub use weaver_testkit::close;

pub fn assert_all_close(
    name: &str,
    metric: &str,
    got: &[f64],
    want: &[Option<f64>],
    rel: f64,
    abs: f64,
) {
    assert_eq!(got.len(), want.len(), "{name} {metric}: length");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        let w = w.unwrap_or(f64::NAN);
        assert!(
            close(*g, w, rel, abs),
            "{name} {metric} node {i}: got {g}, NetworkX {w}"
        );
    }
}

pub const GRAPHS: &[&str] = &[
    "karate",
    "florentine",
    "davis_women",
    "random_weighted",
    "random_directed",
    "random_directed_sparse",
];
