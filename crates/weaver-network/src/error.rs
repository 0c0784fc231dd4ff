//! The engine's error type.

use thiserror::Error;

/// Everything the network engine can refuse. Indices are 0-based positions in
/// the input slices the caller passed; the command-line glue turns them into
/// file rows.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum NetworkError {
    /// An edge weight is NaN, infinite, zero or negative.
    #[error("edge {index} ({source_id} -> {target}): weight {weight} is not a finite number > 0")]
    BadWeight {
        /// Position of the edge in the input.
        index: usize,
        /// Source id of the edge.
        source_id: String,
        /// Target id of the edge.
        target: String,
        /// The offending weight.
        weight: f64,
    },
    /// An id is the empty string.
    #[error("{what} {index}: the id is empty")]
    EmptyId {
        /// Which input (`node`, `edge source`, `edge target`, `participation`).
        what: &'static str,
        /// Position in the input.
        index: usize,
    },
    /// The nodes table lists the same id twice.
    #[error("node {index}: id {id:?} was already listed at node {first}")]
    DuplicateNode {
        /// The repeated id.
        id: String,
        /// Position of the repetition.
        index: usize,
        /// Position of the first occurrence.
        first: usize,
    },
    /// More nodes than the compact graph can index.
    #[error("too many nodes: {count} (at most {max})")]
    TooManyNodes {
        /// Number of nodes requested.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A power iteration did not reach its tolerance.
    #[error("{method} did not converge within {max_iter} iterations (tolerance {tol})")]
    NoConvergence {
        /// Which method (`eigenvector`, `pagerank`).
        method: &'static str,
        /// The iteration limit.
        max_iter: usize,
        /// The tolerance per node.
        tol: f64,
    },
    /// An argument is outside its domain.
    #[error("invalid argument {name} = {value}: {expected}")]
    InvalidArgument {
        /// Name of the argument.
        name: &'static str,
        /// Its value, printed.
        value: String,
        /// What was expected.
        expected: &'static str,
    },
    /// The graph is empty where the method needs at least one node.
    #[error("{method}: the graph has no nodes")]
    EmptyGraph {
        /// Which method.
        method: &'static str,
    },
    /// A node attribute vector does not have one entry per node.
    #[error("attribute {name:?} has {got} values for {expected} nodes")]
    AttributeLength {
        /// Attribute name.
        name: String,
        /// Number of values given.
        got: usize,
        /// Number of nodes.
        expected: usize,
    },
}
