//! Import of a checked package: one transaction, upsert by the users' keys,
//! and a report of what was added, changed and left alone.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::time::Instant;

use rayon::prelude::*;
use sqlx::{AnyConnection, Connection, Executor, SqliteConnection};
use weaver_core::package::{KeyIndex, PARALLEL_PIECE};
use weaver_core::schema::{self, TableSchema};
use weaver_core::{Package, PackageBuilder, Rejected, TableData, Value};

use crate::access::Principal;
use crate::accounts::now_text;
use crate::{Backend, Store, StoreError, sql, sqlite_bulk};

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Work out what would change, then change nothing.
    pub dry_run: bool,
}

/// What import did (or would do) to one table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct TableReport {
    /// The table.
    #[schema(value_type = String)]
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
    /// What was imported but deserves a look: seats of governance held by
    /// organizations without a membership of the cluster during the seat.
    pub warnings: Vec<String>,
}

impl ImportReport {
    /// Rows added, changed and unchanged over all tables.
    pub fn totals(&self) -> (usize, usize, usize) {
        self.tables.iter().fold((0, 0, 0), |(a, c, u), t| {
            (a + t.added, c + t.changed, u + t.unchanged)
        })
    }
}

/// The name an import's report gives the regions' boundaries.
pub const BOUNDARIES: &str = "regions.geojson";

/// Rows per multi-row INSERT on PostgreSQL: well under its 65,535 bound
/// parameters.
const MAX_PARAMS: usize = 1_000;

/// Parameters per multi-row INSERT on SQLite (under its 32,766): enough rows
/// that the work SQLite does once per statement is small beside theirs.
const SQLITE_PARAMS: usize = 500;

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
    ///
    /// On SQLite the import runs on a connection of its own (a typed one,
    /// through whose handle it steps prepared multi-row INSERTs, on the
    /// calling thread); on PostgreSQL on one of the pool's.
    pub async fn import(
        &self,
        package: &Package,
        options: &ImportOptions,
        progress: &mut (dyn FnMut(&str, usize, usize) + Send),
    ) -> Result<ImportReport, StoreError> {
        let mut steps = Steps::start();
        let result = match &self.sqlite {
            Some(connect) => {
                let mut conn = SqliteConnection::connect_with(connect).await?;
                // Into tables that are all empty an import only adds rows:
                // their references are then checked once, after the rows are
                // in, by SQLite's own check of the same foreign keys, instead
                // of by a look-up per row as each goes in. The switch only
                // works outside a transaction, so it is made before, and the
                // emptiness is checked inside (under the write lock).
                let mut check_after = !options.dry_run;
                if check_after {
                    conn.execute("PRAGMA foreign_keys = OFF").await?;
                }
                let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
                if check_after && !tables_empty(&mut tx, package).await? {
                    tx.rollback().await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    tx = conn.begin_with("BEGIN IMMEDIATE").await?;
                    check_after = false;
                }
                let mut c = Conn::Sqlite(&mut tx);
                let mut result = write(&mut c, package, options, progress, &mut steps).await;
                if check_after && result.is_ok() {
                    if let Err(e) = sqlite_bulk::check_references(&mut tx, package).await {
                        result = Err(e.into());
                    }
                    steps.done("", "references checked");
                }
                let result = finish(tx, result, options.dry_run).await;
                steps.done("", "committed");
                conn.close().await?;
                result
            }
            None => {
                let mut tx = self.begin_write().await?;
                let result = write(
                    &mut Conn::Any(&mut tx),
                    package,
                    options,
                    progress,
                    &mut steps,
                )
                .await;
                let result = finish(tx, result, options.dry_run).await;
                steps.done("", "committed");
                result
            }
        };
        if result.is_ok() && !options.dry_run {
            // Committed: readers of the page cache ask for the new version.
            self.pages.changed();
        }
        result
    }
}

/// The steps of an import and their times, logged at debug level.
struct Steps(Instant);

impl Steps {
    fn start() -> Steps {
        Steps(Instant::now())
    }

    /// Logs that `step` (of `table`, if not empty) is done, with the time
    /// since the last step.
    fn done(&mut self, table: &str, step: &str) {
        tracing::debug!(table, elapsed = ?self.0.elapsed(), "import: {step}");
        self.0 = Instant::now();
    }
}

/// Whether every table `package` writes is empty in the register.
async fn tables_empty(conn: &mut SqliteConnection, package: &Package) -> Result<bool, StoreError> {
    for table in &package.tables {
        if !Conn::Sqlite(&mut *conn).is_empty(table.schema).await? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Commits the import's transaction, or rolls it back after a dry run or a
/// failure.
async fn finish<DB: sqlx::Database>(
    tx: sqlx::Transaction<'_, DB>,
    result: Result<ImportReport, StoreError>,
    dry_run: bool,
) -> Result<ImportReport, StoreError> {
    match result {
        Ok(report) if !dry_run => {
            tx.commit().await?;
            Ok(report)
        }
        Ok(report) => {
            tx.rollback().await?;
            Ok(report)
        }
        Err(e) => {
            // The error is what the caller needs; a failed rollback leaves
            // the transaction to be rolled back when its connection closes.
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

/// The connection of an import's transaction.
enum Conn<'a> {
    /// PostgreSQL, through sqlx's `Any` driver.
    Any(&'a mut AnyConnection),
    /// SQLite, typed, so that its handle can be reached.
    Sqlite(&'a mut SqliteConnection),
}

impl Conn<'_> {
    /// Runs one statement without parameters.
    async fn execute(&mut self, sql: String) -> Result<(), sqlx::Error> {
        let sql = sql::assert_safe(sql);
        match self {
            Conn::Any(c) => {
                sqlx::query(sql).execute(&mut **c).await?;
            }
            Conn::Sqlite(c) => {
                sqlx::query(sql).execute(&mut **c).await?;
            }
        }
        Ok(())
    }

    /// The regions' boundaries the register holds, if any.
    async fn boundaries(&mut self) -> Result<Option<String>, sqlx::Error> {
        let sql = "SELECT document FROM region_boundaries WHERE id = 1";
        match self {
            Conn::Any(c) => sqlx::query_scalar(sql).fetch_optional(&mut **c).await,
            Conn::Sqlite(c) => sqlx::query_scalar(sql).fetch_optional(&mut **c).await,
        }
    }

    /// Makes `document` the regions' boundaries of the register.
    async fn set_boundaries(&mut self, document: &str) -> Result<(), sqlx::Error> {
        self.execute("DELETE FROM region_boundaries".to_owned())
            .await?;
        let sql = "INSERT INTO region_boundaries (id, document) VALUES (1, $1)";
        match self {
            Conn::Any(c) => {
                sqlx::query(sql).bind(document).execute(&mut **c).await?;
            }
            Conn::Sqlite(c) => {
                sqlx::query(sql).bind(document).execute(&mut **c).await?;
            }
        }
        Ok(())
    }

    /// Gives every monetary observation without a currency its cluster's
    /// country's ([`crate::league::fill_currencies_sql`]); the warnings name
    /// the rows.
    async fn fill_currencies(&mut self) -> Result<Vec<String>, sqlx::Error> {
        type Row = (i64, String, String, String, Option<String>, String);
        let sql = crate::league::MISSING_CURRENCY_SQL;
        let rows: Vec<Row> = match self {
            Conn::Any(c) => sqlx::query_as(sql).fetch_all(&mut **c).await?,
            Conn::Sqlite(c) => sqlx::query_as(sql).fetch_all(&mut **c).await?,
        };
        let (updates, warnings) = crate::league::fill_currencies_sql(rows);
        let update = "UPDATE observations SET currency = $1 WHERE row_id = $2";
        for (row_id, currency) in updates {
            match self {
                Conn::Any(c) => {
                    sqlx::query(update)
                        .bind(currency)
                        .bind(row_id)
                        .execute(&mut **c)
                        .await?;
                }
                Conn::Sqlite(c) => {
                    sqlx::query(update)
                        .bind(currency)
                        .bind(row_id)
                        .execute(&mut **c)
                        .await?;
                }
            }
        }
        Ok(warnings)
    }

    /// Whether `t` has no row (without counting them all).
    async fn is_empty(&mut self, t: &TableSchema) -> Result<bool, sqlx::Error> {
        let sql = || {
            sql::assert_safe(format!(
                "SELECT COUNT(*) FROM (SELECT 1 FROM {} LIMIT 1) AS one",
                t.name
            ))
        };
        let rows: i64 = match self {
            Conn::Any(c) => sqlx::query_scalar(sql()).fetch_one(&mut **c).await?,
            Conn::Sqlite(c) => sqlx::query_scalar(sql()).fetch_one(&mut **c).await?,
        };
        Ok(rows == 0)
    }

    /// Every row of `t`; on SQLite stepped through its handle, which for a
    /// million rows is seconds faster than sqlx's row-by-row hand-over.
    async fn select_all(&mut self, t: &TableSchema) -> Result<Vec<Vec<Value>>, sqlx::Error> {
        match self {
            Conn::Any(c) => sql::select_all(c, t).await,
            Conn::Sqlite(c) => {
                let mut handle = c.lock_handle().await?;
                sqlite_bulk::select_all(&mut handle, t)
            }
        }
    }
}

/// Everything an import does inside its transaction.
async fn write(
    conn: &mut Conn<'_>,
    package: &Package,
    options: &ImportOptions,
    progress: &mut (dyn FnMut(&str, usize, usize) + Send),
    steps: &mut Steps,
) -> Result<ImportReport, StoreError> {
    let mut report = ImportReport {
        dry_run: options.dry_run,
        tables: Vec::new(),
        warnings: Vec::new(),
    };
    // The rows of the table whose turn is next, if it is empty in the
    // register (all its rows go in), sorted by key while SQLite was busy
    // with the table before.
    let mut sorted_ahead: Option<Vec<&[Value]>> = None;
    // Which tables are empty in the register (all their rows go in).
    let mut empty = Vec::with_capacity(package.tables.len());
    for table in &package.tables {
        empty.push(conn.is_empty(table.schema).await?);
    }
    for (i, table) in package.tables.iter().enumerate() {
        let t: &TableSchema = table.schema;
        let empty_here = empty[i];
        let existing = if empty_here {
            Vec::new()
        } else {
            conn.select_all(t).await?
        };
        if t.name == "observations" {
            // The indicators' checks (refusing) and jumps (warned of).
            let indicators = match schema::table("indicators") {
                Some(it) => conn.select_all(it).await?,
                None => Vec::new(),
            };
            let package_indicators = package
                .tables
                .iter()
                .find(|x| x.schema.name == "indicators");
            let (problems, warnings) = crate::observations::check_imported(
                table,
                package_indicators,
                &indicators,
                &existing,
            );
            problems.into_result().map_err(StoreError::Rejected)?;
            report.warnings.extend(warnings);
            steps.done(t.name, "values checked");
        }
        let Plan {
            report: tr,
            mut inserts,
            updates,
        } = plan(table, &KeyIndex::new(t, &existing));
        drop(existing);
        steps.done(t.name, "matched to the register");
        let total = table.rows.len();
        let mut done = tr.unchanged;
        progress(t.name, done, total);
        if !options.dry_run {
            let keys = t.key_positions();
            match sorted_ahead.take() {
                Some(sorted) if empty_here => inserts = sorted,
                _ => sql::sort_by_key(t, &keys, &mut inserts),
            }
            steps.done(t.name, "sorted by key");
            let next = package.tables.get(i + 1).filter(|_| empty[i + 1]);
            match conn {
                Conn::Sqlite(c) => {
                    let bulk = empty_here && !inserts.is_empty();
                    let mut meanwhile = || {
                        if let Some(n) = next {
                            let mut rows: Vec<&[Value]> =
                                n.rows.iter().map(Vec::as_slice).collect();
                            sql::sort_by_key(n.schema, &n.schema.key_positions(), &mut rows);
                            sorted_ahead = Some(rows);
                        }
                    };
                    insert_sqlite(
                        c,
                        t,
                        &inserts,
                        bulk,
                        &mut |d| progress(t.name, done + d, total),
                        steps,
                        &mut meanwhile,
                    )
                    .await?;
                    done += inserts.len();
                    update_sqlite(c, t, &updates, &mut |d| progress(t.name, done + d, total))
                        .await?;
                    steps.done(t.name, "updated");
                }
                Conn::Any(c) => {
                    insert_any(c, t, &inserts, &mut |d| progress(t.name, done + d, total)).await?;
                    done += inserts.len();
                    steps.done(t.name, "inserted");
                    let updates: Vec<&[Value]> = updates.iter().map(|u| &*u.row).collect();
                    update_any(c, t, &updates, &keys, &mut |d| {
                        progress(t.name, done + d, total)
                    })
                    .await?;
                    steps.done(t.name, "updated");
                }
            }
        }
        progress(t.name, total, total);
        report.tables.push(tr);
    }
    if let Some(b) = &package.boundaries {
        // The boundaries are one document: added, changed or unchanged.
        let before = conn.boundaries().await?;
        let same = before.as_deref() == Some(b.document.as_str());
        report.tables.push(TableReport {
            table: BOUNDARIES,
            added: usize::from(before.is_none()),
            changed: usize::from(before.is_some() && !same),
            unchanged: usize::from(same),
        });
        if !options.dry_run && !same {
            conn.set_boundaries(&b.document).await?;
        }
    }
    if !options.dry_run {
        // The clusters the package's organizations and ties were written
        // for (docs/adr/0003-rows-record-their-cluster.md).
        let statements =
            crate::recorded::import_statements(&crate::recorded::package_pairs(package));
        match conn {
            Conn::Any(c) => crate::recorded::run_any(c, statements).await?,
            Conn::Sqlite(c) => crate::recorded::run_sqlite(c, statements).await?,
        }
        steps.done("", "clusters recorded");
        if package
            .tables
            .iter()
            .any(|t| t.schema.name == "memberships")
        {
            // One membership of an organization in a cluster at a time.
            match conn {
                Conn::Any(c) => crate::validity::refuse_overlaps_any(c, None).await?,
                Conn::Sqlite(c) => crate::validity::refuse_overlaps_sqlite(c).await?,
            }
            steps.done("", "memberships checked for overlaps");
        }
        if package.tables.iter().any(|t| t.schema.name == "governance") {
            // One chair of a body at a time.
            match conn {
                Conn::Any(c) => crate::validity::refuse_two_chairs_any(c, None).await?,
                Conn::Sqlite(c) => crate::validity::refuse_two_chairs_sqlite(c).await?,
            }
            let warning = match conn {
                Conn::Any(c) => crate::validity::non_member_seats_any(c).await?,
                Conn::Sqlite(c) => crate::validity::non_member_seats_sqlite(c).await?,
            };
            report.warnings.extend(warning);
            steps.done("", "governance checked for chairs and non-members");
        }
        if package
            .tables
            .iter()
            .any(|t| matches!(t.schema.name, "observations" | "indicators" | "clusters"))
        {
            // Money without a currency takes its cluster's country's.
            let warnings = conn.fill_currencies().await?;
            report.warnings.extend(warnings);
            steps.done("", "currencies filled in");
        }
        conn.execute(crate::result_cache::BUMP_VERSION.to_owned())
            .await?;
    }
    Ok(report)
}

/// What to do with the rows of one table of the package.
struct Plan<'p> {
    /// How many rows are new, changed and unchanged.
    report: TableReport,
    /// Rows new to the register.
    inserts: Vec<&'p [Value]>,
    /// Rows to update.
    updates: Vec<Update<'p>>,
}

/// A row of the register to update.
struct Update<'p> {
    /// Its new values: the package's, and the register's for the columns
    /// the package lacks (the package's row itself where those agree).
    row: Cow<'p, [Value]>,
    /// Whether a cell of the table's name-search index changes.
    renamed: bool,
}

/// Matches the rows of `table` to the register's `existing` rows by key.
fn plan<'p>(table: &'p TableData, existing: &KeyIndex<'_>) -> Plan<'p> {
    let t = table.schema;
    // The columns of the table's name-search index.
    let searched: Vec<usize> = match sql::search_index(t.name) {
        Some((_, columns)) => std::iter::once(&"id")
            .chain(columns)
            .filter_map(|c| t.position(c))
            .collect(),
        None => Vec::new(),
    };
    let mut out = Plan {
        report: TableReport {
            table: t.name,
            added: 0,
            changed: 0,
            unchanged: 0,
        },
        inserts: Vec::new(),
        updates: Vec::new(),
    };
    if existing.is_empty() {
        out.report.added = table.rows.len();
        out.inserts = table.rows.iter().map(Vec::as_slice).collect();
        return out;
    }
    // Each row looked up and compared on its own: on every core for a big
    // table (the look-ups wait on memory), then counted in order.
    let classify = |row: &'p Vec<Value>| match existing.get(row) {
        None => Match::New(row),
        Some(old) => {
            let same = (row.iter().zip(old).zip(&table.present))
                .all(|((new, old), &present)| !present || new == old);
            if same {
                return Match::Same;
            }
            let kept_agree = (row.iter().zip(old).zip(&table.present))
                .all(|((new, old), &present)| present || new == old);
            let row: Cow<'p, [Value]> = if kept_agree {
                Cow::Borrowed(row)
            } else {
                (row.iter().zip(old).zip(&table.present))
                    .map(|((new, old), &present)| if present { new } else { old }.clone())
                    .collect()
            };
            let renamed = searched.iter().any(|&c| row[c] != old[c]);
            Match::Changed(Update { row, renamed })
        }
    };
    let matches: Vec<Match<'p>> = (table.rows.par_iter().with_min_len(PARALLEL_PIECE))
        .map(classify)
        .collect();
    for m in matches {
        match m {
            Match::New(row) => {
                out.report.added += 1;
                out.inserts.push(row);
            }
            Match::Same => out.report.unchanged += 1,
            Match::Changed(update) => {
                out.report.changed += 1;
                out.updates.push(update);
            }
        }
    }
    out
}

/// What became of one row of a package matched to the register.
enum Match<'p> {
    /// Its key is new.
    New(&'p [Value]),
    /// The register has it with the same values.
    Same,
    /// The register has its key with other values.
    Changed(Update<'p>),
}

/// Renamed rows (a cell of the name-search index changed) from which an
/// import makes a table's search index anew instead of letting its triggers
/// mend it row by row (each looks its row up in the trigram index, ~1 ms).
const SEARCH_REBUILD_FROM: usize = 1_000;

/// Updates rows of `t` by key on SQLite, through its handle.
///
/// The search triggers are off for rows whose searched cells stay as they
/// were (the statement sets every column, so each would fire and redo the
/// row's search entry for nothing). Renamed rows go through the triggers,
/// or, from [`SEARCH_REBUILD_FROM`] of them, with the triggers off and the
/// table's search index made anew from its rows afterwards.
async fn update_sqlite(
    conn: &mut SqliteConnection,
    t: &TableSchema,
    updates: &[Update<'_>],
    progress: &mut (dyn FnMut(usize) + Send),
) -> Result<(), StoreError> {
    if updates.is_empty() {
        return Ok(());
    }
    let search = sql::search_index(t.name);
    let renamed = updates.iter().filter(|u| u.renamed).count();
    let rebuild = search.is_some() && renamed >= SEARCH_REBUILD_FROM;
    let (mut quiet, mut loud): (Vec<&[Value]>, Vec<&[Value]>) = if search.is_none() || rebuild {
        (updates.iter().map(|u| &*u.row).collect(), Vec::new())
    } else {
        let (loud, quiet): (Vec<&Update>, Vec<&Update>) = updates.iter().partition(|u| u.renamed);
        (
            quiet.into_iter().map(|u| &*u.row).collect(),
            loud.into_iter().map(|u| &*u.row).collect(),
        )
    };
    // In key order, as SQLite's key index holds them: each look-up then
    // lands next to the last (1,000,000 updates: 10.9 s in package order).
    let keys = t.key_positions();
    sql::sort_by_key(t, &keys, &mut quiet);
    sql::sort_by_key(t, &keys, &mut loud);
    let params: Vec<usize> = (0..t.columns.len()).chain(keys).collect();
    let update = sql::update_sql(t);
    let mut run = async |conn: &mut SqliteConnection, rows: &[&[Value]], from: usize| {
        let mut handle = conn.lock_handle().await?;
        sqlite_bulk::execute_each(
            &mut handle,
            &|_| update.clone(),
            1,
            t,
            &params,
            rows,
            &mut |d| progress(from + d),
        )
    };
    if search.is_some() {
        sqlx::query("UPDATE search_state SET enabled = 0")
            .execute(&mut *conn)
            .await?;
    }
    run(conn, &quiet, 0).await?;
    if search.is_some() {
        sqlx::query("UPDATE search_state SET enabled = 1")
            .execute(&mut *conn)
            .await?;
    }
    run(conn, &loud, quiet.len()).await?;
    if let (true, Some((index, columns))) = (rebuild, search) {
        // The index's own SQL, as its migration made it.
        let create: String =
            sqlx::query_scalar("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?")
                .bind(index)
                .fetch_one(&mut *conn)
                .await?;
        let columns = columns.join(", ");
        for statement in [
            format!("DROP TABLE {index}"),
            create,
            format!(
                "INSERT INTO {index} (id, {columns}) SELECT id, {columns} FROM {}",
                t.name
            ),
        ] {
            sqlx::query(sql::assert_safe(statement))
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// Inserts rows (sorted by key) into `t` on SQLite: prepared multi-row
/// INSERTs stepped through SQLite's own handle, text bound in place.
///
/// With `bulk` (the table was empty), the table's separately created indexes
/// are dropped and made again after the insert: one sort of the finished
/// column instead of a B-tree insert per row. Likewise its name-search index
/// is filled once, after the rows, with its triggers off meanwhile. All in
/// the import's transaction, so a failed import leaves them as they were.
/// Their SQL is the register's own, written by its migrations.
///
/// `meanwhile` runs once on this thread, while SQLite's worker thread fills
/// the search index or makes the first index again (or after the insert,
/// when there is neither).
async fn insert_sqlite(
    conn: &mut SqliteConnection,
    t: &TableSchema,
    rows: &[&[Value]],
    bulk: bool,
    progress: &mut (dyn FnMut(usize) + Send),
    steps: &mut Steps,
    meanwhile: &mut (dyn FnMut() + Send),
) -> Result<(), StoreError> {
    let mut meanwhile = Some(meanwhile);
    let rebuild = if bulk {
        sql::sqlite_indexes(conn, t).await?
    } else {
        Vec::new()
    };
    let search = sql::search_index(t.name).filter(|_| bulk);
    if search.is_some() {
        sqlx::query("UPDATE search_state SET enabled = 0")
            .execute(&mut *conn)
            .await?;
    }
    for (name, _) in &rebuild {
        sqlx::query(sql::assert_safe(format!(
            "DROP INDEX \"{}\"",
            name.replace('"', "\"\"")
        )))
        .execute(&mut *conn)
        .await?;
    }
    let params: Vec<usize> = (0..t.columns.len()).collect();
    {
        let mut handle = conn.lock_handle().await?;
        sqlite_bulk::execute_each(
            &mut handle,
            &|n| sql::insert_sql(t, n, Backend::Sqlite),
            SQLITE_PARAMS / t.columns.len(),
            t,
            &params,
            rows,
            progress,
        )?;
    }
    steps.done(t.name, "inserted");
    for (name, create) in &rebuild {
        execute_meanwhile(conn, create.clone(), &mut meanwhile).await?;
        steps.done(t.name, &format!("index {name} made"));
    }
    if let Some((index, columns)) = search {
        let columns = columns.join(", ");
        let fill = format!(
            "INSERT INTO {index} (id, {columns}) SELECT id, {columns} FROM {}",
            t.name
        );
        execute_meanwhile(conn, fill, &mut meanwhile).await?;
        sqlx::query("UPDATE search_state SET enabled = 1")
            .execute(&mut *conn)
            .await?;
        steps.done(t.name, "search index filled");
    }
    if let Some(work) = meanwhile {
        work();
    }
    Ok(())
}

/// Runs `sql` on SQLite's worker thread and, once it has started there,
/// `meanwhile` (if not run yet) on this one; then waits for the statement.
async fn execute_meanwhile(
    conn: &mut SqliteConnection,
    sql: String,
    meanwhile: &mut Option<&mut (dyn FnMut() + Send)>,
) -> Result<(), sqlx::Error> {
    let mut statement = std::pin::pin!(sqlx::query(sql::assert_safe(sql)).execute(&mut *conn));
    // The first poll hands the statement to the worker.
    let started =
        std::future::poll_fn(|cx| std::task::Poll::Ready(statement.as_mut().poll(cx))).await;
    if let Some(work) = meanwhile.take() {
        work();
    }
    match started {
        std::task::Poll::Ready(done) => done.map(drop),
        std::task::Poll::Pending => statement.await.map(drop),
    }
}

/// Inserts rows into `t` through sqlx's `Any` driver (PostgreSQL), in
/// multi-row INSERTs of up to [`MAX_PARAMS`] values.
async fn insert_any(
    conn: &mut AnyConnection,
    t: &TableSchema,
    rows: &[&[Value]],
    progress: &mut (dyn FnMut(usize) + Send),
) -> Result<(), StoreError> {
    let per = (MAX_PARAMS / t.columns.len()).max(1);
    let full_sql = sql::insert_sql(t, per, Backend::Postgres);
    // Binds one chunk's values into its INSERT statement.
    let build = |chunk: &[&[Value]]| {
        let text = if chunk.len() == per {
            full_sql.clone()
        } else {
            sql::insert_sql(t, chunk.len(), Backend::Postgres)
        };
        let mut q = sqlx::query(sql::assert_safe(text));
        for row in chunk {
            for (pos, v) in row.iter().enumerate() {
                q = sql::bind(q, t, pos, v);
            }
        }
        (q, chunk.len())
    };
    // While the server runs one chunk, this thread binds the next.
    let mut done = 0;
    let mut chunks = rows.chunks(per);
    let mut next = chunks.next().map(build);
    while let Some((q, n)) = next.take() {
        let (result, built) =
            tokio::join!(q.execute(&mut *conn), async { chunks.next().map(build) });
        result?;
        next = built;
        done += n;
        progress(done);
    }
    Ok(())
}

/// Updates rows of `t` by key through sqlx's `Any` driver (PostgreSQL).
async fn update_any(
    conn: &mut AnyConnection,
    t: &TableSchema,
    rows: &[&[Value]],
    keys: &[usize],
    progress: &mut (dyn FnMut(usize) + Send),
) -> Result<(), StoreError> {
    let update = sql::update_sql(t);
    for (done, row) in rows.iter().enumerate() {
        let mut q = sqlx::query(sql::assert_safe(update.clone()));
        for (pos, v) in row.iter().enumerate() {
            q = sql::bind(q, t, pos, v);
        }
        for &k in keys {
            q = sql::bind(q, t, k, &row[k]);
        }
        q.execute(&mut *conn).await?;
        if (done + 1).is_multiple_of(1000) {
            progress(done + 1);
        }
    }
    Ok(())
}

impl Store {
    /// Checks a package read from files against the register (references to
    /// rows that are neither in the package nor in the register).
    pub async fn check_package(
        &self,
        pkg: PackageBuilder,
    ) -> Result<Result<weaver_core::Package, Rejected>, StoreError> {
        // Only the ids the package refers to without having them are looked
        // up; a package that brings its organizations reads none.
        let mut known: HashMap<&'static str, HashSet<String>> = HashMap::new();
        for (table, ids) in pkg.unresolved_references() {
            let ids: Vec<&str> = ids.into_iter().collect();
            known.insert(table, self.existing_ids(table, &ids).await?);
        }
        Ok(pkg.finish(&|table, id| known.get(table).is_some_and(|s| s.contains(id))))
    }

    /// Which of `ids` are ids of rows of `table`, asked 500 at a time.
    async fn existing_ids(&self, table: &str, ids: &[&str]) -> Result<HashSet<String>, StoreError> {
        let t =
            schema::table(table).ok_or_else(|| StoreError::Corrupt(format!("no table {table}")))?;
        let mut found = HashSet::new();
        for chunk in ids.chunks(500) {
            let marks: Vec<_> = (1..=chunk.len())
                .map(|i| sql::placeholder(self.backend, i))
                .collect();
            let sql = format!(
                "SELECT id FROM {} WHERE id IN ({})",
                t.name,
                marks.join(", ")
            );
            let mut q = sqlx::query_scalar::<_, String>(sql::assert_safe(sql));
            for id in chunk {
                q = q.bind(*id);
            }
            found.extend(q.fetch_all(&self.pool).await?);
        }
        Ok(found)
    }

    /// Imports a checked package on behalf of an admin and records the import
    /// (package name and what it added and changed) in the audit log; on
    /// behalf of a cluster manager, row by row within its rights
    /// ([`Store::import_scoped`]). Others are refused.
    pub async fn import_as(
        &self,
        who: &Principal,
        package: &weaver_core::Package,
        options: &crate::ImportOptions,
    ) -> Result<crate::ImportReport, StoreError> {
        match who.role {
            weaver_core::enums::Role::Admin => {}
            weaver_core::enums::Role::Manager => {
                return self.import_scoped(who, package, options).await;
            }
            _ => {
                return Err(StoreError::Forbidden(
                    "a package is imported by admins, and by cluster managers for their own \
                     clusters' rows"
                        .into(),
                ));
            }
        }
        let report = self.import(package, options, &mut |_, _, _| {}).await?;
        if !options.dry_run {
            let mut conn = self.pool.acquire().await?;
            let after = serde_json::to_string(&report.tables)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            sqlx::query(
                "INSERT INTO audit_log (at, user_id, actor, action, table_name, row_key, before, after) \
                 VALUES ($1, $2, $3, 'import', 'package', $4, NULL, $5)",
            )
            .bind(now_text())
            .bind(who.user_id)
            .bind(&who.email)
            .bind(&package.name)
            .bind(after)
            .execute(&mut *conn)
            .await?;
        }
        Ok(report)
    }
}
