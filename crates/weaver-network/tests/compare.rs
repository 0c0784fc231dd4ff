//! Period comparison on hand-made periods.

use weaver_network::*;

#[test]
fn directed_periods_keep_arc_direction() {
    let o = GraphOptions {
        directed: true,
        weighted: true,
    };
    let a = Graph::from_edges(
        &[],
        &[
            EdgeRecord::new("x", "y", 2.0),
            EdgeRecord::new("y", "x", 1.0),
        ],
        o,
    )
    .unwrap()
    .0;
    let b = Graph::from_edges(
        &["q".to_string()],
        &[
            EdgeRecord::new("x", "y", 1.0),
            EdgeRecord::new("y", "x", 1.0),
        ],
        o,
    )
    .unwrap()
    .0;
    let c = compare_periods(&a, &b);
    assert_eq!(c.nodes, vec!["x", "y", "q"]);
    assert_eq!(
        c.status,
        vec![NodeStatus::Stayed, NodeStatus::Stayed, NodeStatus::Entrant]
    );
    assert_eq!(c.ties.len(), 2);
    assert_eq!(
        (c.ties[0].source.as_str(), c.ties[0].change),
        ("x", TieChange::Weakened)
    );
    assert_eq!(
        (c.ties[1].source.as_str(), c.ties[1].change),
        ("y", TieChange::Unchanged)
    );
    assert_eq!(c.after_index[2], Some(0));
    assert_eq!(c.before_index[2], None);
}

#[test]
fn empty_periods() {
    let (g, _) = Graph::from_edges(&[], &[], GraphOptions::default()).unwrap();
    let c = compare_periods(&g, &g);
    assert!(c.nodes.is_empty() && c.ties.is_empty());
}
