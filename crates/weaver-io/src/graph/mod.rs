//! Graph exchange formats: GEXF 1.3 (Gephi) and GraphML, read and written
//! as strings through a neutral [`GraphDocument`] (node ids, node
//! attributes, weighted edges by node id). The network engine builds its
//! graphs from these plain values and knows nothing of the formats.
//!
//! ```
//! use weaver_io::graph::{GraphDocument, GraphEdge, read_graphml, write_graphml};
//! let doc = GraphDocument {
//!     node_ids: vec!["a".into(), "b".into()],
//!     attributes: vec![("type".into(), vec![Some("R&D".into()), None])],
//!     numbers: vec![("degree".into(), vec![1.0, 1.0])],
//!     edges: vec![GraphEdge::new("a", "b", 2.0)],
//!     weighted: true,
//!     ..Default::default()
//! };
//! let back = read_graphml(&write_graphml(&doc).unwrap()).unwrap();
//! assert_eq!(back.node_ids, doc.node_ids);
//! assert_eq!(back.edges, doc.edges);
//! assert_eq!(back.attributes[0].1[0].as_deref(), Some("R&D"));
//! // Numbers come back as text.
//! assert_eq!(back.attributes[1].1[0].as_deref(), Some("1"));
//! ```

mod read;
mod write;

pub use read::{read_gexf, read_graphml};
pub use write::{write_gexf, write_graphml};

/// A graph as GEXF and GraphML hold it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GraphDocument {
    /// Whether edges are directed by default.
    pub directed: bool,
    /// Node ids in document order.
    pub node_ids: Vec<String>,
    /// Text node attributes: name and one value per node (`None` when
    /// absent). Reading puts every node attribute here, as text: by title
    /// (GEXF, the `label` too as attribute `label`) or `attr.name` (GraphML).
    pub attributes: Vec<(String, Vec<Option<String>>)>,
    /// Numeric node attributes (written as doubles): name and one value per
    /// node (`NaN` is left out). Reading leaves this empty.
    pub numbers: Vec<(String, Vec<f64>)>,
    /// Edges in document order; each end is a node id.
    pub edges: Vec<GraphEdge>,
    /// Whether any edge read carried a weight (writing always writes one).
    pub weighted: bool,
}

/// One edge of a [`GraphDocument`].
#[derive(Debug, Clone, PartialEq)]
pub struct GraphEdge {
    /// Id of the source node.
    pub source: String,
    /// Id of the target node.
    pub target: String,
    /// Weight (1 when the document gives none).
    pub weight: f64,
}

impl GraphEdge {
    /// An edge `source → target` with a weight.
    pub fn new(source: impl Into<String>, target: impl Into<String>, weight: f64) -> Self {
        GraphEdge {
            source: source.into(),
            target: target.into(),
            weight,
        }
    }
}

/// A document that cannot be read or written.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GraphFormatError {
    /// The XML is not well formed, or an element lacks what it needs.
    #[error("{format}: {message}")]
    Malformed {
        /// `gexf` or `graphml`.
        format: &'static str,
        /// What is wrong, and where when known.
        message: String,
    },
    /// An edge weight that is not a number.
    #[error("{format}: edge {from} -> {to}: weight {value:?} is not a number")]
    BadWeight {
        /// `gexf` or `graphml`.
        format: &'static str,
        /// Source id of the edge.
        from: String,
        /// Target id of the edge.
        to: String,
        /// The weight as written.
        value: String,
    },
    /// A node attribute column without one value per node.
    #[error("node attribute {name:?} has {got} values for {expected} nodes")]
    AttributeLength {
        /// The attribute's name.
        name: String,
        /// Values given.
        got: usize,
        /// Nodes in the document.
        expected: usize,
    },
}
