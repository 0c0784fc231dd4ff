//! Who may see and change which rows of the register.
//!
//! Every row carries a visibility:
//!
//! | visibility | who reads it |
//! |---|---|
//! | `public` | everyone, signed in or not |
//! | `cluster` | admins; managers of the row's clusters; officers of programmes that fund them; members whose organization belongs to them (and, for rows about an organization, that organization's members) |
//! | `private` | admins; managers of the row's clusters; members of the organization the row is about |
//!
//! A row's clusters follow from its table: a cluster itself, the `cluster`
//! column of memberships, governance, projects, observations and programme
//! links, a participation's project's cluster, a funding row's recipient (a
//! cluster or a project's cluster), and the clusters a programme funds.
//! Organizations and ties carry no cluster column: their clusters are the
//! ones **recorded** for them ([`RECORD_TABLES`], migration 0004,
//! `docs/adr/0003-rows-record-their-cluster.md`), never the current
//! memberships, so that a manager adding an organization to its cluster gains
//! no right over the organization's profile or its ties. An organization is
//! recorded for the clusters of the manager who created it, and for a
//! cluster by an admin's write of a membership in it (or of the cluster's
//! `manager_org`) or by an import of such a row; a tie for the clusters of
//! the manager who created it (those of its clusters one of the tie's ends
//! belongs to), or, created by an admin or an import, for the clusters of
//! its ends' records. Indicators, regions (and their boundaries) and
//! regional statistics belong to no cluster: at `cluster` visibility every
//! signed-in user reads them; only admins write them (through the API or an
//! import). The boundaries document is filtered per reader: a feature is
//! served only to who may read its region's row.
//!
//! Writes: admins write everything. Managers write the rows of their own
//! clusters in the tables of [`MANAGER_TABLES`] (a cluster itself only by
//! update), and may add new organizations and ties. A manager changes or
//! deletes an organization recorded for its clusters only while the
//! organization has no member account and no membership of a cluster the
//! manager does not manage (its own members and admins always may). A new
//! or changed tie must have an end that belongs (by membership or record)
//! to one of the manager's clusters. Members update their own
//! organization's row. Officers and the public write nothing in the
//! register.

use weaver_core::Value;
use weaver_core::enums::Role;
use weaver_core::schema::Storage;

/// The tables a cluster manager may write, within its clusters.
pub const MANAGER_TABLES: &[&str] = &[
    "organizations",
    "clusters",
    "memberships",
    "governance",
    "projects",
    "participations",
    "funding",
    "ties",
    "observations",
];

/// The tables that hold the clusters organizations and ties were written
/// for (not part of the data package: rights, like accounts, are the
/// platform's).
pub const RECORD_TABLES: &[&str] = &["organization_clusters", "tie_clusters"];

/// A signed-in user and the sets their rights are computed from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Principal {
    /// The account's number.
    pub user_id: i64,
    /// The account's e-mail, as the audit log names it.
    pub email: String,
    /// What the account may do.
    pub role: Role,
    /// Clusters the user manages (managers).
    pub managed: Vec<String>,
    /// Programmes the user works on (officers).
    pub programmes: Vec<String>,
    /// Organizations the user belongs to (members).
    pub organizations: Vec<String>,
    /// Clusters whose `cluster`-visibility rows the user reads: managed ones,
    /// those of the user's programmes, and those the user's organizations are
    /// members of.
    pub readable: Vec<String>,
}

impl Principal {
    /// Whether the user is an admin.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// The values bound to the `$N` placeholders of a statement being built.
#[derive(Debug, Default)]
pub(crate) struct SqlParts {
    pub args: Vec<(Value, Storage)>,
}

impl SqlParts {
    /// Adds a text value and returns its placeholder.
    pub fn arg(&mut self, value: impl Into<String>) -> String {
        self.value(Value::Text(value.into().into()))
    }

    /// Adds a value and returns its placeholder.
    pub fn value(&mut self, value: Value) -> String {
        self.typed(value, Storage::Text)
    }

    /// Adds a value of a column stored as `storage` (which types a null).
    pub fn typed(&mut self, value: Value, storage: Storage) -> String {
        self.args.push((value, storage));
        format!("${}", self.args.len())
    }

    /// `(…)` list of placeholders for `items`, or `None` when empty.
    fn list(&mut self, items: &[String]) -> Option<String> {
        if items.is_empty() {
            return None;
        }
        let ps: Vec<String> = items.iter().map(|i| self.arg(i.clone())).collect();
        Some(format!("({})", ps.join(", ")))
    }
}

/// SQL that holds when row `t` of `table` belongs to a cluster `who`
/// manages (the rows a manager keeps: those of its clusters; a tie or an
/// organization recorded for one of them); `1 = 0` when it manages none or
/// the table belongs to no cluster.
pub(crate) fn of_managed_clusters(sql: &mut SqlParts, table: &str, who: &Principal) -> String {
    sql.list(&who.managed)
        .and_then(|set| in_clusters(table, &set))
        .unwrap_or_else(|| "1 = 0".to_owned())
}

/// SQL that holds when row `t` of `table` belongs to a cluster of the list
/// `set` (placeholders); `None` when the table belongs to no cluster.
fn in_clusters(table: &str, set: &str) -> Option<String> {
    Some(match table {
        "clusters" => format!("t.id IN {set}"),
        "programme_clusters" | "memberships" | "governance" | "projects" | "observations" => {
            format!("t.cluster IN {set}")
        }
        "participations" => {
            format!("t.project IN (SELECT id FROM projects WHERE cluster IN {set})")
        }
        "funding" => format!(
            "(t.recipient IN {set} OR t.recipient IN (SELECT id FROM projects WHERE cluster IN {set}))"
        ),
        "organizations" => {
            format!("t.id IN (SELECT org FROM organization_clusters WHERE cluster IN {set})")
        }
        "ties" => format!("t.row_id IN (SELECT tie FROM tie_clusters WHERE cluster IN {set})"),
        "programmes" => {
            format!("t.id IN (SELECT programme FROM programme_clusters WHERE cluster IN {set})")
        }
        _ => return None,
    })
}

/// SQL that holds when row `t` of `table` is about an organization of `set`.
fn about_organizations(table: &str, set: &str) -> Option<String> {
    Some(match table {
        "organizations" => format!("t.id IN {set}"),
        "memberships" | "governance" | "participations" => format!("t.org IN {set}"),
        "ties" => format!("(t.source IN {set} OR t.target IN {set})"),
        _ => return None,
    })
}

/// SQL that holds when row `t` of `table` is about a programme of `set`.
fn about_programmes(table: &str, set: &str) -> Option<String> {
    Some(match table {
        "programmes" => format!("t.id IN {set}"),
        "programme_clusters" | "funding" => format!("t.programme IN {set}"),
        _ => return None,
    })
}

fn any_of(parts: Vec<Option<String>>) -> String {
    let parts: Vec<String> = parts.into_iter().flatten().collect();
    if parts.is_empty() {
        "1 = 0".to_owned()
    } else {
        format!("({})", parts.join(" OR "))
    }
}

/// The condition under which `who` reads row `t` of `table`, its values
/// appended to `sql.args`.
pub(crate) fn read_condition(sql: &mut SqlParts, table: &str, who: Option<&Principal>) -> String {
    let Some(p) = who else {
        return "t.visibility = 'public'".to_owned();
    };
    if p.is_admin() {
        return "1 = 1".to_owned();
    }
    // Each set's values are bound only where the table has a condition on
    // it: a placeholder bound but not written in the statement is refused
    // by PostgreSQL and shifts the numbering of those after it.
    let mut part = |items: &[String], cond: fn(&str, &str) -> Option<String>| {
        cond(table, "()")?;
        sql.list(items).and_then(|set| cond(table, &set))
    };
    let clusterless = in_clusters(table, "()").is_none();
    let cluster_level = if clusterless {
        "1 = 1".to_owned()
    } else {
        any_of(vec![
            part(&p.readable, in_clusters),
            part(&p.organizations, about_organizations),
            part(&p.programmes, about_programmes),
        ])
    };
    let private_level = any_of(vec![
        part(&p.managed, in_clusters),
        part(&p.organizations, about_organizations),
    ]);
    format!(
        "(t.visibility = 'public' OR (t.visibility = 'cluster' AND {cluster_level}) \
         OR (t.visibility = 'private' AND {private_level}))"
    )
}

/// What kind of write is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteKind {
    /// A new row.
    Create,
    /// A change to a row.
    Update,
    /// Removing a row.
    Delete,
}

/// Whether `who` may make this kind of write to `table` at all, before the
/// row is looked at: `Err` says why not.
pub(crate) fn may_write_table(who: &Principal, table: &str, kind: WriteKind) -> Result<(), String> {
    match who.role {
        Role::Admin => Ok(()),
        Role::Manager if table == "clusters" && kind != WriteKind::Update => Err(
            "a cluster manager may update its clusters but not create or delete clusters; ask an admin"
                .to_owned(),
        ),
        Role::Manager if MANAGER_TABLES.contains(&table) => Ok(()),
        Role::Manager => Err(format!(
            "a cluster manager may not change {table}; ask an admin"
        )),
        Role::Member if table == "organizations" && kind == WriteKind::Update => Ok(()),
        Role::Member => Err(
            "a member may only update its own organization's profile".to_owned(),
        ),
        Role::Officer => Err("a programme officer reads the register but does not change it".to_owned()),
    }
}

/// The condition a row must meet for `who` to write it: checked on the row
/// before the write (`after` false) and on the row after it (`after` true);
/// `None` when there is none, as for admins and for a manager adding an
/// organization.
pub(crate) fn write_condition(
    sql: &mut SqlParts,
    table: &str,
    who: &Principal,
    kind: WriteKind,
    after: bool,
) -> Option<String> {
    match who.role {
        Role::Admin => None,
        Role::Manager if table == "organizations" && kind == WriteKind::Create => None,
        Role::Manager => {
            let Some(managed) = sql.list(&who.managed) else {
                return Some("1 = 0".to_owned());
            };
            let recorded = in_clusters(table, &managed);
            Some(match table {
                // Not while the organization speaks for itself (a member
                // account) or belongs to a cluster of someone else.
                "organizations" => format!(
                    "({} AND NOT EXISTS (SELECT 1 FROM user_scopes s \
                     WHERE s.kind = 'organization' AND s.ref = t.id) \
                     AND NOT EXISTS (SELECT 1 FROM memberships m \
                     WHERE m.org = t.id AND m.cluster NOT IN {managed}))",
                    recorded.unwrap_or_else(|| "1 = 0".to_owned())
                ),
                // A new or changed tie has an end in one of the manager's
                // clusters; a tie is changed or deleted only when recorded
                // for one of them.
                "ties" => {
                    let ends = tie_ends_in(&managed);
                    match (kind, after) {
                        (WriteKind::Create, _) => ends,
                        (_, false) => recorded.unwrap_or_else(|| "1 = 0".to_owned()),
                        (_, true) => format!(
                            "({} AND {ends})",
                            recorded.unwrap_or_else(|| "1 = 0".to_owned())
                        ),
                    }
                }
                _ => recorded.unwrap_or_else(|| "1 = 0".to_owned()),
            })
        }
        Role::Member => Some(any_of(vec![
            sql.list(&who.organizations)
                .as_deref()
                .and_then(|s| about_organizations(table, s)),
        ])),
        Role::Officer => Some("1 = 0".to_owned()),
    }
}

/// SQL that holds when an end of tie `t` belongs to a cluster of `set`: is a
/// member of it, or is recorded for it.
fn tie_ends_in(set: &str) -> String {
    let orgs = format!(
        "(SELECT org FROM memberships WHERE cluster IN {set} \
         UNION SELECT org FROM organization_clusters WHERE cluster IN {set})"
    );
    format!("(t.source IN {orgs} OR t.target IN {orgs})")
}
