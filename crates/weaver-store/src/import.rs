//! Import of a checked package: one transaction, upsert by the users' keys,
//! and a report of what was added, changed and left alone.

use std::collections::{HashMap, HashSet};

use weaver_core::package::key_string;
use weaver_core::schema::{self, TableSchema};
use weaver_core::{Package, Value};

use crate::sql;
use crate::{Backend, Store, StoreError};

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Work out what would change, then change nothing.
    pub dry_run: bool,
}

/// What import did (or would do) to one table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TableReport {
    /// The table.
    pub table: &'static str,
    /// Rows new to the register.
    pub added: usize,
    /// Rows whose key was known and whose values differ.
    pub changed: usize,
    /// Rows identical to the register's.
    pub unchanged: usize,
}

/// What import did (or, for a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    /// Whether nothing was written.
    pub dry_run: bool,
    /// One entry per table of the package, in import order.
    pub tables: Vec<TableReport>,
}

impl ImportReport {
    /// Rows added, changed and unchanged over all tables.
    pub fn totals(&self) -> (usize, usize, usize) {
        self.tables.iter().fold((0, 0, 0), |(a, c, u), t| {
            (a + t.added, c + t.changed, u + t.unchanged)
        })
    }
}

/// Rows per multi-row INSERT: well under SQLite's 32,766 and PostgreSQL's
/// 65,535 bound parameters.
const MAX_PARAMS: usize = 1_000;

impl Store {
    /// The ids of every id-keyed table that `package` refers to, for the
    /// reference checks of [`weaver_core::PackageBuilder::finish`].
    pub async fn known_ids(&self) -> Result<HashMap<&'static str, HashSet<String>>, StoreError> {
        let mut out = HashMap::new();
        for t in schema::TABLES.iter().filter(|t| t.has_id()) {
            out.insert(t.name, self.ids(t).await?);
        }
        Ok(out)
    }

    /// Imports a checked package in one transaction: rows are matched to the
    /// register by id (or natural key); new rows are added, rows whose values
    /// differ are updated, the rest left alone. Columns the package did not
    /// have keep their values in rows the register already holds. With
    /// `dry_run`, the report says what would happen and nothing is written.
    ///
    /// `progress(table, rows_done, rows_total)` is called as work advances.
    pub async fn import(
        &self,
        package: &Package,
        options: &ImportOptions,
        progress: &mut (dyn FnMut(&str, usize, usize) + Send),
    ) -> Result<ImportReport, StoreError> {
        let mut tx = self.begin_write().await?;
        let mut report = ImportReport {
            dry_run: options.dry_run,
            tables: Vec::new(),
        };
        for table in &package.tables {
            let t: &TableSchema = table.schema;
            let count: i64 =
                sqlx::query_scalar(sql::assert_safe(format!("SELECT COUNT(*) FROM {}", t.name)))
                    .fetch_one(&mut *tx)
                    .await?;
            let existing: HashMap<String, Vec<Value>> = if count > 0 {
                sql::select_all(&mut tx, t)
                    .await?
                    .into_iter()
                    .map(|r| (key_string(t, &r), r))
                    .collect()
            } else {
                HashMap::new()
            };
            let mut tr = TableReport {
                table: t.name,
                added: 0,
                changed: 0,
                unchanged: 0,
            };
            let mut inserts: Vec<&[Value]> = Vec::new();
            let mut updates: Vec<Vec<Value>> = Vec::new();
            for row in &table.rows {
                if existing.is_empty() {
                    tr.added += 1;
                    inserts.push(row);
                    continue;
                }
                match existing.get(&key_string(t, row)) {
                    None => {
                        tr.added += 1;
                        inserts.push(row);
                    }
                    Some(old) => {
                        let merged: Vec<Value> = row
                            .iter()
                            .zip(old)
                            .zip(&table.present)
                            .map(
                                |((new, old), &present)| {
                                    if present { new.clone() } else { old.clone() }
                                },
                            )
                            .collect();
                        if merged == *old {
                            tr.unchanged += 1;
                        } else {
                            tr.changed += 1;
                            updates.push(merged);
                        }
                    }
                }
            }
            let total = table.rows.len();
            let mut done = tr.unchanged;
            progress(t.name, done, total);
            if !options.dry_run {
                let keys = t.key_positions();
                sql::sort_by_key(t, &keys, &mut inserts);
                // Into an empty SQLite table, the separately created indexes
                // are dropped and made again after the insert: one sort of
                // the finished column instead of a B-tree insert per row. In
                // the transaction, so a failed import leaves them as they were.
                // Their SQL is the register's own, written by its migrations.
                let rebuild =
                    if count == 0 && self.backend == Backend::Sqlite && !inserts.is_empty() {
                        sql::sqlite_indexes(&mut tx, t).await?
                    } else {
                        Vec::new()
                    };
                // Likewise its name-search index: filled once, after the rows.
                let bulk = count == 0 && self.backend == Backend::Sqlite && !inserts.is_empty();
                let search = sql::search_index(t.name).filter(|_| bulk);
                if search.is_some() {
                    sqlx::query("UPDATE search_state SET enabled = 0")
                        .execute(&mut *tx)
                        .await?;
                }
                for (name, _) in &rebuild {
                    sqlx::query(sql::assert_safe(format!(
                        "DROP INDEX \"{}\"",
                        name.replace('"', "\"\"")
                    )))
                    .execute(&mut *tx)
                    .await?;
                }
                let per = (MAX_PARAMS / t.columns.len()).max(1);
                let full_sql = sql::insert_sql(t, per, self.backend);
                let backend = self.backend;
                // Binds one chunk's values into its INSERT statement.
                let build = |chunk: &[&[Value]]| {
                    let text = if chunk.len() == per {
                        full_sql.clone()
                    } else {
                        sql::insert_sql(t, chunk.len(), backend)
                    };
                    let mut q = sqlx::query(sql::assert_safe(text));
                    for row in chunk {
                        for (pos, v) in row.iter().enumerate() {
                            q = sql::bind(q, t, pos, v);
                        }
                    }
                    (q, chunk.len())
                };
                // While the database runs one chunk (SQLite on its own worker
                // thread, PostgreSQL on the server), this thread binds the next.
                let mut chunks = inserts.chunks(per);
                let mut next = chunks.next().map(build);
                while let Some((q, n)) = next.take() {
                    let (result, built) =
                        tokio::join!(q.execute(&mut *tx), async { chunks.next().map(build) });
                    result?;
                    next = built;
                    done += n;
                    progress(t.name, done, total);
                }
                for (_, create) in &rebuild {
                    sqlx::query(sql::assert_safe(create.clone()))
                        .execute(&mut *tx)
                        .await?;
                }
                if let Some((index, columns)) = search {
                    let columns = columns.join(", ");
                    sqlx::query(sql::assert_safe(format!(
                        "INSERT INTO {index} (id, {columns}) SELECT id, {columns} FROM {}",
                        t.name
                    )))
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query("UPDATE search_state SET enabled = 1")
                        .execute(&mut *tx)
                        .await?;
                }
                let update = sql::update_sql(t);
                for row in &updates {
                    let mut q = sqlx::query(sql::assert_safe(update.clone()));
                    for (pos, v) in row.iter().enumerate() {
                        q = sql::bind(q, t, pos, v);
                    }
                    for &k in &keys {
                        q = sql::bind(q, t, k, &row[k]);
                    }
                    q.execute(&mut *tx).await?;
                    done += 1;
                    if done.is_multiple_of(1000) {
                        progress(t.name, done, total);
                    }
                }
            }
            progress(t.name, total, total);
            report.tables.push(tr);
        }
        if options.dry_run {
            tx.rollback().await?;
        } else {
            self.commit_change(tx).await?;
        }
        Ok(report)
    }
}
