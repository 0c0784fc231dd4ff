//! Link-prediction scores against NetworkX's karate values (docs/methods.md,
//! Link prediction) and
//! the recommender on a hand-worked cluster.

mod common;

use weaver_network::*;

#[test]
fn karate_scores_match_networkx() {
    let g = common::load("karate").graph;
    let pairs = [(0, 33), (5, 16), (2, 33)];
    let want: [(LinkScore, [f64; 3]); 5] = [
        (LinkScore::CommonNeighbors, [4.0, 1.0, 6.0]),
        (LinkScore::Jaccard, [0.137931, 0.2, 0.285714]),
        (LinkScore::AdamicAdar, [2.71102, 0.721348, 4.719381]),
        (LinkScore::ResourceAllocation, [0.9, 0.25, 1.566667]),
        (LinkScore::PreferentialAttachment, [272.0, 8.0, 170.0]),
    ];
    for (score, w) in want {
        let got = link_scores(&g, &pairs, score).unwrap();
        for (x, y) in got.iter().zip(w) {
            assert!((x - y).abs() < 1e-5, "{score:?}: {x} vs {y}");
        }
    }
    assert!(link_scores(&g, &[(0, 99)], LinkScore::Jaccard).is_err());
}

#[test]
fn recommender_explains_its_suggestions() {
    // Two groups: u1–r1–e1 triangle-free chain and e2–e3 linked to e1.
    //   u1 (university, robotics) – r1 (research) – e1 (enterprise, robotics)
    //   e1 – e2 (enterprise, textiles), e2 – e3 (enterprise, textiles), e1 – e3
    let rows: Vec<EdgeRecord> = [
        ("u1", "r1"),
        ("r1", "e1"),
        ("e1", "e2"),
        ("e2", "e3"),
        ("e1", "e3"),
    ]
    .iter()
    .map(|(s, t)| EdgeRecord::new(*s, *t, 1.0))
    .collect();
    let (g, _) = Graph::from_edges(&[], &rows, GraphOptions::default()).unwrap();
    // Node order: u1, r1, e1, e2, e3.
    let s = |x: &str| Some(x.to_string());
    let types = vec![
        s("university"),
        s("research"),
        s("enterprise"),
        s("enterprise"),
        s("enterprise"),
    ];
    let fields = vec![
        s("robotics"),
        None,
        s("robotics"),
        s("textiles"),
        s("textiles"),
    ];
    let attrs = RecommendAttributes {
        actor_type: Some(&types),
        field: Some(&fields),
    };
    let sugg = recommend(&g, attrs, &RecommendOptions::default()).unwrap();
    // Candidates at distance 2: u1–e1 (via r1), r1–e2, r1–e3 (via e1).
    let pairs: Vec<(usize, usize)> = sugg.iter().map(|s| (s.source, s.target)).collect();
    assert_eq!(pairs.len(), 3);
    let top = &sugg[0];
    assert_eq!((top.source, top.target), (0, 2));
    // Adamic–Adar: via r1 (degree 2): 1/ln 2; via e1 (degree 3): 1/ln 3.
    assert!((top.structural_raw - 1.0 / 2f64.ln()).abs() < 1e-12);
    assert_eq!(top.structural, 1.0);
    assert_eq!(top.complementarity, 1.0); // different types, same field
    assert!(
        top.reasons
            .iter()
            .any(|r| r.contains("same field (robotics)"))
    );
    assert!(top.reasons[0].starts_with("1 common partner"));
    let r1e2 = sugg
        .iter()
        .find(|s| (s.source, s.target) == (1, 3))
        .unwrap();
    assert!((r1e2.structural - 2f64.ln() / 3f64.ln()).abs() < 1e-12);
    assert_eq!(r1e2.complementarity, 0.5);
    // Weighted sum.
    for s in &sugg {
        let want = 0.5 * s.structural + 0.3 * s.complementarity + 0.2 * s.bridging;
        assert!((s.score - want).abs() < 1e-12);
    }
    assert!(sugg.windows(2).all(|w| w[0].score >= w[1].score));

    // Only for e3: its single candidate r1.
    let only = RecommendOptions {
        only: Some(4),
        ..Default::default()
    };
    let s3 = recommend(&g, attrs, &only).unwrap();
    assert_eq!(s3.len(), 1);
    assert_eq!((s3[0].source, s3[0].target), (4, 1));
    let bad = RecommendOptions {
        bridging_weight: -1.0,
        ..Default::default()
    };
    assert!(recommend(&g, attrs, &bad).is_err());
}

#[test]
fn recommender_marks_bridges_between_communities() {
    // Two triangles joined through a broker b: a1 a2 a3 – b – c1 c2 c3.
    let rows: Vec<EdgeRecord> = [
        ("a1", "a2"),
        ("a2", "a3"),
        ("a1", "a3"),
        ("c1", "c2"),
        ("c2", "c3"),
        ("c1", "c3"),
        ("a1", "b"),
        ("b", "c1"),
    ]
    .iter()
    .map(|(s, t)| EdgeRecord::new(*s, *t, 1.0))
    .collect();
    let (g, _) = Graph::from_edges(&[], &rows, GraphOptions::default()).unwrap();
    let sugg = recommend(
        &g,
        RecommendAttributes::default(),
        &RecommendOptions::default(),
    )
    .unwrap();
    let a1 = g.find("a1").unwrap();
    let c1 = g.find("c1").unwrap();
    let bridge = sugg
        .iter()
        .find(|s| (s.source, s.target) == (a1, c1))
        .expect("a1–c1 is a candidate");
    assert_eq!(bridge.bridging, 1.0);
    assert!(
        bridge
            .reasons
            .iter()
            .any(|r| r.contains("bridges communities"))
    );
}

#[test]
fn auc_by_hand_and_sampled() {
    // Star hub h with leaves a, b, c, d; later a–b forms (probe).
    // Non-edges: a–c, a–d, b–c, b–d, c–d: every leaf pair has common
    // neighbours 1 (the hub), as does the probe: all ties, AUC = 0.5.
    let rows: Vec<EdgeRecord> = ["a", "b", "c", "d"]
        .iter()
        .map(|t| EdgeRecord::new("h", *t, 1.0))
        .collect();
    let (g, _) = Graph::from_edges(&[], &rows, GraphOptions::default()).unwrap();
    let (a, b) = (g.find("a").unwrap(), g.find("b").unwrap());
    let opts = LinkEvalOptions {
        score: LinkScore::CommonNeighbors,
        k: 2,
        ..Default::default()
    };
    let r = evaluate_links(&g, &[(a, b)], &opts).unwrap();
    assert_eq!((r.auc, r.comparisons, r.exact), (0.5, 5, true));
    // Top-2 by node order among the six equal candidates: a–b, a–c → 1/2.
    assert_eq!(r.precision, 0.5);
    // Sampled AUC on karate with the non-edges (0, 33) and (2, 33) of
    // docs/methods.md (Link prediction) as probes: deterministic for a seed.
    let k = common::load("karate").graph;
    let probes = [(0, 33), (2, 33)];
    // Exact: 481 non-edges × 2 probes; NetworkX's adamic_adar_index scores
    // both probes above every non-edge, so AUC = 1 (computed once in Python).
    let opts = LinkEvalOptions::default();
    let r = evaluate_links(&k, &probes, &opts).unwrap();
    assert_eq!((r.auc, r.comparisons, r.exact), (1.0, 962, true));
    // Sampled: 500 random comparisons give the same, reproducibly.
    let opts = LinkEvalOptions {
        samples: 500,
        seed: 4,
        ..Default::default()
    };
    let r1 = evaluate_links(&k, &probes, &opts).unwrap();
    assert_eq!(r1, evaluate_links(&k, &probes, &opts).unwrap());
    assert_eq!((r1.auc, r1.comparisons, r1.exact), (1.0, 500, false));
    assert!(evaluate_links(&k, &[(0, 1)], &opts).is_err()); // already a tie
}
