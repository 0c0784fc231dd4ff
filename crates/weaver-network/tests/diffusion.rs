//! The Cowan–Jonard model and the Watts–Strogatz generator on small cases
//! worked by hand.

use weaver_network::*;

fn pair() -> Graph {
    Graph::from_edges(
        &[],
        &[EdgeRecord::new("a", "b", 1.0)],
        GraphOptions::default(),
    )
    .unwrap()
    .0
}

#[test]
fn no_double_coincidence_no_trade() {
    // a leads in every category: b has nothing to offer, so nobody trades.
    let opts = CowanJonardOptions {
        categories: 2,
        initial: Some(vec![vec![1.0, 1.0], vec![0.0, 0.0]]),
        ..Default::default()
    };
    let r = cowan_jonard(&pair(), &opts).unwrap();
    assert_eq!((r.steps, r.trades), (0, 0));
    assert!(r.steady);
    assert_eq!(r.mean, 0.5);
    assert_eq!(r.variance, 0.25);
    assert_eq!(r.cv, 1.0);
}

#[test]
fn one_trade_by_hand() {
    // α = 0.25, threshold 0.3: a = (1, 0, 0.5), b = (0, 1, 0.6).
    // a leads in 0 by 1, b in 1 by 1; category 2 differs by 0.1 < 0.3.
    // After one trade: a = (1, 0.25, 0.5), b = (0.25, 1, 0.6); the gaps are
    // 0.75 > 0.3, so they trade again: a = (1, 0.4375, 0.5), b = (0.4375, 1, 0.6);
    // gaps 0.5625, then 0.421875, then 0.31640625, then 0.2373 < 0.3: five
    // trades in all.
    let opts = CowanJonardOptions {
        categories: 3,
        alpha: 0.25,
        threshold: 0.3,
        initial: Some(vec![vec![1.0, 0.0, 0.5], vec![0.0, 1.0, 0.6]]),
        ..Default::default()
    };
    let r = cowan_jonard(&pair(), &opts).unwrap();
    assert_eq!(r.trades, 5);
    let gap = 0.75f64.powi(5);
    assert!((r.knowledge[0][1] - (1.0 - gap)).abs() < 1e-15);
    assert_eq!(r.knowledge[0][2], 0.5);
    assert_eq!(r.knowledge[1][2], 0.6);
    let mean = (1.0 + (1.0 - gap) + 0.5 + (1.0 - gap) + 1.0 + 0.6) / 6.0;
    assert!((r.mean - mean).abs() < 1e-15);
}

#[test]
fn runs_are_deterministic_and_reach_a_steady_state() {
    let g = watts_strogatz(60, 4, 0.1, 3).unwrap();
    let opts = CowanJonardOptions {
        seed: 9,
        threshold: 1e-2,
        ..Default::default()
    };
    let a = cowan_jonard(&g, &opts).unwrap();
    let b = cowan_jonard(&g, &opts).unwrap();
    assert_eq!(a, b);
    assert!(a.steady);
    // Knowledge never decreases and never exceeds the initial maximum.
    assert!(a.mean > 0.5 && a.mean <= 1.0, "{}", a.mean);
    for row in &a.knowledge {
        assert!(row.iter().all(|&x| (0.0..=1.0).contains(&x)));
    }
    let bad = CowanJonardOptions {
        alpha: 0.0,
        ..Default::default()
    };
    assert!(cowan_jonard(&g, &bad).is_err());
}

#[test]
fn watts_strogatz_keeps_the_edge_count() {
    for p in [0.0, 0.1, 1.0] {
        let g = watts_strogatz(30, 6, p, 5).unwrap();
        assert_eq!(g.edge_count(), 90, "p = {p}");
        assert_eq!(g.node_count(), 30);
    }
    // p = 0: a ring lattice, every degree 6 and clustering 3(k−2)/(4(k−1)) = 0.6.
    let g = watts_strogatz(30, 6, 0.0, 5).unwrap();
    assert!(degree(&g).iter().all(|&d| d == 6));
    assert!(clustering(&g).iter().all(|&c| (c - 0.6).abs() < 1e-12));
    assert!(watts_strogatz(10, 3, 0.1, 0).is_err());
    assert!(watts_strogatz(10, 4, 1.5, 0).is_err());
}

#[test]
fn cascade_matches_closed_forms() {
    // Path a–b–c with p = 0.5: spread from a = 1 + p + p² = 1.75, from
    // b = 1 + 2p = 2; Monte Carlo with 20,000 runs (sd about 0.006).
    let e = vec![
        EdgeRecord::new("a", "b", 1.0),
        EdgeRecord::new("b", "c", 1.0),
    ];
    let (g, _) = Graph::from_edges(&[], &e, GraphOptions::default()).unwrap();
    let opts = CascadeOptions {
        probability: 0.5,
        runs: 20_000,
        seed: 1,
        ..Default::default()
    };
    let s = cascade_spread(&g, &opts).unwrap();
    assert!((s[0] - 1.75).abs() < 0.03, "{s:?}");
    assert!((s[1] - 2.0).abs() < 0.03, "{s:?}");
    assert_eq!(s, cascade_spread(&g, &opts).unwrap());
    // p = 0: nobody spreads.
    let zero = CascadeOptions {
        probability: 0.0,
        runs: 10,
        ..Default::default()
    };
    assert_eq!(cascade_spread(&g, &zero).unwrap(), vec![1.0; 3]);
    // Directed a→b→c with p = 0.5: a reaches 1 + p + p², c only itself.
    let o = GraphOptions {
        directed: true,
        weighted: true,
    };
    let e = vec![
        EdgeRecord::new("a", "b", 2.0),
        EdgeRecord::new("b", "c", 1.0),
    ];
    let (d, _) = Graph::from_edges(&[], &e, o).unwrap();
    let s = cascade_spread(&d, &opts).unwrap();
    assert!((s[0] - 1.75).abs() < 0.03 && s[2] == 1.0, "{s:?}");
    // Weighted: a→b of weight 2 transmits with 1 − 0.5² = 0.75:
    // a reaches 1 + 0.75 + 0.75·0.5 = 2.125.
    let w = CascadeOptions {
        weighted: true,
        ..opts
    };
    let s = cascade_spread(&d, &w).unwrap();
    assert!((s[0] - 2.125).abs() < 0.03, "{s:?}");
    let bad = CascadeOptions {
        probability: 2.0,
        ..Default::default()
    };
    assert!(cascade_spread(&g, &bad).is_err());
}
