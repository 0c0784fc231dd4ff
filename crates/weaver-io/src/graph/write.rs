//! Writing GEXF 1.3 and GraphML.

use std::fmt::Write;

use super::{GraphDocument, GraphFormatError};

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn check(doc: &GraphDocument) -> Result<(), GraphFormatError> {
    let n = doc.node_ids.len();
    let lens = doc
        .attributes
        .iter()
        .map(|(k, v)| (k, v.len()))
        .chain(doc.numbers.iter().map(|(k, v)| (k, v.len())));
    for (name, len) in lens {
        if len != n {
            return Err(GraphFormatError::AttributeLength {
                name: name.clone(),
                got: len,
                expected: n,
            });
        }
    }
    Ok(())
}

/// Writes the document as GEXF 1.3 with node attributes and a `weight` on
/// every edge. Node ids and labels are the ids; attribute ids are `0, 1, …`
/// in the order text attributes then numeric ones.
///
/// # Errors
/// [`GraphFormatError::AttributeLength`] when a column does not have one
/// value per node.
///
/// # Example
/// ```
/// use weaver_io::graph::{write_gexf, GraphDocument, GraphEdge};
/// let doc = GraphDocument {
///     node_ids: vec!["a".into(), "b".into()],
///     numbers: vec![("degree".into(), vec![1.0, 1.0])],
///     edges: vec![GraphEdge::new("a", "b", 2.0)],
///     ..Default::default()
/// };
/// let xml = write_gexf(&doc).unwrap();
/// assert!(xml.contains(r#"<edge id="0" source="a" target="b" weight="2"/>"#));
/// assert!(xml.contains(r#"<attribute id="0" title="degree" type="double"/>"#));
/// ```
///
/// # References
/// GEXF 1.3 specification, gexf.net (Gephi Consortium).
pub fn write_gexf(doc: &GraphDocument) -> Result<String, GraphFormatError> {
    check(doc)?;
    let mut s = String::new();
    let kind = if doc.directed {
        "directed"
    } else {
        "undirected"
    };
    // Writing to a String cannot fail.
    let _ = writeln!(s, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        s,
        r#"<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">"#
    );
    let _ = writeln!(s, r#"  <meta><creator>weaver</creator></meta>"#);
    let _ = writeln!(s, r#"  <graph mode="static" defaultedgetype="{kind}">"#);
    let _ = writeln!(s, r#"    <attributes class="node">"#);
    let mut id = 0;
    for (name, _) in &doc.attributes {
        let _ = writeln!(
            s,
            r#"      <attribute id="{id}" title="{}" type="string"/>"#,
            escape(name)
        );
        id += 1;
    }
    for (name, _) in &doc.numbers {
        let _ = writeln!(
            s,
            r#"      <attribute id="{id}" title="{}" type="double"/>"#,
            escape(name)
        );
        id += 1;
    }
    let _ = writeln!(s, "    </attributes>");
    let _ = writeln!(s, "    <nodes>");
    for (v, node) in doc.node_ids.iter().enumerate() {
        let idv = escape(node);
        let _ = writeln!(s, r#"      <node id="{idv}" label="{idv}">"#);
        let _ = writeln!(s, "        <attvalues>");
        for (k, (_, vals)) in doc.attributes.iter().enumerate() {
            if let Some(x) = &vals[v] {
                let _ = writeln!(
                    s,
                    r#"          <attvalue for="{k}" value="{}"/>"#,
                    escape(x)
                );
            }
        }
        for (k, (_, vals)) in doc.numbers.iter().enumerate() {
            let x = vals[v];
            if x.is_finite() {
                let _ = writeln!(
                    s,
                    r#"          <attvalue for="{}" value="{x}"/>"#,
                    k + doc.attributes.len()
                );
            }
        }
        let _ = writeln!(s, "        </attvalues>");
        let _ = writeln!(s, "      </node>");
    }
    let _ = writeln!(s, "    </nodes>");
    let _ = writeln!(s, "    <edges>");
    for (k, e) in doc.edges.iter().enumerate() {
        let _ = writeln!(
            s,
            r#"      <edge id="{k}" source="{}" target="{}" weight="{}"/>"#,
            escape(&e.source),
            escape(&e.target),
            e.weight
        );
    }
    let _ = writeln!(s, "    </edges>");
    let _ = writeln!(s, "  </graph>");
    let _ = writeln!(s, "</gexf>");
    Ok(s)
}

/// Writes the document as GraphML with node attributes (keys `d0, d1, …`,
/// text attributes then numeric ones) and an edge key `weight` (double).
///
/// # Errors
/// [`GraphFormatError::AttributeLength`] when a column does not have one
/// value per node.
///
/// # Example
/// ```
/// use weaver_io::graph::{write_graphml, GraphDocument, GraphEdge};
/// let doc = GraphDocument {
///     node_ids: vec!["a".into(), "b".into()],
///     edges: vec![GraphEdge::new("a", "b", 1.0)],
///     ..Default::default()
/// };
/// let xml = write_graphml(&doc).unwrap();
/// assert!(xml.contains(r#"<graph id="G" edgedefault="undirected">"#));
/// assert!(xml.contains(r#"<edge source="a" target="b"><data key="weight">1</data></edge>"#));
/// ```
///
/// # References
/// Brandes, U., Eiglsperger, M., Lerner, J., & Pich, C. (2013). Graph markup
/// language (GraphML). In R. Tamassia (Ed.), *Handbook of Graph Drawing and
/// Visualization* (pp. 517–541). CRC Press.
pub fn write_graphml(doc: &GraphDocument) -> Result<String, GraphFormatError> {
    check(doc)?;
    let mut s = String::new();
    let _ = writeln!(s, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        s,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    );
    let mut k = 0;
    for (name, _) in &doc.attributes {
        let _ = writeln!(
            s,
            r#"  <key id="d{k}" for="node" attr.name="{}" attr.type="string"/>"#,
            escape(name)
        );
        k += 1;
    }
    for (name, _) in &doc.numbers {
        let _ = writeln!(
            s,
            r#"  <key id="d{k}" for="node" attr.name="{}" attr.type="double"/>"#,
            escape(name)
        );
        k += 1;
    }
    let _ = writeln!(
        s,
        r#"  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>"#
    );
    let kind = if doc.directed {
        "directed"
    } else {
        "undirected"
    };
    let _ = writeln!(s, r#"  <graph id="G" edgedefault="{kind}">"#);
    for (v, node) in doc.node_ids.iter().enumerate() {
        let _ = write!(s, r#"    <node id="{}">"#, escape(node));
        for (k, (_, vals)) in doc.attributes.iter().enumerate() {
            if let Some(x) = &vals[v] {
                let _ = write!(s, r#"<data key="d{k}">{}</data>"#, escape(x));
            }
        }
        for (k, (_, vals)) in doc.numbers.iter().enumerate() {
            let x = vals[v];
            if x.is_finite() {
                let _ = write!(s, r#"<data key="d{}">{x}</data>"#, k + doc.attributes.len());
            }
        }
        let _ = writeln!(s, "</node>");
    }
    for e in &doc.edges {
        let _ = writeln!(
            s,
            r#"    <edge source="{}" target="{}"><data key="weight">{}</data></edge>"#,
            escape(&e.source),
            escape(&e.target),
            e.weight
        );
    }
    let _ = writeln!(s, "  </graph>");
    let _ = writeln!(s, "</graphml>");
    Ok(s)
}
