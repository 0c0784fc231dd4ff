//! SQL built from the schema, and the conversion between [`Value`]s and the
//! primitive types sqlx's `Any` driver carries.

use std::borrow::Cow;
use std::cmp::Ordering;

use rayon::slice::ParallelSliceMut;
use sqlx::any::AnyArguments;
use sqlx::any::AnyRow;
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, AssertSqlSafe, Row, SqliteConnection};
use weaver_core::Value;
use weaver_core::package::PARALLEL_ROWS;
use weaver_core::schema::{ColumnType, Storage, TableSchema};

use crate::Backend;

/// Marks SQL built here as safe. Every statement this crate builds joins
/// table and column names from the static schema with `$N` placeholders; no
/// user text is ever spliced into SQL.
pub(crate) fn assert_safe(sql: String) -> AssertSqlSafe<String> {
    AssertSqlSafe(sql)
}

/// A column name quoted for SQL (`end` is a keyword in both dialects).
pub(crate) fn quote(name: &str) -> Cow<'static, str> {
    Cow::Owned(format!("\"{name}\""))
}

/// The comma-separated quoted column list of a table.
pub(crate) fn column_list(t: &TableSchema) -> String {
    t.columns
        .iter()
        .map(|c| quote(c.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Bound parameter `i` (from 1) of a statement: `?` on SQLite, `$i` on
/// PostgreSQL.
///
/// SQLite gets anonymous `?` placeholders: its parser looks each named `$N`
/// up among the names seen so far, which is quadratic in a statement with
/// thousands of them (measured: 90% of an import's time).
pub(crate) fn placeholder(backend: Backend, i: usize) -> Cow<'static, str> {
    match backend {
        Backend::Sqlite => Cow::Borrowed("?"),
        Backend::Postgres => Cow::Owned(format!("${i}")),
    }
}

/// `INSERT INTO t (cols) VALUES ($1, …), (…)` for `rows` rows, with
/// [`placeholder`]s.
pub(crate) fn insert_sql(t: &TableSchema, rows: usize, backend: Backend) -> String {
    let n = t.columns.len();
    let mut sql = format!("INSERT INTO {} ({}) VALUES ", t.name, column_list(t));
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..n {
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&placeholder(backend, r * n + c + 1));
        }
        sql.push(')');
    }
    sql
}

/// `UPDATE t SET c = $1, … WHERE k = $n …`: the row's values, then its key.
pub(crate) fn update_sql(t: &TableSchema) -> String {
    let n = t.columns.len();
    let sets: Vec<String> = t
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} = ${}", quote(c.name), i + 1))
        .collect();
    let wheres: Vec<String> = t
        .key
        .iter()
        .enumerate()
        .map(|(i, k)| format!("{} = ${}", quote(k), n + i + 1))
        .collect();
    format!(
        "UPDATE {} SET {} WHERE {}",
        t.name,
        sets.join(", "),
        wheres.join(" AND ")
    )
}

/// Whether column `pos` is part of the key (and so stored as '' when empty).
fn is_key(t: &TableSchema, pos: usize) -> bool {
    t.key.contains(&t.columns[pos].name)
}

/// Binds one value of column `pos` of `t`.
pub(crate) fn bind<'q>(
    q: Query<'q, Any, AnyArguments>,
    t: &TableSchema,
    pos: usize,
    v: &Value,
) -> Query<'q, Any, AnyArguments> {
    let col = &t.columns[pos];
    match col.ty.storage() {
        Storage::Text => match v {
            Value::Null if is_key(t, pos) => q.bind(String::new()),
            Value::Null => q.bind(None::<String>),
            other => q.bind(Some(other.to_text())),
        },
        Storage::Integer => q.bind(match v {
            Value::Int(i) => Some(*i),
            Value::Bool(b) => Some(i64::from(*b)),
            _ => None,
        }),
        Storage::Real => q.bind(v.as_f64()),
    }
}

/// Sorts rows of `t` by their key as the database stores it: text byte-wise
/// (SQLite's `BINARY` collation; an empty key part is ''), integers and reals
/// by value.
///
/// Rows inserted in this order go to the end of the key's B-tree index
/// instead of to random pages of it. Any order gives the same register; this
/// one is faster. The first key part's leading bytes are copied next to each
/// row, so that most comparisons read no string of the scattered rows.
///
/// From [`PARALLEL_ROWS`] rows on, the sort runs on every core (rayon):
/// for a million ties it took 0.6 s of the import alone.
pub(crate) fn sort_by_key(t: &TableSchema, keys: &[usize], rows: &mut [&[Value]]) {
    sort_by_key_with(t, keys, rows, rows.len() >= PARALLEL_ROWS);
}

/// [`sort_by_key`], in parallel or not.
fn sort_by_key_with(t: &TableSchema, keys: &[usize], rows: &mut [&[Value]], parallel: bool) {
    let Some(&first) = keys.first() else {
        return;
    };
    let storage = t.columns[first].ty.storage();
    let mut tagged: Vec<(u64, &[Value])> = rows
        .iter()
        .map(|r| (key_prefix(storage, &r[first]), *r))
        .collect();
    let order = |a: &(u64, &[Value]), b: &(u64, &[Value])| {
        a.0.cmp(&b.0).then_with(|| key_cmp(t, keys, a.1, b.1))
    };
    if parallel {
        tagged.par_sort_unstable_by(order);
    } else {
        tagged.sort_unstable_by(order);
    }
    for (slot, (_, row)) in rows.iter_mut().zip(tagged) {
        *slot = row;
    }
}

/// A number that orders like the stored key part where it differs: for text,
/// its first 8 bytes, big-endian, zero-padded; for integers, the value with
/// its sign bit flipped; 0 for anything else (left to [`key_cmp`]).
fn key_prefix(storage: Storage, v: &Value) -> u64 {
    match storage {
        Storage::Text => {
            let text = stored_text(v);
            let mut bytes = [0u8; 8];
            let n = text.len().min(8);
            bytes[..n].copy_from_slice(&text.as_bytes()[..n]);
            u64::from_be_bytes(bytes)
        }
        Storage::Integer => int_of(v).map_or(0, |i| (i as u64) ^ (1 << 63)),
        Storage::Real => 0,
    }
}

/// Orders two rows of `t` by their key parts at `keys`, as [`sort_by_key`].
fn key_cmp(t: &TableSchema, keys: &[usize], a: &[Value], b: &[Value]) -> Ordering {
    keys.iter()
        .map(|&k| match t.columns[k].ty.storage() {
            Storage::Text => stored_text(&a[k]).cmp(&stored_text(&b[k])),
            Storage::Integer => int_of(&a[k]).cmp(&int_of(&b[k])),
            Storage::Real => a[k]
                .as_f64()
                .partial_cmp(&b[k].as_f64())
                .unwrap_or(Ordering::Equal),
        })
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

/// The text a value of a text column is stored as ('' for no value).
fn stored_text(v: &Value) -> Cow<'_, str> {
    match v {
        Value::Text(s) => Cow::Borrowed(s),
        Value::Null => Cow::Borrowed(""),
        other => Cow::Owned(other.to_text()),
    }
}

/// The integer a value of an integer column is stored as.
fn int_of(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

/// The `CREATE INDEX` statements of a SQLite table's own indexes: those
/// created separately, which can be dropped and made again. The indexes of its
/// `PRIMARY KEY` and `UNIQUE` constraints (`sqlite_autoindex_…`, with no SQL)
/// are part of the table and are not listed.
pub(crate) async fn sqlite_indexes(
    conn: &mut SqliteConnection,
    t: &TableSchema,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT name, sql FROM sqlite_schema \
         WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name",
    )
    .bind(t.name)
    .fetch_all(&mut *conn)
    .await
}

/// Reads one column of a row (of `Any` or typed SQLite) into a [`Value`].
pub(crate) fn decode(row: &AnyRow, pos: usize, ty: ColumnType) -> Result<Value, sqlx::Error> {
    Ok(match ty.storage() {
        Storage::Text => match row.try_get::<Option<String>, _>(pos)? {
            Some(s) if !s.is_empty() => Value::Text(s.into()),
            _ => Value::Null,
        },
        Storage::Integer => match row.try_get::<Option<i64>, _>(pos)? {
            None => Value::Null,
            Some(i) if ty == ColumnType::Bool => Value::Bool(i != 0),
            Some(i) => Value::Int(i),
        },
        Storage::Real => match row.try_get::<Option<f64>, _>(pos)? {
            None => Value::Null,
            Some(x) => Value::Float(x),
        },
    })
}

/// Every row of a table, columns in schema order.
pub(crate) async fn select_all(
    conn: &mut AnyConnection,
    t: &TableSchema,
) -> Result<Vec<Vec<Value>>, sqlx::Error> {
    let sql = format!("SELECT {} FROM {}", column_list(t), t.name);
    let rows = sqlx::query(assert_safe(sql)).fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|row| {
            t.columns
                .iter()
                .enumerate()
                .map(|(i, c)| decode(row, i, c.ty))
                .collect()
        })
        .collect()
}

/// The text a key part sorts by (empty for no value).
pub(crate) fn sort_text(v: &Value) -> Cow<'_, str> {
    match v {
        Value::Text(s) => Cow::Borrowed(s),
        Value::Int(i) => Cow::Owned(format!("{i:020}")),
        other => Cow::Owned(other.to_text()),
    }
}

/// SQLite's name-search indexes (migration 0003): the table, its FTS5
/// trigram index, and the columns the index copies (after `id`).
pub(crate) const SEARCH_INDEXES: &[(&str, &str, &[&str])] = &[
    (
        "organizations",
        "organizations_search",
        &["name", "name_en"],
    ),
    ("projects", "projects_search", &["title"]),
];

/// The search index of `table` and its columns, if it has one.
pub(crate) fn search_index(table: &str) -> Option<(&'static str, &'static [&'static str])> {
    SEARCH_INDEXES
        .iter()
        .find(|(t, _, _)| *t == table)
        .map(|(_, index, columns)| (*index, *columns))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_and_parallel_key_sorts_agree_and_follow_the_key() {
        let t = weaver_core::schema::table("ties").unwrap();
        let text = |s: String| Value::Text(s.into());
        // 5,003 is prime, so x runs through distinct numbers and every key
        // (source, target, kind, start) is distinct; sources repeat, some
        // share their first 8 bytes, and a third of the starts are empty.
        let rows: Vec<Vec<Value>> = (0..5_000usize)
            .map(|i| {
                let x = (i * 7_919) % 5_003;
                vec![
                    text(format!("organization-{}", x % 97)),
                    text(format!("o{x}")),
                    text(["supply", "contract"][x % 2].to_owned()),
                    if x % 3 == 0 {
                        Value::Null
                    } else {
                        text(format!("20{}", 10 + x % 9))
                    },
                    Value::Null,
                    Value::Float(1.0),
                    Value::Null,
                    text("public".to_owned()),
                    Value::Null,
                ]
            })
            .collect();
        let keys = t.key_positions();
        let mut serial: Vec<&[Value]> = rows.iter().map(Vec::as_slice).collect();
        let mut parallel = serial.clone();
        sort_by_key_with(t, &keys, &mut serial, false);
        sort_by_key_with(t, &keys, &mut parallel, true);
        assert_eq!(serial, parallel);
        assert!(
            serial
                .windows(2)
                .all(|w| key_cmp(t, &keys, w[0], w[1]).is_lt())
        );
    }
}
