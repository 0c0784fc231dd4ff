//! What a cluster's profile reads besides rows: the counts of its current
//! memberships (by tier and by the members' actor type, over every
//! membership whatever its visibility: counts are public, names are not)
//! and the names of the organizations a caller may read.

use std::collections::HashMap;

use sqlx::Row;

use crate::access::{self, Principal, SqlParts};
use crate::records::bind_all;
use crate::sql::assert_safe;
use crate::{Store, StoreError};

/// The counts of a cluster's memberships current at a date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberCounts {
    /// The organizations with a current membership.
    pub members: i64,
    /// The current memberships (an organization may hold more than one).
    pub memberships: i64,
    /// The organizations with a current membership by their actor type,
    /// sorted by actor type.
    pub by_actor_type: Vec<(String, i64)>,
    /// The current memberships by tier, sorted by tier.
    pub by_tier: Vec<(String, i64)>,
}

/// The condition of a membership `m` current at the date of the two
/// placeholders: `since` empty or on or before it, `until` empty or on or
/// after it (a year or month `until` covers that whole year or month).
fn current(sql: &mut SqlParts, date: &str) -> String {
    let from = sql.arg(date);
    let to = sql.arg(date);
    format!(
        "m.cluster = {{cluster}} AND (COALESCE(m.since, '') = '' OR m.since <= {from}) \
         AND (COALESCE(m.until, '') = '' OR m.until >= SUBSTR({to}, 1, LENGTH(m.until)))"
    )
}

impl Store {
    /// The counts of the memberships of `cluster` current at `date`
    /// (`YYYY-MM-DD`), over **every** membership whatever its visibility
    /// and whoever asks: the caller checks first that the asker may read
    /// the cluster. No organization is named.
    pub async fn current_member_counts(
        &self,
        cluster: &str,
        date: &str,
    ) -> Result<MemberCounts, StoreError> {
        let date = date.trim();
        if date.len() != 10 || !weaver_core::cell::is_date(date) {
            return Err(StoreError::Invalid(format!(
                "counted_as_of: '{date}' is not a valid date; expected YYYY-MM-DD"
            )));
        }
        let statement = |select: &str, group: &str| {
            let mut sql = SqlParts::default();
            let c = sql.arg(cluster);
            let cond = current(&mut sql, date).replace("{cluster}", &c);
            let text = format!(
                "SELECT {select} FROM memberships m JOIN organizations o ON o.id = m.org \
                 WHERE {cond}{group}"
            );
            (text, sql)
        };
        let mut counts = MemberCounts::default();
        let (text, sql) = statement("COUNT(DISTINCT m.org), COUNT(*)", "");
        let row = bind_all(sqlx::query(assert_safe(text)), &sql.args)
            .fetch_one(&self.pool)
            .await?;
        counts.members = row.try_get(0)?;
        counts.memberships = row.try_get(1)?;
        let (text, sql) = statement(
            "o.actor_type, COUNT(DISTINCT m.org)",
            " GROUP BY o.actor_type ORDER BY o.actor_type",
        );
        for r in bind_all(sqlx::query(assert_safe(text)), &sql.args)
            .fetch_all(&self.pool)
            .await?
        {
            counts.by_actor_type.push((r.try_get(0)?, r.try_get(1)?));
        }
        let (text, sql) = statement("m.tier, COUNT(*)", " GROUP BY m.tier ORDER BY m.tier");
        for r in bind_all(sqlx::query(assert_safe(text)), &sql.args)
            .fetch_all(&self.pool)
            .await?
        {
            counts.by_tier.push((r.try_get(0)?, r.try_get(1)?));
        }
        Ok(counts)
    }

    /// The names (`name`, `name_en`) of the organizations among `ids` that
    /// `who` (the public when `None`) may read; the others are absent.
    pub async fn readable_organization_names(
        &self,
        who: Option<&Principal>,
        ids: &[String],
    ) -> Result<HashMap<String, (String, Option<String>)>, StoreError> {
        let mut out = HashMap::new();
        // Bounded statements: a few hundred ids each.
        for chunk in ids.chunks(500) {
            let mut sql = SqlParts::default();
            let read = access::read_condition(&mut sql, "organizations", who);
            let set: Vec<String> = chunk.iter().map(|id| sql.arg(id.clone())).collect();
            let text = format!(
                "SELECT t.id, t.name, t.name_en FROM organizations t \
                 WHERE {read} AND t.id IN ({})",
                set.join(", ")
            );
            for r in bind_all(sqlx::query(assert_safe(text)), &sql.args)
                .fetch_all(&self.pool)
                .await?
            {
                let name_en: Option<String> = r.try_get(2)?;
                out.insert(
                    r.try_get(0)?,
                    (r.try_get(1)?, name_en.filter(|s| !s.is_empty())),
                );
            }
        }
        Ok(out)
    }
}
