//! Rows written and read through SQLite's C interface, for the import on
//! SQLite.
//!
//! sqlx's `Any` driver copies each bound string twice (into its own
//! arguments, then into SQLite's) and hands every statement to a worker
//! thread; for an import of a million rows that was a fifth of the time
//! (bench/RESULTS.md, register). Here prepared statements are stepped
//! directly, with each text value bound in place from the package, as the
//! `sqlite3` shell's `.import` does. It runs on the calling
//! thread, on the connection of the import's own transaction, whose handle
//! the caller holds locked ([`sqlx::SqliteConnection::lock_handle`]).
//!
//! The register's rows that an import matches its package to are read the
//! same way ([`select_all`]): sqlx hands each row over from its worker
//! thread, which for a million ties took 13 s.
//!
//! The unsafe code is this module's alone (with one `prctl` in the `weaver`
//! program), behind two safe functions, [`execute_each`] and [`select_all`].
//! Why and under which rules: `docs/adr/0004-sqlite-bulk-import.md`,
//! `docs/adr/0006-unsafe-code.md`.

use std::borrow::Cow;
use std::ffi::{CStr, c_int};
use std::fmt;

use libsqlite3_sys as ffi;
use sqlx::error::{DatabaseError, ErrorKind};
use sqlx::sqlite::LockedSqliteHandle;
use weaver_core::Value;
use weaver_core::schema::{ColumnType, Storage, TableSchema};

/// Rows between two calls of the progress callback.
const PROGRESS_EVERY: usize = 1_000;

/// Runs the statements `sql(n)` over `rows`, `n` rows at a time: `sql(n)`
/// takes `n` rows of parameters, one per entry of `params` for each row, and
/// is called for `n = per` and for the last, shorter run. Parameter `i` of a
/// row is bound to its value in column `params[i]` of `t`, stored as
/// [`crate::sql`] binds it (text, an integer, a real or NULL; an empty key
/// part as ''). `progress(rows_done)` is called about every 1,000 rows.
///
/// A statement of several rows (a multi-row `INSERT`) pays SQLite's work per
/// statement (opening cursors, the `AUTOINCREMENT` counter, the end-of-statement
/// checks) once for all of them.
///
/// Stops at the first statement SQLite refuses, with its error (a failed
/// constraint is a [`sqlx::Error::Database`] of the matching kind); what
/// earlier ones did stays in the caller's transaction, for it to roll back.
pub(crate) fn execute_each(
    handle: &mut LockedSqliteHandle<'_>,
    sql: &dyn Fn(usize) -> String,
    per: usize,
    t: &TableSchema,
    params: &[usize],
    rows: &[&[Value]],
    progress: &mut dyn FnMut(usize),
) -> Result<(), sqlx::Error> {
    let db = handle.as_raw_handle().as_ptr();
    let columns: Vec<(Storage, bool)> = params
        .iter()
        .map(|&pos| {
            let col = &t.columns[pos];
            (col.ty.storage(), t.key.contains(&col.name))
        })
        .collect();
    let per = per.max(1);
    let mut full = None;
    let mut done = 0;
    let mut chunks = rows.chunks(per).peekable();
    while let Some(chunk) = chunks.next() {
        if let Some(next) = chunks.peek() {
            warm(next);
        }
        let mut last = None;
        let statement = if chunk.len() == per {
            match &mut full {
                Some(s) => s,
                None => full.insert(Statement::prepare(db, &sql(per))?),
            }
        } else {
            last.insert(Statement::prepare(db, &sql(chunk.len()))?)
        };
        let mut slot = 0;
        for row in chunk {
            for (&pos, &(storage, key)) in params.iter().zip(&columns) {
                statement.bind(slot, storage, key, &row[pos])?;
                slot += 1;
            }
        }
        statement.step()?;
        let before = done;
        done += chunk.len();
        if done / PROGRESS_EVERY > before / PROGRESS_EVERY {
            progress(done);
        }
    }
    progress(rows.len());
    Ok(())
}

/// Every row of `t`, columns in schema order, read as [`crate::sql`]'s
/// `decode` reads them: empty text and NULL as `Null`, integers of a
/// boolean column as booleans.
pub(crate) fn select_all(
    handle: &mut LockedSqliteHandle<'_>,
    t: &TableSchema,
) -> Result<Vec<Vec<Value>>, sqlx::Error> {
    let db = handle.as_raw_handle().as_ptr();
    let sql = format!("SELECT {} FROM {}", crate::sql::column_list(t), t.name);
    let statement = Statement::prepare(db, &sql)?;
    let mut rows = Vec::new();
    while statement.next_row()? {
        let row = (t.columns.iter().enumerate())
            .map(|(i, col)| statement.value(i, col.ty))
            .collect::<Result<Vec<Value>, sqlx::Error>>()?;
        rows.push(row);
    }
    Ok(rows)
}

/// Reads a byte of every value of `rows`, so that their memory is on its way
/// into the cache while SQLite works on the rows before. Rows sorted by key
/// lie scattered in memory: binding each one waited for its memory (nine in
/// ten of the samples of this function), while these reads, independent of
/// one another, wait together.
fn warm(rows: &[&[Value]]) {
    for row in rows {
        for value in *row {
            std::hint::black_box(value.is_null());
        }
    }
}

/// A prepared statement of a connection whose handle is locked by the
/// caller; finalized on drop.
///
/// Every text bound is `SQLITE_STATIC`: SQLite reads it in place, so it must
/// outlive the statement. [`execute_each`] guarantees that: the rows it
/// binds are borrowed for the whole call and the statement is its local.
struct Statement {
    db: *mut ffi::sqlite3,
    stmt: *mut ffi::sqlite3_stmt,
}

impl Statement {
    fn prepare(db: *mut ffi::sqlite3, sql: &str) -> Result<Statement, sqlx::Error> {
        let len = c_int::try_from(sql.len()).map_err(|_| too_big("statement"))?;
        let mut stmt = std::ptr::null_mut();
        // SAFETY: `db` is an open connection whose handle the caller holds
        // locked (no other thread uses it); `sql` is valid for `len` bytes,
        // which SQLite reads during the call only.
        let rc = unsafe {
            ffi::sqlite3_prepare_v2(
                db,
                sql.as_ptr().cast(),
                len,
                &mut stmt,
                std::ptr::null_mut(),
            )
        };
        if rc != ffi::SQLITE_OK {
            return Err(last_error(db, rc));
        }
        if stmt.is_null() {
            return Err(sqlx::Error::Protocol("empty statement".into()));
        }
        Ok(Statement { db, stmt })
    }

    /// Binds `v`, of a column stored as `storage` (`key`: part of the
    /// table's key), to parameter `slot` (from 0).
    fn bind(&self, slot: usize, storage: Storage, key: bool, v: &Value) -> Result<(), sqlx::Error> {
        let i = c_int::try_from(slot + 1).map_err(|_| too_big("parameter list"))?;
        // SAFETY: `self.stmt` is a live statement of the locked connection.
        // Text bound with SQLITE_STATIC lives in `v`, which outlives the
        // statement (see the type's doc); owned text is copied by SQLite
        // (SQLITE_TRANSIENT) before the call returns.
        let rc = unsafe {
            match (storage, v) {
                (Storage::Text, Value::Text(s)) => self.bind_text(i, s, ffi::SQLITE_STATIC())?,
                (Storage::Text, Value::Null) if key => {
                    self.bind_text(i, "", ffi::SQLITE_STATIC())?
                }
                (_, Value::Null) => ffi::sqlite3_bind_null(self.stmt, i),
                (Storage::Text, other) => {
                    self.bind_text(i, &other.to_text(), ffi::SQLITE_TRANSIENT())?
                }
                (Storage::Integer, Value::Int(n)) => ffi::sqlite3_bind_int64(self.stmt, i, *n),
                (Storage::Integer, Value::Bool(b)) => {
                    ffi::sqlite3_bind_int64(self.stmt, i, i64::from(*b))
                }
                (Storage::Integer, _) => ffi::sqlite3_bind_null(self.stmt, i),
                (Storage::Real, other) => match other.as_f64() {
                    Some(x) => ffi::sqlite3_bind_double(self.stmt, i, x),
                    None => ffi::sqlite3_bind_null(self.stmt, i),
                },
            }
        };
        if rc == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(last_error(self.db, rc))
        }
    }

    /// `sqlite3_bind_text` of `s` to parameter `i`.
    ///
    /// # Safety
    ///
    /// With `SQLITE_STATIC`, `s` must stay valid until the statement is
    /// finalized or the parameter bound again.
    unsafe fn bind_text(
        &self,
        i: c_int,
        s: &str,
        lifetime: ffi::sqlite3_destructor_type,
    ) -> Result<c_int, sqlx::Error> {
        let len = c_int::try_from(s.len()).map_err(|_| too_big("text"))?;
        // SAFETY: as the caller promises; `s` is UTF-8 of `len` bytes.
        Ok(unsafe { ffi::sqlite3_bind_text(self.stmt, i, s.as_ptr().cast(), len, lifetime) })
    }

    /// Steps a query: whether it gave a row (false once it is done).
    fn next_row(&self) -> Result<bool, sqlx::Error> {
        // SAFETY: a live statement of the locked connection, with no
        // parameters.
        match unsafe { ffi::sqlite3_step(self.stmt) } {
            ffi::SQLITE_ROW => Ok(true),
            ffi::SQLITE_DONE => Ok(false),
            rc => Err(last_error(self.db, rc)),
        }
    }

    /// Column `i` of the row the statement is on, of a column of type `ty`.
    fn value(&self, i: usize, ty: ColumnType) -> Result<Value, sqlx::Error> {
        let i = c_int::try_from(i).map_err(|_| too_big("column list"))?;
        // SAFETY: the statement is on a row (`next_row` gave true) and `i` is
        // one of its columns. The text's bytes are valid until the next
        // step; they are copied before this returns.
        unsafe {
            if ffi::sqlite3_column_type(self.stmt, i) == ffi::SQLITE_NULL {
                return Ok(Value::Null);
            }
            Ok(match ty.storage() {
                Storage::Text => {
                    let text = ffi::sqlite3_column_text(self.stmt, i);
                    let len = usize::try_from(ffi::sqlite3_column_bytes(self.stmt, i)).unwrap_or(0);
                    if text.is_null() || len == 0 {
                        Value::Null
                    } else {
                        let bytes = std::slice::from_raw_parts(text, len);
                        let text = std::str::from_utf8(bytes)
                            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
                        Value::Text(text.into())
                    }
                }
                Storage::Integer => {
                    let n = ffi::sqlite3_column_int64(self.stmt, i);
                    if ty == ColumnType::Bool {
                        Value::Bool(n != 0)
                    } else {
                        Value::Int(n)
                    }
                }
                Storage::Real => Value::Float(ffi::sqlite3_column_double(self.stmt, i)),
            })
        }
    }

    /// Runs the statement once (it returns no rows) and resets it.
    fn step(&self) -> Result<(), sqlx::Error> {
        // SAFETY: a live statement of the locked connection, all of whose
        // parameters are bound to values that are still alive.
        let rc = unsafe { ffi::sqlite3_step(self.stmt) };
        let result = if rc == ffi::SQLITE_DONE {
            Ok(())
        } else {
            Err(last_error(self.db, rc))
        };
        // SAFETY: as above. Its return value repeats the step's error.
        unsafe { ffi::sqlite3_reset(self.stmt) };
        result
    }
}

impl Drop for Statement {
    fn drop(&mut self) {
        // SAFETY: the statement was prepared on `self.db` and is finalized
        // once, here.
        unsafe { ffi::sqlite3_finalize(self.stmt) };
    }
}

/// The check of the foreign keys of every table of `package`, for an import
/// that added rows with foreign keys off: the keys SQLite declares for each
/// table (`pragma_foreign_key_list`), each checked set-wise (every distinct
/// value against its parent's key; ~0.2 s for a million ties' sources,
/// where `PRAGMA foreign_key_check`, a look-up per row, takes ~0.9 s), or by
/// that pragma where a key has more than one column. A violation is an
/// error of the kind SQLite reports when the keys are on, naming the first
/// values that refer to nothing.
pub(crate) async fn check_references(
    conn: &mut sqlx::SqliteConnection,
    package: &weaver_core::Package,
) -> Result<(), sqlx::Error> {
    let q = |name: &str| format!("\"{}\"", name.replace('"', "\"\""));
    let mut found: Vec<String> = Vec::new();
    for table in &package.tables {
        let t = table.schema.name;
        let keys: Vec<(i64, i64, String, String, Option<String>)> =
            sqlx::query_as(crate::sql::assert_safe(format!(
                "SELECT id, seq, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('{}')",
                t.replace('\'', "''")
            )))
            .fetch_all(&mut *conn)
            .await?;
        if keys.iter().any(|k| k.1 > 0 || k.4.is_none()) {
            let sql = crate::sql::assert_safe(format!("PRAGMA foreign_key_check({})", q(t)));
            let rows: Vec<(String, Option<i64>, String, i64)> =
                sqlx::query_as(sql).fetch_all(&mut *conn).await?;
            found.extend(rows.into_iter().take(5).map(|(table, rowid, parent, _)| {
                format!(
                    "{table} row {} refers to no row of {parent}",
                    rowid.unwrap_or(0)
                )
            }));
            continue;
        }
        for (_, _, parent, from, to) in keys {
            let to = to.unwrap_or_default();
            let missing: Vec<String> = sqlx::query_scalar(crate::sql::assert_safe(format!(
                "SELECT CAST(k AS TEXT) FROM (SELECT DISTINCT {f} AS k FROM {t} WHERE {f} IS NOT NULL) \
                 WHERE NOT EXISTS (SELECT 1 FROM {p} WHERE {p}.{to} = k) LIMIT 5",
                f = q(&from),
                t = q(t),
                p = q(&parent),
                to = q(&to),
            )))
            .fetch_all(&mut *conn)
            .await?;
            found.extend(
                missing
                    .into_iter()
                    .map(|k| format!("{t}.{from} '{k}' is no {to} of {parent}")),
            );
        }
    }
    if found.is_empty() {
        return Ok(());
    }
    Err(sqlx::Error::Database(Box::new(SqliteError {
        code: ffi::SQLITE_CONSTRAINT_FOREIGNKEY,
        message: format!("FOREIGN KEY constraint failed: {}", found.join("; ")),
    })))
}

fn too_big(what: &str) -> sqlx::Error {
    sqlx::Error::Protocol(format!("the {what} is too long for SQLite"))
}

/// The connection's last error, as sqlx reports SQLite's.
fn last_error(db: *mut ffi::sqlite3, rc: c_int) -> sqlx::Error {
    // SAFETY: `db` is the locked, open connection; the message is copied
    // before anything else runs on it.
    let (code, message) = unsafe {
        let code = ffi::sqlite3_extended_errcode(db);
        let msg = ffi::sqlite3_errmsg(db);
        let message = if msg.is_null() {
            format!("SQLite error {rc}")
        } else {
            CStr::from_ptr(msg).to_string_lossy().into_owned()
        };
        (if code == 0 { rc } else { code }, message)
    };
    sqlx::Error::Database(Box::new(SqliteError { code, message }))
}

/// An error SQLite reported to [`execute_each`]: its extended result code and
/// message, shown as sqlx shows its own.
#[derive(Debug)]
struct SqliteError {
    code: c_int,
    message: String,
}

impl fmt::Display for SqliteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "(code: {}) {}", self.code, self.message)
    }
}

impl std::error::Error for SqliteError {}

impl DatabaseError for SqliteError {
    fn message(&self) -> &str {
        &self.message
    }

    fn code(&self) -> Option<Cow<'_, str>> {
        Some(self.code.to_string().into())
    }

    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }

    fn kind(&self) -> ErrorKind {
        match self.code {
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                ErrorKind::UniqueViolation
            }
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => ErrorKind::ForeignKeyViolation,
            ffi::SQLITE_CONSTRAINT_NOTNULL => ErrorKind::NotNullViolation,
            ffi::SQLITE_CONSTRAINT_CHECK => ErrorKind::CheckViolation,
            _ => ErrorKind::Other,
        }
    }
}
