//! GEXF and GraphML: karate written with node attributes and metrics, read
//! back; the files NetworkX 3.6.1 writes (`write_gexf`, `write_graphml` of
//! karate, made by `crates/weaver-network/tests/fixtures/make_fixtures.py`)
//! read. The files this test writes for karate were read back once with
//! NetworkX 3.6.1 (`nx.read_gexf`, `nx.read_graphml`): same nodes, edges,
//! weights and attributes (`crates/weaver-network/tests/fixtures/check_export.py`;
//! set `WEAVER_EXPORT_DIR` to write them).

use weaver_io::graph::*;
use weaver_network::{BetweennessOptions, EdgeRecord, Graph, GraphOptions, betweenness, degree};

/// A fixture of the network engine's suites, as text.
fn fixture(name: &str) -> String {
    let p = weaver_testkit::fixture("weaver-network", name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Karate as the network fixtures give it: ids, the `club` attribute and the
/// weighted graph (Zachary's weights).
struct Karate {
    ids: Vec<String>,
    club: Vec<Option<String>>,
    graph: Graph,
}

fn karate() -> Karate {
    let nodes = fixture("karate.nodes.csv");
    let mut lines = nodes.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let ci = header.iter().position(|h| *h == "club").unwrap();
    let (mut ids, mut club) = (Vec::new(), Vec::new());
    for l in lines.filter(|l| !l.is_empty()) {
        let cells: Vec<&str> = l.split(',').collect();
        ids.push(cells[0].to_owned());
        club.push(Some(cells[ci].to_owned()));
    }
    let edges: Vec<EdgeRecord> = fixture("karate.edges.csv")
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            EdgeRecord::new(c[0], c[1], c[2].parse().unwrap())
        })
        .collect();
    let opts = GraphOptions {
        directed: false,
        weighted: true,
    };
    let (graph, _) = Graph::from_edges(&ids, &edges, opts).unwrap();
    Karate { ids, club, graph }
}

/// Nodes in node order, each edge once, as the CLI exports a graph.
fn document(
    g: &Graph,
    attributes: Vec<(String, Vec<Option<String>>)>,
    numbers: Vec<(String, Vec<f64>)>,
) -> GraphDocument {
    let ids = g.ids();
    let mut edges = Vec::new();
    for v in 0..g.node_count() {
        for (&u, &w) in g.out_neighbors(v).iter().zip(g.out_weights(v)) {
            if g.is_directed() || v < u {
                edges.push(GraphEdge::new(ids[v].clone(), ids[u].clone(), w));
            }
        }
    }
    GraphDocument {
        directed: g.is_directed(),
        node_ids: ids.to_vec(),
        attributes,
        numbers,
        edges,
        weighted: g.is_weighted(),
    }
}

fn check_karate(doc: &GraphDocument) {
    let k = karate();
    assert!(!doc.directed);
    assert_eq!(doc.node_ids, k.ids);
    assert_eq!(doc.edges.len(), 78);
    let rows: Vec<EdgeRecord> = doc
        .edges
        .iter()
        .map(|e| EdgeRecord::new(e.source.clone(), e.target.clone(), e.weight))
        .collect();
    let opts = GraphOptions {
        directed: false,
        weighted: true,
    };
    let (h, _) = Graph::from_edges(&doc.node_ids, &rows, opts).unwrap();
    for v in 0..34 {
        assert_eq!(h.out_neighbors(v), k.graph.out_neighbors(v));
        assert_eq!(h.out_weights(v), k.graph.out_weights(v));
    }
    let club = &doc.attributes.iter().find(|(n, _)| n == "club").unwrap().1;
    assert_eq!(club, &k.club);
}

fn karate_document() -> GraphDocument {
    let k = karate();
    let deg: Vec<f64> = degree(&k.graph).iter().map(|&d| d as f64).collect();
    let bc = betweenness(&k.graph, &BetweennessOptions::default());
    document(
        &k.graph,
        vec![("club".into(), k.club)],
        vec![("degree".into(), deg), ("betweenness".into(), bc)],
    )
}

#[test]
fn karate_written_in_both_formats() {
    let doc = karate_document();
    let gexf = write_gexf(&doc).unwrap();
    let graphml = write_graphml(&doc).unwrap();
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
    if let Ok(dir) = std::env::var("WEAVER_EXPORT_DIR") {
        std::fs::write(format!("{dir}/karate.gexf"), &gexf).unwrap();
        std::fs::write(format!("{dir}/karate.graphml"), &graphml).unwrap();
    }
}

#[test]
fn escaping_and_missing_values() {
    let doc = GraphDocument {
        directed: true,
        node_ids: vec!["R&D <lab>".into(), "\"firm\"".into()],
        attributes: vec![("type".into(), vec![None, Some("a'b".into())])],
        numbers: vec![("x".into(), vec![f64::NAN, 1.5])],
        edges: vec![GraphEdge::new("R&D <lab>", "\"firm\"", 1.0)],
        weighted: false,
    };
    let gexf = write_gexf(&doc).unwrap();
    assert!(gexf.contains(r#"defaultedgetype="directed""#));
    assert!(gexf.contains(r#"<node id="R&amp;D &lt;lab&gt;""#));
    assert!(gexf.contains(r#"source="R&amp;D &lt;lab&gt;" target="&quot;firm&quot;""#));
    assert!(gexf.contains(r#"value="a&apos;b""#));
    assert_eq!(gexf.matches("<attvalue ").count(), 2); // NaN and None left out
    let graphml = write_graphml(&doc).unwrap();
    assert!(graphml.contains(r#"edgedefault="directed""#));
    assert!(graphml.contains(r#"<data key="d1">1.5</data>"#));
    // Escaped ids survive the round trip.
    assert_eq!(read_graphml(&graphml).unwrap().node_ids, doc.node_ids);
    assert_eq!(read_gexf(&gexf).unwrap().node_ids, doc.node_ids);
    let bad = GraphDocument {
        numbers: vec![("x".into(), vec![1.0])],
        ..doc
    };
    let e = write_gexf(&bad).unwrap_err();
    assert_eq!(
        e.to_string(),
        "node attribute \"x\" has 1 values for 2 nodes"
    );
    assert!(write_graphml(&bad).is_err());
}

#[test]
fn reads_networkx_files() {
    check_karate(&read_gexf(&fixture("karate.nx.gexf")).unwrap());
    check_karate(&read_graphml(&fixture("karate.nx.graphml")).unwrap());
}

#[test]
fn reads_its_own_output_back() {
    let doc = karate_document();
    let bc = doc.numbers[1].1.clone();
    for parsed in [
        read_gexf(&write_gexf(&doc).unwrap()).unwrap(),
        read_graphml(&write_graphml(&doc).unwrap()).unwrap(),
    ] {
        check_karate(&parsed);
        assert!(parsed.weighted);
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
}

#[test]
fn malformed_documents_are_refused_with_the_problem_named() {
    let e =
        read_gexf("<gexf><graph><edges><edge source=\"a\"/></edges></graph></gexf>").unwrap_err();
    assert_eq!(e.to_string(), "gexf: an edge without source or target");
    let e = read_graphml("<graphml><graph><node id=\"a\"></graph>").unwrap_err();
    assert!(e.to_string().starts_with("graphml: at byte "), "{e}");
    let e = read_gexf(
        "<gexf><graph><edges><edge source=\"a\" target=\"b\" weight=\"x\"/></edges></graph></gexf>",
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "gexf: edge a -> b: weight \"x\" is not a number"
    );
    let e = read_graphml("<graphml><graph><node/></graph></graphml>").unwrap_err();
    assert_eq!(e.to_string(), "graphml: a node without an id");
}
