//! The outbox: every message to a person (invitations, password resets,
//! campaign messages), kept in the database until it is sent, so that it
//! survives restarts and several server processes send each message once;
//! and the in-app notifications of an account.
//!
//! A message is `queued`; a sender claims a batch (`sending`, with its name
//! and a lease), then marks each `sent`, or `failed` (tried again after an
//! exponential backoff) and, after the last attempt, `given_up`. A claim is
//! atomic: on PostgreSQL the rows are picked with `FOR UPDATE SKIP LOCKED`,
//! on SQLite in one `UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING`
//! inside a write transaction (SQLite's one writer). A sender that dies
//! while sending leaves a claim whose lease runs out, and the message is
//! claimed again.

use std::time::{Duration, SystemTime};

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::accounts::{now_text, time_text};
use crate::sql::assert_safe;
use crate::{Backend, Store, StoreError};

/// The languages messages are written in.
pub const LANGUAGES: &[&str] = &["zh", "en"];

/// The statuses of a message.
pub const STATUSES: &[&str] = &["queued", "sending", "sent", "failed", "given_up"];

/// A message to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    /// The address it goes to.
    pub recipient: String,
    /// The account it is for, if any.
    pub user_id: Option<i64>,
    /// What it is (`invitation`, `password_reset`, `reminder`, …).
    pub kind: String,
    /// `zh` or `en`.
    pub language: String,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub body_text: String,
    /// The HTML body.
    pub body_html: String,
}

/// A message of the outbox, with its bodies (what a sender sends).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Its number.
    pub id: i64,
    /// What was queued.
    pub message: NewMessage,
    /// Attempts made so far.
    pub attempts: i64,
}

/// A message of the outbox as admins see it: where it goes, what it is and
/// what became of it, never its body (links in it are secrets).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct OutboxEntry {
    /// Its number.
    pub id: i64,
    /// The address it goes to.
    pub recipient: String,
    /// The account it is for, if any.
    pub user_id: Option<i64>,
    /// What it is (`invitation`, `password_reset`, `reminder`, …).
    pub kind: String,
    /// `zh` or `en`.
    pub language: String,
    /// The subject line.
    pub subject: String,
    /// `queued`, `sending`, `sent`, `failed` (to be tried again) or
    /// `given_up`.
    pub status: String,
    /// Attempts made so far.
    pub attempts: i64,
    /// What the last failed attempt was told, if any.
    pub last_error: Option<String>,
    /// When it is (next) due.
    pub next_attempt_at: String,
    /// When it was queued.
    pub created_at: String,
    /// When it was sent, if it was.
    pub sent_at: Option<String>,
}

/// How failed messages are tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts before a message is given up.
    pub max_attempts: i64,
    /// The wait after the first failure; each later one doubles it.
    pub backoff: Duration,
    /// The longest wait between two attempts.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 8,
            backoff: Duration::from_secs(60),
            max_backoff: Duration::from_secs(6 * 3600),
        }
    }
}

impl RetryPolicy {
    /// The wait before the next attempt after `attempts` failed ones
    /// (1, 2, …): `backoff · 2^(attempts − 1)`, at most `max_backoff`.
    pub fn wait(&self, attempts: i64) -> Duration {
        let doublings = attempts.clamp(1, 31) as u32 - 1;
        self.backoff
            .checked_mul(1u32 << doublings)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff)
    }
}

/// An in-app notification of an account.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Notification {
    /// Its number.
    pub id: i64,
    /// What it is about (`campaign_opened`, `reminder`, …).
    pub kind: String,
    /// Its title.
    pub subject: String,
    /// Its text.
    pub body: String,
    /// When it was made.
    pub created_at: String,
    /// When its account read it (none: unread).
    pub read_at: Option<String>,
}

/// The limits on password-reset requests within a window, by e-mail
/// address and by client (see [`Store::take_reset_request`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResetLimits {
    /// The window the requests are counted over.
    pub window: Duration,
    /// Requests for one e-mail address, from every client.
    pub per_email: i64,
    /// Requests from one client, for every address.
    pub per_address: i64,
}

const ENTRY_COLUMNS: &str = "id, recipient, user_id, kind, language, subject, status, attempts, \
     last_error, next_attempt_at, created_at, sent_at";

const MESSAGE_COLUMNS: &str =
    "id, recipient, user_id, kind, language, subject, body_text, body_html, attempts";

fn entry_from_row(r: &AnyRow) -> Result<OutboxEntry, StoreError> {
    Ok(OutboxEntry {
        id: r.try_get(0)?,
        recipient: r.try_get(1)?,
        user_id: r.try_get(2)?,
        kind: r.try_get(3)?,
        language: r.try_get(4)?,
        subject: r.try_get(5)?,
        status: r.try_get(6)?,
        attempts: r.try_get(7)?,
        last_error: r.try_get(8)?,
        next_attempt_at: r.try_get(9)?,
        created_at: r.try_get(10)?,
        sent_at: r.try_get(11)?,
    })
}

fn message_from_row(r: &AnyRow) -> Result<Message, StoreError> {
    Ok(Message {
        id: r.try_get(0)?,
        message: NewMessage {
            recipient: r.try_get(1)?,
            user_id: r.try_get(2)?,
            kind: r.try_get(3)?,
            language: r.try_get(4)?,
            subject: r.try_get(5)?,
            body_text: r.try_get(6)?,
            body_html: r.try_get(7)?,
        },
        attempts: r.try_get(8)?,
    })
}

/// Checks a language name.
pub fn check_language(language: &str) -> Result<(), StoreError> {
    if LANGUAGES.contains(&language) {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "language must be zh or en, not '{language}'"
        )))
    }
}

impl Store {
    /// Queues a message; returns its number. It is due at once.
    pub async fn enqueue(&self, m: &NewMessage) -> Result<i64, StoreError> {
        check_language(&m.language)?;
        let now = now_text();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO outbox (recipient, user_id, kind, language, subject, body_text, \
             body_html, status, attempts, next_attempt_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', 0, $8, $8) RETURNING id",
        )
        .bind(&m.recipient)
        .bind(m.user_id)
        .bind(&m.kind)
        .bind(&m.language)
        .bind(&m.subject)
        .bind(&m.body_text)
        .bind(&m.body_html)
        .bind(&now)
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// Claims up to `n` messages that are due (queued, failed and due again,
    /// or claimed by a sender whose lease ran out) for `sender`, for
    /// `lease`: no other sender claims them meanwhile.
    pub async fn claim_messages(
        &self,
        sender: &str,
        n: i64,
        lease: Duration,
    ) -> Result<Vec<Message>, StoreError> {
        let now = SystemTime::now();
        let lock = match self.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let text = format!(
            "UPDATE outbox SET status = 'sending', claimed_by = $1, claimed_until = $2 \
             WHERE id IN (SELECT id FROM outbox \
               WHERE (status IN ('queued', 'failed') AND next_attempt_at <= $3) \
                  OR (status = 'sending' AND claimed_until <= $3) \
               ORDER BY id LIMIT $4{lock}) \
             RETURNING {MESSAGE_COLUMNS}"
        );
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(assert_safe(text))
            .bind(sender)
            .bind(time_text(now + lease))
            .bind(time_text(now))
            .bind(n)
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        let mut out = rows
            .iter()
            .map(message_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        out.sort_by_key(|m| m.id);
        Ok(out)
    }

    /// Marks a message `sender` claimed as sent. False when the claim was
    /// no longer its own (its lease ran out and another sender took it).
    pub async fn mark_sent(&self, id: i64, sender: &str) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "UPDATE outbox SET status = 'sent', sent_at = $1, attempts = attempts + 1, \
             claimed_by = NULL, claimed_until = NULL \
             WHERE id = $2 AND claimed_by = $3 AND status = 'sending'",
        )
        .bind(now_text())
        .bind(id)
        .bind(sender)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Marks a message `sender` claimed as failed with `error`: it is tried
    /// again after the policy's wait, or given up after its last attempt.
    /// Gives the status it is left in (`None` when the claim was no longer
    /// the sender's).
    pub async fn mark_failed(
        &self,
        id: i64,
        sender: &str,
        error: &str,
        policy: &RetryPolicy,
    ) -> Result<Option<&'static str>, StoreError> {
        let mut tx = self.begin_write().await?;
        let attempts: Option<i64> = sqlx::query_scalar(
            "SELECT attempts FROM outbox WHERE id = $1 AND claimed_by = $2 AND status = 'sending'",
        )
        .bind(id)
        .bind(sender)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(attempts) = attempts.map(|a| a + 1) else {
            return Ok(None);
        };
        let status = if attempts >= policy.max_attempts {
            "given_up"
        } else {
            "failed"
        };
        let next = time_text(SystemTime::now() + policy.wait(attempts));
        // An error message is kept short: it is shown, not parsed.
        let error: String = error.chars().take(1000).collect();
        sqlx::query(
            "UPDATE outbox SET status = $1, attempts = $2, last_error = $3, \
             next_attempt_at = $4, claimed_by = NULL, claimed_until = NULL WHERE id = $5",
        )
        .bind(status)
        .bind(attempts)
        .bind(&error)
        .bind(&next)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(status))
    }

    /// The outbox, newest first, optionally of one status (admins: the
    /// route checks the role).
    pub async fn outbox(
        &self,
        status: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<OutboxEntry>, StoreError> {
        if let Some(s) = status
            && !STATUSES.contains(&s)
        {
            return Err(StoreError::Invalid(format!(
                "status must be one of {}, not '{s}'",
                STATUSES.join(", ")
            )));
        }
        let (filter, status) = match status {
            Some(s) => ("status = $3", s),
            None => ("$3 = $3", ""),
        };
        let rows = sqlx::query(assert_safe(format!(
            "SELECT {ENTRY_COLUMNS} FROM outbox WHERE {filter} \
             ORDER BY id DESC LIMIT $1 OFFSET $2"
        )))
        .bind(limit.clamp(0, crate::MAX_PAGE))
        .bind(offset.max(0))
        .bind(status)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(entry_from_row).collect()
    }

    /// One message of the outbox.
    pub async fn outbox_entry(&self, id: i64) -> Result<OutboxEntry, StoreError> {
        let row = sqlx::query(assert_safe(format!(
            "SELECT {ENTRY_COLUMNS} FROM outbox WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => entry_from_row(&r),
            None => Err(StoreError::NotFound {
                table: "outbox",
                id: id.to_string(),
            }),
        }
    }

    /// Queues a message again (an admin's resend): due at once, its
    /// attempts counted afresh. Refused while a sender holds it.
    pub async fn requeue(&self, id: i64) -> Result<OutboxEntry, StoreError> {
        let entry = self.outbox_entry(id).await?;
        let n = sqlx::query(
            "UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = $1, \
             claimed_by = NULL, claimed_until = NULL WHERE id = $2 AND status <> 'sending'",
        )
        .bind(now_text())
        .bind(id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::Conflict(format!(
                "message {} to {} is being sent right now; try again in a minute",
                id, entry.recipient
            )));
        }
        self.outbox_entry(id).await
    }

    /// How many messages are in each status.
    pub async fn outbox_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let rows =
            sqlx::query("SELECT status, COUNT(*) FROM outbox GROUP BY status ORDER BY status")
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }

    /// Takes a password-reset request for `email` from `address`, or refuses
    /// it (false) when a limit of `limits` is reached. Counted whether or
    /// not the address has an account, so that the answer tells nothing.
    pub async fn take_reset_request(
        &self,
        email: &str,
        address: &str,
        limits: &ResetLimits,
    ) -> Result<bool, StoreError> {
        let email = crate::normalize_email(email);
        let since = time_text(SystemTime::now() - limits.window);
        let mut tx = self.begin_write().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("LOCK TABLE reset_requests IN SHARE ROW EXCLUSIVE MODE")
                .execute(&mut *tx)
                .await?;
        }
        let row = sqlx::query(
            "SELECT \
               COALESCE(SUM(CASE WHEN email = $1 THEN 1 ELSE 0 END), 0), \
               COALESCE(SUM(CASE WHEN address = $2 THEN 1 ELSE 0 END), 0) \
             FROM reset_requests WHERE (email = $1 OR address = $2) AND at > $3",
        )
        .bind(&email)
        .bind(address)
        .bind(&since)
        .fetch_one(&mut *tx)
        .await?;
        let (for_email, from_address): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
        if for_email >= limits.per_email || from_address >= limits.per_address {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query("DELETE FROM reset_requests WHERE at <= $1")
            .bind(&since)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO reset_requests (email, address, at) VALUES ($1, $2, $3)")
            .bind(&email)
            .bind(address)
            .bind(now_text())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Adds an in-app notification for an account; returns its number.
    pub async fn notify(
        &self,
        user_id: i64,
        kind: &str,
        subject: &str,
        body: &str,
    ) -> Result<i64, StoreError> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO notifications (user_id, kind, subject, body, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user_id)
        .bind(kind)
        .bind(subject)
        .bind(body)
        .bind(now_text())
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// An account's notifications: unread first, then newest first.
    pub async fn notifications(
        &self,
        user_id: i64,
        limit: i64,
    ) -> Result<Vec<Notification>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, kind, subject, body, created_at, read_at FROM notifications \
             WHERE user_id = $1 \
             ORDER BY CASE WHEN read_at IS NULL THEN 0 ELSE 1 END, id DESC LIMIT $2",
        )
        .bind(user_id)
        .bind(limit.clamp(0, crate::MAX_PAGE))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Notification {
                    id: r.try_get(0)?,
                    kind: r.try_get(1)?,
                    subject: r.try_get(2)?,
                    body: r.try_get(3)?,
                    created_at: r.try_get(4)?,
                    read_at: r.try_get(5)?,
                })
            })
            .collect()
    }

    /// Marks one of an account's notifications read (once: a second time
    /// keeps the first time). Another account's notification is `NotFound`,
    /// as one that does not exist.
    pub async fn mark_read(&self, user_id: i64, id: i64) -> Result<(), StoreError> {
        let n = sqlx::query(
            "UPDATE notifications SET read_at = COALESCE(read_at, $1) \
             WHERE id = $2 AND user_id = $3",
        )
        .bind(now_text())
        .bind(id)
        .bind(user_id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound {
                table: "notifications",
                id: id.to_string(),
            });
        }
        Ok(())
    }

    /// The accounts of the managers of `cluster`, disabled ones included
    /// (the caller says why a disabled one is not reached), by e-mail.
    pub async fn cluster_manager_accounts(
        &self,
        cluster: &str,
    ) -> Result<Vec<crate::User>, StoreError> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT u.id FROM users u JOIN user_scopes s ON s.user_id = u.id \
             WHERE s.kind = 'cluster' AND s.ref = $1 AND u.role = 'manager' ORDER BY u.email",
        )
        .bind(cluster)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.user(id).await?);
        }
        Ok(out)
    }

    /// The error of the last message to `recipient` when that message was
    /// given up (the address may not be reachable), else `None`.
    pub async fn given_up_to(&self, recipient: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query(
            "SELECT status, last_error FROM outbox WHERE recipient = $1 \
             AND status IN ('sent', 'given_up') ORDER BY id DESC LIMIT 1",
        )
        .bind(recipient)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let status: String = row.try_get(0)?;
        let error: Option<String> = row.try_get(1)?;
        Ok((status == "given_up").then(|| error.unwrap_or_default()))
    }

    /// The open campaigns whose deadline (an ISO date) is before `today`
    /// and whose `kind` message has not been taken yet (see
    /// [`Store::take_campaign_notice`]), by id.
    pub async fn campaigns_past_deadline(
        &self,
        kind: &str,
        today: &str,
    ) -> Result<Vec<String>, StoreError> {
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT c.id FROM campaigns c WHERE c.status = 'open' AND c.deadline < $1 \
             AND NOT EXISTS (SELECT 1 FROM campaign_notices n \
                             WHERE n.campaign = c.id AND n.kind = $2) \
             ORDER BY c.id",
        )
        .bind(today)
        .bind(kind)
        .fetch_all(&self.pool)
        .await?;
        Ok(ids)
    }

    /// Takes the `kind` message of a campaign, to be sent once: true for
    /// the one caller that takes it, of any number of servers.
    pub async fn take_campaign_notice(
        &self,
        campaign: &str,
        kind: &str,
    ) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "INSERT INTO campaign_notices (campaign, kind, at) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(campaign)
        .bind(kind)
        .bind(now_text())
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Sets whether an account takes its campaign messages as one daily
    /// digest.
    pub async fn set_digest(&self, user_id: i64, digest: bool) -> Result<(), StoreError> {
        let n = sqlx::query("UPDATE users SET digest = $1 WHERE id = $2")
            .bind(i64::from(digest))
            .bind(user_id)
            .execute(&self.pool)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound {
                table: "users",
                id: user_id.to_string(),
            });
        }
        Ok(())
    }

    /// The enabled accounts that take a digest, whose last digest was taken
    /// at or before `before` (or never), with unread notifications made
    /// since it; by number.
    pub async fn digests_due(&self, before: SystemTime) -> Result<Vec<i64>, StoreError> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT u.id FROM users u WHERE u.digest = 1 AND u.disabled = 0 \
             AND (u.digest_sent_at IS NULL OR u.digest_sent_at <= $1) \
             AND EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = u.id \
                         AND n.read_at IS NULL \
                         AND n.created_at > COALESCE(u.digest_sent_at, '')) \
             ORDER BY u.id",
        )
        .bind(time_text(before))
        .fetch_all(&self.pool)
        .await?;
        Ok(ids)
    }

    /// Takes an account's digest, due as [`Store::digests_due`] says, at
    /// `now`: the unread notifications made since its last one, oldest
    /// first, for the one caller (of any number of servers) that takes it;
    /// `None` when it is not due (another took it).
    pub async fn take_digest(
        &self,
        user_id: i64,
        before: SystemTime,
        now: SystemTime,
    ) -> Result<Option<Vec<Notification>>, StoreError> {
        let mut tx = self.begin_write().await?;
        let last: Option<Option<String>> =
            sqlx::query_scalar("SELECT digest_sent_at FROM users WHERE id = $1 AND digest = 1")
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(last) = last else {
            return Ok(None);
        };
        if last.as_ref().is_some_and(|t| *t > time_text(before)) {
            return Ok(None);
        }
        let since = last.clone().unwrap_or_default();
        let n = sqlx::query(
            "UPDATE users SET digest_sent_at = $1 WHERE id = $2 \
             AND COALESCE(digest_sent_at, '') = $3",
        )
        .bind(time_text(now))
        .bind(user_id)
        .bind(&since)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n != 1 {
            return Ok(None);
        }
        let rows = sqlx::query(
            "SELECT id, kind, subject, body, created_at, read_at FROM notifications \
             WHERE user_id = $1 AND read_at IS NULL AND created_at > $2 ORDER BY id",
        )
        .bind(user_id)
        .bind(&since)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        rows.iter()
            .map(|r| {
                Ok(Notification {
                    id: r.try_get(0)?,
                    kind: r.try_get(1)?,
                    subject: r.try_get(2)?,
                    body: r.try_get(3)?,
                    created_at: r.try_get(4)?,
                    read_at: r.try_get(5)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()
            .map(Some)
    }

    /// An account's language (`zh` or `en`).
    pub async fn user_language(&self, user_id: i64) -> Result<String, StoreError> {
        let lang: Option<String> = sqlx::query_scalar("SELECT language FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?;
        lang.ok_or_else(|| StoreError::NotFound {
            table: "users",
            id: user_id.to_string(),
        })
    }

    /// Sets the language an account's messages are written in.
    pub async fn set_language(&self, user_id: i64, language: &str) -> Result<(), StoreError> {
        check_language(language)?;
        let n = sqlx::query("UPDATE users SET language = $1 WHERE id = $2")
            .bind(language)
            .bind(user_id)
            .execute(&self.pool)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound {
                table: "users",
                id: user_id.to_string(),
            });
        }
        self.pages.changed();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_from_the_backoff_up_to_its_cap() {
        let p = RetryPolicy {
            max_attempts: 8,
            backoff: Duration::from_secs(60),
            max_backoff: Duration::from_secs(600),
        };
        // 60 · 2^(n−1): 60, 120, 240, 480, then the cap of 600.
        let waits: Vec<u64> = (1..=6).map(|n| p.wait(n).as_secs()).collect();
        assert_eq!(waits, [60, 120, 240, 480, 600, 600]);
        assert_eq!(p.wait(1000).as_secs(), 600);
        assert_eq!(p.wait(0).as_secs(), 60);
    }
}
