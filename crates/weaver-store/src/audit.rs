//! The audit log: every write to a register row recorded with its images
//! before and after, the log read as a user may read it, and undo.

use serde_json::Value as Json;
use sqlx::Row;
use sqlx::any::AnyRow;
use weaver_core::Value;
use weaver_core::package::key_string;
use weaver_core::schema::{Storage, TableSchema};

use crate::access::{self, Principal, SqlParts};
use crate::accounts::now_text;
use crate::records::{
    MAX_PAGE, Record, RowKey, bind_all, check_frozen, describe_key, find_by_natural_key, get_admin,
    get_in, key_condition, key_value, refuse_if_referenced, update_in, values_from_json,
};
use crate::sql::{assert_safe, quote};
use crate::{Store, StoreError};

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    /// The entry's number.
    pub id: i64,
    /// When (UTC).
    pub at: String,
    /// Who: the account's e-mail (or "erased user #N").
    pub actor: String,
    /// `create`, `update`, `delete` or `undo`.
    pub action: String,
    /// The table.
    pub table: String,
    /// The row's id or row_id.
    pub key: String,
    /// The row before, if there was one.
    #[schema(value_type = Option<Object>)]
    pub before: Option<Json>,
    /// The row after, if there is one.
    #[schema(value_type = Option<Object>)]
    pub after: Option<Json>,
    /// The entry that undid this one, if any.
    pub undone_by: Option<i64>,
}

impl Store {
    /// Entries of the audit log, newest first; for admins, officers (the
    /// entries of rows they read) and managers (the entries of their own
    /// clusters' rows: each image a row of a cluster they manage).
    pub async fn audit_log(
        &self,
        who: &Principal,
        table: Option<&str>,
        key: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        if !matches!(
            who.role,
            weaver_core::enums::Role::Admin
                | weaver_core::enums::Role::Officer
                | weaver_core::enums::Role::Manager
        ) {
            return Err(StoreError::Forbidden(
                "the audit log is read by admins, programme officers and cluster managers".into(),
            ));
        }
        let limit = limit.clamp(0, MAX_PAGE);
        let conds = |sql: &mut SqlParts| {
            let mut conds = vec!["1 = 1".to_owned()];
            if let Some(t) = table {
                conds.push(format!("table_name = {}", sql.arg(t)));
            }
            if let Some(k) = key {
                conds.push(format!("row_key = {}", sql.arg(k)));
            }
            conds
        };
        if who.is_admin() {
            let mut sql = SqlParts::default();
            let conds = conds(&mut sql);
            let text = format!(
                "SELECT id, at, actor, action, table_name, row_key, before, after, undone_by \
                 FROM audit_log WHERE {} ORDER BY id DESC LIMIT {limit} OFFSET {}",
                conds.join(" AND "),
                offset.max(0)
            );
            let rows = bind_all(sqlx::query(assert_safe(text)), &sql.args)
                .fetch_all(&self.pool)
                .await?;
            return rows.iter().map(audit_from_row).collect();
        }
        // Others get the entries they may read, paged among those: the log
        // is read newest first in batches and each entry judged.
        const BATCH: i64 = 500;
        let mut conn = self.pool.acquire().await?;
        let mut skip = offset.max(0);
        let mut out = Vec::new();
        let mut below = i64::MAX;
        while (out.len() as i64) < limit {
            let mut sql = SqlParts::default();
            let mut conds = conds(&mut sql);
            conds.push(format!("id < {}", sql.value(Value::Int(below))));
            let text = format!(
                "SELECT id, at, actor, action, table_name, row_key, before, after, undone_by \
                 FROM audit_log WHERE {} ORDER BY id DESC LIMIT {BATCH}",
                conds.join(" AND "),
            );
            let rows = bind_all(sqlx::query(assert_safe(text)), &sql.args)
                .fetch_all(&mut *conn)
                .await?;
            for row in &rows {
                let entry = audit_from_row(row)?;
                below = entry.id;
                if (out.len() as i64) >= limit || !audit_readable(&mut conn, who, &entry).await? {
                    continue;
                }
                if skip > 0 {
                    skip -= 1;
                } else {
                    out.push(entry);
                }
            }
            if (rows.len() as i64) < BATCH {
                break;
            }
        }
        Ok(out)
    }

    /// Undoes a create, update or delete of the audit log (admins only): a
    /// deleted row comes back, a created one goes, an updated one takes its
    /// values before. Refused when the row has changed since.
    pub async fn undo(&self, who: &Principal, entry_id: i64) -> Result<i64, StoreError> {
        if !who.is_admin() {
            return Err(StoreError::Forbidden(
                "only an admin may undo a change".into(),
            ));
        }
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT id, at, actor, action, table_name, row_key, before, after, undone_by \
             FROM audit_log WHERE id = $1",
        )
        .bind(entry_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            table: "audit_log",
            id: entry_id.to_string(),
        })?;
        let entry = audit_from_row(&row)?;
        if let Some(by) = entry.undone_by {
            return Err(StoreError::Conflict(format!(
                "change {entry_id} was already undone by change {by}"
            )));
        }
        let t = weaver_core::schema::table(&entry.table).ok_or_else(|| {
            StoreError::Invalid(format!(
                "change {entry_id} is not a change to a register row"
            ))
        })?;
        let key = RowKey::parse(t, &entry.key)?;
        let as_values = |j: &Option<Json>| match j {
            Some(Json::Object(m)) => Some(values_from_json(t, m)),
            _ => None,
        };
        let (before, after) = (as_values(&entry.before), as_values(&entry.after));
        let current = match get_admin(&mut tx, t, &key).await {
            Ok(r) => Some(r),
            Err(StoreError::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        for values in [&before, &after].into_iter().flatten() {
            check_frozen(&mut tx, t, values).await?;
        }
        if current.as_ref().map(|r| &r.values) != after.as_ref() {
            return Err(StoreError::Conflict(format!(
                "the {} row '{}' has changed since change {entry_id}; undo the later changes first",
                t.name, entry.key
            )));
        }
        if let (Some(values), Some(cur)) = (&before, &current) {
            if key_string(t, values) != key_string(t, &cur.values)
                && let Some(other) = find_by_natural_key(&mut tx, t, values).await?
            {
                return Err(StoreError::Conflict(format!(
                    "{} holds another row with the earlier key now ({})",
                    t.name,
                    describe_key(t, &other)
                )));
            }
            update_in(&mut tx, t, &key, values).await?;
        } else if let Some(cur) = &current {
            refuse_if_referenced(&mut tx, t, cur).await?;
            let mut sql = SqlParts::default();
            let cond = key_condition(&mut sql, &key).replacen("t.", "", 1);
            bind_all(
                sqlx::query(assert_safe(format!("DELETE FROM {} WHERE {cond}", t.name))),
                &sql.args,
            )
            .execute(&mut *tx)
            .await?;
        } else if let Some(values) = &before {
            insert_exact(&mut tx, t, &key, values, &entry.key).await?;
        }
        let restored = match get_admin(&mut tx, t, &key).await {
            Ok(r) => Some(r),
            Err(StoreError::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        let id = audit(
            &mut tx,
            who,
            "undo",
            t,
            &key,
            current.as_ref(),
            restored.as_ref(),
        )
        .await?;
        sqlx::query("UPDATE audit_log SET undone_by = $1 WHERE id = $2")
            .bind(id)
            .bind(entry_id)
            .execute(&mut *tx)
            .await?;
        self.commit_change(tx).await?;
        Ok(id)
    }
}

/// Puts a deleted row back with its key (and row_id).
async fn insert_exact(
    conn: &mut sqlx::AnyConnection,
    t: &'static TableSchema,
    key: &RowKey,
    values: &[Value],
    shown: &str,
) -> Result<(), StoreError> {
    if let Some(other) = find_by_natural_key(&mut *conn, t, values).await? {
        return Err(StoreError::Conflict(format!(
            "{} holds another row with this key now ({})",
            t.name,
            describe_key(t, &other)
        )));
    }
    let mut cols: Vec<String> = t.columns.iter().map(|c| quote(c.name).into()).collect();
    let mut q_args = SqlParts::default();
    let mut phs: Vec<String> = t
        .columns
        .iter()
        .enumerate()
        .map(|(pos, c)| {
            let v = if t.key.contains(&c.name) {
                key_value(t, pos, &values[pos])
            } else {
                values[pos].clone()
            };
            q_args.typed(v, c.ty.storage())
        })
        .collect();
    if let RowKey::RowId(n) = key {
        cols.push("row_id".into());
        phs.push(q_args.value(Value::Int(*n)));
    }
    let text = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        t.name,
        cols.join(", "),
        phs.join(", ")
    );
    bind_all(sqlx::query(assert_safe(text)), &q_args.args)
        .execute(&mut *conn)
        .await
        .map_err(|e| {
            StoreError::Conflict(format!(
                "the {} row '{}' cannot come back: {e}",
                t.name, shown
            ))
        })?;
    Ok(())
}

pub(crate) async fn audit(
    conn: &mut sqlx::AnyConnection,
    who: &Principal,
    action: &str,
    t: &TableSchema,
    key: &RowKey,
    before: Option<&Record>,
    after: Option<&Record>,
) -> Result<i64, StoreError> {
    let json = |r: Option<&Record>| r.map(|r| Json::Object(r.to_json(t)).to_string());
    let at = now_text();
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, actor, action, table_name, row_key, before, after) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&at)
    .bind(who.user_id)
    .bind(&who.email)
    .bind(action)
    .bind(t.name)
    .bind(key.text())
    .bind(json(before))
    .bind(json(after))
    .execute(&mut *conn)
    .await?;
    let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM audit_log WHERE user_id = $1")
        .bind(who.user_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(id)
}

/// Whether `who` (not an admin) may read an entry of the audit log: it is a
/// change to a register row (package imports, whose counts cover every row,
/// are for admins); the row, if it still exists, is one `who` reads now;
/// and each image the entry holds (before and after) is a row `who` would
/// read, judged by the read rule (`access::read_condition`) on the image's own values
/// (its visibility, its clusters through the register as it is now). A
/// deleted row's entries are thus judged by its last image: readable when
/// that image, were it in the register now, would be. A manager reads only
/// the entries of its own clusters' rows: each image must also be a row of
/// a cluster it manages (`access::of_managed_clusters`).
async fn audit_readable(
    conn: &mut sqlx::AnyConnection,
    who: &Principal,
    entry: &AuditEntry,
) -> Result<bool, StoreError> {
    let Some(t) = weaver_core::schema::table(&entry.table) else {
        return Ok(false);
    };
    let Ok(key) = RowKey::parse(t, &entry.key) else {
        return Ok(false);
    };
    match get_admin(conn, t, &key).await {
        Ok(_) => match get_in(conn, t, Some(who), &key).await {
            Ok(_) => {}
            Err(StoreError::NotFound { .. }) => return Ok(false),
            Err(e) => return Err(e),
        },
        Err(StoreError::NotFound { .. }) => {}
        Err(e) => return Err(e),
    }
    for image in [&entry.before, &entry.after] {
        match image {
            None | Some(Json::Null) => {}
            Some(Json::Object(m)) => {
                let row_id = match &key {
                    RowKey::RowId(n) => Some(*n),
                    RowKey::Id(_) => None,
                };
                if !image_readable(conn, t, who, &values_from_json(t, m), row_id).await? {
                    return Ok(false);
                }
            }
            Some(_) => return Ok(false),
        }
    }
    Ok(true)
}

/// Whether `who` would read a row of `t` holding `values` (and, for a
/// table keyed by `row_id`, that number: the clusters a tie was recorded for
/// are kept by it): the read condition evaluated on the values as a one-row
/// table.
async fn image_readable(
    conn: &mut sqlx::AnyConnection,
    t: &TableSchema,
    who: &Principal,
    values: &[Value],
    row_id: Option<i64>,
) -> Result<bool, StoreError> {
    let mut sql = SqlParts::default();
    let mut columns: Vec<String> = t
        .columns
        .iter()
        .zip(values)
        .map(|(c, v)| {
            // Every value passed as text (nulls typed as text) and cast
            // here: the statement is prepared once per table and reused,
            // so its placeholders must keep one type whatever the values.
            let storage = c.ty.storage();
            let value = match v {
                Value::Null => Value::Null,
                Value::Bool(b) => Value::Text(i64::from(*b).to_string().into()),
                other => Value::Text(other.to_text().into()),
            };
            let ph = sql.typed(value, Storage::Text);
            let ty = match storage {
                Storage::Text => "TEXT",
                Storage::Integer => "BIGINT",
                Storage::Real => "DOUBLE PRECISION",
            };
            format!("CAST({ph} AS {ty}) AS {}", quote(c.name))
        })
        .collect();
    if let Some(n) = row_id {
        let ph = sql.typed(Value::Text(n.to_string().into()), Storage::Text);
        columns.push(format!("CAST({ph} AS BIGINT) AS row_id"));
    }
    let mut read = access::read_condition(&mut sql, t.name, Some(who));
    if who.role == weaver_core::enums::Role::Manager {
        let own = access::of_managed_clusters(&mut sql, t.name, who);
        read = format!("({read}) AND {own}");
    }
    let text = format!(
        "SELECT COUNT(*) FROM (SELECT {}) t WHERE {read}",
        columns.join(", ")
    );
    let row = bind_all(sqlx::query(assert_safe(text)), &sql.args)
        .fetch_one(&mut *conn)
        .await?;
    Ok(row.try_get::<i64, _>(0)? > 0)
}

fn audit_from_row(row: &AnyRow) -> Result<AuditEntry, StoreError> {
    let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    Ok(AuditEntry {
        id: row.try_get(0)?,
        at: row.try_get(1)?,
        actor: row.try_get(2)?,
        action: row.try_get(3)?,
        table: row.try_get(4)?,
        key: row.try_get(5)?,
        before: parse(row.try_get(6)?),
        after: parse(row.try_get(7)?),
        undone_by: row.try_get(8)?,
    })
}
