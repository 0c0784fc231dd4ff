//! A data package in memory: checked tables in import order.
//!
//! Readers (CSV folders, zips, workbooks, public-source adapters, the demo)
//! feed rows of text through a [`TableBuilder`], which checks every cell
//! against the [`schema`] and records each problem with its
//! place; [`PackageBuilder::finish`] then checks references across tables and
//! against the register, and returns the package only when nothing is wrong.

use std::hash::{BuildHasher, Hasher};

use compact_str::CompactString;
use foldhash::{HashMap, HashMapExt, HashSet};
use hashbrown::HashTable;
use rayon::prelude::*;

use crate::cell::parse_cell;
use crate::problem::{Problems, Rejected};
use crate::schema::{self, ColumnType, TableSchema};
use crate::value::Value;

/// Work over a table's rows (checks, matching, sorting) runs on every core
/// from this many rows; below, starting the threads costs more than it saves.
pub const PARALLEL_ROWS: usize = 50_000;

/// The fewest rows one thread takes of such work (`with_min_len`): half of
/// [`PARALLEL_ROWS`], so that from that many rows on it is shared.
pub const PARALLEL_PIECE: usize = PARALLEL_ROWS / 2;

/// One checked table of a package.
#[derive(Debug, Clone)]
pub struct TableData {
    /// The table's schema.
    pub schema: &'static TableSchema,
    /// Which of the schema's columns the input had; columns it lacked leave
    /// existing rows of the register unchanged.
    pub present: Vec<bool>,
    /// Rows, each with one value per schema column, in schema order.
    pub rows: Vec<Vec<Value>>,
    /// Where each row came from (file and spreadsheet row), for messages.
    pub origin: String,
    /// The spreadsheet row number of each row (header = 1).
    pub lines: Vec<usize>,
}

impl TableData {
    /// The key of row `i` as one string (parts joined by U+001F).
    pub fn key_of(&self, row: &[Value]) -> String {
        key_string(self.schema, row)
    }
}

/// The key of a row of `schema`: its key columns' canonical text joined by U+001F.
pub fn key_string(schema: &TableSchema, row: &[Value]) -> String {
    key_at(
        schema
            .key
            .iter()
            .map(|k| schema.position(k).expect("key column")),
        row,
    )
}

/// [`key_string`] of the key columns at `positions`.
fn key_at(positions: impl Iterator<Item = usize> + Clone, row: &[Value]) -> String {
    let len = positions
        .clone()
        .map(|p| row[p].as_str().map_or(20, str::len) + 1)
        .sum();
    let mut key = String::with_capacity(len);
    for (i, pos) in positions.enumerate() {
        if i > 0 {
            key.push('\u{1f}');
        }
        match &row[pos] {
            Value::Text(s) => key.push_str(s),
            Value::Null => {}
            other => key.push_str(&other.to_text()),
        }
    }
    key
}

/// The hash of a row's key cells (at `positions`), as [`key_string`] would
/// join them: rows of the same key hash alike.
fn key_hash(state: &foldhash::fast::RandomState, positions: &[usize], row: &[Value]) -> u64 {
    let mut h = state.build_hasher();
    for &pos in positions {
        match &row[pos] {
            Value::Text(s) => h.write(s.as_bytes()),
            Value::Null => {}
            other => h.write(other.to_text().as_bytes()),
        }
        h.write_u8(0x1f);
    }
    h.finish()
}

/// Whether two rows have the same key cells (at `positions`): the same
/// [`key_string`].
fn same_key(positions: &[usize], a: &[Value], b: &[Value]) -> bool {
    positions.iter().all(|&p| match (&a[p], &b[p]) {
        (Value::Text(x), Value::Text(y)) => x == y,
        (Value::Null, Value::Null) => true,
        (x, y) => x.to_text() == y.to_text(),
    })
}

/// Row numbers of a table, found by the key cells of their rows (rows of
/// the same [`key_string`]), with no key string made per row. The rows
/// themselves stay with the caller, who passes them in.
#[derive(Debug)]
struct KeyTable {
    positions: Vec<usize>,
    hasher: foldhash::fast::RandomState,
    table: HashTable<usize>,
}

impl KeyTable {
    fn new(positions: Vec<usize>, capacity: usize) -> KeyTable {
        KeyTable {
            positions,
            hasher: foldhash::fast::RandomState::default(),
            table: HashTable::with_capacity(capacity),
        }
    }

    /// The hash of `row`'s key cells.
    fn hash(&self, row: &[Value]) -> u64 {
        key_hash(&self.hasher, &self.positions, row)
    }

    /// The number of the row of `rows` with the key of `row` (whose
    /// [`hash`](Self::hash) is `hash`), if one was inserted.
    fn find(&self, rows: &[Vec<Value>], hash: u64, row: &[Value]) -> Option<usize> {
        self.table
            .find(hash, |&i| same_key(&self.positions, &rows[i], row))
            .copied()
    }

    /// Adds row number `i` of `rows`, of this `hash`, whose key is not in yet.
    fn insert(&mut self, rows: &[Vec<Value>], hash: u64, i: usize) {
        let (hasher, positions) = (&self.hasher, &self.positions);
        self.table
            .insert_unique(hash, i, |&j| key_hash(hasher, positions, &rows[j]));
    }

    /// Makes room for `additional` more rows of `rows`.
    fn reserve(&mut self, rows: &[Vec<Value>], additional: usize) {
        let (hasher, positions) = (&self.hasher, &self.positions);
        self.table
            .reserve(additional, |&j| key_hash(hasher, positions, &rows[j]));
    }
}

/// Rows of a table found by their key: for matching a package's rows to the
/// register's, with no key string made per row.
#[derive(Debug)]
pub struct KeyIndex<'r> {
    rows: &'r [Vec<Value>],
    keys: KeyTable,
}

impl<'r> KeyIndex<'r> {
    /// Indexes `rows` of `schema` by their key cells (the first row of a
    /// key, should one repeat).
    pub fn new(schema: &TableSchema, rows: &'r [Vec<Value>]) -> KeyIndex<'r> {
        let mut keys = KeyTable::new(schema.key_positions(), rows.len());
        for (i, row) in rows.iter().enumerate() {
            let hash = keys.hash(row);
            if keys.find(rows, hash, row).is_none() {
                keys.insert(rows, hash, i);
            }
        }
        KeyIndex { rows, keys }
    }

    /// The row with the same key as `row` (same [`key_string`]), if any.
    pub fn get(&self, row: &[Value]) -> Option<&'r [Value]> {
        let i = self.keys.find(self.rows, self.keys.hash(row), row)?;
        Some(&self.rows[i])
    }

    /// Whether no row is indexed.
    pub fn is_empty(&self) -> bool {
        self.keys.table.is_empty()
    }
}

/// `text` with each run of tabs and line breaks made one space.
fn fold_breaks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_break = false;
    for c in text.chars() {
        if matches!(c, '\t' | '\n' | '\r') {
            if !in_break {
                out.push(' ');
            }
            in_break = true;
        } else {
            out.push(c);
            in_break = false;
        }
    }
    out
}

/// The columns of `schema` that hold the id of a row of other tables (or of
/// its own): its [`ColumnType::Ref`] columns, and a region's `parent` (a
/// text column, since a table refers to no table imported after it, but
/// checked as a reference to `regions`).
pub fn references(schema: &TableSchema) -> impl Iterator<Item = (usize, &'static [&'static str])> {
    let parent = (schema.name == "regions")
        .then(|| schema.position("parent"))
        .flatten()
        .map(|p| (p, &["regions"] as &'static [&'static str]));
    schema
        .columns
        .iter()
        .enumerate()
        .filter_map(|(pos, col)| match col.ty {
            ColumnType::Ref(targets) => Some((pos, targets)),
            _ => None,
        })
        .chain(parent)
}

/// The id in column `pos` of `row`, if it is the id of no row of `sets`.
fn lacking<'r>(row: &'r [Value], pos: usize, sets: &[&HashSet<&str>]) -> Option<&'r str> {
    let id = row[pos].as_str()?;
    (!sets.iter().any(|s| s.contains(id))).then_some(id)
}

/// A checked package: its name, its tables in import order, and notices about
/// how it was read (for example, a file decoded from GB18030).
#[derive(Debug, Clone, Default)]
pub struct Package {
    /// The package's name (recorded as the source of rows that give none).
    pub name: String,
    /// Tables present in the package, in import order.
    pub tables: Vec<TableData>,
    /// Things worth telling the user that are not problems.
    pub notices: Vec<String>,
    /// The regions' boundaries (`regions.geojson`), when the package has them.
    pub boundaries: Option<Boundaries>,
}

/// The regions' boundaries of a package: a GeoJSON FeatureCollection whose
/// features each name a region (`properties.id`), kept as one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Boundaries {
    /// Where the document came from (a file name), for messages.
    pub origin: String,
    /// The document, as read.
    pub document: String,
    /// The region id of each feature, in the document's order.
    pub ids: Vec<String>,
}

impl Package {
    /// The table with this name, if the package has it.
    pub fn table(&self, name: &str) -> Option<&TableData> {
        self.tables.iter().find(|t| t.schema.name == name)
    }

    /// Rows per table.
    pub fn counts(&self) -> Vec<(&'static str, usize)> {
        self.tables
            .iter()
            .map(|t| (t.schema.name, t.rows.len()))
            .collect()
    }
}

/// Collects the tables of one package and their problems.
#[derive(Debug)]
pub struct PackageBuilder {
    name: String,
    tables: Vec<TableData>,
    /// Problems found so far.
    pub problems: Problems,
    notices: Vec<String>,
    /// Whether tabs and line breaks in short text become spaces (files) or
    /// are refused (rows entered one by one).
    fold_breaks: bool,
    /// Per table (as `tables`): the short text cells whose breaks became
    /// spaces, and the first of them (row, column).
    folded: Vec<Folded>,
    /// The regions' boundaries, when given.
    boundaries: Option<Boundaries>,
}

/// The short text cells of one table whose tabs and line breaks became spaces.
#[derive(Debug, Default, Clone)]
struct Folded {
    cells: usize,
    first: Option<(usize, &'static str)>,
}

impl PackageBuilder {
    /// Starts a package with this name.
    pub fn new(name: impl Into<String>) -> Self {
        PackageBuilder {
            name: name.into(),
            tables: Vec::new(),
            problems: Problems::default(),
            notices: Vec::new(),
            fold_breaks: true,
            folded: Vec::new(),
            boundaries: None,
        }
    }

    /// Gives the package the regions' boundaries (a document already read
    /// as a GeoJSON FeatureCollection, with the region id of each feature);
    /// [`finish`](Self::finish) checks that each id is a region's. A region
    /// named by two features is a problem at `origin`.
    pub fn boundaries(&mut self, boundaries: Boundaries) {
        let mut seen = HashSet::default();
        for id in &boundaries.ids {
            if !seen.insert(id.as_str()) {
                self.problems.at(
                    &boundaries.origin,
                    None,
                    None,
                    format!("region '{id}' has two features"),
                );
            }
        }
        self.boundaries = Some(boundaries);
    }

    /// Refuses tabs and line breaks in short text cells (as every other
    /// control character) instead of making them spaces: for rows entered
    /// one by one (the API), where no file put them there.
    pub fn refusing_breaks(mut self) -> Self {
        self.fold_breaks = false;
        self
    }

    /// Sets how many problems are kept (the rest are counted).
    pub fn with_problem_limit(mut self, limit: usize) -> Self {
        self.problems = Problems::with_limit(limit);
        self
    }

    /// Records a notice (not a problem).
    pub fn notice(&mut self, text: impl Into<String>) {
        self.notices.push(text.into());
    }

    /// Records a problem with a file as a whole (for example, an empty file).
    pub fn file_problem(&mut self, file: &str, message: impl Into<String>) {
        self.problems.at(file, None, None, message);
    }

    /// Starts reading table `name` from `origin` (a file name) with this
    /// header. Returns `None`, with the problems recorded, when the table is
    /// unknown, already given, or the header is unusable.
    pub fn table(
        &mut self,
        name: &str,
        origin: &str,
        header: &[String],
    ) -> Option<TableBuilder<'_>> {
        let Some(schema) = schema::table(name) else {
            self.problems.at(
                origin,
                None,
                None,
                format!(
                    "unknown table '{name}'; the tables of a package are: {}",
                    schema::table_names().collect::<Vec<_>>().join(", ")
                ),
            );
            return None;
        };
        if self.tables.iter().any(|t| t.schema.name == name) {
            self.problems.at(
                origin,
                None,
                None,
                format!("table '{name}' is given twice in this package"),
            );
            return None;
        }
        let mut mapping = Vec::with_capacity(header.len());
        let mut present = vec![false; schema.columns.len()];
        let mut ok = true;
        for raw in header {
            let col = raw.trim();
            match schema.position(col) {
                Some(p) if present[p] => {
                    self.problems
                        .at(origin, Some(1), Some(col), "this column is given twice");
                    ok = false;
                    mapping.push(None);
                }
                Some(p) => {
                    present[p] = true;
                    mapping.push(Some(p));
                }
                None if col.is_empty() => {
                    self.problems
                        .at(origin, Some(1), None, "a column has no name in the header");
                    ok = false;
                    mapping.push(None);
                }
                None => {
                    let names: Vec<&str> = schema.columns.iter().map(|c| c.name).collect();
                    self.problems.at(
                        origin,
                        Some(1),
                        Some(col),
                        format!(
                            "unknown column; the columns of {name} are: {}",
                            names.join(", ")
                        ),
                    );
                    ok = false;
                    mapping.push(None);
                }
            }
        }
        for (c, here) in schema.columns.iter().zip(&present) {
            if c.required && !here {
                self.problems.at(
                    origin,
                    Some(1),
                    Some(c.name),
                    format!("required column '{}' is missing", c.name),
                );
                ok = false;
            }
        }
        if !ok {
            return None;
        }
        let citation = schema
            .position(schema.citation_column())
            .expect("citation column");
        let visibility = schema.position("visibility").expect("visibility column");
        // Provenance defaults apply to every row, so both columns count as given.
        present[citation] = true;
        present[visibility] = true;
        self.tables.push(TableData {
            schema,
            present,
            rows: Vec::new(),
            origin: origin.to_owned(),
            lines: Vec::new(),
        });
        let package_name = CompactString::from(self.name.as_str());
        self.folded.push(Folded::default());
        let table = self.tables.last_mut().expect("just pushed");
        let folded = self.folded.last_mut().expect("just pushed");
        let ordered = [("since", "until"), ("start", "end")]
            .into_iter()
            .filter_map(|(from, to)| Some((schema.position(from)?, schema.position(to)?, from, to)))
            .collect();
        Some(TableBuilder {
            table,
            problems: &mut self.problems,
            mapping,
            seen: KeyTable::new(schema.key_positions(), 0),
            package_name,
            citation,
            visibility,
            ordered,
            fold_breaks: self.fold_breaks,
            folded,
        })
    }

    /// The ids that rows refer to and that no row of this package has, by the
    /// table they may be of (an id that may be of two tables is under both):
    /// what [`finish`](Self::finish) will ask the register about. A store
    /// looks these up instead of reading every id it holds.
    pub fn unresolved_references(&self) -> HashMap<&'static str, HashSet<&str>> {
        let ids = Self::ids(&self.tables);
        let mut out: HashMap<&'static str, HashSet<&str>> = HashMap::new();
        for t in &self.tables {
            for (pos, targets) in references(t.schema) {
                let sets: Vec<&HashSet<&str>> = targets.iter().filter_map(|t| ids.get(t)).collect();
                let lacked: Vec<&str> = (t.rows.par_iter().with_min_len(PARALLEL_PIECE))
                    .filter_map(|row| lacking(row, pos, &sets))
                    .collect();
                for id in lacked {
                    for &target in targets {
                        out.entry(target).or_default().insert(id);
                    }
                }
            }
        }
        if let Some(b) = &self.boundaries {
            let regions = ids.get("regions");
            for id in &b.ids {
                if !regions.is_some_and(|s| s.contains(id.as_str())) {
                    out.entry("regions").or_default().insert(id.as_str());
                }
            }
        }
        out
    }

    /// The ids of the rows of each id-keyed table of `tables`.
    fn ids(tables: &[TableData]) -> HashMap<&'static str, HashSet<&str>> {
        let mut ids: HashMap<&'static str, HashSet<&str>> = HashMap::new();
        for t in tables {
            if t.schema.has_id() {
                let set = t.rows.iter().filter_map(|r| r[0].as_str()).collect();
                ids.insert(t.schema.name, set);
            }
        }
        ids
    }

    /// Checks references between tables and against the register, and returns
    /// the package if no problem was found.
    ///
    /// `in_register(table, id)` says whether the register already holds a row
    /// of `table` with this id.
    ///
    /// The references of a big table are checked on every core.
    pub fn finish(
        mut self,
        in_register: &(dyn Fn(&str, &str) -> bool + Sync),
    ) -> Result<Package, Rejected> {
        for (t, f) in self.tables.iter().zip(&self.folded) {
            if let Some((line, column)) = f.first {
                self.notices.push(format!(
                    "{}: {} short text cell{} held tabs or line breaks, now spaces \
                     (the first: row {line}, column {column})",
                    t.origin,
                    f.cells,
                    if f.cells == 1 { "" } else { "s" }
                ));
            }
        }
        self.tables
            .sort_by_key(|t| schema::TABLES.iter().position(|s| s.name == t.schema.name));
        let ids = Self::ids(&self.tables);
        for t in &self.tables {
            for (pos, targets) in references(t.schema) {
                let col = &t.schema.columns[pos];
                if !t.present[pos] {
                    continue;
                }
                let sets: Vec<(&str, Option<&HashSet<&str>>)> =
                    targets.iter().map(|&t| (t, ids.get(t))).collect();
                let known = |id: &str| {
                    sets.iter().any(|&(target, set)| {
                        set.is_some_and(|s| s.contains(id)) || in_register(target, id)
                    })
                };
                // Each row's number and id where that id is of no row.
                let missing: Vec<(usize, &str)> = (t.rows.par_iter().zip(&t.lines))
                    .with_min_len(PARALLEL_PIECE)
                    .filter_map(|(row, line)| {
                        let id = row[pos].as_str()?;
                        (!known(id)).then_some((*line, id))
                    })
                    .collect();
                for (line, id) in missing {
                    self.problems.at(
                        &t.origin,
                        Some(line),
                        Some(col.name),
                        format!(
                            "'{id}' is not the id of any row of {} in this package or in the register",
                            targets.join(" or ")
                        ),
                    );
                }
            }
        }
        if let Some(b) = &self.boundaries {
            let regions = ids.get("regions");
            for id in &b.ids {
                if !regions.is_some_and(|s| s.contains(id.as_str())) && !in_register("regions", id)
                {
                    self.problems.at(
                        &b.origin,
                        None,
                        None,
                        format!(
                            "feature '{id}': not the id of any row of regions in this package or in the register"
                        ),
                    );
                }
            }
        }
        self.problems.into_result()?;
        Ok(Package {
            name: self.name,
            tables: self.tables,
            notices: self.notices,
            boundaries: self.boundaries,
        })
    }
}

/// Checks and collects the rows of one table.
#[derive(Debug)]
pub struct TableBuilder<'a> {
    table: &'a mut TableData,
    problems: &'a mut Problems,
    mapping: Vec<Option<usize>>,
    /// The rows accepted so far, by key: for the check of duplicate keys.
    seen: KeyTable,
    package_name: CompactString,
    citation: usize,
    visibility: usize,
    /// Pairs of date columns whose second may not come before the first:
    /// their positions and names.
    ordered: Vec<(usize, usize, &'static str, &'static str)>,
    fold_breaks: bool,
    folded: &'a mut Folded,
}

/// A row checked on its own (by [`RowChecker::check`]), waiting to be
/// [accepted](TableBuilder::accept) into its table.
#[derive(Debug)]
pub struct CheckedRow {
    /// The row's spreadsheet row number.
    line: usize,
    /// The hash of its key cells (see [`key_hash`]).
    hash: u64,
    /// Its values in schema order, or its problems (column, message).
    outcome: Result<Vec<Value>, Vec<(Option<&'static str>, String)>>,
    /// Its short text cells whose tabs and line breaks became spaces: how
    /// many, and the first one's column.
    folded: (usize, Option<&'static str>),
}

/// The checks of one row that need no other row: cell types and limits,
/// defaults, required columns, the order of dates. `Sync`, for readers that
/// check the rows of a big file on several threads.
#[derive(Debug, Clone, Copy)]
pub struct RowChecker<'a> {
    schema: &'static TableSchema,
    mapping: &'a [Option<usize>],
    package_name: &'a CompactString,
    citation: usize,
    visibility: usize,
    ordered: &'a [(usize, usize, &'static str, &'static str)],
    keys: &'a KeyTable,
    fold_breaks: bool,
}

impl RowChecker<'_> {
    /// Checks one row of cells (in header order) found at spreadsheet row `line`.
    pub fn check<S: AsRef<str>>(&self, line: usize, cells: &[S]) -> CheckedRow {
        let schema = self.schema;
        let mut problems: Vec<(Option<&'static str>, String)> = Vec::new();
        if cells.len() != self.mapping.len() {
            // A trailing run of empty cells is harmless (spreadsheets add them).
            let extra_empty = cells.len() > self.mapping.len()
                && cells[self.mapping.len()..]
                    .iter()
                    .all(|c| c.as_ref().trim().is_empty());
            if !extra_empty {
                problems.push((
                    None,
                    format!(
                        "the row has {} cells; the header has {}",
                        cells.len(),
                        self.mapping.len()
                    ),
                ));
                return CheckedRow {
                    line,
                    hash: 0,
                    outcome: Err(problems),
                    folded: (0, None),
                };
            }
        }
        let mut row = vec![Value::Null; schema.columns.len()];
        let mut failed = false;
        let mut failed_visibility = false;
        let mut folded = (0, None);
        for (cell, target) in cells.iter().zip(self.mapping) {
            let Some(pos) = *target else { continue };
            let col = &schema.columns[pos];
            let mut text = cell.as_ref().trim();
            if text.is_empty() {
                continue;
            }
            // Files put tabs and line breaks in names and titles: one
            // space for each run of them in short free text.
            let spaced;
            if self.fold_breaks
                && matches!(
                    col.ty,
                    ColumnType::Text | ColumnType::List | ColumnType::Identifiers
                )
                && text.bytes().any(|b| matches!(b, b'\t' | b'\n' | b'\r'))
            {
                spaced = fold_breaks(text);
                text = &spaced;
                folded.0 += 1;
                folded.1 = folded.1.or(Some(col.name));
            }
            match parse_cell(col.ty, text) {
                Ok(v) => row[pos] = v,
                Err(msg) => {
                    problems.push((Some(col.name), msg));
                    failed = true;
                    failed_visibility |= pos == self.visibility;
                }
            }
        }
        if row[self.visibility].is_null() && !failed_visibility {
            row[self.visibility] =
                Value::Text(CompactString::const_new(schema.default_visibility.as_str()));
        }
        if row[self.citation].is_null() && !self.package_name.is_empty() {
            row[self.citation] = Value::Text(self.package_name.clone());
        }
        for (pos, col) in schema.columns.iter().enumerate() {
            // A cell that failed to parse is left Null and already named.
            let named = problems.iter().any(|(c, _)| *c == Some(col.name));
            if col.required && row[pos].is_null() && !named {
                problems.push((Some(col.name), format!("{} is required here", col.name)));
            }
        }
        if !failed && problems.is_empty() {
            self.check_row(&mut row, &mut problems);
        }
        if problems.is_empty() {
            CheckedRow {
                line,
                hash: self.keys.hash(&row),
                outcome: Ok(row),
                folded,
            }
        } else {
            CheckedRow {
                line,
                hash: 0,
                outcome: Err(problems),
                folded,
            }
        }
    }

    /// The checks of regions and classifications: a region's country
    /// (ISO 3166-1 alpha-2), centroid (latitude −90…90, longitude
    /// −180…180) and parent (not itself); the country of regional activity;
    /// a classification's name, made its canonical one
    /// ([`crate::classification::canonical`]).
    fn check_regional(
        &self,
        row: &mut [Value],
        problems: &mut Vec<(Option<&'static str>, String)>,
    ) {
        use crate::classification::{canonical, check_country};
        let schema = self.schema;
        let at = |name: &str| schema.position(name);
        let (country, classification) = match schema.name {
            "regions" => (at("country"), None),
            "regional_activity" => (at("country"), at("classification")),
            "clusters" => (None, at("sector_classification")),
            _ => return,
        };
        if let Some(p) = country
            && let Some(code) = row[p].as_str()
            && let Err(message) = check_country(code)
        {
            problems.push((Some(schema.columns[p].name), message));
        }
        if let Some(p) = classification
            && let Some(name) = row[p].as_str()
        {
            match canonical(name) {
                Ok(canon) => row[p] = Value::Text(CompactString::const_new(canon)),
                Err(message) => problems.push((Some(schema.columns[p].name), message)),
            }
        }
        if schema.name == "regions" {
            for (name, limit) in [("lat", 90.0), ("lon", 180.0)] {
                if let Some(p) = at(name)
                    && let Some(x) = row[p].as_f64()
                    && !(-limit..=limit).contains(&x)
                {
                    problems.push((
                        Some(schema.columns[p].name),
                        format!("{name} {x} is not between -{limit} and {limit}"),
                    ));
                }
            }
            if let Some(p) = at("parent")
                && row[p].as_str().is_some()
                && row[p] == row[0]
            {
                problems.push((
                    Some("parent"),
                    "a region cannot be its own parent".to_owned(),
                ));
            }
        }
    }

    /// Checks that hold between the cells of one row.
    fn check_row(&self, row: &mut [Value], problems: &mut Vec<(Option<&'static str>, String)>) {
        self.check_regional(row, problems);
        for &(a, b, from, to) in self.ordered {
            if let (Some(x), Some(y)) = (row[a].as_str(), row[b].as_str())
                && y < x
            {
                problems.push((Some(to), format!("{to} {y} is before {from} {x}")));
            }
        }
        if self.schema.name == "ties" && row[0] == row[1] {
            problems.push((
                Some("target"),
                "a tie must join two different organizations".to_owned(),
            ));
        }
    }
}

impl TableBuilder<'_> {
    /// Checks one row of cells (in header order) found at spreadsheet row `line`.
    pub fn push_row<S: AsRef<str>>(&mut self, line: usize, cells: &[S]) {
        let checked = self.checker().check(line, cells);
        self.accept(checked, 0);
    }

    /// The checks of single rows, which need nothing from the rows before:
    /// shareable between threads, so that a reader may check the rows of a
    /// big file in parallel and [`accept`](Self::accept) them in order.
    pub fn checker(&self) -> RowChecker<'_> {
        RowChecker {
            schema: self.table.schema,
            mapping: &self.mapping,
            package_name: &self.package_name,
            citation: self.citation,
            visibility: self.visibility,
            ordered: &self.ordered,
            keys: &self.seen,
            fold_breaks: self.fold_breaks,
        }
    }

    /// Takes a row checked by this table's [`checker`](Self::checker) with its spreadsheet row
    /// counted from `offset` (the rows before the part of the file it was
    /// read from): records its problems, or checks its key against the rows
    /// accepted before and adds it. Rows must be accepted in file order.
    pub fn accept(&mut self, checked: CheckedRow, offset: usize) {
        let schema = self.table.schema;
        let line = checked.line + offset;
        if let (n @ 1.., Some(column)) = checked.folded {
            self.folded.cells += n;
            self.folded.first = self.folded.first.or(Some((line, column)));
        }
        let row = match checked.outcome {
            Ok(row) => row,
            Err(problems) => {
                for (column, message) in problems {
                    self.problems
                        .at(&self.table.origin, Some(line), column, message);
                }
                return;
            }
        };
        let rows = &self.table.rows;
        let hash = checked.hash;
        if let Some(earlier) = self.seen.find(rows, hash, &row) {
            let first = self.table.lines[earlier];
            let what = if schema.has_id() {
                format!(
                    "duplicate id '{}'; it is already on row {first}",
                    row[0].to_text()
                )
            } else {
                format!(
                    "duplicate row: ({}) is already on row {first}",
                    schema.key.join(", ")
                )
            };
            self.problems
                .at(&self.table.origin, Some(line), Some(schema.key[0]), what);
            return;
        }
        self.seen.insert(rows, hash, rows.len());
        self.table.rows.push(row);
        self.table.lines.push(line);
    }

    /// Records a problem with row `line` as a whole.
    pub fn problem_at(&mut self, line: usize, message: impl Into<String>) {
        self.problems
            .at(&self.table.origin, Some(line), None, message);
    }

    /// Makes room for about `rows` more rows (a hint: a reader that knows
    /// the size of its input saves the growing of the table and of its
    /// duplicate-key map, which for a million rows is a tenth of the reading).
    pub fn reserve(&mut self, rows: usize) {
        self.table.rows.reserve(rows);
        self.table.lines.reserve(rows);
        self.seen.reserve(&self.table.rows, rows);
    }

    /// Rows accepted so far.
    pub fn len(&self) -> usize {
        self.table.rows.len()
    }

    /// Whether no row was accepted yet.
    pub fn is_empty(&self) -> bool {
        self.table.rows.is_empty()
    }

    /// Whether the package already has as many problems as it keeps (a reader
    /// may stop early; further problems would only be counted).
    pub fn problems_full(&self) -> bool {
        self.problems.is_full()
    }
}

#[cfg(test)]
mod tests;
