//! Weaver's data packages in and out.
//!
//! A package is a folder of CSV files (one per table, named after it) with a
//! Frictionless `datapackage.json`, the same folder as a `.zip`, or one
//! `.xlsx` workbook with a sheet per table. [`read_package`] reads any of the
//! three into a [`PackageBuilder`](weaver_core::PackageBuilder) (every cell checked, every problem named
//! with file, row and column); [`write_package`] writes the register's tables
//! in any of the three, deterministically, so that export → import → export
//! gives the same files.
//!
//! Unusual but valid files are read correctly: CR-only or CRLF line ends, a
//! UTF-8 byte order mark, UTF-16 with a byte order mark, `;`-separated CSV, and
//! CSV encoded in GB18030/GBK as Excel in China saves it (decoded, with a
//! notice saying so).
//!
//! Plain CSV tables without a schema (the engine commands' inputs) are read
//! by column name with [`csv_table`], on every core when they are plain.
//!
//! Graphs travel as GEXF 1.3 and GraphML ([`graph`]): read into, and written
//! from, a neutral [`GraphDocument`](graph::GraphDocument) of node ids,
//! attributes and weighted edges.

#![warn(missing_docs)]

pub mod cordis;
pub mod csv_table;
mod csvfile;
mod datapackage;
pub mod geojson;
pub mod graph;
mod read;
mod write;
mod xlsx;

pub use read::{ArchiveLimits, PackageFormat, read_package, read_package_limited};
pub use write::{write_package, write_package_full, write_package_with};

/// A failure to read or write a package as a whole (problems within a
/// package's contents are reported through the builder instead).
#[derive(Debug, thiserror::Error)]
pub enum IoError {
    /// The path does not exist or cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The path.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// The output cannot be written.
    #[error("cannot write {path}: {message}")]
    Write {
        /// The path.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// A zip or workbook expands past a cap of [`ArchiveLimits`] (a zip
    /// bomb, or a package larger than this installation accepts); reading
    /// stopped at the cap.
    #[error("{path}: {message}")]
    TooLarge {
        /// The archive.
        path: String,
        /// Which entry, and which cap.
        message: String,
    },
    /// The path's kind is not a package format.
    #[error("{0}: not a package; give a folder, a .zip or an .xlsx file")]
    UnknownFormat(String),
}
