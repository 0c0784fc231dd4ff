//! The platform's accounts: users and what they are assigned to, sessions, API
//! tokens, one-time links (invitations, password resets) and the record of
//! failed logins that throttling reads.
//!
//! Secrets never reach the store in the clear: callers pass the SHA-256 hash
//! of a token and the argon2id hash of a password.

use std::time::{Duration, SystemTime};

use sqlx::Row;
use sqlx::any::AnyRow;
use weaver_core::enums::Role;

use crate::access::Principal;
use crate::sql::assert_safe;
use crate::{Store, StoreError};

/// The current time as UTC RFC 3339 text, as every timestamp is stored.
pub fn now_text() -> String {
    time_text(SystemTime::now())
}

/// Today's date in UTC as `YYYY-MM-DD`, the date rows are current at.
pub fn today() -> String {
    let now = now_text();
    now.get(..10).unwrap_or(&now).to_owned()
}

/// A time as UTC RFC 3339 text with seconds (`2026-11-28T20:15:00Z`).
pub fn time_text(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

/// An account of the platform.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct User {
    /// The account's number.
    pub id: i64,
    /// The login, unique, stored in lower case.
    pub email: String,
    /// The person's name, if given.
    pub name: Option<String>,
    /// What the account may do.
    #[schema(schema_with = crate::schemas::role)]
    pub role: Role,
    /// Whether the account may no longer sign in.
    pub disabled: bool,
    /// When the account was created.
    pub created_at: String,
    /// Whether a password has been set (an invited user has none yet).
    pub has_password: bool,
    /// The language of the messages the account is sent: `zh` or `en`.
    #[schema(schema_with = crate::schemas::language)]
    pub language: String,
    /// Whether the account takes its campaign messages as one daily digest
    /// mail instead of one mail each.
    pub digest: bool,
}

/// What a user can be assigned to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScopeKind {
    /// A cluster (for managers).
    Cluster,
    /// A funding programme (for officers).
    Programme,
    /// An organization (for members).
    Organization,
}

impl ScopeKind {
    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            ScopeKind::Cluster => "cluster",
            ScopeKind::Programme => "programme",
            ScopeKind::Organization => "organization",
        }
    }

    /// The register table whose ids this kind refers to.
    pub fn table(self) -> &'static str {
        match self {
            ScopeKind::Cluster => "clusters",
            ScopeKind::Programme => "programmes",
            ScopeKind::Organization => "organizations",
        }
    }

    /// The kind of assignment a role takes, if any (admins take none).
    pub fn for_role(role: Role) -> Option<ScopeKind> {
        match role {
            Role::Admin => None,
            Role::Officer => Some(ScopeKind::Programme),
            Role::Manager => Some(ScopeKind::Cluster),
            Role::Member => Some(ScopeKind::Organization),
        }
    }

    pub(crate) fn parse(s: &str) -> Option<ScopeKind> {
        [
            ScopeKind::Cluster,
            ScopeKind::Programme,
            ScopeKind::Organization,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// What a one-time link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// An invitation: the new user sets a first password.
    Invite,
    /// A password reset.
    Reset,
}

impl LinkPurpose {
    fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::Invite => "invite",
            LinkPurpose::Reset => "reset",
        }
    }
}

const USER_COLUMNS: &str =
    "id, email, name, role, disabled, created_at, password_hash, language, digest";

fn user_from_row(row: &sqlx::any::AnyRow) -> Result<(User, Option<String>), StoreError> {
    let role: String = row.try_get(3)?;
    let hash: Option<String> = row.try_get(6)?;
    let user = User {
        id: row.try_get(0)?,
        email: row.try_get(1)?,
        name: row.try_get(2)?,
        role: role
            .parse()
            .map_err(|e| StoreError::Corrupt(format!("users.role: {e}")))?,
        disabled: row.try_get::<i64, _>(4)? != 0,
        created_at: row.try_get(5)?,
        has_password: hash.is_some(),
        language: row.try_get(7)?,
        digest: row.try_get::<i64, _>(8)? != 0,
    };
    Ok((user, hash))
}

/// Normalises an e-mail address for storage and look-up.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// `NotFound` when a write by id touched no row.
fn affected(rows: u64, table: &'static str, id: i64) -> Result<(), StoreError> {
    if rows == 0 {
        return Err(StoreError::NotFound {
            table,
            id: id.to_string(),
        });
    }
    Ok(())
}

/// The limits on failed logins within a window, by account and client
/// address (see [`Store::take_login_attempt`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLimits {
    /// The window the failures are counted over.
    pub window: Duration,
    /// Failures of one account from one address.
    pub per_account_address: i64,
    /// Failures from one address, over every account (one client trying many).
    pub per_address: i64,
    /// Failures of one account from every address (an attack from many).
    pub per_account: i64,
}

/// Which limit refused a login attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginRefused {
    /// Too many failures of this account from this address.
    AccountFromAddress,
    /// Too many failures from this address.
    Address,
    /// Too many failures of this account, from every address.
    Account,
}

impl Store {
    /// Creates an account. The e-mail must look like one and be new.
    pub async fn create_user(
        &self,
        email: &str,
        name: Option<&str>,
        role: Role,
        password_hash: Option<&str>,
    ) -> Result<User, StoreError> {
        let email = normalize_email(email);
        let valid = email.len() <= 254
            && email
                .split_once('@')
                .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.'))
            && !email.contains(char::is_whitespace);
        if !valid {
            return Err(StoreError::Invalid(format!(
                "'{email}' is not an e-mail address"
            )));
        }
        if self.user_by_email(&email).await?.is_some() {
            return Err(StoreError::Conflict(format!(
                "there is already an account for {email}"
            )));
        }
        sqlx::query(
            "INSERT INTO users (email, name, role, password_hash, created_at, disabled) \
             VALUES ($1, $2, $3, $4, $5, 0)",
        )
        .bind(&email)
        .bind(name)
        .bind(role.as_str())
        .bind(password_hash)
        .bind(now_text())
        .execute(&self.pool)
        .await?;
        let (user, _) = self
            .user_by_email(&email)
            .await?
            .ok_or_else(|| StoreError::Corrupt("a new user vanished".into()))?;
        Ok(user)
    }

    /// The account with this e-mail, and its password hash.
    pub async fn user_by_email(
        &self,
        email: &str,
    ) -> Result<Option<(User, Option<String>)>, StoreError> {
        let row = sqlx::query(sql_text(format!(
            "SELECT {USER_COLUMNS} FROM users WHERE email = $1"
        )))
        .bind(normalize_email(email))
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// The account with this number.
    pub async fn user(&self, id: i64) -> Result<User, StoreError> {
        let row = sqlx::query(sql_text(format!(
            "SELECT {USER_COLUMNS} FROM users WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => Ok(user_from_row(&r)?.0),
            None => Err(StoreError::NotFound {
                table: "users",
                id: id.to_string(),
            }),
        }
    }

    /// Every account, by number.
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query(sql_text(format!(
            "SELECT {USER_COLUMNS} FROM users ORDER BY id"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(user_from_row(r)?.0)).collect()
    }

    /// Sets (or replaces) a user's password hash and ends their sessions.
    pub async fn set_password(&self, user_id: i64, hash: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        affected(n, "users", user_id)?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.pages.changed();
        Ok(())
    }

    /// Sets a user's password through a password-reset link: the hash is
    /// replaced, every session and API token of the account ends, and the
    /// audit log records it (`password_reset` of `users`, by the account
    /// itself), in one transaction.
    pub async fn reset_password(&self, user_id: i64, hash: &str) -> Result<(), StoreError> {
        let user = self.user(user_id).await?;
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        affected(n, "users", user_id)?;
        for table in ["sessions", "api_tokens"] {
            sqlx::query(sql_text(format!("DELETE FROM {table} WHERE user_id = $1")))
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        account_audit(&mut tx, user_id, &user.email, "password_reset", user_id).await?;
        tx.commit().await?;
        self.pages.changed();
        Ok(())
    }

    /// Records an act on an account in the audit log (`table` `users`, the
    /// account's number as the key, no images): who (`actor_id`,
    /// `actor_email`) did `action` to account `user_id`.
    pub async fn audit_account(
        &self,
        actor_id: i64,
        actor_email: &str,
        action: &str,
        user_id: i64,
    ) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await?;
        account_audit(&mut conn, actor_id, actor_email, action, user_id).await
    }

    /// Refuses, inside the transaction of a change that makes `user_id` no
    /// longer an enabled admin (`what`: disable, erase, change the role of),
    /// when it is the last one: nobody would be left to manage the platform.
    /// On PostgreSQL the enabled admins' rows are locked until the change
    /// commits, so two admins disabling each other at once cannot both pass
    /// (SQLite's write transactions run one at a time already).
    async fn keep_an_admin(
        &self,
        tx: &mut sqlx::AnyConnection,
        user_id: i64,
        what: &str,
    ) -> Result<(), StoreError> {
        let lock = match self.backend {
            crate::Backend::Postgres => " FOR UPDATE",
            crate::Backend::Sqlite => "",
        };
        let admins: Vec<(i64, String)> = sqlx::query_as(sql_text(format!(
            "SELECT id, email FROM users WHERE role = 'admin' AND disabled = 0 ORDER BY id{lock}"
        )))
        .fetch_all(&mut *tx)
        .await?;
        if let [(id, email)] = admins.as_slice()
            && *id == user_id
        {
            return Err(StoreError::Conflict(format!(
                "cannot {what} {email}: it is the last enabled admin; make another admin first"
            )));
        }
        Ok(())
    }

    /// Changes a user's role; their assignments of another kind are removed.
    /// Refused for the last enabled admin.
    pub async fn set_role(&self, user_id: i64, role: Role) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        if role != Role::Admin {
            self.keep_an_admin(&mut tx, user_id, "demote").await?;
        }
        let n = sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
            .bind(role.as_str())
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        affected(n, "users", user_id)?;
        let keep = ScopeKind::for_role(role).map_or("", ScopeKind::as_str);
        sqlx::query("DELETE FROM user_scopes WHERE user_id = $1 AND kind <> $2")
            .bind(user_id)
            .bind(keep)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.pages.changed();
        Ok(())
    }

    /// Disables or re-enables an account; disabling ends its sessions and
    /// tokens, and is refused for the last enabled admin.
    pub async fn set_disabled(&self, user_id: i64, disabled: bool) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        if disabled {
            self.keep_an_admin(&mut tx, user_id, "disable").await?;
        }
        let n = sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        affected(n, "users", user_id)?;
        if disabled {
            for table in ["sessions", "api_tokens"] {
                sqlx::query(sql_text(format!("DELETE FROM {table} WHERE user_id = $1")))
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        self.pages.changed();
        Ok(())
    }

    /// Assigns a user to a cluster, programme or organization, which must exist
    /// and suit the user's role.
    pub async fn assign(
        &self,
        user_id: i64,
        kind: ScopeKind,
        reference: &str,
    ) -> Result<(), StoreError> {
        let user = self.user(user_id).await?;
        self.check_assignment(user.role, kind, reference).await?;
        let done: Option<i64> = sqlx::query_scalar(
            "SELECT user_id FROM user_scopes WHERE user_id = $1 AND kind = $2 AND ref = $3",
        )
        .bind(user_id)
        .bind(kind.as_str())
        .bind(reference)
        .fetch_optional(&self.pool)
        .await?;
        if done.is_none() {
            sqlx::query("INSERT INTO user_scopes (user_id, kind, ref) VALUES ($1, $2, $3)")
                .bind(user_id)
                .bind(kind.as_str())
                .bind(reference)
                .execute(&self.pool)
                .await?;
        }
        self.pages.changed();
        Ok(())
    }

    /// Checks that an account of `role` may be assigned to the cluster,
    /// programme or organization `reference` (it exists, and suits the role).
    pub async fn check_assignment(
        &self,
        role: Role,
        kind: ScopeKind,
        reference: &str,
    ) -> Result<(), StoreError> {
        if ScopeKind::for_role(role) != Some(kind) {
            return Err(StoreError::Invalid(format!(
                "a user with role {} cannot be assigned to a {}{}",
                role,
                kind.as_str(),
                match ScopeKind::for_role(role) {
                    Some(k) => format!(" (a {} is assigned to a {})", role, k.as_str()),
                    None => " (an admin sees everything already)".to_owned(),
                }
            )));
        }
        let exists: Option<String> = sqlx::query_scalar(sql_text(format!(
            "SELECT id FROM {} WHERE id = $1",
            kind.table()
        )))
        .bind(reference)
        .fetch_optional(&self.pool)
        .await?;
        if exists.is_none() {
            return Err(StoreError::NotFound {
                table: kind.table(),
                id: reference.to_owned(),
            });
        }
        Ok(())
    }

    /// Removes an assignment (nothing happens when there was none).
    pub async fn unassign(
        &self,
        user_id: i64,
        kind: ScopeKind,
        reference: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM user_scopes WHERE user_id = $1 AND kind = $2 AND ref = $3")
            .bind(user_id)
            .bind(kind.as_str())
            .bind(reference)
            .execute(&self.pool)
            .await?;
        self.pages.changed();
        Ok(())
    }

    /// A user's assignments, sorted.
    pub async fn scopes(&self, user_id: i64) -> Result<Vec<(ScopeKind, String)>, StoreError> {
        Ok(self
            .read_scopes(Some(user_id))
            .await?
            .into_iter()
            .map(|(_, k, r)| (k, r))
            .collect())
    }

    /// Every account's assignments as (account, kind, id), by account,
    /// kind and id: one statement for the accounts' list.
    pub async fn all_scopes(&self) -> Result<Vec<(i64, ScopeKind, String)>, StoreError> {
        self.read_scopes(None).await
    }

    /// The assignments of one account, or of every account.
    async fn read_scopes(
        &self,
        user_id: Option<i64>,
    ) -> Result<Vec<(i64, ScopeKind, String)>, StoreError> {
        let rows = match user_id {
            Some(id) => {
                sqlx::query(
                    "SELECT user_id, kind, ref FROM user_scopes WHERE user_id = $1 \
                     ORDER BY kind, ref",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(
                    "SELECT user_id, kind, ref FROM user_scopes ORDER BY user_id, kind, ref",
                )
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get(1)?;
                let kind = ScopeKind::parse(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("user_scopes.kind '{kind}'")))?;
                Ok((r.try_get(0)?, kind, r.try_get(2)?))
            })
            .collect()
    }

    /// Starts a session that lasts `ttl`.
    pub async fn create_session(
        &self,
        user_id: i64,
        token_hash: &str,
        csrf: &str,
        ttl: Duration,
    ) -> Result<(), StoreError> {
        let now = SystemTime::now();
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf)
        .bind(time_text(now))
        .bind(time_text(now + ttl))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Ends a session (and removes expired ones).
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1 OR expires_at <= $2")
            .bind(token_hash)
            .bind(now_text())
            .execute(&self.pool)
            .await?;
        self.pages.changed();
        Ok(())
    }

    /// Records an API token for a user; returns its number.
    pub async fn create_api_token(
        &self,
        user_id: i64,
        name: &str,
        token_hash: &str,
    ) -> Result<i64, StoreError> {
        sqlx::query(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(user_id)
        .bind(name)
        .bind(token_hash)
        .bind(now_text())
        .execute(&self.pool)
        .await?;
        let id: i64 = sqlx::query_scalar("SELECT id FROM api_tokens WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_one(&self.pool)
            .await?;
        Ok(id)
    }

    /// A user's API tokens: number, name, created, last used.
    pub async fn api_tokens(
        &self,
        user_id: i64,
    ) -> Result<Vec<(i64, String, String, Option<String>)>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, created_at, last_used FROM api_tokens WHERE user_id = $1 ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
            .collect()
    }

    /// Revokes one of a user's API tokens.
    pub async fn delete_api_token(&self, user_id: i64, token_id: i64) -> Result<(), StoreError> {
        let n = sqlx::query("DELETE FROM api_tokens WHERE id = $1 AND user_id = $2")
            .bind(token_id)
            .bind(user_id)
            .execute(&self.pool)
            .await?
            .rows_affected();
        // The token ends now: a principal read before is not kept after.
        self.pages.changed();
        affected(n, "api_tokens", token_id)?;
        Ok(())
    }

    /// Records a failed login for throttling (from an unknown address).
    pub async fn record_login_failure(&self, email: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO login_failures (email, at) VALUES ($1, $2)")
            .bind(normalize_email(email))
            .bind(now_text())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Failed logins for this e-mail within the last `window`.
    pub async fn recent_login_failures(
        &self,
        email: &str,
        window: Duration,
    ) -> Result<i64, StoreError> {
        let since = time_text(SystemTime::now() - window);
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE email = $1 AND at > $2")
                .bind(normalize_email(email))
                .bind(since)
                .fetch_one(&self.pool)
                .await?;
        Ok(n)
    }

    /// Takes a login attempt for `email` from `address`, counted as a
    /// failure until [`Store::login_succeeded`] forgets it, or refuses it
    /// when a limit of `limits` is reached: the count and the record are one
    /// transaction that holds the write lock (SQLite) or the table's lock
    /// (PostgreSQL), so that of any number of concurrent attempts no more
    /// than the limit are let through to the password check.
    pub async fn take_login_attempt(
        &self,
        email: &str,
        address: &str,
        limits: &LoginLimits,
    ) -> Result<Result<(), LoginRefused>, StoreError> {
        let email = normalize_email(email);
        let since = time_text(SystemTime::now() - limits.window);
        let mut tx = self.begin_write().await?;
        if self.backend == crate::Backend::Postgres {
            sqlx::query("LOCK TABLE login_failures IN SHARE ROW EXCLUSIVE MODE")
                .execute(&mut *tx)
                .await?;
        }
        let row = sqlx::query(
            "SELECT \
               COALESCE(SUM(CASE WHEN email = $1 AND address = $2 THEN 1 ELSE 0 END), 0), \
               COALESCE(SUM(CASE WHEN address = $2 THEN 1 ELSE 0 END), 0), \
               COALESCE(SUM(CASE WHEN email = $1 THEN 1 ELSE 0 END), 0) \
             FROM login_failures WHERE (email = $1 OR address = $2) AND at > $3",
        )
        .bind(&email)
        .bind(address)
        .bind(&since)
        .fetch_one(&mut *tx)
        .await?;
        let (pair, from_address, account): (i64, i64, i64) =
            (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        let refused = if pair >= limits.per_account_address {
            Some(LoginRefused::AccountFromAddress)
        } else if from_address >= limits.per_address {
            Some(LoginRefused::Address)
        } else if account >= limits.per_account {
            Some(LoginRefused::Account)
        } else {
            None
        };
        if let Some(refused) = refused {
            tx.rollback().await?;
            return Ok(Err(refused));
        }
        sqlx::query("INSERT INTO login_failures (email, address, at) VALUES ($1, $2, $3)")
            .bind(&email)
            .bind(address)
            .bind(now_text())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Forgets the failed logins of `email` from `address`, the attempt
    /// that just succeeded included (those from other addresses stay until
    /// their window ends).
    pub async fn login_succeeded(&self, email: &str, address: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_failures WHERE email = $1 AND address = $2")
            .bind(normalize_email(email))
            .bind(address)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Forgets the failed logins of this e-mail (after a successful one).
    pub async fn clear_login_failures(&self, email: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_failures WHERE email = $1")
            .bind(normalize_email(email))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records a one-time link for a user, valid for `ttl`.
    pub async fn create_link(
        &self,
        user_id: i64,
        purpose: LinkPurpose,
        token_hash: &str,
        ttl: Duration,
    ) -> Result<(), StoreError> {
        let now = SystemTime::now();
        sqlx::query(
            "INSERT INTO one_time_links (token_hash, user_id, purpose, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(purpose.as_str())
        .bind(time_text(now))
        .bind(time_text(now + ttl))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Uses a one-time link: returns its user when the link is live, unused
    /// and for this purpose, and marks it used (a link works once).
    pub async fn use_link(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
    ) -> Result<Option<i64>, StoreError> {
        let now = now_text();
        let mut tx = self.begin_write().await?;
        let user: Option<i64> = sqlx::query_scalar(
            "SELECT user_id FROM one_time_links WHERE token_hash = $1 AND purpose = $2 \
             AND used_at IS NULL AND expires_at > $3",
        )
        .bind(token_hash)
        .bind(purpose.as_str())
        .bind(&now)
        .fetch_optional(&mut *tx)
        .await?;
        if user.is_some() {
            let n = sqlx::query(
                "UPDATE one_time_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL",
            )
            .bind(&now)
            .bind(token_hash)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n != 1 {
                return Ok(None);
            }
        }
        tx.commit().await?;
        Ok(user)
    }

    /// Erases an account on request (PIPL, GDPR): the account, its sessions,
    /// tokens, links and assignments are deleted, and what the register keeps
    /// of its acts no longer names the person: the audit log's actor and the
    /// campaigns it opened say "erased user #N", the jobs it asked for no
    /// longer point to it. The last enabled admin cannot be erased (409).
    pub async fn erase_user(&self, user_id: i64) -> Result<(), StoreError> {
        let user = self.user(user_id).await?;
        let mut tx = self.begin_write().await?;
        self.keep_an_admin(&mut tx, user_id, "erase").await?;
        let erased = format!("erased user #{user_id}");
        sqlx::query(
            "UPDATE audit_log SET actor = $1, user_id = NULL WHERE user_id = $2 OR actor = $3",
        )
        .bind(&erased)
        .bind(user_id)
        .bind(&user.email)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE campaigns SET created_by = $1 WHERE created_by = $2")
            .bind(&erased)
            .bind(&user.email)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE jobs SET requested_by = NULL WHERE requested_by = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        // The messages to the account (its address, its links) and its
        // notifications go with it.
        sqlx::query("DELETE FROM outbox WHERE user_id = $1 OR recipient = $2")
            .bind(user_id)
            .bind(&user.email)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM reset_requests WHERE email = $1")
            .bind(&user.email)
            .execute(&mut *tx)
            .await?;
        for table in [
            "sessions",
            "api_tokens",
            "one_time_links",
            "user_scopes",
            "notifications",
        ] {
            sqlx::query(sql_text(format!("DELETE FROM {table} WHERE user_id = $1")))
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM login_failures WHERE email = $1")
            .bind(&user.email)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.pages.changed();
        Ok(())
    }
}

/// Writes an audit entry of an act on an account (see
/// [`Store::audit_account`]).
async fn account_audit(
    conn: &mut sqlx::AnyConnection,
    actor_id: i64,
    actor_email: &str,
    action: &str,
    user_id: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, actor, action, table_name, row_key) \
         VALUES ($1, $2, $3, $4, 'users', $5)",
    )
    .bind(now_text())
    .bind(actor_id)
    .bind(actor_email)
    .bind(action)
    .bind(user_id.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn sql_text(s: String) -> sqlx::AssertSqlSafe<String> {
    crate::sql::assert_safe(s)
}

/// An account (`u`) and its scopes, for the principal of every signed-in
/// request in one statement: `SELECT x, {ACCOUNT_COLUMNS} FROM … users u
/// {SCOPES_JOIN} WHERE …`, a row per scope (or one with none), `x` first.
const ACCOUNT_COLUMNS: &str = "u.id, u.email, u.role, u.disabled, s.kind, s.ref";
const SCOPES_JOIN: &str = "LEFT JOIN user_scopes s ON s.user_id = u.id";

impl Store {
    /// The principal of an account: its role and the sets its rights come
    /// from. A disabled or unknown account is `NotFound`.
    pub async fn principal(&self, user_id: i64) -> Result<Principal, StoreError> {
        let rows = sqlx::query(assert_safe(format!(
            "SELECT 0, {ACCOUNT_COLUMNS} FROM users u {SCOPES_JOIN} \
             WHERE u.id = $1 ORDER BY s.kind, s.ref"
        )))
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        self.principal_of(&rows)
            .await?
            .ok_or_else(|| StoreError::NotFound {
                table: "users",
                id: user_id.to_string(),
            })
    }

    /// The principal of the API token whose hash is `token_hash`, or `None`
    /// when no such token is known or its account is disabled. Its use is
    /// recorded, at most once a minute (each write takes SQLite's one write
    /// lock).
    pub async fn token_principal(&self, token_hash: &str) -> Result<Option<Principal>, StoreError> {
        let credential = format!("token\0{token_hash}");
        if let Some((principal, _)) = self.pages.principal(&credential) {
            return Ok(Some(principal));
        }
        let (generation, at) = (self.pages.generation(), std::time::Instant::now());
        let rows = sqlx::query(assert_safe(format!(
            "SELECT t.last_used, {ACCOUNT_COLUMNS} FROM api_tokens t \
             JOIN users u ON u.id = t.user_id {SCOPES_JOIN} \
             WHERE t.token_hash = $1 ORDER BY s.kind, s.ref"
        )))
        .bind(token_hash)
        .fetch_all(&self.pool)
        .await?;
        let Some(principal) = self.principal_of(&rows).await? else {
            return Ok(None);
        };
        let last_used: Option<String> = rows[0].try_get(0)?;
        let stale = crate::accounts::time_text(
            std::time::SystemTime::now() - std::time::Duration::from_secs(60),
        );
        if last_used.is_none_or(|t| t < stale) {
            // The stamp is a convenience: a read is not refused because
            // another writer (an import) holds the lock past the busy timeout.
            if let Err(e) =
                sqlx::query("UPDATE api_tokens SET last_used = $1 WHERE token_hash = $2")
                    .bind(now_text())
                    .bind(token_hash)
                    .execute(&self.pool)
                    .await
            {
                match StoreError::from(e) {
                    StoreError::Busy => tracing::debug!("token's last use not stamped: busy"),
                    other => return Err(other),
                }
            }
        }
        self.pages
            .keep_principal(&credential, generation, at, principal.clone(), None);
        Ok(Some(principal))
    }

    /// The principal of the unexpired session whose hash is `token_hash`,
    /// and the session's CSRF token; `None` when there is no such session
    /// or its account is disabled.
    pub async fn session_principal(
        &self,
        token_hash: &str,
    ) -> Result<Option<(Principal, String)>, StoreError> {
        let credential = format!("session\0{token_hash}");
        if let Some((principal, Some(csrf))) = self.pages.principal(&credential) {
            return Ok(Some((principal, csrf)));
        }
        let (generation, at) = (self.pages.generation(), std::time::Instant::now());
        let rows = sqlx::query(assert_safe(format!(
            "SELECT ss.csrf, {ACCOUNT_COLUMNS} FROM sessions ss \
             JOIN users u ON u.id = ss.user_id {SCOPES_JOIN} \
             WHERE ss.token_hash = $1 AND ss.expires_at > $2 ORDER BY s.kind, s.ref"
        )))
        .bind(token_hash)
        .bind(now_text())
        .fetch_all(&self.pool)
        .await?;
        let Some(principal) = self.principal_of(&rows).await? else {
            return Ok(None);
        };
        let csrf: String = rows[0].try_get(0)?;
        self.pages.keep_principal(
            &credential,
            generation,
            at,
            principal.clone(),
            Some(csrf.clone()),
        );
        Ok(Some((principal, csrf)))
    }

    /// The principal of the account in `rows` (one per scope, or one with
    /// none; the account's columns follow the first, as [`ACCOUNT_COLUMNS`]
    /// gives them), or `None` when there are no rows or the account is
    /// disabled.
    async fn principal_of(&self, rows: &[AnyRow]) -> Result<Option<Principal>, StoreError> {
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        if first.try_get::<i64, _>(4)? != 0 {
            return Ok(None);
        }
        let role: String = first.try_get(3)?;
        let mut p = Principal {
            user_id: first.try_get(1)?,
            email: first.try_get(2)?,
            role: role
                .parse()
                .map_err(|e| StoreError::Corrupt(format!("users.role: {e}")))?,
            managed: Vec::new(),
            programmes: Vec::new(),
            organizations: Vec::new(),
            readable: Vec::new(),
        };
        for r in rows {
            let Some(kind) = r.try_get::<Option<String>, _>(5)? else {
                continue;
            };
            let scope: String = r.try_get(6)?;
            match crate::ScopeKind::parse(&kind) {
                Some(crate::ScopeKind::Cluster) => p.managed.push(scope),
                Some(crate::ScopeKind::Programme) => p.programmes.push(scope),
                Some(crate::ScopeKind::Organization) => p.organizations.push(scope),
                None => return Err(StoreError::Corrupt(format!("user_scopes.kind '{kind}'"))),
            }
        }
        let mut readable: Vec<String> = p.managed.clone();
        let expand = |sql_head: &str, items: &[String]| {
            if items.is_empty() {
                return None;
            }
            let ps: Vec<String> = (1..=items.len()).map(|i| format!("${i}")).collect();
            Some(format!("{sql_head} ({})", ps.join(", ")))
        };
        let queries = [
            (
                expand(
                    "SELECT cluster FROM programme_clusters WHERE programme IN",
                    &p.programmes,
                ),
                &p.programmes,
            ),
            (
                expand(
                    "SELECT DISTINCT cluster FROM memberships WHERE org IN",
                    &p.organizations,
                ),
                &p.organizations,
            ),
        ];
        for (q, items) in queries {
            let Some(q) = q else { continue };
            let mut query = sqlx::query_scalar::<_, String>(assert_safe(q));
            for i in items {
                query = query.bind(i.clone());
            }
            readable.extend(query.fetch_all(&self.pool).await?);
        }
        readable.sort();
        readable.dedup();
        p.readable = readable;
        Ok(Some(p))
    }
}
