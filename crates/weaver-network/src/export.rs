//! Exchange formats: GEXF 1.3 (Gephi) and GraphML, as strings.

use std::fmt::Write;

use crate::{Graph, NetworkError};

/// Node data to write along with the graph: text attributes and numeric
/// columns (metrics), each with one value per node.
#[derive(Debug, Clone, Default)]
pub struct NodeData<'a> {
    /// Text attributes (name, values); `None` is left out.
    pub text: Vec<(&'a str, &'a [Option<String>])>,
    /// Numeric columns (name, values); `NaN` is left out.
    pub numbers: Vec<(&'a str, &'a [f64])>,
}

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

fn check(g: &Graph, data: &NodeData<'_>) -> Result<(), NetworkError> {
    let n = g.node_count();
    let lens = data
        .text
        .iter()
        .map(|(k, v)| (*k, v.len()))
        .chain(data.numbers.iter().map(|(k, v)| (*k, v.len())));
    for (name, len) in lens {
        if len != n {
            return Err(NetworkError::AttributeLength {
                name: name.to_owned(),
                got: len,
                expected: n,
            });
        }
    }
    Ok(())
}

/// Edges in node order, each once (arcs for a directed graph).
fn edges(g: &Graph) -> impl Iterator<Item = (usize, usize, f64)> + '_ {
    (0..g.node_count()).flat_map(move |v| {
        g.out_neighbors(v)
            .iter()
            .zip(g.out_weights(v))
            .filter(move |&(&u, _)| g.is_directed() || v < u)
            .map(move |(&u, &w)| (v, u, w))
    })
}

/// Writes the graph as GEXF 1.3 with node attributes and a `weight` on
/// every edge. Node ids and labels are the input ids; attribute ids are
/// `0, 1, …` in the order text columns then numeric columns.
///
/// # Errors
/// [`NetworkError::AttributeLength`] when a column does not have one value
/// per node.
///
/// # Example
/// ```
/// use weaver_network::{to_gexf, NodeData, EdgeRecord, Graph, GraphOptions};
/// let (g, _) = Graph::from_edges(&[], &[EdgeRecord::new("a", "b", 2.0)],
///     GraphOptions { directed: false, weighted: true }).unwrap();
/// let deg = [1.0, 1.0];
/// let data = NodeData { text: vec![], numbers: vec![("degree", &deg)] };
/// let xml = to_gexf(&g, &data).unwrap();
/// assert!(xml.contains(r#"<edge id="0" source="a" target="b" weight="2"/>"#));
/// assert!(xml.contains(r#"<attribute id="0" title="degree" type="double"/>"#));
/// ```
///
/// # References
/// GEXF 1.3 specification, gexf.net (Gephi Consortium).
pub fn to_gexf(g: &Graph, data: &NodeData<'_>) -> Result<String, NetworkError> {
    check(g, data)?;
    let mut s = String::new();
    let kind = if g.is_directed() {
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
    for (name, _) in &data.text {
        let _ = writeln!(
            s,
            r#"      <attribute id="{id}" title="{}" type="string"/>"#,
            escape(name)
        );
        id += 1;
    }
    for (name, _) in &data.numbers {
        let _ = writeln!(
            s,
            r#"      <attribute id="{id}" title="{}" type="double"/>"#,
            escape(name)
        );
        id += 1;
    }
    let _ = writeln!(s, "    </attributes>");
    let _ = writeln!(s, "    <nodes>");
    for v in 0..g.node_count() {
        let idv = escape(&g.ids()[v]);
        let _ = writeln!(s, r#"      <node id="{idv}" label="{idv}">"#);
        let _ = writeln!(s, "        <attvalues>");
        for (k, (_, vals)) in data.text.iter().enumerate() {
            if let Some(x) = &vals[v] {
                let _ = writeln!(
                    s,
                    r#"          <attvalue for="{k}" value="{}"/>"#,
                    escape(x)
                );
            }
        }
        for (k, (_, vals)) in data.numbers.iter().enumerate() {
            let x = vals[v];
            if x.is_finite() {
                let _ = writeln!(
                    s,
                    r#"          <attvalue for="{}" value="{x}"/>"#,
                    k + data.text.len()
                );
            }
        }
        let _ = writeln!(s, "        </attvalues>");
        let _ = writeln!(s, "      </node>");
    }
    let _ = writeln!(s, "    </nodes>");
    let _ = writeln!(s, "    <edges>");
    for (k, (u, v, w)) in edges(g).enumerate() {
        let _ = writeln!(
            s,
            r#"      <edge id="{k}" source="{}" target="{}" weight="{w}"/>"#,
            escape(&g.ids()[u]),
            escape(&g.ids()[v])
        );
    }
    let _ = writeln!(s, "    </edges>");
    let _ = writeln!(s, "  </graph>");
    let _ = writeln!(s, "</gexf>");
    Ok(s)
}

/// Writes the graph as GraphML with node attributes (keys `d0, d1, …`, text
/// columns then numeric columns) and an edge key `weight` (double).
///
/// # Errors
/// [`NetworkError::AttributeLength`] when a column does not have one value
/// per node.
///
/// # Example
/// ```
/// use weaver_network::{to_graphml, NodeData, EdgeRecord, Graph, GraphOptions};
/// let (g, _) = Graph::from_edges(&[], &[EdgeRecord::new("a", "b", 1.0)],
///     GraphOptions::default()).unwrap();
/// let xml = to_graphml(&g, &NodeData::default()).unwrap();
/// assert!(xml.contains(r#"<graph id="G" edgedefault="undirected">"#));
/// assert!(xml.contains(r#"<edge source="a" target="b"><data key="weight">1</data></edge>"#));
/// ```
///
/// # References
/// Brandes, U., Eiglsperger, M., Lerner, J., & Pich, C. (2013). Graph markup
/// language (GraphML). In R. Tamassia (Ed.), *Handbook of Graph Drawing and
/// Visualization* (pp. 517–541). CRC Press.
pub fn to_graphml(g: &Graph, data: &NodeData<'_>) -> Result<String, NetworkError> {
    check(g, data)?;
    let mut s = String::new();
    let _ = writeln!(s, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        s,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    );
    let mut k = 0;
    for (name, _) in &data.text {
        let _ = writeln!(
            s,
            r#"  <key id="d{k}" for="node" attr.name="{}" attr.type="string"/>"#,
            escape(name)
        );
        k += 1;
    }
    for (name, _) in &data.numbers {
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
    let kind = if g.is_directed() {
        "directed"
    } else {
        "undirected"
    };
    let _ = writeln!(s, r#"  <graph id="G" edgedefault="{kind}">"#);
    for v in 0..g.node_count() {
        let _ = write!(s, r#"    <node id="{}">"#, escape(&g.ids()[v]));
        for (k, (_, vals)) in data.text.iter().enumerate() {
            if let Some(x) = &vals[v] {
                let _ = write!(s, r#"<data key="d{k}">{}</data>"#, escape(x));
            }
        }
        for (k, (_, vals)) in data.numbers.iter().enumerate() {
            let x = vals[v];
            if x.is_finite() {
                let _ = write!(s, r#"<data key="d{}">{x}</data>"#, k + data.text.len());
            }
        }
        let _ = writeln!(s, "</node>");
    }
    for (u, v, w) in edges(g) {
        let _ = writeln!(
            s,
            r#"    <edge source="{}" target="{}"><data key="weight">{w}</data></edge>"#,
            escape(&g.ids()[u]),
            escape(&g.ids()[v])
        );
    }
    let _ = writeln!(s, "  </graph>");
    let _ = writeln!(s, "</graphml>");
    Ok(s)
}
