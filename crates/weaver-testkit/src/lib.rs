//! Test support shared by Weaver's suites, so that each helper is written
//! once:
//!
//! - [`approx`]: floating-point numbers (and JSON numbers) compared with a
//!   tolerance, as every engine and analysis suite compares its results with
//!   a reference;
//! - [`smtp`]: a local SMTP server (`scripts/smtp-sink.py`, aiosmtpd) for
//!   the mail tests, and what it received;
//! - [`fixtures`]: the files under a crate's `tests/fixtures`, by crate;
//! - `properties` (feature `properties`): the one configuration of the
//!   property tests (proptest): few cases, a fixed seed, no failure files;
//! - `postgres` (feature `postgres`): a fresh PostgreSQL database per test,
//!   for the suites that run against both backends. It brings sqlx, so the
//!   engines' suites, which must stay light, take the crate without it.
//!
//! What only one group of suites shares (running the `weaver` binary, the
//! server's fixture register and accounts) stays in that crate's
//! `tests/common` module, next to the suites that use it.

#![warn(missing_docs)]

pub mod approx;
pub mod fixtures;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "properties")]
pub mod properties;
pub mod smtp;

pub use approx::{assert_all_close, close, close_json};
pub use fixtures::{fixture, json_fixture};
#[cfg(feature = "postgres")]
pub use postgres::{admin_url, drop_postgres, fresh_postgres, postgres_required};
pub use smtp::{SmtpSink, smtp_required};
