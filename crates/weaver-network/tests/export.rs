//! GEXF and GraphML output. The files this test writes for karate were read
//! back once with NetworkX 3.6.1 (`nx.read_gexf`, `nx.read_graphml`): same
//! nodes, edges, weights and attributes (see `tests/fixtures/check_export.py`).

mod common;

use weaver_network::*;

fn karate_files() -> (String, String, Graph) {
    let f = common::load("karate");
    let g = f.graph;
    let deg: Vec<f64> = degree(&g).iter().map(|&d| d as f64).collect();
    let bc = betweenness(&g, &BetweennessOptions::default());
    let club = f.node_attrs["club"].clone();
    let data = NodeData {
        text: vec![("club", &club)],
        numbers: vec![("degree", &deg), ("betweenness", &bc)],
    };
    (
        to_gexf(&g, &data).unwrap(),
        to_graphml(&g, &data).unwrap(),
        g,
    )
}

#[test]
fn karate_round_trip_shape() {
    let (gexf, graphml, g) = karate_files();
    assert_eq!(gexf.matches("<node ").count(), 34);
    assert_eq!(gexf.matches("<edge ").count(), 78);
    assert_eq!(graphml.matches("<node ").count(), 34);
    assert_eq!(graphml.matches("<edge ").count(), 78);
    assert!(gexf.contains(r#"<attvalue for="0" value="Mr. Hi"/>"#));
    // Zachary's weight of the 0–1 tie is 4.
    assert!(gexf.contains(r#"source="0" target="1" weight="4""#));
    assert!(
        graphml.contains(r#"<node id="0"><data key="d0">Mr. Hi</data><data key="d1">16</data>"#)
    );
    assert_eq!(g.node_count(), 34);
    if let Ok(dir) = std::env::var("WEAVER_EXPORT_DIR") {
        std::fs::write(format!("{dir}/karate.gexf"), &gexf).unwrap();
        std::fs::write(format!("{dir}/karate.graphml"), &graphml).unwrap();
    }
}

#[test]
fn escaping_and_missing_values() {
    let rows = vec![EdgeRecord::new("R&D <lab>", "\"firm\"", 1.0)];
    let opts = GraphOptions {
        directed: true,
        weighted: false,
    };
    let (g, _) = Graph::from_edges(&[], &rows, opts).unwrap();
    let x = [f64::NAN, 1.5];
    let t = vec![None, Some("a'b".to_string())];
    let data = NodeData {
        text: vec![("type", &t)],
        numbers: vec![("x", &x)],
    };
    let gexf = to_gexf(&g, &data).unwrap();
    assert!(gexf.contains(r#"defaultedgetype="directed""#));
    assert!(gexf.contains(r#"<node id="R&amp;D &lt;lab&gt;""#));
    assert!(gexf.contains(r#"source="R&amp;D &lt;lab&gt;" target="&quot;firm&quot;""#));
    assert!(gexf.contains(r#"value="a&apos;b""#));
    assert_eq!(gexf.matches("<attvalue ").count(), 2); // NaN and None left out
    let graphml = to_graphml(&g, &data).unwrap();
    assert!(graphml.contains(r#"edgedefault="directed""#));
    assert!(graphml.contains(r#"<data key="d1">1.5</data>"#));
    let short = [1.0];
    let bad = NodeData {
        text: vec![],
        numbers: vec![("x", &short)],
    };
    assert!(to_gexf(&g, &bad).is_err());
    assert!(to_graphml(&g, &bad).is_err());
}
