//! The configuration of every property test (proptest).
//!
//! Property tests run in the debug profile on shared machines, so each runs
//! few cases: enough to find the counter-example of a broken invariant in
//! the shapes the generators make, not a search of the space. The seed is
//! fixed, so a run is the same everywhere (a failure seen in CI is seen
//! again locally), and no failure file is written: a case that failed is
//! shown shrunk in the test's output, and belongs in a plain test.

use proptest::test_runner::{Config, FileFailurePersistence, RngSeed};

/// The seed every property test starts from.
pub const SEED: u64 = 0x5745_4156_4552; // "WEAVER"

/// `cases` cases from the fixed [`SEED`], without failure files.
pub fn config(cases: u32) -> Config {
    Config {
        cases,
        rng_seed: RngSeed::Fixed(SEED),
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..Config::default()
    }
}
