//! Weaver's application layer: each question a user asks of the register
//! ("who are the brokers of my cluster in 2024?", "how do my programme's
//! clusters rank?") answered once, for the command line and the API alike.
//!
//! A function here takes the caller (a [`weaver_store::Principal`]; the
//! command line passes [`admin`] for its local register) and typed
//! parameters, reads the register through `weaver-store` with the caller's
//! rights, runs an engine and returns a typed answer (`Serialize`) or a
//! [`ServiceError`]. Rendering (tables, CSV, JSON, HTTP) and transport
//! limits stay with the callers.
//!
//! | module | questions |
//! |---|---|
//! | [`campaigns`] | closing a campaign: freeze, network analyses, status, evaluation, in one transaction |
//! | [`indicators`] | the indicators the register computes (`auto.*`) |
//! | [`openness`] | a cluster's ties beyond it: E-I indices by membership, actor type, region, country and the partners' clusters, with the undisclosed partners counted |
//! | [`observations`] | the observations a caller reads, computed ones joined; the catalogue |
//! | [`network`] | who may analyse a cluster's network, its graph, recommended ties |
//! | [`networks`] | the network of clusters (ties between members, shared members) and the network of several clusters' members |
//! | [`directory`] | the cluster directory: the clusters a caller reads, filtered (country, region, sector, programme, stage, ECCP), searched, sorted and paged, counted by region |
//! | [`diffusion`] | the independent cascade and its what-if |
//! | [`lifecycle`] | the lifecycle and policy stages by transparent rules |
//! | [`path_metrics`] | betweenness sampled with its guarantee, or exact (with closeness) as a job |
//! | [`labels`] | the ECCP profile criteria of a cluster |
//! | [`structure`] | a cluster's network: metrics and communities, brokerage, recommended ties |
//! | [`league`] | league tables over a named population (all, a programme's, a campaign's clusters), the same for whoever asks; money converted at the register's exchange rates; publishing a campaign's table |
//! | [`ranking`] | the league table (composite index), with a `computed` switch; trends, checks, sensitivity, benchmark against peers |
//! | [`policy`] | the effect of a programme (difference in differences), public shares of funding |
//! | [`mail`] | messages to people: the templates (zh, en), their rendering, queueing in the outbox |
//! | [`notices`] | what a campaign tells people (opened, reminders, submissions) and who it could not reach |
//! | [`profile`] | a cluster's profile in one answer: its row, region, programmes, counts of all its current memberships, the memberships and seats the caller reads with organizations' names |
//! | [`mapping`] | the regional activity a caller reads as a panel; growth and shift-share, related clusters, cluster strength, economic complexity |
//! | [`synergy`] | the triple-helix synergy (mutual information) of a cluster's members |
//! | [`vocabulary`] | every closed vocabulary's values with their Chinese and English labels |

#![warn(missing_docs)]

pub mod campaigns;
pub mod diffusion;
pub mod directory;
pub mod error;
pub mod indicators;
pub mod labels;
pub mod league;
pub mod lifecycle;
pub mod mail;
pub mod mapping;
pub mod network;
pub mod networks;
pub mod notices;
pub mod observations;
pub mod openness;
pub mod path_metrics;
pub mod policy;
pub mod profile;
pub mod ranking;
pub mod regions;
pub mod structure;
pub mod synergy;
pub mod vocabulary;

pub use error::{Result, ServiceError};

/// The principal of whoever holds a local register (the command line): an
/// admin, who reads every row.
pub fn admin() -> weaver_store::Principal {
    weaver_store::Principal {
        user_id: 0,
        email: "local register".to_owned(),
        role: weaver_core::enums::Role::Admin,
        managed: Vec::new(),
        programmes: Vec::new(),
        organizations: Vec::new(),
        readable: Vec::new(),
    }
}

/// Runs `f` off the async threads (engines are CPU-bound); a panic or a
/// cancelled task is an [`ServiceError::Engine`] fault about `what`.
pub async fn blocking<T: Send + 'static>(
    what: &'static str,
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ServiceError::engine(what, e))?
}
