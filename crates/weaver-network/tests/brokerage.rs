//! Brokerage against hand-worked examples in sna's convention (docs/methods.md,
//! Brokerage),
//! the E-I index against Krackhardt–Stern's karate value, and mutual
//! information against hand-computed entropies.

mod common;

use weaver_network::*;

fn path(groups: [usize; 3]) -> Brokerage {
    let e = vec![
        EdgeRecord::new("a", "b", 1.0),
        EdgeRecord::new("b", "c", 1.0),
    ];
    let (g, _) = Graph::from_edges(&[], &e, GraphOptions::default()).unwrap();
    brokerage(&g, &groups).unwrap()
}

#[test]
fn roles_on_an_undirected_path() {
    // Columns: coordinator, itinerant, representative, gatekeeper, liaison, total.
    assert_eq!(
        path([0, 0, 0]).raw[1].values(),
        [2.0, 0.0, 0.0, 0.0, 0.0, 2.0]
    );
    assert_eq!(
        path([0, 1, 0]).raw[1].values(),
        [0.0, 2.0, 0.0, 0.0, 0.0, 2.0]
    );
    assert_eq!(
        path([0, 1, 2]).raw[1].values(),
        [0.0, 0.0, 0.0, 0.0, 2.0, 2.0]
    );
    assert_eq!(
        path([0, 0, 1]).raw[1].values(),
        [0.0, 0.0, 1.0, 1.0, 0.0, 2.0]
    );
    // The ends broker nothing.
    assert_eq!(path([0, 1, 0]).raw[0].values(), [0.0; 6]);
}

#[test]
fn expected_values_and_z_scores_by_hand() {
    // Path a–b–c, groups A, B, A. N = 3, m = 4 arcs, d = 2/3,
    // q = d²(1−d) = 4/27, d³(1−d)³ = 8/729. Broker b (group B, n_i = 1):
    // E[itinerant] = q · 2·1 = 8/27; Var = E(1−q) + 2·Σ n_j(n_j−1)(n_j−2)·8/729
    // = (8/27)(23/27) = 184/729; z = (2 − 8/27)/√(184/729) = 46/√184.
    let b = path([0, 1, 0]);
    assert!((b.density - 2.0 / 3.0).abs() < 1e-15);
    let eb = b.expected[1];
    assert!((eb[BrokerageRole::Itinerant] - 8.0 / 27.0).abs() < 1e-15);
    assert_eq!(eb[BrokerageRole::Coordinator], 0.0);
    assert!((b.sd[1][BrokerageRole::Itinerant] - (184.0f64 / 729.0).sqrt()).abs() < 1e-15);
    assert!((b.z[1][BrokerageRole::Itinerant] - 46.0 / 184.0f64.sqrt()).abs() < 1e-12);
    // Total: E = q(N−1)(N−2) = 8/27, Var = E(1−q) + 2·2·1·0·… = 184/729.
    assert!((b.expected[1][BrokerageRole::Total] - 8.0 / 27.0).abs() < 1e-15);
    assert!((b.z[1][BrokerageRole::Total] - 46.0 / 184.0f64.sqrt()).abs() < 1e-12);
    // Zero variance (a coordinator among three groups of one): z undefined.
    assert!(path([0, 1, 2]).z[1][BrokerageRole::Coordinator].is_nan());
    // Ends a, c (group A, n_i = 2): E[representative] = q(3−2)(2−1) = 4/27;
    // Var = E(1−q) + 2((n_i−1)·C(1,2) + 1·C(1,2))·c = (4/27)(23/27).
    assert!((b.expected[0][BrokerageRole::Representative] - 4.0 / 27.0).abs() < 1e-15);
    assert!((b.sd[0][BrokerageRole::Representative] - (92.0f64 / 729.0).sqrt()).abs() < 1e-15);
    // Liaison for the ends: (Σ_{j≠i} n_j)² − Σ n_j² = 1 − 1 = 0.
    assert_eq!(b.expected[0][BrokerageRole::Liaison], 0.0);
}

#[test]
fn a_closed_triad_has_no_broker() {
    let e = vec![
        EdgeRecord::new("a", "b", 1.0),
        EdgeRecord::new("b", "c", 1.0),
        EdgeRecord::new("a", "c", 1.0),
    ];
    let opts = GraphOptions {
        directed: true,
        weighted: false,
    };
    let (g, _) = Graph::from_edges(&[], &e, opts).unwrap();
    let b = brokerage(&g, &[0, 1, 0]).unwrap();
    assert_eq!(b.raw[1][BrokerageRole::Total], 0.0);
    // Reverse the shortcut: c→a does not close a→b→c (sna tests only a→c).
    let e = vec![
        EdgeRecord::new("a", "b", 1.0),
        EdgeRecord::new("b", "c", 1.0),
        EdgeRecord::new("c", "a", 1.0),
    ];
    let (g, _) = Graph::from_edges(&[], &e, opts).unwrap();
    let b = brokerage(&g, &[0, 1, 0]).unwrap();
    assert_eq!(b.raw[1].values(), [0.0, 1.0, 0.0, 0.0, 0.0, 1.0]);
    assert!(brokerage(&g, &[0, 1]).is_err());
}

#[test]
fn karate_ei_index_by_club() {
    let f = common::load("karate");
    let codes = encode_groups(&f.node_attrs["club"]);
    let r = ei_index(&f.graph, &codes).unwrap();
    assert_eq!((r.external, r.internal), (11, 67));
    assert!((r.index + 0.717949).abs() < 1e-6);
    assert!((r.cross_share - 11.0 / 78.0).abs() < 1e-15);
    // Each club sees all 11 external ties.
    let (e0, i0, _) = r.by_group[0];
    let (e1, i1, _) = r.by_group[1];
    assert_eq!((e0, e1, i0 + i1), (11, 11, 67));
    let total_node_ext: usize = r.by_node.iter().map(|x| x.0).sum();
    assert_eq!(total_node_ext, 22);
}

#[test]
fn mutual_information_by_hand() {
    // Four organizations: actor type (u, u, i, i) and region (r, s, r, s)
    // are independent, so T_xy = 1 + 1 − 2 = 0. With the first column
    // repeated: T = 1 + 1 + 1 − 2 − 1 − 2 + 2 = 0.
    let x = [Some("u"), Some("u"), Some("i"), Some("i")];
    let y = [Some("r"), Some("s"), Some("r"), Some("s")];
    let t2 = mutual_information(&[&x[..], &y[..]]).unwrap();
    assert!(t2.value.abs() < 1e-12);
    let t3 = mutual_information(&[&x[..], &y[..], &x[..]]).unwrap();
    assert!(t3.value.abs() < 1e-12);
    assert_eq!(t3.entropies.len(), 7);
    // Four dimensions with a constant column w: H_{S∪w} = H_S, so the terms
    // cancel in pairs and H_w = 0: T = 0.
    let w = [Some("c"); 4];
    let z = [Some("0"), Some("1"), Some("1"), Some("0")];
    let t4 = mutual_information(&[&x[..], &y[..], &z[..], &w[..]]).unwrap();
    assert!(t4.value.abs() < 1e-12);
    // A missing value drops the row: x = y on the rest (3 rows, p = 2/3, 1/3).
    let xm = [Some("u"), Some("u"), Some("i"), None];
    let t = mutual_information(&[&xm[..], &xm[..]]).unwrap();
    let h = -(2.0f64 / 3.0) * (2.0f64 / 3.0).log2() - (1.0f64 / 3.0) * (1.0f64 / 3.0).log2();
    assert_eq!(t.rows, 3);
    assert!((t.value - h).abs() < 1e-12);
    assert!(mutual_information(&[&x[..]]).is_err());
}
