//! Weaver's domain model: the register's vocabularies ([`enums`]), its tables
//! as data ([`schema`]), checked values ([`Value`]), and the checking of data
//! packages ([`package`]) with problems that name their place ([`problem`]).
//! No I/O: readers and the store build on it.
//!
//! ```
//! use weaver_core::package::PackageBuilder;
//!
//! let header: Vec<String> = ["id", "name", "actor_type"].iter().map(|s| s.to_string()).collect();
//! let mut pkg = PackageBuilder::new("example");
//! let mut orgs = pkg.table("organizations", "organizations.csv", &header).unwrap();
//! orgs.push_row(2, &["tsinghua", "清华大学", "University"]);
//! orgs.push_row(3, &["acme", "Acme", "factory"]);
//! let err = pkg.finish(&|_, _| false).unwrap_err();
//! assert_eq!(err.0.list()[0].to_string(),
//!     "organizations.csv, row 3, column actor_type: 'factory' is not one of: government, \
//!      enterprise, university, research, finance, intermediary, user");
//! ```

#![warn(missing_docs)]

pub mod cell;
pub mod classification;
pub mod enums;
pub mod money;
pub mod package;
pub mod period;
pub mod problem;
pub mod schema;
pub mod value;

pub use package::{Boundaries, Package, PackageBuilder, TableData};
pub use problem::{Problem, Problems, Rejected};
pub use value::Value;

/// The text of a [`Value::Text`]: a string kept inline up to 24 bytes.
pub use compact_str::CompactString;
