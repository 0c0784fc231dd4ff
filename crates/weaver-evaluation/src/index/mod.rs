//! The composite index: framework resolution and the pipeline
//! screening → imputation → outlier treatment → normalisation → weighting →
//! aggregation → ranks, run on each period on its own.
//!
//! The code divides in three: the [`Framework`] the indicators and the method
//! resolve to (`framework.rs`), the reference pipeline that computes a
//! period's index step by step with every record (`pipeline.rs`), and the
//! Monte Carlo kernel that recomputes only the ranks of many perturbed runs,
//! with the same floating-point operations (`kernel.rs`).

mod framework;
mod kernel;
mod pipeline;

pub use framework::{DEFAULT_DIMENSION, Dimension, Framework};
pub(crate) use kernel::{
    BATCH, BatchBuffers, FixedWeights, RunBuffers, fast_ranks, fast_ranks_batch, fixed_weights,
};
pub use pipeline::{
    IndexOptions, IndexResult, PeriodData, PeriodIndex, PeriodInput, TreatmentRecord,
    WeightFactors, composite_index, is_non_negative, period_index,
};
pub(crate) use pipeline::{Prepared, finish, prepare};
