//! A cluster manager's import of a package: the package's rows written one
//! by one with exactly the rights and checks of the row API
//! ([`crate::records`]), in one transaction, each audited under the
//! manager. A package with any row the manager may not write is refused
//! whole, every such row named, and nothing changes.

use std::collections::{HashMap, HashSet};

use weaver_core::enums::Role;
use weaver_core::schema::TableSchema;
use weaver_core::{Package, Problems, Rejected, Value};

use crate::access::{self, Principal, SqlParts, WriteKind};
use crate::audit::audit;
use crate::import::{ImportOptions, ImportReport, TableReport};
use crate::records::{
    Record, check_frozen, check_write, find_by_natural_key, get_admin, key_value, update_in,
};
use crate::sql::{self, assert_safe};
use crate::{Store, StoreError};

/// Whether two rows of `t` hold the same values (key columns as stored:
/// an empty optional key part is '').
fn same_values(t: &TableSchema, a: &[Value], b: &[Value]) -> bool {
    (0..t.columns.len()).all(|p| {
        if t.key.contains(&t.columns[p].name) {
            key_value(t, p, &a[p]) == key_value(t, p, &b[p])
        } else {
            a[p] == b[p]
        }
    })
}

/// Adds the refusal of a check as a problem of the package's row (`file`,
/// `line`): `Ok(false)` when refused, `Ok(true)` when it passed. Errors that
/// are not refusals are returned as they are.
fn refusal(
    result: Result<(), StoreError>,
    problems: &mut Problems,
    file: &str,
    line: Option<usize>,
) -> Result<bool, StoreError> {
    match result {
        Ok(()) => Ok(true),
        Err(StoreError::Forbidden(m) | StoreError::Conflict(m) | StoreError::Invalid(m)) => {
            problems.at(file, line, None, m);
            Ok(false)
        }
        Err(StoreError::Rejected(Rejected(p))) => {
            for q in p.list() {
                problems.at(file, line, q.column.as_deref(), q.message.clone());
            }
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

impl Store {
    /// Imports a checked package on behalf of a cluster manager, in one
    /// transaction: each row is matched to the register by its key and
    /// written as the row API writes it on the manager's behalf — created
    /// (when new) or updated (when a value differs; the columns the package
    /// lacks keep theirs), with the same rights checked before and after the
    /// write (`access::may_write_table`, `access::write_condition`),
    /// the same references (a row the manager may not read is refused as
    /// one that does not exist), the same checks (frozen observations, one
    /// membership at a time, one chair, the indicators' checks), the same
    /// records of the clusters of organizations and ties
    /// (`recorded::after_write`) and an audit entry under the
    /// manager for each row, and one for the package.
    ///
    /// Tables the manager may not write (indicators, regions, programmes,
    /// …) and the regions' boundaries are refused. Any refusal refuses the
    /// whole package (`StoreError::Rejected`, each problem naming the file,
    /// the row and the reason) and nothing changes; a dry run reports what
    /// would change, or the same refusal, and changes nothing. Jumps of
    /// observations are warnings, as in an admin's import
    /// (`observations::check_imported`).
    pub async fn import_scoped(
        &self,
        who: &Principal,
        package: &Package,
        options: &ImportOptions,
    ) -> Result<ImportReport, StoreError> {
        if who.role != Role::Manager {
            return Err(StoreError::Forbidden(
                "a scoped import is made on behalf of a cluster manager".into(),
            ));
        }
        let mut report = ImportReport {
            dry_run: options.dry_run,
            tables: Vec::new(),
            warnings: Vec::new(),
        };
        let mut problems = Problems::default();
        if let Some(b) = &package.boundaries {
            problems.at(
                &b.origin,
                None,
                None,
                "the regions' boundaries are imported by admins only; a cluster manager's \
                 package holds only rows of its clusters",
            );
        }
        // The ids each table of the package brings (references to them are
        // to rows of the package, checked as they are written).
        let brought: HashMap<&str, HashSet<String>> = package
            .tables
            .iter()
            .filter(|t| t.schema.has_id())
            .map(|t| {
                (
                    t.schema.name,
                    t.rows.iter().map(|r| r[0].to_text()).collect(),
                )
            })
            .collect();
        let mut tx = self.begin_write().await?;
        for table in &package.tables {
            let t: &'static TableSchema = table.schema;
            let mut tr = TableReport {
                table: t.name,
                added: 0,
                changed: 0,
                unchanged: 0,
            };
            if !access::MANAGER_TABLES.contains(&t.name) {
                let why = access::may_write_table(who, t.name, WriteKind::Create)
                    .err()
                    .unwrap_or_default();
                problems.at(
                    &table.origin,
                    None,
                    None,
                    format!(
                        "{why} (a cluster manager's package holds rows of: {})",
                        access::MANAGER_TABLES.join(", ")
                    ),
                );
                report.tables.push(tr);
                continue;
            }
            if t.name == "observations" {
                let existing = sql::select_all(&mut tx, t).await?;
                let indicators = match weaver_core::schema::table("indicators") {
                    Some(it) => sql::select_all(&mut tx, it).await?,
                    None => Vec::new(),
                };
                let (refused, warnings) =
                    crate::observations::check_imported(table, None, &indicators, &existing);
                for p in refused.list() {
                    problems.push(p.clone());
                }
                report.warnings.extend(warnings);
            }
            for (j, row) in table.rows.iter().enumerate() {
                let line = table.lines.get(j).copied();
                let old = find_by_natural_key(&mut tx, t, row).await?;
                let values: Vec<Value> = match &old {
                    Some(o) => (row.iter().zip(&o.values).zip(&table.present))
                        .map(|((new, old), &present)| if present { new } else { old }.clone())
                        .collect(),
                    None => row.clone(),
                };
                if old
                    .as_ref()
                    .is_some_and(|o| same_values(t, &values, &o.values))
                {
                    tr.unchanged += 1;
                    continue;
                }
                let kind = if old.is_some() {
                    WriteKind::Update
                } else {
                    WriteKind::Create
                };
                let origin = table.origin.as_str();
                let may = access::may_write_table(who, t.name, kind).map_err(StoreError::Forbidden);
                if !refusal(may, &mut problems, origin, line)? {
                    continue;
                }
                if let Some(o) = &old {
                    let before = check_write(&mut tx, t, who, kind, o, false).await;
                    if !refusal(before, &mut problems, origin, line)? {
                        continue;
                    }
                    let frozen = check_frozen(&mut tx, t, &o.values).await;
                    if !refusal(frozen, &mut problems, origin, line)? {
                        continue;
                    }
                }
                if !self
                    .readable_references(
                        &mut tx,
                        who,
                        table,
                        j,
                        &values,
                        old.as_ref(),
                        &brought,
                        &mut problems,
                    )
                    .await?
                {
                    continue;
                }
                let frozen = check_frozen(&mut tx, t, &values).await;
                if !refusal(frozen, &mut problems, origin, line)? {
                    continue;
                }
                let record = match &old {
                    Some(o) => {
                        let key = o.key();
                        update_in(&mut tx, t, &key, &values).await?;
                        get_admin(&mut tx, t, &key).await?
                    }
                    None => {
                        let mut q = sqlx::query(assert_safe(sql::insert_sql(t, 1, self.backend)));
                        for (pos, v) in values.iter().enumerate() {
                            q = sql::bind(q, t, pos, v);
                        }
                        q.execute(&mut *tx).await?;
                        find_by_natural_key(&mut tx, t, &values)
                            .await?
                            .ok_or_else(|| {
                                StoreError::Corrupt(format!("a new row of {} vanished", t.name))
                            })?
                    }
                };
                let after = check_write(&mut tx, t, who, kind, &record, true).await;
                if !refusal(after, &mut problems, origin, line)? {
                    continue;
                }
                let valid = match t.name {
                    "memberships" => {
                        crate::validity::refuse_overlaps_any(&mut tx, record.row_id).await
                    }
                    "governance" => {
                        crate::validity::refuse_two_chairs_any(&mut tx, record.row_id).await
                    }
                    _ => Ok(()),
                };
                if !refusal(valid, &mut problems, origin, line)? {
                    continue;
                }
                crate::recorded::after_write(&mut tx, t, who, &record, old.is_none()).await?;
                match &old {
                    Some(o) => {
                        audit(&mut tx, who, "update", t, &o.key(), Some(o), Some(&record)).await?;
                        tr.changed += 1;
                    }
                    None => {
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
                        tr.added += 1;
                    }
                }
            }
            report.tables.push(tr);
        }
        if !problems.is_empty() {
            // Nothing of a refused package stays. The problems are named in
            // the package's order: file by file, row by row.
            let _ = tx.rollback().await;
            let file = |f: &str| {
                let boundaries = package.boundaries.iter().map(|b| b.origin.as_str());
                (package.tables.iter().map(|t| t.origin.as_str()))
                    .chain(boundaries)
                    .position(|o| o == f)
            };
            let mut list = problems.list().to_vec();
            list.sort_by_key(|p| (file(&p.file), p.row));
            let mut sorted = Problems::default();
            for p in list {
                sorted.push(p);
            }
            return Err(StoreError::Rejected(Rejected(sorted)));
        }
        if options.dry_run {
            tx.rollback().await?;
            return Ok(report);
        }
        let after = serde_json::to_string(&report.tables)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        sqlx::query(
            "INSERT INTO audit_log (at, user_id, actor, action, table_name, row_key, before, after) \
             VALUES ($1, $2, $3, 'import', 'package', $4, NULL, $5)",
        )
        .bind(crate::accounts::now_text())
        .bind(who.user_id)
        .bind(&who.email)
        .bind(&package.name)
        .bind(after)
        .execute(&mut *tx)
        .await?;
        self.commit_change(tx).await?;
        Ok(report)
    }

    /// Whether every reference of row `j` of `table` (its `values`) names a
    /// row the package brings, a row `who` may read, or the row it already
    /// names (`old`), as the row API asks; each one that does not is a
    /// problem worded as the package check words a missing row, so that an
    /// import cannot tell a hidden row from a missing one.
    #[allow(clippy::too_many_arguments)]
    async fn readable_references(
        &self,
        conn: &mut sqlx::AnyConnection,
        who: &Principal,
        table: &weaver_core::TableData,
        j: usize,
        values: &[Value],
        old: Option<&Record>,
        brought: &HashMap<&str, HashSet<String>>,
        problems: &mut Problems,
    ) -> Result<bool, StoreError> {
        let t = table.schema;
        let mut ok = true;
        for (pos, targets) in weaver_core::package::references(t) {
            let id = values[pos].to_text();
            let id = id.trim();
            if id.is_empty() || old.is_some_and(|o| o.values[pos] == values[pos]) {
                continue;
            }
            let mut known = false;
            for &target in targets {
                if brought.get(target).is_some_and(|s| s.contains(id)) {
                    known = true;
                    break;
                }
                let mut sql = SqlParts::default();
                let read = access::read_condition(&mut sql, target, Some(who));
                let ph = sql.arg(id);
                let text = format!("SELECT t.id FROM {target} t WHERE t.id = {ph} AND {read}");
                let hit = crate::records::bind_all(sqlx::query(assert_safe(text)), &sql.args)
                    .fetch_optional(&mut *conn)
                    .await?;
                if hit.is_some() {
                    known = true;
                    break;
                }
            }
            if !known {
                ok = false;
                problems.at(
                    &table.origin,
                    table.lines.get(j).copied(),
                    Some(t.columns[pos].name),
                    format!(
                        "'{id}' is not the id of any row of {} in this package or in the register",
                        targets.join(" or ")
                    ),
                );
            }
        }
        Ok(ok)
    }
}
