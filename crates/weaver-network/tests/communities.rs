//! Modularity against NetworkX and the published karate values; Louvain and
//! Leiden reach NetworkX/igraph-level modularity, are deterministic for a
//! seed, and Leiden's communities are connected.

mod common;

use common::load;
use weaver_network::*;

fn club_membership(f: &common::Fixture) -> Vec<usize> {
    f.node_attrs["club"]
        .iter()
        .map(|c| usize::from(c.as_deref() == Some("Officer")))
        .collect()
}

fn unweighted(g: &Graph) -> Graph {
    let rows: Vec<EdgeRecord> = (0..g.node_count())
        .flat_map(|v| {
            g.out_neighbors(v)
                .iter()
                .filter(move |&&u| u > v)
                .map(move |&u| EdgeRecord::new(g.ids()[v].clone(), g.ids()[u].clone(), 1.0))
        })
        .collect();
    Graph::from_edges(g.ids(), &rows, GraphOptions::default())
        .unwrap()
        .0
}

#[test]
fn karate_club_split_modularity() {
    let f = load("karate");
    let m = club_membership(&f);
    // docs/methods.md, Communities (unweighted): 0.358235; NetworkX on the weighted graph
    // (its default weight="weight"): 0.39143756676224206.
    let q = modularity(&unweighted(&f.graph), &m, 1.0).unwrap();
    assert!((q - 0.3582347140039448).abs() < 1e-12, "{q}");
    let qw = modularity(&f.graph, &m, 1.0).unwrap();
    assert!((qw - 0.39143756676224206).abs() < 1e-12, "{qw}");
    // Resolution 0 leaves only the coverage term: share of internal weight.
    let q0 = modularity(&unweighted(&f.graph), &m, 0.0).unwrap();
    assert!((q0 - 67.0 / 78.0).abs() < 1e-12, "{q0}"); // 67 of 78 ties inside clubs
}

fn connected(g: &Graph, membership: &[usize], c: usize) -> bool {
    let nodes: Vec<usize> = (0..g.node_count())
        .filter(|&v| membership[v] == c)
        .collect();
    let sub = g.induced(&nodes);
    components(&sub).sizes.len() == 1
}

#[test]
fn louvain_and_leiden_reach_reference_modularity_on_karate() {
    let g = unweighted(&load("karate").graph);
    // NetworkX louvain_communities (seeds 0–2): 0.4188–0.4198; the best known
    // partition has Q = 0.4198 (igraph's optimal_modularity).
    for method in [CommunityAlgorithm::Louvain, CommunityAlgorithm::Leiden] {
        for seed in 0..5 {
            let opts = CommunityOptions {
                method,
                seed,
                ..Default::default()
            };
            let p = communities(&g, &opts).unwrap();
            assert!(
                p.modularity >= 0.41 && p.modularity <= 0.4198 + 1e-9,
                "{method:?} seed {seed}: Q = {}",
                p.modularity
            );
            let q = modularity(&g, &p.membership, 1.0).unwrap();
            assert!((q - p.modularity).abs() < 1e-12);
            assert!((p.quality - p.modularity).abs() < 1e-12);
            assert_eq!(p.sizes.iter().sum::<usize>(), 34);
            assert!(p.sizes.windows(2).all(|w| w[0] >= w[1]));
            if method == CommunityAlgorithm::Leiden {
                for c in 0..p.sizes.len() {
                    assert!(connected(&g, &p.membership, c), "seed {seed} community {c}");
                }
            }
            assert_eq!(p, communities(&g, &opts).unwrap(), "deterministic");
        }
    }
}

#[test]
fn leiden_on_weighted_and_random_graphs() {
    for name in ["karate", "davis_women", "random_weighted", "florentine"] {
        let g = load(name).graph;
        let p = communities(&g, &CommunityOptions::default()).unwrap();
        let q = modularity(&g, &p.membership, 1.0).unwrap();
        assert!((q - p.modularity).abs() < 1e-12);
        for c in 0..p.sizes.len() {
            assert!(connected(&g, &p.membership, c), "{name} community {c}");
        }
        let l = communities(
            &g,
            &CommunityOptions {
                method: CommunityAlgorithm::Louvain,
                ..Default::default()
            },
        )
        .unwrap();
        // Leiden is at least as good as Louvain up to a small margin.
        assert!(
            p.modularity >= l.modularity - 0.02,
            "{name}: {p:?} vs {l:?}"
        );
    }
    // NetworkX louvain on weighted karate: 0.4439–0.4449.
    let k = load("karate").graph;
    let p = communities(&k, &CommunityOptions::default()).unwrap();
    assert!(p.modularity > 0.44, "{}", p.modularity);
}

#[test]
fn cpm_and_resolution() {
    let g = unweighted(&load("karate").graph);
    // CPM with γ = 1 on an unweighted graph rewards only cliques: every
    // community is a clique, so its quality e_c − n_c(n_c−1)/2 is 0.
    let opts = CommunityOptions {
        quality: Quality::Cpm,
        resolution: 1.0,
        ..Default::default()
    };
    let p = communities(&g, &opts).unwrap();
    for c in 0..p.sizes.len() {
        let nodes: Vec<usize> = (0..34).filter(|&v| p.membership[v] == c).collect();
        let sub = g.induced(&nodes);
        let k = nodes.len();
        assert_eq!(
            sub.edge_count(),
            k * (k - 1) / 2,
            "community {c} is a clique"
        );
    }
    assert!(p.quality.abs() < 1e-12);
    // CPM with γ = 0 puts each component in one community: quality = m.
    let p = communities(
        &g,
        &CommunityOptions {
            quality: Quality::Cpm,
            resolution: 0.0,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(p.sizes, vec![34]);
    assert_eq!(p.quality, 78.0);
    // Higher modularity resolution gives more communities.
    let lo = communities(&g, &CommunityOptions::default()).unwrap();
    let hi = communities(
        &g,
        &CommunityOptions {
            resolution: 3.0,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(hi.sizes.len() > lo.sizes.len());
    let bad = CommunityOptions {
        resolution: -1.0,
        ..Default::default()
    };
    assert!(communities(&g, &bad).is_err());
}

#[test]
fn degenerate_partitions() {
    let ids: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
    let (g, _) = Graph::from_edges(&ids, &[], GraphOptions::default()).unwrap();
    let p = communities(&g, &CommunityOptions::default()).unwrap();
    assert_eq!(p.membership, vec![0, 1, 2]);
    assert!(p.modularity.is_nan());
    let (g, _) = Graph::from_edges(&[], &[], GraphOptions::default()).unwrap();
    let p = communities(&g, &CommunityOptions::default()).unwrap();
    assert!(p.membership.is_empty());
    assert!(modularity(&g, &[0], 1.0).is_err());
}
