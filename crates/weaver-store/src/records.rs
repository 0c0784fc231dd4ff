//! One row at a time: list, get, create, update and delete register rows on
//! behalf of a user, with the rights of [`crate::access`], every write in the
//! audit log, and deletes that can be undone.
//!
//! Rows are checked exactly as a package's rows are (the same
//! [`weaver_core::PackageBuilder`] checks), so the API and import accept and
//! refuse the same values.

use std::collections::HashSet;
use std::future::Future;
use std::sync::{Arc, OnceLock};

use serde_json::{Map, Value as Json};
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, Row};
use weaver_core::package::key_string;
use weaver_core::schema::{ColumnType, Storage, TableSchema};
use weaver_core::{CompactString, PackageBuilder, Problems, Rejected, Value};

use crate::access::{self, Principal, SqlParts, WriteKind};
use crate::audit::audit;
use crate::sql::{self, assert_safe, quote};
use crate::{Store, StoreError};

/// How a row is named in a URL: by id, or by its `row_id` for the tables
/// keyed by a natural key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowKey {
    /// The user's id of a row of an id-keyed table.
    Id(String),
    /// The surrogate number of a row of a natural-key table.
    RowId(i64),
}

impl RowKey {
    /// Reads the key of a row of `t` from a URL segment.
    pub fn parse(t: &TableSchema, s: &str) -> Result<RowKey, StoreError> {
        if t.has_id() {
            Ok(RowKey::Id(s.to_owned()))
        } else {
            s.parse().map(RowKey::RowId).map_err(|_| {
                StoreError::Invalid(format!(
                    "'{s}' is not a row number; rows of {} are named by their row_id",
                    t.name
                ))
            })
        }
    }

    pub(crate) fn text(&self) -> String {
        match self {
            RowKey::Id(s) => s.clone(),
            RowKey::RowId(n) => n.to_string(),
        }
    }
}

/// One row of the register.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The surrogate number, for natural-key tables.
    pub row_id: Option<i64>,
    /// The values, in the schema's column order.
    pub values: Vec<Value>,
}

impl Record {
    /// The key that names this row in a URL.
    pub fn key(&self) -> RowKey {
        match self.row_id {
            Some(n) => RowKey::RowId(n),
            None => RowKey::Id(self.values[0].to_text()),
        }
    }

    /// The row as a JSON object: `row_id` (when the table has one), then every
    /// column, `null` for no value.
    pub fn to_json(&self, t: &TableSchema) -> Map<String, Json> {
        let mut m = Map::new();
        if let Some(n) = self.row_id {
            m.insert("row_id".into(), Json::from(n));
        }
        for (c, v) in t.columns.iter().zip(&self.values) {
            m.insert(c.name.to_owned(), value_json(v));
        }
        m
    }
}

fn value_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Text(s) => Json::from(s.as_str()),
        Value::Int(i) => Json::from(*i),
        Value::Float(x) => serde_json::Number::from_f64(*x).map_or(Json::Null, Json::Number),
        Value::Bool(b) => Json::from(*b),
    }
}

/// The values of a row of `t` from a JSON object written by [`Record::to_json`].
pub(crate) fn values_from_json(t: &TableSchema, m: &Map<String, Json>) -> Vec<Value> {
    t.columns
        .iter()
        .map(|c| match m.get(c.name) {
            None | Some(Json::Null) => Value::Null,
            Some(Json::Bool(b)) => Value::Bool(*b),
            Some(Json::Number(n)) => match (c.ty.storage(), n.as_i64()) {
                (Storage::Integer, Some(i)) => Value::Int(i),
                _ => n.as_f64().map_or(Value::Null, Value::Float),
            },
            Some(Json::String(s)) => Value::Text(s.as_str().into()),
            Some(other) => Value::Text(other.to_string().into()),
        })
        .collect()
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Column = value conditions, all of which must hold. For a column that
    /// may be empty, an empty value (and, for columns other than free text,
    /// `null`) asks for the rows without a value: `until=null` lists the
    /// open rows.
    ///
    /// On key, reference, code (`country`, `region`, `parent`, `level`,
    /// currencies), enum, number, year, date and period columns a value
    /// `a,b` asks for any of `a` and `b`; free-text columns (names, text,
    /// lists, addresses) are matched whole: a comma there is text.
    pub filters: Vec<(String, String)>,
    /// Range conditions on ordered columns (integer, number, year, date,
    /// period): `(column, bound, value)`. A date bound given as a year or
    /// month covers that whole year or month (`founded<=2015` holds for
    /// `2015-06-01`); a period's bound is a year. Rows without a value fail
    /// every range.
    pub ranges: Vec<(String, Bound, String)>,
    /// Only the rows valid at this date (`YYYY-MM-DD`), for the tables with
    /// `since` and `until` columns: `since` empty or on or before it, and
    /// `until` empty or on or after it — both ends inclusive; a date given
    /// as a year or month (`2020`, `2020-06`) covers that whole year or
    /// month.
    pub valid_at: Option<String>,
    /// Text searched (case-insensitively) in the name, English name or title.
    pub search: Option<String>,
    /// The column to sort by (default: the key).
    pub sort: Option<String>,
    /// Sort in descending order.
    pub descending: bool,
    /// Rows per page.
    pub limit: i64,
    /// Rows skipped.
    pub offset: i64,
}

/// Which end of a range a [`ListQuery::ranges`] condition gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// `column >= value` (`column>=value` in a query string).
    AtLeast,
    /// `column <= value` (`column<=value` in a query string).
    AtMost,
}

impl Bound {
    /// The operator as a query string writes it.
    pub fn op(self) -> &'static str {
        match self {
            Bound::AtLeast => ">=",
            Bound::AtMost => "<=",
        }
    }
}

/// Text columns holding codes, not prose: a filter's comma separates values.
const CODE_COLUMNS: &[&str] = &["country", "region", "parent", "level"];

/// Whether a filter on `col` of `t` reads `a,b` as any of `a` and `b`.
fn splits_values(t: &TableSchema, col: &weaver_core::schema::Column) -> bool {
    if t.key.contains(&col.name) || CODE_COLUMNS.contains(&col.name) {
        return true;
    }
    !matches!(
        col.ty,
        ColumnType::Text
            | ColumnType::LongText
            | ColumnType::List
            | ColumnType::Identifiers
            | ColumnType::Url
    )
}

/// The condition of `name = text` (any of its comma-separated values where
/// the column takes several) on a column of `t`.
fn filter_condition(
    t: &TableSchema,
    name: &str,
    text: &str,
    sql: &mut SqlParts,
) -> Result<String, StoreError> {
    let Some(col) = t.column(name) else {
        return Err(StoreError::Invalid(format!(
            "{} has no column '{name}' to filter by; its columns are: {}",
            t.name,
            column_names(t)
        )));
    };
    let text = text.trim();
    let free_text = matches!(col.ty, ColumnType::Text | ColumnType::LongText);
    if text.is_empty() || (text.eq_ignore_ascii_case("null") && !free_text) {
        if col.required {
            return Err(StoreError::Invalid(format!(
                "filter {name}: {}.{name} always has a value; give one to filter by",
                t.name
            )));
        }
        // Key columns store "no value" as '' (see `key_value`).
        return Ok(match col.ty.storage() {
            Storage::Text => format!("COALESCE(t.{}, '') = ''", quote(col.name)),
            _ => format!("t.{} IS NULL", quote(col.name)),
        });
    }
    let values: Vec<&str> = if splits_values(t, col) {
        text.split(',').map(str::trim).collect()
    } else {
        vec![text]
    };
    if values.iter().any(|v| v.is_empty()) {
        return Err(StoreError::Invalid(format!(
            "filter {name}: '{text}' has an empty value between commas; give values as a,b"
        )));
    }
    let pos = t.position(name).unwrap_or(0);
    let mut phs = Vec::with_capacity(values.len());
    for v in values {
        let v = weaver_core::cell::parse_cell(col.ty, v)
            .map_err(|e| StoreError::Invalid(format!("filter {name}: {e}")))?;
        let stored = if t.key.contains(&col.name) {
            key_value(t, pos, &v)
        } else {
            match v {
                Value::Bool(b) => Value::Int(i64::from(b)),
                other => other,
            }
        };
        phs.push(sql.value(stored));
    }
    Ok(if phs.len() == 1 {
        format!("t.{} = {}", quote(col.name), phs[0])
    } else {
        format!("t.{} IN ({})", quote(col.name), phs.join(", "))
    })
}

/// The condition of `name >= text` or `name <= text` on an ordered column
/// of `t` (see [`ListQuery::ranges`]).
fn range_condition(
    t: &TableSchema,
    name: &str,
    bound: Bound,
    text: &str,
    sql: &mut SqlParts,
) -> Result<String, StoreError> {
    let param = format!("{name}{}", bound.op());
    let Some(col) = t.column(name) else {
        return Err(StoreError::Invalid(format!(
            "{param}: {} has no column '{name}' to filter by; its columns are: {}",
            t.name,
            column_names(t)
        )));
    };
    let text = text.trim();
    let op = bound.op();
    let c = quote(col.name);
    match col.ty {
        ColumnType::Int
        | ColumnType::Count
        | ColumnType::Year
        | ColumnType::Float
        | ColumnType::NonNegative
        | ColumnType::Positive => {
            // A bound is any number of the column's kind: `management_fte>=0.5`,
            // `employees<=-1` (which nothing meets) are questions, not errors.
            let v = match col.ty.storage() {
                Storage::Integer => text.parse::<i64>().map(Value::Int).map_err(|_| {
                    format!("'{text}' is not a whole number; {name} holds whole numbers")
                }),
                _ => text
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .map(Value::Float)
                    .ok_or_else(|| format!("'{text}' is not a number such as 1234.5")),
            }
            .map_err(|e| StoreError::Invalid(format!("{param}: {e}")))?;
            let ph = sql.value(v);
            Ok(format!("t.{c} {op} {ph}"))
        }
        ColumnType::Date | ColumnType::Period => {
            let ok = if col.ty == ColumnType::Date {
                weaver_core::cell::is_date(text)
            } else {
                text.len() == 4 && weaver_core::cell::is_date(text)
            };
            if !ok {
                let expected = if col.ty == ColumnType::Date {
                    "a date: YYYY, YYYY-MM or YYYY-MM-DD"
                } else {
                    "a year (YYYY), which covers every period of that year"
                };
                return Err(StoreError::Invalid(format!(
                    "{param}: '{text}' is not {expected}"
                )));
            }
            // Dates and periods are text that sorts as time; both sides cut
            // to the shorter one's length, a year or month covers its days.
            let a = sql.arg(text.to_owned());
            let b = sql.arg(text.to_owned());
            Ok(format!(
                "(COALESCE(t.{c}, '') <> '' AND SUBSTR(t.{c}, 1, LENGTH({a})) {op} SUBSTR({b}, 1, LENGTH(t.{c})))"
            ))
        }
        _ => Err(StoreError::Invalid(format!(
            "{param}: {}.{name} is not ordered ({}); ranges apply to whole numbers, numbers, \
             years, dates and periods",
            t.name,
            col.ty.expected()
        ))),
    }
}

/// Largest page a list returns.
pub const MAX_PAGE: i64 = 1_000;

/// The provenance (`source`, in ties `citation`) of a row written through
/// the API without one, as an import records the package's name: no row is
/// without provenance, so that export → import → export is identical.
pub const API_SOURCE: &str = "weaver-api";

/// One page of a list.
#[derive(Debug, Clone)]
pub struct Page {
    /// Rows matching, over all pages.
    pub total: i64,
    /// This page's rows.
    pub rows: Vec<Record>,
    /// The rows as JSON, written once for every reader of a shared page.
    json: OnceLock<Vec<String>>,
}

impl Page {
    /// A page of `rows` out of `total`.
    pub fn new(total: i64, rows: Vec<Record>) -> Page {
        Page {
            total,
            rows,
            json: OnceLock::new(),
        }
    }

    /// Each row as a JSON object, as [`Record::to_json`] writes it; written
    /// on first use and kept with the page.
    pub fn rows_json(&self, t: &TableSchema) -> &[String] {
        self.json.get_or_init(|| {
            self.rows
                .iter()
                .map(|r| Json::Object(r.to_json(t)).to_string())
                .collect()
        })
    }
}

fn bind_value<'q>(
    q: Query<'q, Any, AnyArguments>,
    (v, storage): &(Value, Storage),
) -> Query<'q, Any, AnyArguments> {
    match v {
        Value::Null => match storage {
            Storage::Text => q.bind(None::<String>),
            Storage::Integer => q.bind(None::<i64>),
            Storage::Real => q.bind(None::<f64>),
        },
        Value::Text(s) => q.bind(s.to_string()),
        Value::Int(i) => q.bind(*i),
        Value::Float(x) => q.bind(*x),
        Value::Bool(b) => q.bind(i64::from(*b)),
    }
}

pub(crate) fn bind_all<'q>(
    mut q: Query<'q, Any, AnyArguments>,
    args: &[(Value, Storage)],
) -> Query<'q, Any, AnyArguments> {
    for a in args {
        q = bind_value(q, a);
    }
    q
}

/// The value a key column is stored as (optional key parts as '').
/// The SQL condition of the rows of `t` valid at the date `d`
/// (`YYYY-MM-DD`): `since` empty or `since <= d`, and `until` empty or
/// `until >= d`, both ends inclusive. Dates are stored as ISO text, so they
/// compare as text; a `since` of `2020` or `2020-06` sorts before every day
/// of that year or month (it counts from the first day), and an `until` of
/// `2020` or `2020-06` is compared with `d` cut to the same length (it counts
/// to the last day). Refused (naming `valid_at`) for a table without `since`
/// and `until`, and for anything but a whole valid date.
pub(crate) fn valid_at_condition(
    t: &TableSchema,
    d: &str,
    sql: &mut SqlParts,
) -> Result<String, StoreError> {
    if t.column("since").is_none() || t.column("until").is_none() {
        return Err(StoreError::Invalid(format!(
            "valid_at: {} has no since and until columns; the tables with validity dates are: {}",
            t.name,
            weaver_core::schema::TABLES
                .iter()
                .filter(|t| t.column("since").is_some() && t.column("until").is_some())
                .map(|t| t.name)
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let d = d.trim();
    if d.len() != 10 || !weaver_core::cell::is_date(d) {
        return Err(StoreError::Invalid(format!(
            "valid_at: '{d}' is not a valid date; expected YYYY-MM-DD"
        )));
    }
    let from = sql.arg(d.to_owned());
    let to = sql.arg(d.to_owned());
    Ok(format!(
        "(COALESCE(t.since, '') = '' OR t.since <= {from}) \
         AND (COALESCE(t.until, '') = '' OR t.until >= SUBSTR({to}, 1, LENGTH(t.until)))"
    ))
}

pub(crate) fn key_value(t: &TableSchema, pos: usize, v: &Value) -> Value {
    match (t.columns[pos].ty.storage(), v) {
        (Storage::Text, Value::Null) => Value::Text(CompactString::default()),
        (Storage::Text, other) => Value::Text(other.to_text().into()),
        (_, Value::Bool(b)) => Value::Int(i64::from(*b)),
        (_, other) => other.clone(),
    }
}

fn select_list(t: &TableSchema) -> String {
    let cols: Vec<String> = t
        .columns
        .iter()
        .map(|c| format!("t.{}", quote(c.name)))
        .collect();
    if t.has_id() {
        cols.join(", ")
    } else {
        format!("t.row_id, {}", cols.join(", "))
    }
}

fn record_from_row(t: &TableSchema, row: &AnyRow) -> Result<Record, StoreError> {
    let offset = usize::from(!t.has_id());
    let row_id = if t.has_id() {
        None
    } else {
        Some(row.try_get::<i64, _>(0)?)
    };
    let values = t
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| sql::decode(row, i + offset, c.ty))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Record { row_id, values })
}

/// `t.key = $n …` for a row named by `key`.
pub(crate) fn key_condition(sql: &mut SqlParts, key: &RowKey) -> String {
    match key {
        RowKey::Id(id) => format!("t.id = {}", sql.arg(id.clone())),
        RowKey::RowId(n) => format!("t.row_id = {}", sql.value(Value::Int(*n))),
    }
}

/// `t.k1 = $n AND …` for the natural key (or id) of `values`.
fn natural_key_condition(sql: &mut SqlParts, t: &TableSchema, values: &[Value]) -> String {
    t.key_positions()
        .into_iter()
        .map(|p| {
            let ph = sql.value(key_value(t, p, &values[p]));
            format!("t.{} = {ph}", quote(t.columns[p].name))
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// A problem with the request body, as a one-problem rejection.
fn body_problem(column: Option<&str>, message: impl Into<String>) -> StoreError {
    let mut p = Problems::default();
    p.at("request body", None, column, message);
    StoreError::Rejected(Rejected(p))
}

/// The cell text of a JSON field, as a CSV cell would hold it.
fn cell_text(name: &str, v: &Json) -> Result<String, StoreError> {
    Ok(match v {
        Json::Null => String::new(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.to_string(),
        Json::String(s) => s.clone(),
        Json::Array(_) | Json::Object(_) => {
            return Err(body_problem(
                Some(name),
                "expected a single value (text, number, true/false or null), not a list or object",
            ));
        }
    })
}

impl Store {
    /// Checks the fields of a JSON object as a row of `t` (the checks of a
    /// package row: types, enums, dates, lengths, required columns, and
    /// references to rows of the register). Unknown fields are refused;
    /// `row_id` is ignored.
    ///
    /// A reference must name a row `who` may read: one it may not read is
    /// refused exactly as a missing one (same status, same message), so that
    /// a write cannot tell whether a hidden row exists. A reference the row
    /// already holds (`current`, for an update) is kept as it is.
    pub async fn check_fields(
        &self,
        t: &'static TableSchema,
        fields: &Map<String, Json>,
        who: &Principal,
        current: Option<&Map<String, Json>>,
    ) -> Result<Vec<Value>, StoreError> {
        let mut header = Vec::new();
        let mut cells = Vec::new();
        for (name, v) in fields {
            if name == "row_id" {
                continue;
            }
            header.push(name.clone());
            cells.push(cell_text(name, v)?);
        }
        // A row written through the API is a one-row package named
        // `weaver-api`: a row that names no provenance records that one.
        let mut builder = PackageBuilder::new(API_SOURCE).refusing_breaks();
        if let Some(mut tb) = builder.table(t.name, "request body", &header) {
            tb.push_row(1, &cells);
        }
        // References: look up the ids the row names.
        let mut known: HashSet<(&str, String)> = HashSet::new();
        for (name, cell) in header.iter().zip(&cells) {
            let Some(pos) = t.position(name) else {
                continue;
            };
            let Some((_, targets)) = weaver_core::package::references(t).find(|(p, _)| *p == pos)
            else {
                continue;
            };
            let id = cell.trim();
            if id.is_empty() {
                continue;
            }
            let kept = current
                .and_then(|c| c.get(name.as_str()))
                .is_some_and(|v| v.as_str() == Some(id));
            for target in targets {
                let mut sql = SqlParts::default();
                let read = if kept {
                    "1 = 1".to_owned()
                } else {
                    access::read_condition(&mut sql, target, Some(who))
                };
                let ph = sql.arg(id);
                let mut q = sqlx::query_scalar::<_, String>(assert_safe(format!(
                    "SELECT t.id FROM {target} t WHERE t.id = {ph} AND {read}"
                )));
                // (The rule's values are ids: text.)
                for (a, _) in &sql.args {
                    q = q.bind(a.to_text());
                }
                let hit = q.fetch_optional(&self.pool).await?;
                if hit.is_some() {
                    known.insert((target, id.to_owned()));
                }
            }
        }
        let package = builder
            .finish(&|table, id| known.contains(&(table, id.to_owned())))
            .map_err(StoreError::Rejected)?;
        let table = package
            .tables
            .into_iter()
            .next()
            .ok_or_else(|| body_problem(None, "the body holds no row"))?;
        table
            .rows
            .into_iter()
            .next()
            .ok_or_else(|| body_problem(None, "the body holds no row"))
    }

    /// Lists the rows of `t` that `who` may read. A page asked for again at
    /// the same register version comes from memory (see `memory_cache.rs`).
    pub async fn list(
        &self,
        t: &'static TableSchema,
        who: Option<&Principal>,
        q: &ListQuery,
    ) -> Result<Arc<Page>, StoreError> {
        let mut sql = SqlParts::default();
        let mut conds = vec![access::read_condition(&mut sql, t.name, who)];
        for (name, text) in &q.filters {
            conds.push(filter_condition(t, name, text, &mut sql)?);
        }
        for (name, bound, text) in &q.ranges {
            conds.push(range_condition(t, name, *bound, text, &mut sql)?);
        }
        if let Some(d) = &q.valid_at {
            conds.push(valid_at_condition(t, d, &mut sql)?);
        }
        if let Some(s) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let fields: Vec<&str> = ["name", "name_en", "title"]
                .into_iter()
                .filter(|f| t.column(f).is_some())
                .collect();
            if fields.is_empty() {
                return Err(StoreError::Invalid(format!(
                    "{} has no name or title to search; filter by a column instead",
                    t.name
                )));
            }
            if let Some(cond) = self.indexed_search(t.name, s, &mut sql) {
                conds.push(cond);
            } else {
                let escaped = s
                    .to_lowercase()
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                let ph = sql.arg(format!("%{escaped}%"));
                let ors: Vec<String> = fields
                    .iter()
                    .map(|f| format!("LOWER(COALESCE(t.{}, '')) LIKE {ph} ESCAPE '\\'", quote(f)))
                    .collect();
                conds.push(format!("({})", ors.join(" OR ")));
            }
        }
        let mut order = Vec::new();
        if let Some(s) = &q.sort {
            // `row_id` is a column of the tables without an id only.
            if t.column(s).is_none() && (s != "row_id" || t.has_id()) {
                return Err(StoreError::Invalid(format!(
                    "{} has no column '{s}' to sort by; its columns are: {}",
                    t.name,
                    column_names(t)
                )));
            }
            let dir = if q.descending { "DESC" } else { "ASC" };
            order.push(format!("t.{} {dir}", quote(s)));
        }
        if t.has_id() {
            order.push("t.id".to_owned());
        } else {
            order.push("t.row_id".to_owned());
        }
        let limit = q.limit.clamp(0, MAX_PAGE);
        let offset = q.offset.max(0);
        let condition = conds.join(" AND ");
        let list_sql = format!(
            "SELECT {} FROM {} t WHERE {condition} ORDER BY {} LIMIT {limit} OFFSET {offset}",
            select_list(t),
            t.name,
            order.join(", ")
        );
        let make = self.list_page(t, &list_sql, &condition, &sql, limit, offset);
        self.shared_page(&list_sql, &sql, make).await
    }

    /// The page the statement `text` with the values of `sql` makes, from
    /// the page cache when it holds it at the current register version, or
    /// made by `make` (once, however many ask at the same time) and kept.
    async fn shared_page(
        &self,
        text: &str,
        sql: &SqlParts,
        make: impl Future<Output = Result<Page, StoreError>>,
    ) -> Result<Arc<Page>, StoreError> {
        let version = self.current_version().await?;
        let key = crate::memory_cache::key(text, &sql.args);
        self.pages.shared(version, key, make).await
    }

    /// One page of a list and its total (see [`Store::list`]).
    async fn list_page(
        &self,
        t: &'static TableSchema,
        list_sql: &str,
        condition: &str,
        sql: &SqlParts,
        limit: i64,
        offset: i64,
    ) -> Result<Page, StoreError> {
        let rows = bind_all(sqlx::query(assert_safe(list_sql.to_owned())), &sql.args)
            .fetch_all(&self.pool)
            .await?;
        let rows: Vec<Record> = rows
            .iter()
            .map(|r| record_from_row(t, r))
            .collect::<Result<_, _>>()?;
        // A first page that is not full is the whole list: no need to count.
        let total = if offset == 0 && (rows.len() as i64) < limit {
            rows.len() as i64
        } else {
            let count_sql = format!("SELECT COUNT(*) FROM {} t WHERE {condition}", t.name);
            bind_scalar(sqlx::query_scalar(assert_safe(count_sql)), &sql.args)
                .fetch_one(&self.pool)
                .await?
        };
        Ok(Page::new(total, rows))
    }

    /// The condition of a search of `text` in `table`'s names answered by
    /// SQLite's trigram index (migration 0003), or `None` where there is no
    /// such index (PostgreSQL, whose trigram indexes serve the `LIKE` form;
    /// other tables) or the text is shorter than a trigram.
    fn indexed_search(&self, table: &str, text: &str, sql: &mut SqlParts) -> Option<String> {
        let (index, columns) = sql::search_index(table)?;
        if self.backend != crate::Backend::Sqlite || text.chars().count() < 3 {
            return None;
        }
        let columns = columns.join(" ");
        // An FTS5 phrase is a substring match under the trigram tokenizer;
        // the column filter keeps ids out of it.
        let phrase = format!("{{{columns}}} : \"{}\"", text.replace('"', "\"\""));
        let ph = sql.arg(phrase);
        Some(format!(
            "t.id IN (SELECT id FROM {index} WHERE {index} MATCH {ph})"
        ))
    }

    /// One row of `t` that `who` may read; `NotFound` when there is none or
    /// it is not theirs to see (the two are not told apart).
    pub async fn get(
        &self,
        t: &'static TableSchema,
        who: Option<&Principal>,
        key: &RowKey,
    ) -> Result<Record, StoreError> {
        let mut conn = self.pool.acquire().await?;
        get_in(&mut conn, t, who, key).await
    }

    /// The row named `key`, as [`Store::get`] finds it, as a one-row page
    /// shared through the page cache with other readers of the same row with
    /// the same rights (for answering reads; a change reads with `get`).
    pub async fn get_shared(
        &self,
        t: &'static TableSchema,
        who: Option<&Principal>,
        key: &RowKey,
    ) -> Result<Arc<Page>, StoreError> {
        let mut sql = SqlParts::default();
        let read = access::read_condition(&mut sql, t.name, who);
        let kc = key_condition(&mut sql, key);
        let text = row_sql(t, &kc, &read);
        let make = async {
            let mut conn = self.pool.acquire().await?;
            let record = fetch_row(&mut conn, t, text.clone(), &sql, key).await?;
            Ok(Page::new(1, vec![record]))
        };
        self.shared_page(&text, &sql, make).await
    }

    /// Adds a checked row on behalf of `who`, with an audit entry.
    ///
    /// An observation must pass its indicator's checks (range, whole
    /// number); one whose value jumps from the cluster's last earlier
    /// period beyond the indicator's factor is refused unless `confirm`
    /// ([`crate::IndicatorChecks::judge`]). `confirm` asks nothing of other
    /// tables.
    pub async fn create(
        &self,
        t: &'static TableSchema,
        who: &Principal,
        values: Vec<Value>,
        confirm: bool,
    ) -> Result<Record, StoreError> {
        access::may_write_table(who, t.name, WriteKind::Create).map_err(StoreError::Forbidden)?;
        let mut tx = self.begin_write().await?;
        if let Some(existing) = find_by_natural_key(&mut tx, t, &values).await? {
            return Err(StoreError::Conflict(format!(
                "{} already holds this row ({}); update it instead",
                t.name,
                describe_key(t, &existing)
            )));
        }
        check_frozen(&mut tx, t, &values).await?;
        crate::observations::check_observation_write(&mut tx, t, &values, confirm).await?;
        let mut q = sqlx::query(assert_safe(sql::insert_sql(t, 1, self.backend)));
        for (pos, v) in values.iter().enumerate() {
            q = sql::bind(q, t, pos, v);
        }
        q.execute(&mut *tx).await?;
        let record = find_by_natural_key(&mut tx, t, &values)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("a new row of {} vanished", t.name)))?;
        check_write(&mut tx, t, who, WriteKind::Create, &record, true).await?;
        if t.name == "memberships" {
            crate::validity::refuse_overlaps_any(&mut tx, record.row_id).await?;
        }
        if t.name == "governance" {
            crate::validity::refuse_two_chairs_any(&mut tx, record.row_id).await?;
        }
        crate::recorded::after_write(&mut tx, t, who, &record, true).await?;
        audit(
            &mut tx,
            who,
            "create",
            t,
            &record.key(),
            None,
            Some(&record),
        )
        .await?;
        self.commit_change(tx).await?;
        Ok(record)
    }

    /// Replaces the values of a row on behalf of `who`, with an audit entry.
    /// An id cannot change; a natural key can, unless another row has it.
    /// An observation is checked as by [`Store::create`] (a jump refused
    /// unless `confirm`).
    pub async fn update(
        &self,
        t: &'static TableSchema,
        who: &Principal,
        key: &RowKey,
        values: Vec<Value>,
        confirm: bool,
    ) -> Result<Record, StoreError> {
        access::may_write_table(who, t.name, WriteKind::Update).map_err(StoreError::Forbidden)?;
        let mut tx = self.begin_write().await?;
        let old = get_in(&mut tx, t, Some(who), key).await?;
        check_write(&mut tx, t, who, WriteKind::Update, &old, false).await?;
        if t.has_id() && values[0] != old.values[0] {
            return Err(body_problem(
                Some("id"),
                format!(
                    "the id cannot be changed (it is '{}'); create a new row instead",
                    old.values[0].to_text()
                ),
            ));
        }
        if values == old.values {
            return Ok(old);
        }
        check_frozen(&mut tx, t, &old.values).await?;
        check_frozen(&mut tx, t, &values).await?;
        crate::observations::check_observation_write(&mut tx, t, &values, confirm).await?;
        if key_string(t, &values) != key_string(t, &old.values)
            && let Some(other) = find_by_natural_key(&mut tx, t, &values).await?
        {
            return Err(StoreError::Conflict(format!(
                "{} already holds another row with this key ({})",
                t.name,
                describe_key(t, &other)
            )));
        }
        update_in(&mut tx, t, key, &values).await?;
        let new = get_admin(&mut tx, t, key).await?;
        check_write(&mut tx, t, who, WriteKind::Update, &new, true).await?;
        if t.name == "memberships" {
            crate::validity::refuse_overlaps_any(&mut tx, new.row_id).await?;
        }
        if t.name == "governance" {
            crate::validity::refuse_two_chairs_any(&mut tx, new.row_id).await?;
        }
        crate::recorded::after_write(&mut tx, t, who, &new, false).await?;
        audit(&mut tx, who, "update", t, key, Some(&old), Some(&new)).await?;
        self.commit_change(tx).await?;
        Ok(new)
    }

    /// Changes the tier of a membership on behalf of `who`, keeping its
    /// history: the membership named `key` is closed the day before `on`
    /// (`YYYY-MM-DD`; its `until` set), and a new one with `values` (the new
    /// tier) opens on `on`, until the old one's `until`. Both writes are
    /// audited (an update and a create) in one transaction. Refused when
    /// `on` is not after the membership began or not before it ended.
    pub async fn change_tier(
        &self,
        who: &Principal,
        key: &RowKey,
        values: Vec<Value>,
        on: &str,
    ) -> Result<(Record, Record), StoreError> {
        let t: &'static TableSchema = weaver_core::schema::table("memberships")
            .ok_or_else(|| StoreError::Corrupt("no memberships table".into()))?;
        if on.len() != 10 || !weaver_core::cell::is_date(on) {
            return Err(StoreError::Invalid(format!(
                "on: '{on}' is not a valid date; expected YYYY-MM-DD"
            )));
        }
        access::may_write_table(who, t.name, WriteKind::Update).map_err(StoreError::Forbidden)?;
        access::may_write_table(who, t.name, WriteKind::Create).map_err(StoreError::Forbidden)?;
        let (since, until) = (
            t.position("since").unwrap_or(3),
            t.position("until").unwrap_or(4),
        );
        let mut tx = self.begin_write().await?;
        let old = get_in(&mut tx, t, Some(who), key).await?;
        check_write(&mut tx, t, who, WriteKind::Update, &old, false).await?;
        let closed_on = crate::validity::day_before(on);
        let old_since = old.values[since].to_text();
        let old_until = old.values[until].to_text();
        if !old_since.is_empty() && closed_on.as_str() < old_since.as_str() {
            return Err(body_problem(
                Some("on"),
                format!(
                    "the tier can change from {on} only if the membership began before it; it began {old_since}"
                ),
            ));
        }
        if !old_until.is_empty() && on.get(..old_until.len()).unwrap_or(on) > old_until.as_str() {
            return Err(body_problem(
                Some("on"),
                format!("the membership ended {old_until}; its tier cannot change from {on}"),
            ));
        }
        let mut closed = old.values.clone();
        closed[until] = Value::Text(closed_on.as_str().into());
        let mut opened = values;
        opened[since] = Value::Text(on.into());
        opened[until] = old.values[until].clone();
        if let Some(other) = find_by_natural_key(&mut tx, t, &opened).await? {
            return Err(StoreError::Conflict(format!(
                "{} already holds this row ({})",
                t.name,
                describe_key(t, &other)
            )));
        }
        update_in(&mut tx, t, key, &closed).await?;
        let closed = get_admin(&mut tx, t, key).await?;
        crate::recorded::after_write(&mut tx, t, who, &closed, false).await?;
        audit(&mut tx, who, "update", t, key, Some(&old), Some(&closed)).await?;
        let mut q = sqlx::query(assert_safe(sql::insert_sql(t, 1, self.backend)));
        for (pos, v) in opened.iter().enumerate() {
            q = sql::bind(q, t, pos, v);
        }
        q.execute(&mut *tx).await?;
        let opened = find_by_natural_key(&mut tx, t, &opened)
            .await?
            .ok_or_else(|| StoreError::Corrupt("a new membership vanished".into()))?;
        check_write(&mut tx, t, who, WriteKind::Create, &opened, true).await?;
        crate::recorded::after_write(&mut tx, t, who, &opened, true).await?;
        audit(
            &mut tx,
            who,
            "create",
            t,
            &opened.key(),
            None,
            Some(&opened),
        )
        .await?;
        crate::validity::refuse_overlaps_any(&mut tx, opened.row_id).await?;
        self.commit_change(tx).await?;
        Ok((closed, opened))
    }

    /// Deletes a row on behalf of `who`. The audit entry keeps the row, so
    /// that [`Store::undo`] can bring it back. A row that others refer to is
    /// not deleted: the message says which rows refer to it.
    pub async fn delete(
        &self,
        t: &'static TableSchema,
        who: &Principal,
        key: &RowKey,
    ) -> Result<i64, StoreError> {
        access::may_write_table(who, t.name, WriteKind::Delete).map_err(StoreError::Forbidden)?;
        let mut tx = self.begin_write().await?;
        let old = get_in(&mut tx, t, Some(who), key).await?;
        check_write(&mut tx, t, who, WriteKind::Delete, &old, false).await?;
        check_frozen(&mut tx, t, &old.values).await?;
        refuse_if_referenced(&mut tx, t, &old).await?;
        let mut sql = SqlParts::default();
        let cond = key_condition(&mut sql, key).replacen("t.", "", 1);
        bind_all(
            sqlx::query(assert_safe(format!("DELETE FROM {} WHERE {cond}", t.name))),
            &sql.args,
        )
        .execute(&mut *tx)
        .await?;
        let id = audit(&mut tx, who, "delete", t, key, Some(&old), None).await?;
        self.commit_change(tx).await?;
        Ok(id)
    }
}

fn column_names(t: &TableSchema) -> String {
    t.columns
        .iter()
        .map(|c| c.name)
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn describe_key(t: &TableSchema, r: &Record) -> String {
    let parts: Vec<String> = t
        .key_positions()
        .into_iter()
        .map(|p| format!("{} = '{}'", t.columns[p].name, r.values[p].to_text()))
        .collect();
    match r.row_id {
        Some(n) => format!("row_id {n}: {}", parts.join(", ")),
        None => parts.join(", "),
    }
}

fn bind_scalar<'q>(
    mut q: sqlx::query::QueryScalar<'q, Any, i64, AnyArguments>,
    args: &[(Value, Storage)],
) -> sqlx::query::QueryScalar<'q, Any, i64, AnyArguments> {
    for (a, _) in args {
        q = match a {
            Value::Null => q.bind(None::<String>),
            Value::Text(s) => q.bind(s.to_string()),
            Value::Int(i) => q.bind(*i),
            Value::Float(x) => q.bind(*x),
            Value::Bool(b) => q.bind(i64::from(*b)),
        };
    }
    q
}

/// The row named `key`, if `who` (the public when `None`) may read it.
pub(crate) async fn get_in(
    conn: &mut sqlx::AnyConnection,
    t: &'static TableSchema,
    who: Option<&Principal>,
    key: &RowKey,
) -> Result<Record, StoreError> {
    let mut sql = SqlParts::default();
    let read = access::read_condition(&mut sql, t.name, who);
    get_where(conn, t, sql, read, key).await
}

/// The row named `key`, whoever may read it.
pub(crate) async fn get_admin(
    conn: &mut sqlx::AnyConnection,
    t: &'static TableSchema,
    key: &RowKey,
) -> Result<Record, StoreError> {
    get_where(conn, t, SqlParts::default(), "1 = 1".to_owned(), key).await
}

async fn get_where(
    conn: &mut sqlx::AnyConnection,
    t: &'static TableSchema,
    mut sql: SqlParts,
    read: String,
    key: &RowKey,
) -> Result<Record, StoreError> {
    let kc = key_condition(&mut sql, key);
    fetch_row(conn, t, row_sql(t, &kc, &read), &sql, key).await
}

/// The statement of the row of `t` that key condition `kc` names, if the
/// read condition `read` lets it be read.
fn row_sql(t: &TableSchema, kc: &str, read: &str) -> String {
    format!(
        "SELECT {} FROM {} t WHERE {kc} AND {read}",
        select_list(t),
        t.name
    )
}

/// The row the statement `text` (of [`row_sql`], with the values of `sql`)
/// finds; `NotFound` naming `key` when there is none.
async fn fetch_row(
    conn: &mut sqlx::AnyConnection,
    t: &'static TableSchema,
    text: String,
    sql: &SqlParts,
    key: &RowKey,
) -> Result<Record, StoreError> {
    let row = bind_all(sqlx::query(assert_safe(text)), &sql.args)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(r) => record_from_row(t, &r),
        None => Err(StoreError::NotFound {
            table: t.name,
            id: key.text(),
        }),
    }
}

/// Sets every column of the row named `key` to `values`.
pub(crate) async fn update_in(
    conn: &mut sqlx::AnyConnection,
    t: &'static TableSchema,
    key: &RowKey,
    values: &[Value],
) -> Result<(), StoreError> {
    let mut sql = SqlParts::default();
    let sets: Vec<String> = t
        .columns
        .iter()
        .enumerate()
        .map(|(pos, c)| {
            let v = if t.key.contains(&c.name) {
                key_value(t, pos, &values[pos])
            } else {
                values[pos].clone()
            };
            format!("{} = {}", quote(c.name), sql.typed(v, c.ty.storage()))
        })
        .collect();
    let cond = key_condition(&mut sql, key).replacen("t.", "", 1);
    let text = format!("UPDATE {} SET {} WHERE {cond}", t.name, sets.join(", "));
    bind_all(sqlx::query(assert_safe(text)), &sql.args)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub(crate) async fn find_by_natural_key(
    conn: &mut sqlx::AnyConnection,
    t: &'static TableSchema,
    values: &[Value],
) -> Result<Option<Record>, StoreError> {
    let mut sql = SqlParts::default();
    let cond = natural_key_condition(&mut sql, t, values);
    let text = format!("SELECT {} FROM {} t WHERE {cond}", select_list(t), t.name);
    let row = bind_all(sqlx::query(assert_safe(text)), &sql.args)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| record_from_row(t, &r)).transpose()
}

/// Refuses a change to an observation a closed campaign froze.
pub(crate) async fn check_frozen(
    conn: &mut sqlx::AnyConnection,
    t: &TableSchema,
    values: &[Value],
) -> Result<(), StoreError> {
    if t.name != "observations" {
        return Ok(());
    }
    let get = |c: &str| {
        t.position(c)
            .map(|p| values[p].to_text())
            .unwrap_or_default()
    };
    crate::campaigns::refuse_if_frozen(conn, &get("cluster"), &get("indicator"), &get("period"))
        .await
}

/// Refuses the write unless `who` may write this row.
pub(crate) async fn check_write(
    conn: &mut sqlx::AnyConnection,
    t: &'static TableSchema,
    who: &Principal,
    kind: WriteKind,
    record: &Record,
    after: bool,
) -> Result<(), StoreError> {
    let mut sql = SqlParts::default();
    let Some(cond) = access::write_condition(&mut sql, t.name, who, kind, after) else {
        return Ok(());
    };
    let kc = key_condition(&mut sql, &record.key());
    let text = format!("SELECT COUNT(*) FROM {} t WHERE {kc} AND {cond}", t.name);
    let n: i64 = bind_scalar(sqlx::query_scalar(assert_safe(text)), &sql.args)
        .fetch_one(&mut *conn)
        .await?;
    if n == 0 {
        return Err(StoreError::Forbidden(match who.role {
            weaver_core::enums::Role::Manager => format!(
                "this {} row is not in a cluster you manage ({})",
                t.name,
                if who.managed.is_empty() {
                    "you manage none yet; ask an admin to assign you".to_owned()
                } else {
                    format!("yours: {}", who.managed.join(", "))
                }
            ),
            weaver_core::enums::Role::Member => {
                "a member may only update its own organization's profile".to_owned()
            }
            _ => "you may not change this row".to_owned(),
        }));
    }
    Ok(())
}

/// Refuses to remove a row that other rows refer to, naming them.
pub(crate) async fn refuse_if_referenced(
    conn: &mut sqlx::AnyConnection,
    t: &'static TableSchema,
    record: &Record,
) -> Result<(), StoreError> {
    if !t.has_id() {
        return Ok(());
    }
    let id = record.values[0].to_text();
    let mut users = Vec::new();
    for other in weaver_core::schema::TABLES {
        for (pos, targets) in weaver_core::package::references(other) {
            let col = &other.columns[pos];
            if !targets.contains(&t.name) {
                continue;
            }
            let n: i64 = sqlx::query_scalar(assert_safe(format!(
                "SELECT COUNT(*) FROM {} WHERE {} = $1",
                other.name,
                quote(col.name)
            )))
            .bind(id.clone())
            .fetch_one(&mut *conn)
            .await?;
            if n > 0 {
                users.push(format!("{n} in {}.{}", other.name, col.name));
            }
        }
    }
    if users.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Conflict(format!(
            "{} '{id}' is referred to by other rows ({}); change or delete those first",
            t.name,
            users.join(", ")
        )))
    }
}
