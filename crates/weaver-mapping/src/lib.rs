//! Weaver's mapping engine: location quotients, strong clusters, stars,
//! relatedness and economic complexity. Pure: no I/O, no async. Formulas,
//! conventions and references: `docs/methods.md` (mapping engine).
//!
//! The flow is:
//!
//! 1. [`input`]: activity rows (region × industry × year), cluster
//!    definitions, a region hierarchy and benchmark totals as plain values
//!    (activity also as columns of interned ids, [`input::ActivityColumns`],
//!    for large files);
//!    suppressed cells filled by the European Cluster Observatory's method
//!    ([`input::fill_suppressed`]); regions summed into their parents
//!    ([`input::aggregate_regions`]).
//! 2. [`panel::Panel`]: industries summed into cluster categories, with
//!    national totals; location quotients with same-type denominators (US
//!    Cluster Mapping), shares, wages, growth and shift-share.
//! 3. [`classify`]: US Cluster Mapping's strong clusters and cluster strength,
//!    the European Cluster Observatory's stars, the practitioners' quadrant.
//! 4. [`complexity`]: RCA, presence, proximity, density, ECI, PCI, COI and
//!    COG matching Harvard Growth Lab's `ecomplexity`; "what next" lists.
//! 5. [`related`]: related categories by co-location (correlation of LQs).
//! 6. [`stats`]: type-7 quantiles (numpy's default), percentile ranks, ranks.
//!
//! ```
//! use weaver_mapping::input::ActivityRow;
//! use weaver_mapping::panel::Panel;
//! let row = |r: &str, i: &str, e: f64| ActivityRow {
//!     region: r.into(), industry: i.into(), year: 2024, employment: Some(e), ..Default::default()
//! };
//! let panel = Panel::build(&[row("R1", "A", 30.0), row("R1", "B", 10.0),
//!                            row("R2", "A", 10.0), row("R2", "B", 30.0)], None, None).unwrap();
//! // A is 75% of R1's jobs and 50% of the nation's: LQ 1.5.
//! assert_eq!(panel.location_quotients()[0], 1.5);
//! ```

#![warn(missing_docs)]

pub mod classify;
pub mod complexity;
pub mod error;
mod fxhash;
pub mod input;
pub mod panel;
pub mod related;
pub mod stats;

pub use error::{MappingError, Table};
