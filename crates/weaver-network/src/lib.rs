//! Weaver's network engine: compact graphs, metrics, communities, brokerage,
//! openness, link prediction and knowledge diffusion. Pure: no I/O, no async.
//! Formulas, conventions and references: `docs/methods.md` (network engine).
//!
//! Build a [`Graph`] from an edge list (ids as strings, rows of the same pair
//! merged, self-loops dropped) or from project co-participation
//! ([`project_participations`]), then call the metrics. Every metric equals the
//! NetworkX function of the same name with default arguments; the docs of each
//! function say which function and which conventions.
//!
//! | area | functions |
//! |---|---|
//! | node metrics | [`degree`], [`strength`], [`betweenness`], [`betweenness_sampled`], [`closeness`], [`eigenvector`], [`pagerank`], [`clustering`], [`core_number`], [`components`], [`constraint`], [`effective_size`] |
//! | graph level | [`summary`], [`density`], [`transitivity`], [`degree_assortativity`], [`attribute_assortativity`] |
//! | communities | [`communities`] (Louvain, Leiden; modularity, CPM), [`modularity`] |
//! | brokerage and openness | [`brokerage`] (Gould–Fernandez as in sna), [`ei_index`], [`mutual_information`] |
//! | who should meet whom | [`link_scores`], [`recommend`], [`evaluate_links`] |
//! | diffusion | [`cowan_jonard`], [`watts_strogatz`], [`cascade_spread`] |
//! | periods and change | [`slice_period`], [`compare_periods`] |
//!
//! The exchange formats (GEXF, GraphML) live in `weaver-io`: its
//! `GraphDocument` holds node ids, attributes and edges as plain values, from
//! which [`Graph::from_edges`] builds the graph.
//!
//! Weight convention: only [`pagerank`] and [`strength`] read edge weights by
//! default, as in NetworkX; options turn on weighted paths (length =
//! 1/weight) for betweenness and closeness and weighted structural holes.
//! Randomised methods take a seed and use `rand_pcg::Pcg64`; all-sources
//! computations use rayon above a node-count threshold and give the serial
//! result.
//!
//! ```
//! use weaver_network::{betweenness, degree, pagerank, BetweennessOptions, EdgeRecord,
//!     Graph, GraphOptions, PageRankOptions};
//!
//! let rows = vec![
//!     EdgeRecord::new("hub", "a", 1.0),
//!     EdgeRecord::new("hub", "b", 1.0),
//!     EdgeRecord::new("hub", "c", 1.0),
//! ];
//! let (g, report) = Graph::from_edges(&[], &rows, GraphOptions::default()).unwrap();
//! assert_eq!(report.self_loops, 0);
//! assert_eq!(degree(&g), vec![3, 1, 1, 1]);
//! // The hub lies on every path between two leaves: 3 of the 3 pairs.
//! assert_eq!(betweenness(&g, &BetweennessOptions::default())[0], 1.0);
//! let pr = pagerank(&g, &PageRankOptions::default()).unwrap();
//! assert!(pr[0] > pr[1]);
//! ```

#![warn(missing_docs)]

mod brokerage;
mod cascade;
mod centrality;
mod communities;
mod compare;
mod diffusion;
mod error;
mod graph;
mod holes;
mod linkpred;
mod period;
mod structure;
mod summary;

pub use brokerage::{
    Brokerage, BrokerageRole, EiIndex, MutualInformation, RoleValues, brokerage, ei_index,
    mutual_information,
};
pub use cascade::{CascadeOptions, cascade_spread};
pub use centrality::{
    BetweennessOptions, ClosenessOptions, DEFAULT_PARALLEL_THRESHOLD, EigenvectorOptions,
    PageRankOptions, SampledBetweenness, SampledBetweennessOptions, betweenness,
    betweenness_sampled, closeness, degree, eigenvector, pagerank, strength,
};
pub use communities::{
    CommunityAlgorithm, CommunityOptions, Partition, Quality, communities, modularity,
};
pub use compare::{Comparison, NodeStatus, TieChange, TieDiff, compare_periods};
pub use diffusion::{CowanJonardOptions, DiffusionResult, cowan_jonard, watts_strogatz};
pub use error::NetworkError;
pub use graph::{
    BuildReport, EdgeRecord, Graph, GraphOptions, Participation, ProjectionWeight,
    project_participations,
};
pub use holes::{HolesOptions, constraint, effective_size};
pub use linkpred::{
    LinkEvalOptions, LinkEvaluation, LinkScore, RecommendAttributes, RecommendOptions, Suggestion,
    evaluate_links, link_scores, recommend,
};
pub use period::{DatedTie, slice_period};
pub use structure::{Components, clustering, components, core_number, transitivity};
pub use summary::{
    Summary, SummaryOptions, attribute_assortativity, degree_assortativity, density, summary,
};

/// Encodes group labels as small integers in order of first appearance;
/// `None` (no value) stays `None`.
///
/// ```
/// let codes = weaver_network::encode_groups(&[Some("b"), None, Some("a"), Some("b")]);
/// assert_eq!(codes, vec![Some(0), None, Some(1), Some(0)]);
/// ```
pub fn encode_groups<S: AsRef<str>>(values: &[Option<S>]) -> Vec<Option<usize>> {
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    values
        .iter()
        .map(|v| {
            v.as_ref().map(|s| {
                let next = seen.len();
                *seen.entry(s.as_ref()).or_insert(next)
            })
        })
        .collect()
}
