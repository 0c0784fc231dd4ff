//! The error type of the mapping engine.

/// The input table an error points into, so that a caller can name its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// Regional activity rows (`region,industry,year,employment,...`).
    Activity,
    /// Cluster definitions (`industry,cluster,type`).
    Definitions,
    /// Region hierarchy (`region,parent`).
    Hierarchy,
    /// Benchmark totals (`industry,year,employment`).
    Benchmark,
}

impl std::fmt::Display for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Table::Activity => "activity",
            Table::Definitions => "definitions",
            Table::Hierarchy => "hierarchy",
            Table::Benchmark => "benchmark",
        })
    }
}

/// Everything that can go wrong in the mapping engine.
///
/// `record` fields are 0-based positions in the slice the caller passed (a
/// CLI adds the header line and 1 to get a file line number).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MappingError {
    /// The same natural key appears twice in one table.
    #[error(
        "{table} record {record}: {key} appears twice (first at record {first}); give each key once"
    )]
    Duplicate {
        /// Which table.
        table: Table,
        /// Position of the second occurrence.
        record: usize,
        /// Position of the first occurrence.
        first: usize,
        /// The repeated key, described.
        key: String,
    },
    /// A value is negative, NaN or infinite where a count or amount is expected.
    #[error(
        "{table} record {record}, column {column}: {value} is not a non-negative finite number"
    )]
    InvalidValue {
        /// Which table.
        table: Table,
        /// Position of the record.
        record: usize,
        /// Column name.
        column: &'static str,
        /// The offending value.
        value: f64,
    },
    /// One region is given two different kinds.
    #[error("{table} record {record}: region {region:?} has kind {kind:?} but earlier {earlier:?}")]
    KindConflict {
        /// Which table.
        table: Table,
        /// Position of the record.
        record: usize,
        /// The region.
        region: String,
        /// The kind given here.
        kind: String,
        /// The kind given before.
        earlier: String,
    },
    /// One cluster category is given two different types.
    #[error("{table} record {record}: cluster {cluster:?} is {found} here but {earlier} earlier")]
    TypeConflict {
        /// Which table.
        table: Table,
        /// Position of the record.
        record: usize,
        /// The cluster category.
        cluster: String,
        /// Type given here.
        found: String,
        /// Type given before.
        earlier: String,
    },
    /// The region hierarchy loops back on itself.
    #[error("hierarchy: region {region:?} is its own ancestor")]
    HierarchyCycle {
        /// A region on the cycle.
        region: String,
    },
    /// A parent region has activity rows of its own and would also be summed
    /// from its children, counting its employment twice.
    #[error(
        "activity record {record}: region {region:?} is a parent in the hierarchy and also has rows of its own; give either the parent or its children"
    )]
    ParentHasData {
        /// Position of the parent's first activity record.
        record: usize,
        /// The parent region.
        region: String,
    },
    /// A year asked for is not in the data.
    #[error("year {year} is not in the data (years present: {present})")]
    UnknownYear {
        /// The year asked for.
        year: i32,
        /// The years present, listed.
        present: String,
    },
    /// A matrix's data does not match its stated shape.
    #[error("matrix of {rows} x {cols} needs {expected} values, got {found}")]
    Shape {
        /// Rows.
        rows: usize,
        /// Columns.
        cols: usize,
        /// rows * cols.
        expected: usize,
        /// Values given.
        found: usize,
    },
    /// The columns of an [`crate::input::ActivityColumns`] do not fit
    /// together (lengths differ, or an id has no name).
    #[error("activity columns: {problem}")]
    Columns {
        /// What does not fit, described.
        problem: String,
    },
    /// A parameter is out of its range.
    #[error("parameter {name} = {value} is out of range: {expected}")]
    Parameter {
        /// Parameter name.
        name: &'static str,
        /// Value given.
        value: f64,
        /// What is expected.
        expected: &'static str,
    },
}

impl MappingError {
    /// The table and record position this error points at, if any.
    pub fn location(&self) -> Option<(Table, usize)> {
        match self {
            MappingError::Duplicate { table, record, .. }
            | MappingError::InvalidValue { table, record, .. }
            | MappingError::KindConflict { table, record, .. }
            | MappingError::TypeConflict { table, record, .. } => Some((*table, *record)),
            MappingError::ParentHasData { record, .. } => Some((Table::Activity, *record)),
            _ => None,
        }
    }
}
