//! Weaver's evaluation engine: composite indices with their uncertainty,
//! benchmarking and lifecycle diagnosis of clusters. Pure: no I/O, no async;
//! plain values in, plain values out. Formulas, conventions and references:
//! `docs/methods.md` (evaluation engine).
//!
//! It follows the OECD/JRC *Handbook on Constructing Composite Indicators*
//! (Nardo, Saisana, Saltelli, Tarantola, Hoffman & Giovannini 2008, OECD
//! Publishing) and the conventions of JRC's COINr package (Becker et al.
//! 2022, *Journal of Open Source Software* 7(78), 4567). Every method choice
//! is explicit in a [`IndexMethod`] and recorded with each result
//! ([`IndexResult::method_record`]); nothing falls back silently to a default.
//!
//! | module | what |
//! |---|---|
//! | [`data`], [`method`], [`frameworks`] | units × indicators × periods; method files (TOML) with every choice explicit; the shipped world-class cluster framework |
//! | [`treat`], [`normalise`] | COINr outlier treatment, imputation (mean, median, group mean, LOCF); min-max, z-score, rank, percentile, target, goalposts |
//! | [`weights`], [`lp`], [`aggregate`] | equal, manual, entropy, AHP, PCA, benefit of the doubt; arithmetic, geometric, harmonic, generalised, Copeland, TOPSIS |
//! | [`index`] | the pipeline per period, with coverage and notices |
//! | [`uncertainty`] | Monte Carlo rank intervals, Sobol indices (Saltelli/Jansen), leave-one-out, Cronbach's α |
//! | [`benchmark`], [`lifecycle`], [`labels`], [`policy`] | peers and trends; lifecycle stage by rules; ECCP criteria and an ESCA-style model; difference-in-differences |
//!
//! ```
//! use weaver_evaluation::{composite_index, Direction, Indicator, IndexOptions, IndexMethod, Observation, Panel};
//! let indicators = vec![
//!     Indicator::new("members", Direction::HigherBetter),
//!     Indicator::new("cost", Direction::LowerBetter),
//! ];
//! let rows = [("a", 10.0, 5.0), ("b", 30.0, 4.0), ("c", 20.0, 1.0)];
//! let mut obs = Vec::new();
//! for (u, m, c) in rows {
//!     for (i, v) in [("members", m), ("cost", c)] {
//!         obs.push(Observation { unit: u.into(), indicator: i.into(), period: "2024".into(), value: v });
//!     }
//! }
//! let panel = Panel::from_observations(indicators, &obs).unwrap();
//! let method = IndexMethod::from_toml("[method]\nnormalisation = \"minmax\"\nweighting = \"equal\"\naggregation = \"arithmetic\"").unwrap();
//! let result = composite_index(&panel, &method, &IndexOptions::default()).unwrap();
//! let p = &result.periods[0];
//! // a = (0 + 0)/2, b = (100 + 25)/2, c = (50 + 100)/2
//! assert_eq!(p.scores, vec![0.0, 62.5, 75.0]);
//! assert_eq!(p.ranks, vec![Some(3), Some(2), Some(1)]);
//! ```

#![warn(missing_docs)]
// `!(x > 0.0)` is used on purpose: it is true for NaN, which must be refused
// along with non-positive values. Index loops mirror the papers' subscripts.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::needless_range_loop)]

pub mod aggregate;
pub mod benchmark;
pub mod data;
mod error;
pub mod frameworks;
pub mod index;
pub mod labels;
pub mod lifecycle;
pub mod lp;
pub mod method;
pub mod normalise;
pub mod policy;
pub mod stats;
pub mod treat;
pub mod uncertainty;
pub mod weights;

pub use data::{Direction, Indicator, Matrix, Observation, Panel, UnknownDirection};
pub use error::EvalError;
pub use index::{Framework, IndexOptions, IndexResult, PeriodIndex, composite_index};
pub use method::IndexMethod;
