//! Reading GEXF and GraphML: files written by NetworkX 3.6.1 (`write_gexf`,
//! `write_graphml` of karate, made by `tests/fixtures/make_fixtures.py`) and
//! weaver's own output read back.

mod common;

use weaver_network::*;

fn check_karate(g: &ParsedGraph) {
    let k = common::load("karate");
    assert!(!g.directed);
    assert_eq!(g.node_ids, k.graph.ids());
    assert_eq!(g.edges.len(), 78);
    let opts = GraphOptions {
        directed: false,
        weighted: true,
    };
    let (h, _) = Graph::from_edges(&g.node_ids, &g.edges, opts).unwrap();
    for v in 0..34 {
        assert_eq!(h.out_neighbors(v), k.graph.out_neighbors(v));
        assert_eq!(h.out_weights(v), k.graph.out_weights(v));
    }
    let club = &g.attributes.iter().find(|(n, _)| n == "club").unwrap().1;
    assert_eq!(club, &k.node_attrs["club"]);
}

#[test]
fn reads_networkx_files() {
    let gexf = std::fs::read_to_string(common::fixture_path("karate.nx.gexf")).unwrap();
    check_karate(&read_gexf(&gexf).unwrap());
    let graphml = std::fs::read_to_string(common::fixture_path("karate.nx.graphml")).unwrap();
    check_karate(&read_graphml(&graphml).unwrap());
}

#[test]
fn reads_its_own_output_back() {
    let k = common::load("karate");
    let club = k.node_attrs["club"].clone();
    let bc = betweenness(&k.graph, &BetweennessOptions::default());
    let data = NodeData {
        text: vec![("club", &club)],
        numbers: vec![("betweenness", &bc)],
    };
    for parsed in [
        read_gexf(&to_gexf(&k.graph, &data).unwrap()).unwrap(),
        read_graphml(&to_graphml(&k.graph, &data).unwrap()).unwrap(),
    ] {
        check_karate(&parsed);
        let b = &parsed
            .attributes
            .iter()
            .find(|(n, _)| n == "betweenness")
            .unwrap()
            .1;
        for (x, y) in b.iter().zip(&bc) {
            assert_eq!(x.as_deref().unwrap().parse::<f64>().unwrap(), *y);
        }
    }
    // Escaped ids survive the round trip.
    let (g, _) = Graph::from_edges(
        &[],
        &[EdgeRecord::new("R&D <lab>", "\"firm\"", 1.0)],
        GraphOptions::default(),
    )
    .unwrap();
    let back = read_graphml(&to_graphml(&g, &NodeData::default()).unwrap()).unwrap();
    assert_eq!(back.node_ids, vec!["R&D <lab>", "\"firm\""]);
    let back = read_gexf(&to_gexf(&g, &NodeData::default()).unwrap()).unwrap();
    assert_eq!(back.node_ids, vec!["R&D <lab>", "\"firm\""]);
}

#[test]
fn malformed_documents_are_refused() {
    assert!(read_gexf("<gexf><graph><edges><edge source=\"a\"/></edges></graph></gexf>").is_err());
    assert!(read_graphml("<graphml><graph><node id=\"a\"></graph>").is_err());
    assert!(
        read_gexf("<gexf><graph><edges><edge source=\"a\" target=\"b\" weight=\"x\"/></edges></graph></gexf>")
            .is_err()
    );
}
