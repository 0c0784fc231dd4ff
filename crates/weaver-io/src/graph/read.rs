//! Reading GEXF and GraphML documents (given as strings).

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{GraphDocument, GraphEdge, GraphFormatError};

fn xml_err(format: &'static str, e: impl std::fmt::Display) -> GraphFormatError {
    GraphFormatError::Malformed {
        format,
        message: e.to_string(),
    }
}

fn attr(
    e: &BytesStart<'_>,
    name: &str,
    format: &'static str,
) -> Result<Option<String>, GraphFormatError> {
    for a in e.attributes() {
        let a = a.map_err(|x| xml_err(format, x))?;
        if a.key.local_name().as_ref() == name {
            let v = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|x| xml_err(format, x))?;
            return Ok(Some(v.into_owned()));
        }
    }
    Ok(None)
}

fn resolve_ref(name: &str) -> Option<String> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix('x') {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).map(String::from);
    }
    quick_xml::escape::resolve_predefined_entity(name).map(str::to_owned)
}

/// Shared bookkeeping: node index by id and attribute columns.
#[derive(Default)]
struct Builder {
    out: GraphDocument,
    index: std::collections::HashMap<String, usize>,
}

impl Builder {
    fn node(&mut self, id: String, format: &'static str) -> Result<usize, GraphFormatError> {
        if id.is_empty() {
            return Err(xml_err(format, "a node without an id"));
        }
        if let Some(&k) = self.index.get(&id) {
            return Ok(k);
        }
        let k = self.out.node_ids.len();
        self.index.insert(id.clone(), k);
        self.out.node_ids.push(id);
        for (_, col) in &mut self.out.attributes {
            col.push(None);
        }
        Ok(k)
    }

    fn set(&mut self, node: usize, name: &str, value: String) {
        let n = self.out.node_ids.len();
        let pos = match self.out.attributes.iter().position(|(k, _)| k == name) {
            Some(p) => p,
            None => {
                self.out.attributes.push((name.to_owned(), vec![None; n]));
                self.out.attributes.len() - 1
            }
        };
        self.out.attributes[pos].1[node] = Some(value);
    }

    fn edge(
        &mut self,
        source: Option<String>,
        target: Option<String>,
        weight: Option<String>,
        format: &'static str,
    ) -> Result<(), GraphFormatError> {
        let (Some(s), Some(t)) = (source, target) else {
            return Err(xml_err(format, "an edge without source or target"));
        };
        self.node(s.clone(), format)?;
        self.node(t.clone(), format)?;
        let w = match weight {
            Some(w) => {
                self.out.weighted = true;
                w.trim()
                    .parse::<f64>()
                    .map_err(|_| GraphFormatError::BadWeight {
                        format,
                        from: s.clone(),
                        to: t.clone(),
                        value: w.clone(),
                    })?
            }
            None => 1.0,
        };
        self.out.edges.push(GraphEdge::new(s, t, w));
        Ok(())
    }
}

/// Reads a GEXF document (versions 1.1–1.3, as Gephi and NetworkX's
/// `write_gexf` write them): node ids, node attributes by their titles
/// (the `label` too, as attribute `label`), edges with their `weight`.
///
/// # Errors
/// [`GraphFormatError::Malformed`] for a malformed document or an edge
/// without ends, [`GraphFormatError::BadWeight`] for a weight that is not a
/// number.
///
/// # Example
/// ```
/// use weaver_io::graph::read_gexf;
/// let xml = r#"<gexf version="1.3"><graph defaultedgetype="directed">
///   <attributes class="node"><attribute id="0" title="type" type="string"/></attributes>
///   <nodes><node id="a" label="A"><attvalues><attvalue for="0" value="R&amp;D"/></attvalues></node>
///          <node id="b" label="B"/></nodes>
///   <edges><edge id="0" source="a" target="b" weight="2.5"/></edges></graph></gexf>"#;
/// let g = read_gexf(xml).unwrap();
/// assert!(g.directed);
/// assert_eq!(g.node_ids, vec!["a", "b"]);
/// assert_eq!(g.edges[0].weight, 2.5);
/// let types = &g.attributes.iter().find(|(k, _)| k == "type").unwrap().1;
/// assert_eq!(types[0].as_deref(), Some("R&D"));
/// ```
pub fn read_gexf(xml: &str) -> Result<GraphDocument, GraphFormatError> {
    const F: &str = "gexf";
    let mut reader = Reader::from_str(xml);
    let mut b = Builder::default();
    let mut titles: std::collections::HashMap<String, String> = Default::default();
    let mut node_class = true;
    let mut current: Option<usize> = None;
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| xml_err(F, format!("at byte {}: {e}", reader.error_position())))?;
        let (e, is_start) = match &ev {
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::End(e) => {
                if e.local_name().as_ref() == "node" {
                    current = None;
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        match e.local_name().as_ref() {
            "graph" => {
                b.out.directed = attr(e, "defaultedgetype", F)?.as_deref() == Some("directed");
            }
            "attributes" => node_class = attr(e, "class", F)?.as_deref() != Some("edge"),
            "attribute" if node_class => {
                let id = attr(e, "id", F)?.unwrap_or_default();
                let title = attr(e, "title", F)?.unwrap_or_else(|| id.clone());
                titles.insert(id, title);
            }
            "node" => {
                let id = attr(e, "id", F)?.unwrap_or_default();
                let k = b.node(id, F)?;
                if let Some(label) = attr(e, "label", F)? {
                    b.set(k, "label", label);
                }
                current = is_start.then_some(k);
            }
            "attvalue" => {
                if let Some(k) = current {
                    let key = attr(e, "for", F)?.or(attr(e, "id", F)?).unwrap_or_default();
                    let name = titles.get(&key).cloned().unwrap_or(key);
                    if let Some(v) = attr(e, "value", F)? {
                        b.set(k, &name, v);
                    }
                }
            }
            "edge" => {
                let (s, t, w) = (
                    attr(e, "source", F)?,
                    attr(e, "target", F)?,
                    attr(e, "weight", F)?,
                );
                b.edge(s, t, w, F)?;
            }
            _ => {}
        }
    }
    Ok(b.out)
}

/// Reads a GraphML document: node ids, node `<data>` by the keys'
/// `attr.name`, edges with the edge key named `weight` as weight.
///
/// # Errors
/// [`GraphFormatError::Malformed`] for a malformed document or an edge
/// without ends, [`GraphFormatError::BadWeight`] for a weight that is not a
/// number.
///
/// # Example
/// ```
/// use weaver_io::graph::read_graphml;
/// let xml = r#"<graphml><key id="d0" for="node" attr.name="club" attr.type="string"/>
///   <key id="w" for="edge" attr.name="weight" attr.type="double"/>
///   <graph edgedefault="undirected">
///   <node id="0"><data key="d0">Mr. Hi</data></node><node id="1"/>
///   <edge source="0" target="1"><data key="w">4</data></edge></graph></graphml>"#;
/// let g = read_graphml(xml).unwrap();
/// assert!(!g.directed && g.weighted);
/// assert_eq!(g.edges[0].weight, 4.0);
/// assert_eq!(g.attributes[0].1, vec![Some("Mr. Hi".to_string()), None]);
/// ```
pub fn read_graphml(xml: &str) -> Result<GraphDocument, GraphFormatError> {
    const F: &str = "graphml";
    let mut reader = Reader::from_str(xml);
    let mut b = Builder::default();
    // key id → (for, attr.name)
    let mut keys: std::collections::HashMap<String, (String, String)> = Default::default();
    let mut node: Option<usize> = None;
    let mut edge: Option<(Option<String>, Option<String>, Option<String>)> = None;
    let mut data_key: Option<String> = None;
    let mut text = String::new();
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| xml_err(F, format!("at byte {}: {e}", reader.error_position())))?;
        match &ev {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(ev, Event::Empty(_));
                match e.local_name().as_ref() {
                    "key" => {
                        let id = attr(e, "id", F)?.unwrap_or_default();
                        let target = attr(e, "for", F)?.unwrap_or_else(|| "all".into());
                        let name = attr(e, "attr.name", F)?.unwrap_or_else(|| id.clone());
                        keys.insert(id, (target, name));
                    }
                    "graph" => {
                        b.out.directed = attr(e, "edgedefault", F)?.as_deref() == Some("directed");
                    }
                    "node" => {
                        let k = b.node(attr(e, "id", F)?.unwrap_or_default(), F)?;
                        node = (!empty).then_some(k);
                    }
                    "edge" => {
                        let s = attr(e, "source", F)?;
                        let t = attr(e, "target", F)?;
                        if empty {
                            b.edge(s, t, None, F)?;
                        } else {
                            edge = Some((s, t, None));
                        }
                    }
                    "data" if !empty => {
                        data_key = attr(e, "key", F)?;
                        text.clear();
                    }
                    _ => {}
                }
            }
            Event::Text(t) if data_key.is_some() => text.push_str(&t.xml10_content()),
            Event::CData(t) if data_key.is_some() => text.push_str(t.as_ref()),
            Event::GeneralRef(r) if data_key.is_some() => {
                let name = r.xml10_content();
                text.push_str(&resolve_ref(&name).unwrap_or_default());
            }
            Event::End(e) => match e.local_name().as_ref() {
                "data" => {
                    if let Some(key) = data_key.take() {
                        let name = keys.get(&key).map_or(key.clone(), |k| k.1.clone());
                        if let Some(k) = node {
                            b.set(k, &name, text.clone());
                        } else if let Some(ed) = edge.as_mut()
                            && name == "weight"
                        {
                            ed.2 = Some(text.clone());
                        }
                    }
                }
                "node" => node = None,
                "edge" => {
                    if let Some((s, t, w)) = edge.take() {
                        b.edge(s, t, w, F)?;
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(b.out)
}
