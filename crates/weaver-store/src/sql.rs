//! SQL built from the schema, and the conversion between [`Value`]s and the
//! primitive types sqlx's `Any` driver carries.

use std::borrow::Cow;

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, AssertSqlSafe, Row};
use weaver_core::Value;
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

/// `INSERT INTO t (cols) VALUES ($1, …), (…)` for `rows` rows.
///
/// SQLite gets anonymous `?` placeholders: its parser looks each named `$N`
/// up among the names seen so far, which is quadratic in a statement with
/// thousands of them (measured: 90% of an import's time).
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
            match backend {
                Backend::Sqlite => sql.push('?'),
                Backend::Postgres => {
                    sql.push('$');
                    sql.push_str(&(r * n + c + 1).to_string());
                }
            }
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

/// Reads one column of a row into a [`Value`].
pub(crate) fn decode(row: &AnyRow, pos: usize, ty: ColumnType) -> Result<Value, sqlx::Error> {
    Ok(match ty.storage() {
        Storage::Text => match row.try_get::<Option<String>, _>(pos)? {
            Some(s) if !s.is_empty() => Value::Text(s),
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
