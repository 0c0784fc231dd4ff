//! Node and graph metrics against NetworkX values (fixtures made by
//! `tests/fixtures/make_fixtures.py`). Exact metrics agree within 1e-9
//! relative; the power iterations (eigenvector, PageRank) replicate NetworkX's
//! iteration and stopping rule and agree within 1e-9 too (their own accuracy
//! is the tolerance 1e-6 per node).

mod common;

use common::{GRAPHS, assert_all_close, close, load};
use weaver_network::*;

const REL: f64 = 1e-9;
const ABS: f64 = 1e-12;

fn usize_f64(v: &[usize]) -> Vec<f64> {
    v.iter().map(|&x| x as f64).collect()
}

#[test]
fn node_metrics_match_networkx() {
    for name in GRAPHS {
        let f = load(name);
        let g = &f.graph;
        let m = &f.metrics;
        let check = |metric: &str, got: &[f64]| {
            assert_all_close(name, metric, got, &m[metric], REL, ABS);
        };
        check("degree", &usize_f64(&degree(g)));
        check("strength", &strength(g));
        check(
            "betweenness",
            &betweenness(g, &BetweennessOptions::default()),
        );
        check("closeness", &closeness(g, &ClosenessOptions::default()));
        match eigenvector(g, &EigenvectorOptions::default()) {
            Ok(x) => check("eigenvector", &x),
            Err(e) => assert!(
                m["eigenvector"].iter().all(Option::is_none),
                "{name}: {e} but NetworkX converged"
            ),
        }
        check(
            "pagerank",
            &pagerank(g, &PageRankOptions::default()).unwrap(),
        );
        check("clustering", &clustering(g));
        check("core_number", &usize_f64(&core_number(g)));
        check("component", &usize_f64(&components(g).membership));
        check("constraint", &constraint(g, &HolesOptions::default()));
        check(
            "effective_size",
            &effective_size(g, &HolesOptions::default()),
        );
        if m.contains_key("betweenness_w") {
            let o = BetweennessOptions {
                weighted_paths: true,
                ..Default::default()
            };
            check("betweenness_w", &betweenness(g, &o));
            let o = ClosenessOptions {
                weighted_paths: true,
                ..Default::default()
            };
            check("closeness_w", &closeness(g, &o));
        }
        if m.contains_key("constraint_w") {
            let o = HolesOptions { weighted: true };
            check("constraint_w", &constraint(g, &o));
            check("effective_size_w", &effective_size(g, &o));
        }
    }
}

#[test]
fn summaries_match_networkx() {
    for name in GRAPHS {
        let f = load(name);
        let s = &f.summary;
        let attr = f.node_attrs.get("club").map(|v| ("club", v.as_slice()));
        let got = summary(&f.graph, attr, &SummaryOptions::default()).unwrap();
        let num = |k: &str| s[k].as_f64().unwrap_or(f64::NAN);
        assert_eq!(got.nodes as f64, num("nodes"), "{name}");
        assert_eq!(got.edges as f64, num("edges"), "{name}");
        assert_eq!(got.components as f64, num("components"), "{name}");
        assert_eq!(got.giant_size as f64, num("giant_size"), "{name}");
        for (k, v) in [
            ("density", got.density),
            ("average_clustering", got.average_clustering),
            ("transitivity", got.transitivity),
            ("average_path_length_giant", got.average_path_length_giant),
            ("degree_assortativity", got.degree_assortativity),
        ] {
            assert!(close(v, num(k), REL, ABS), "{name} {k}: {v} vs {}", num(k));
        }
        if let Some((_, r)) = got.attribute_assortativity {
            let want = num("attribute_assortativity_club");
            assert!(close(r, want, REL, ABS), "{name}: {r} vs {want}");
        }
    }
}

#[test]
fn published_values() {
    // docs/methods.md: karate betweenness 0.437635 (node 0), 0.304075 (node 33);
    // attribute assortativity by club 0.717531; Florentine structural holes.
    let k = load("karate");
    let bc = betweenness(&k.graph, &BetweennessOptions::default());
    assert!((bc[0] - 0.437635).abs() < 1e-6);
    assert!((bc[33] - 0.304075).abs() < 1e-6);
    let r = attribute_assortativity(&k.graph, "club", &k.node_attrs["club"]).unwrap();
    assert!((r - 0.717531).abs() < 1e-6);

    let f = load("florentine");
    let g = &f.graph;
    let c = constraint(g, &HolesOptions::default());
    let e = effective_size(g, &HolesOptions::default());
    for (id, es, cs) in [
        ("Medici", 5.666667, 0.209877),
        ("Guadagni", 4.0, 0.25),
        ("Strozzi", 3.0, 0.458333),
    ] {
        let v = g.find(id).unwrap();
        assert!((e[v] - es).abs() < 1e-6, "{id} effective size {}", e[v]);
        assert!((c[v] - cs).abs() < 1e-6, "{id} constraint {}", c[v]);
    }
}

#[test]
fn weighted_structural_holes_reference() {
    // docs/methods.md's weighted example (hand-checked against NetworkX's per-node path).
    let e: Vec<_> = [
        (0, 1, 2.0),
        (0, 2, 1.0),
        (1, 2, 1.0),
        (0, 3, 3.0),
        (3, 4, 1.0),
    ]
    .iter()
    .map(|(s, t, w)| EdgeRecord::new(s.to_string(), t.to_string(), *w))
    .collect();
    let opts = GraphOptions {
        directed: false,
        weighted: true,
    };
    let (g, _) = Graph::from_edges(&[], &e, opts).unwrap();
    let o = HolesOptions { weighted: true };
    let es = effective_size(&g, &o);
    let cs = constraint(&g, &o);
    let want_e = [2.583333, 1.222222, 1.166667, 2.0, 1.0];
    let want_c = [0.500772, 0.891975, 1.138889, 0.625, 1.0];
    for v in 0..5 {
        assert!((es[v] - want_e[v]).abs() < 1e-6, "e({v}) = {}", es[v]);
        assert!((cs[v] - want_c[v]).abs() < 1e-6, "c({v}) = {}", cs[v]);
    }
}

#[test]
fn serial_and_parallel_agree() {
    for name in ["karate", "random_weighted", "random_directed"] {
        let g = &load(name).graph;
        for weighted_paths in [false, true] {
            let serial = BetweennessOptions {
                weighted_paths,
                parallel_threshold: usize::MAX,
                ..Default::default()
            };
            let par = BetweennessOptions {
                parallel_threshold: 0,
                ..serial
            };
            let a = betweenness(g, &serial);
            let b = betweenness(g, &par);
            for (x, y) in a.iter().zip(&b) {
                assert!(close(*x, *y, 1e-12, 1e-15), "{name}: {x} vs {y}");
            }
            let cs = ClosenessOptions {
                weighted_paths,
                parallel_threshold: usize::MAX,
                ..Default::default()
            };
            let cp = ClosenessOptions {
                parallel_threshold: 0,
                ..cs
            };
            assert_eq!(closeness(g, &cs), closeness(g, &cp), "{name}");
        }
        let s = SummaryOptions {
            parallel_threshold: usize::MAX,
        };
        let p = SummaryOptions {
            parallel_threshold: 0,
        };
        let none = None::<(&str, &[Option<String>])>;
        let a = summary(g, none, &s).unwrap();
        let b = summary(g, none, &p).unwrap();
        assert!(close(
            a.average_path_length_giant,
            b.average_path_length_giant,
            1e-12,
            0.0
        ));
    }
}

#[test]
fn sampled_betweenness_is_within_epsilon_and_deterministic() {
    let k = load("karate");
    let g = &k.graph;
    let exact = betweenness(g, &BetweennessOptions::default());
    let opts = SampledBetweennessOptions {
        epsilon: 0.05,
        delta: 0.05,
        seed: 7,
        ..Default::default()
    };
    let est = betweenness_sampled(g, &opts).unwrap();
    // RK sample size with VD bound from one BFS.
    let log = ((est.vertex_diameter_bound - 2) as f64).log2().floor();
    let r = (0.5 / 0.0025 * (log + 1.0 + (1.0f64 / 0.05).ln())).ceil() as usize;
    assert_eq!(est.samples, r);
    // Karate's diameter is 5 (6 nodes on the path); the bound is at least that.
    assert!(est.vertex_diameter_bound >= 6);
    for (e, x) in est.values.iter().zip(&exact) {
        assert!((e - x).abs() <= est.epsilon_normalized, "{e} vs {x}");
    }
    let serial = SampledBetweennessOptions {
        parallel_threshold: usize::MAX,
        ..opts
    };
    let parallel = SampledBetweennessOptions {
        parallel_threshold: 0,
        ..opts
    };
    assert_eq!(
        betweenness_sampled(g, &serial).unwrap(),
        betweenness_sampled(g, &parallel).unwrap()
    );
    let bad = SampledBetweennessOptions {
        epsilon: 0.0,
        ..opts
    };
    assert!(betweenness_sampled(g, &bad).is_err());
}

/// Weighted sampled betweenness (distance 1/weight) against NetworkX's
/// `betweenness_centrality(G, weight="distance")` on every weighted fixture,
/// directed included, for several seeds.
#[test]
fn weighted_sampled_betweenness_is_within_epsilon_of_networkx() {
    for name in GRAPHS {
        let f = load(name);
        let Some(reference) = f.metrics.get("betweenness_w") else {
            continue;
        };
        let g = &f.graph;
        let unweighted = betweenness(g, &BetweennessOptions::default());
        for seed in 0..5 {
            let opts = SampledBetweennessOptions {
                epsilon: 0.04,
                delta: 0.05,
                seed,
                weighted_paths: true,
                ..Default::default()
            };
            let est = betweenness_sampled(g, &opts).unwrap();
            assert!(est.vertex_diameter_bound <= g.node_count(), "{name}");
            let log = (est.vertex_diameter_bound.saturating_sub(2).max(1) as f64)
                .log2()
                .floor();
            let r = (0.5 / (0.04 * 0.04) * (log + 1.0 + (1.0f64 / 0.05).ln())).ceil() as usize;
            assert_eq!(est.samples, r, "{name}");
            for (v, (e, x)) in est.values.iter().zip(reference).enumerate() {
                let x = x.expect("a reference value");
                assert!(
                    (e - x).abs() <= est.epsilon_normalized,
                    "{name} seed {seed} node {v}: {e} vs {x}"
                );
            }
        }
        // The weighted values are not the unweighted ones: on karate the
        // gap is larger than the error bound, so the test tells them apart.
        if *name == "karate" {
            let gap = unweighted
                .iter()
                .zip(reference)
                .map(|(u, x)| (u - x.unwrap()).abs())
                .fold(0.0, f64::max);
            assert!(gap > 0.04 * 34.0 / 32.0, "gap {gap}");
        }
    }
}

/// A seeded G(n, m) graph with weights drawn from {1, 2, 3, 5}.
fn random_weighted(n: usize, m: usize, seed: u64) -> Graph {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand_pcg::Pcg64::seed_from_u64(seed);
    let mut edges = Vec::new();
    let mut seen = std::collections::HashSet::new();
    while edges.len() < m {
        let (a, b) = (rng.random_range(0..n), rng.random_range(0..n));
        if a == b || !seen.insert((a.min(b), a.max(b))) {
            continue;
        }
        let w = [1.0, 2.0, 3.0, 5.0][rng.random_range(0..4)];
        edges.push(EdgeRecord::new(a.to_string(), b.to_string(), w));
    }
    let opts = GraphOptions {
        directed: false,
        weighted: true,
    };
    Graph::from_edges(&[], &edges, opts).unwrap().0
}

/// On seeded random weighted graphs, against the exact weighted Brandes
/// (itself checked against NetworkX above): every estimate within ε for
/// several graphs and seeds; the same seed gives the same values, serial or
/// parallel.
#[test]
fn weighted_sampled_betweenness_on_random_graphs() {
    let exact_opts = BetweennessOptions {
        weighted_paths: true,
        ..Default::default()
    };
    for graph_seed in [1, 2, 3] {
        let g = random_weighted(120, 300, graph_seed);
        let exact = betweenness(&g, &exact_opts);
        for seed in [10, 11, 12] {
            let opts = SampledBetweennessOptions {
                epsilon: 0.03,
                delta: 0.1,
                seed,
                weighted_paths: true,
                ..Default::default()
            };
            let est = betweenness_sampled(&g, &opts).unwrap();
            let worst = est
                .values
                .iter()
                .zip(&exact)
                .map(|(e, x)| (e - x).abs())
                .fold(0.0, f64::max);
            assert!(
                worst <= est.epsilon_normalized,
                "graph {graph_seed} seed {seed}: error {worst} > {}",
                est.epsilon_normalized
            );
            // `est` ran on the rayon pool (more samples than the threshold).
            assert!(est.samples >= opts.parallel_threshold);
            let serial = SampledBetweennessOptions {
                parallel_threshold: usize::MAX,
                ..opts
            };
            assert_eq!(betweenness_sampled(&g, &serial).unwrap(), est);
        }
    }
}

/// The weighted vertex-diameter bound by hand: a path a–b–c–d with weights
/// 4, 1, 4 (lengths 0.25, 1, 0.25). Dijkstra from a: distances 0.25, 1.25,
/// 1.5; (1.5 + 1.25) · 4 = 11 edges at most, so the bound is the size, 4.
/// Adding a star of 8 leaves of weight 1 around d makes the component 12
/// nodes; from a the two largest distances are 2.5 and 2.5, 5 · 4 = 20
/// edges, again above the size: 12. With all weights 1 the bound is that of
/// BFS, 4 + 4 + 1 = 9 (the true vertex diameter is 5: leaf–d–c–b–a).
#[test]
fn weighted_vertex_diameter_bound_by_hand() {
    let mut e = vec![
        EdgeRecord::new("a", "b", 4.0),
        EdgeRecord::new("b", "c", 1.0),
        EdgeRecord::new("c", "d", 4.0),
    ];
    let opts = GraphOptions {
        directed: false,
        weighted: true,
    };
    let sampled = |g: &Graph, weighted_paths: bool| {
        let o = SampledBetweennessOptions {
            weighted_paths,
            epsilon: 0.1,
            ..Default::default()
        };
        betweenness_sampled(g, &o).unwrap().vertex_diameter_bound
    };
    let (g, _) = Graph::from_edges(&[], &e, opts).unwrap();
    assert_eq!(sampled(&g, true), 4);
    for k in 0..8 {
        e.push(EdgeRecord::new("d", format!("leaf{k}"), 1.0));
    }
    let (g, _) = Graph::from_edges(&[], &e, opts).unwrap();
    assert_eq!(sampled(&g, true), 12);
    // Equal weights: lengths all 1 / 1, d₁ + d₂ = 4 + 4 = 8 from a, so
    // ⌊8 · 1⌋ + 1 = 9 ≤ 12; BFS gives 4 + 4 + 1 = 9 too.
    let flat: Vec<EdgeRecord> = e
        .iter()
        .map(|r| EdgeRecord::new(r.source.clone(), r.target.clone(), 1.0))
        .collect();
    let (g, _) = Graph::from_edges(&[], &flat, opts).unwrap();
    assert_eq!(sampled(&g, true), 9);
    assert_eq!(sampled(&g, false), 9);
}

#[test]
fn degenerate_graphs() {
    let (g, _) = Graph::from_edges(&[], &[], GraphOptions::default()).unwrap();
    assert!(betweenness(&g, &BetweennessOptions::default()).is_empty());
    assert!(eigenvector(&g, &EigenvectorOptions::default()).is_err());
    assert!(
        pagerank(&g, &PageRankOptions::default())
            .unwrap()
            .is_empty()
    );
    let s = summary(
        &g,
        None::<(&str, &[Option<&str>])>,
        &SummaryOptions::default(),
    )
    .unwrap();
    assert_eq!((s.nodes, s.components, s.density), (0, 0, 0.0));
    assert!(s.average_path_length_giant.is_nan());

    // Isolated nodes only.
    let ids: Vec<String> = ["a", "b"].iter().map(|s| s.to_string()).collect();
    let (g, _) = Graph::from_edges(&ids, &[], GraphOptions::default()).unwrap();
    assert_eq!(closeness(&g, &ClosenessOptions::default()), vec![0.0, 0.0]);
    assert!(constraint(&g, &HolesOptions::default())[0].is_nan());
    assert!(effective_size(&g, &HolesOptions::default())[1].is_nan());
    assert_eq!(clustering(&g), vec![0.0, 0.0]);
    assert_eq!(core_number(&g), vec![0, 0]);
    let pr = pagerank(&g, &PageRankOptions::default()).unwrap();
    assert_eq!(pr, vec![0.5, 0.5]);
    assert!(degree_assortativity(&g).is_nan());
}

#[test]
fn projection_matches_networkx() {
    let (_, rows) = common::read_csv("davis.participations.csv");
    let parts: Vec<Participation> = rows
        .iter()
        .map(|r| Participation {
            org: r[0].clone(),
            project: r[1].clone(),
            value: None,
        })
        .collect();
    let key = |a: &str, b: &str| {
        if a < b {
            (a.to_owned(), b.to_owned())
        } else {
            (b.to_owned(), a.to_owned())
        }
    };
    for (weight, file) in [
        (ProjectionWeight::SharedCount, "davis_women.edges.csv"),
        (ProjectionWeight::Newman, "davis_women.newman.csv"),
    ] {
        let (_, edges) = project_participations(&parts, weight).unwrap();
        let (_, want) = common::read_csv(file);
        let want: std::collections::HashMap<_, f64> = want
            .iter()
            .map(|r| (key(&r[0], &r[1]), r[2].parse().unwrap()))
            .collect();
        assert_eq!(edges.len(), want.len());
        for e in &edges {
            let w = want[&key(&e.source, &e.target)];
            assert!(close(e.weight, w, 1e-12, 0.0), "{e:?} vs {w}");
        }
    }
}
