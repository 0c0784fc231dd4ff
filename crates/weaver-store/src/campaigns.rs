//! Monitoring campaigns: the periodic, process-oriented evaluation. An
//! officer (or admin) asks the managers of some clusters for the observations
//! of some indicators for one period by a deadline; a status board shows who
//! has submitted, who is missing and who is overdue; closing the campaign
//! freezes those observations and keeps the results computed at that moment,
//! never to be overwritten.

use std::collections::BTreeMap;

use sqlx::Row;
use weaver_core::enums::Role;

use crate::access::Principal;
use crate::accounts::now_text;
use crate::sql::assert_safe;
use crate::{Store, StoreError};

/// A campaign.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Campaign {
    /// The campaign's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The reporting period asked for (`2024`, `2024-Q3`, `2024-07`).
    pub period: String,
    /// The last day to submit (ISO date).
    pub deadline: String,
    /// `open` or `closed`.
    pub status: String,
    /// Who opened it.
    pub created_by: String,
    /// When.
    pub created_at: String,
    /// When it was closed.
    pub closed_at: Option<String>,
    /// When its league table was published (made public), if it was.
    pub published_at: Option<String>,
    /// The indicators asked for.
    pub indicators: Vec<String>,
    /// The clusters asked.
    pub clusters: Vec<String>,
}

/// One cluster's line on a campaign's status board.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ClusterStatus {
    /// The cluster.
    pub cluster: String,
    /// `submitted` (every indicator has its observation), `missing` or
    /// `overdue` (missing after the deadline).
    pub state: String,
    /// Observations present for the campaign's indicators and period.
    pub present: usize,
    /// Observations asked for (one per indicator).
    pub expected: usize,
    /// The indicators still missing.
    pub missing: Vec<String>,
    /// Ties of the cluster's members.
    pub ties: usize,
    /// Of those, ties confirmed by a member of one of their organizations.
    pub ties_confirmed: usize,
    /// Of those, ties disputed by a member of one of their organizations
    /// (a tie may be confirmed by one end and disputed by the other).
    pub ties_disputed: usize,
}

/// What a new campaign asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCampaign {
    /// Its id (a user's stable string).
    pub id: String,
    /// Its name.
    pub name: String,
    /// The period.
    pub period: String,
    /// The last day to submit.
    pub deadline: String,
    /// The indicators.
    pub indicators: Vec<String>,
    /// The clusters; empty means every cluster of the officer's programmes.
    pub clusters: Vec<String>,
}

/// Whether `who` may close campaign `c`: admins, and officers whose
/// programmes fund every cluster it asks (closing freezes every cluster's
/// observations). `Err` says why not.
pub fn may_close(who: &Principal, c: &Campaign) -> Result<(), StoreError> {
    let id = &c.id;
    if !matches!(who.role, Role::Admin | Role::Officer) {
        return Err(StoreError::Forbidden(
            "a campaign is closed by programme officers and admins".into(),
        ));
    }
    // Closing freezes every cluster's observations: an officer may do it
    // only when its programmes fund every cluster the campaign asks.
    let uncovered: Vec<&str> = c
        .clusters
        .iter()
        .filter(|x| who.role == Role::Officer && !who.readable.contains(x))
        .map(String::as_str)
        .collect();
    if !uncovered.is_empty() {
        return Err(StoreError::Forbidden(format!(
            "campaign '{id}' also asks clusters your programmes do not fund ({}); \
             it is closed by an admin or an officer of all its clusters",
            uncovered.join(", ")
        )));
    }
    Ok(())
}

fn sees(who: &Principal, c: &Campaign) -> bool {
    match who.role {
        Role::Admin => true,
        Role::Officer => c.clusters.iter().any(|x| who.readable.contains(x)),
        Role::Manager => c.clusters.iter().any(|x| who.managed.contains(x)),
        Role::Member => c.clusters.iter().any(|x| who.readable.contains(x)),
    }
}

/// A tie of a campaign's clusters, as one of its organizations' members sees it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct TieToConfirm {
    /// The tie's row number.
    pub row_id: i64,
    /// One end.
    pub source: String,
    /// The other end.
    pub target: String,
    /// The kind of tie.
    pub kind: String,
    /// When it began, if known.
    pub start: Option<String>,
    /// The member's organization among the two ends.
    pub org: String,
    /// `true` confirmed, `false` disputed, `None` not yet answered.
    pub confirmed: Option<bool>,
    /// The member's note with its answer (why it disputes the tie).
    pub note: Option<String>,
    /// The other end's name, when the member may read that organization.
    pub other_name: Option<String>,
    /// The other end's English name, as `other_name`.
    pub other_name_en: Option<String>,
}

impl Store {
    async fn load_campaign(&self, id: &str) -> Result<Option<Campaign>, StoreError> {
        Ok(self.load_campaigns(Some(id)).await?.pop())
    }

    /// Every campaign (or the one named), newest first, in three queries
    /// whatever their number.
    async fn load_campaigns(&self, only: Option<&str>) -> Result<Vec<Campaign>, StoreError> {
        let (head_cond, list_cond) = match only {
            Some(_) => (" WHERE id = $1", " WHERE campaign = $1"),
            None => ("", ""),
        };
        let mut q = sqlx::query(assert_safe(format!(
            "SELECT id, name, period, deadline, status, created_by, created_at, closed_at, \
             published_at FROM campaigns{head_cond} ORDER BY created_at DESC, id"
        )));
        if let Some(id) = only {
            q = q.bind(id.to_owned());
        }
        let rows = q.fetch_all(&self.pool).await?;
        let mut lists: [BTreeMap<String, Vec<String>>; 2] = Default::default();
        for (i, (table, col)) in [
            ("campaign_indicators", "indicator"),
            ("campaign_clusters", "cluster"),
        ]
        .into_iter()
        .enumerate()
        {
            let mut q = sqlx::query_as::<_, (String, String)>(assert_safe(format!(
                "SELECT campaign, {col} FROM {table}{list_cond}"
            )));
            if let Some(id) = only {
                q = q.bind(id.to_owned());
            }
            for (campaign, item) in q.fetch_all(&self.pool).await? {
                lists[i].entry(campaign).or_default().push(item);
            }
        }
        let [mut indicators, mut clusters] = lists;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: String = r.try_get(0)?;
            // Sorted here, by bytes: SQL collations differ between backends.
            let mut ind = indicators.remove(&id).unwrap_or_default();
            ind.sort();
            let mut cl = clusters.remove(&id).unwrap_or_default();
            cl.sort();
            out.push(Campaign {
                name: r.try_get(1)?,
                period: r.try_get(2)?,
                deadline: r.try_get(3)?,
                status: r.try_get(4)?,
                created_by: r.try_get(5)?,
                created_at: r.try_get(6)?,
                closed_at: r.try_get(7)?,
                published_at: r.try_get(8)?,
                indicators: ind,
                clusters: cl,
                id,
            });
        }
        Ok(out)
    }

    /// Opens a campaign (officers for the clusters of their programmes, admins
    /// for any).
    pub async fn create_campaign(
        &self,
        who: &Principal,
        new: NewCampaign,
    ) -> Result<Campaign, StoreError> {
        // Who may open a campaign, and for which clusters, first (403);
        // then every problem of the request at its field at once (422).
        let clusters = match who.role {
            Role::Admin => new.clusters.clone(),
            Role::Officer => {
                let asked = if new.clusters.is_empty() {
                    who.readable.clone()
                } else {
                    new.clusters.clone()
                };
                if let Some(c) = asked.iter().find(|c| !who.readable.contains(c)) {
                    return Err(StoreError::Forbidden(format!(
                        "cluster '{c}' is not funded by a programme of yours"
                    )));
                }
                asked
            }
            _ => {
                return Err(StoreError::Forbidden(
                    "campaigns are opened by programme officers and admins".into(),
                ));
            }
        };
        let mut p = weaver_core::Problems::default();
        let mut at = |column: &str, message: String| p.at("campaign", None, Some(column), message);
        if clusters.is_empty() {
            at(
                "clusters",
                match who.role {
                    Role::Admin => "name the clusters the campaign asks (clusters: [...])".into(),
                    _ => "the campaign would ask no cluster: your programmes fund none yet".into(),
                },
            );
        }
        if new.id.trim().is_empty() {
            at("id", "a campaign needs an id".into());
        }
        if new.name.trim().is_empty() {
            at("name", "a campaign needs a name".into());
        }
        if let Err(e) = new.period.parse::<weaver_core::period::Period>() {
            at("period", e.to_string());
        }
        let today = crate::accounts::today();
        let today = today.as_str();
        if new.deadline.len() != 10 || !weaver_core::cell::is_date(&new.deadline) {
            at(
                "deadline",
                format!(
                    "deadline must be a date such as 2025-03-31, not '{}'",
                    new.deadline
                ),
            );
        } else if new.deadline.as_str() < today {
            at(
                "deadline",
                format!(
                    "the deadline {} is in the past (today is {today}); give today or a later date",
                    new.deadline
                ),
            );
        }
        if new.indicators.is_empty() {
            at(
                "indicators",
                "a campaign asks for at least one indicator".into(),
            );
        }
        // An indicator or cluster the caller may not read answers as a
        // missing one: the answer does not tell a hidden row exists.
        for (table, ids) in [("indicators", &new.indicators), ("clusters", &clusters)] {
            for id in ids {
                let mut sql = crate::access::SqlParts::default();
                let read = crate::access::read_condition(&mut sql, table, Some(who));
                let ph = sql.arg(id.clone());
                let mut q = sqlx::query_scalar::<_, String>(assert_safe(format!(
                    "SELECT t.id FROM {table} t WHERE t.id = {ph} AND {read}"
                )));
                for a in &sql.args {
                    q = q.bind(a.0.to_text());
                }
                if q.fetch_optional(&self.pool).await?.is_none() {
                    at(table, format!("'{id}' is not the id of any row of {table}"));
                }
            }
        }
        if !p.is_empty() {
            return Err(StoreError::Rejected(weaver_core::Rejected(p)));
        }
        if self.load_campaign(&new.id).await?.is_some() {
            return Err(StoreError::Conflict(format!(
                "there is already a campaign '{}'",
                new.id
            )));
        }
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO campaigns (id, name, period, deadline, status, created_by, created_at) \
             VALUES ($1, $2, $3, $4, 'open', $5, $6)",
        )
        .bind(&new.id)
        .bind(&new.name)
        .bind(&new.period)
        .bind(&new.deadline)
        .bind(&who.email)
        .bind(now_text())
        .execute(&mut *tx)
        .await?;
        let mut inds = new.indicators.clone();
        inds.sort();
        inds.dedup();
        for i in &inds {
            sqlx::query("INSERT INTO campaign_indicators (campaign, indicator) VALUES ($1, $2)")
                .bind(&new.id)
                .bind(i)
                .execute(&mut *tx)
                .await?;
        }
        let mut cl = clusters;
        cl.sort();
        cl.dedup();
        for c in &cl {
            sqlx::query("INSERT INTO campaign_clusters (campaign, cluster) VALUES ($1, $2)")
                .bind(&new.id)
                .bind(c)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.campaign(who, &new.id).await
    }

    /// The campaigns `who` takes part in, newest first.
    pub async fn campaigns(&self, who: &Principal) -> Result<Vec<Campaign>, StoreError> {
        let mut all = self.load_campaigns(None).await?;
        all.retain(|c| sees(who, c));
        Ok(all)
    }

    /// One campaign `who` takes part in.
    pub async fn campaign(&self, who: &Principal, id: &str) -> Result<Campaign, StoreError> {
        match self.load_campaign(id).await? {
            Some(c) if sees(who, &c) => Ok(c),
            _ => Err(StoreError::NotFound {
                table: "campaigns",
                id: id.to_owned(),
            }),
        }
    }

    /// The status board: one line per cluster `who` may follow (a manager
    /// sees its own clusters only).
    pub async fn campaign_status(
        &self,
        who: &Principal,
        id: &str,
    ) -> Result<Vec<ClusterStatus>, StoreError> {
        let c = self.campaign(who, id).await?;
        let today = crate::accounts::today();
        let today = today.as_str();
        let mut out = Vec::new();
        for cluster in &c.clusters {
            let follows = match who.role {
                Role::Admin => true,
                Role::Officer => who.readable.contains(cluster),
                _ => who.managed.contains(cluster),
            };
            if !follows {
                continue;
            }
            let present: Vec<String> = sqlx::query_scalar(
                "SELECT o.indicator FROM observations o JOIN campaign_indicators ci \
                 ON ci.indicator = o.indicator AND ci.campaign = $1 \
                 WHERE o.cluster = $2 AND o.period = $3",
            )
            .bind(id)
            .bind(cluster)
            .bind(&c.period)
            .fetch_all(&self.pool)
            .await?;
            let missing: Vec<String> = c
                .indicators
                .iter()
                .filter(|i| !present.contains(i))
                .cloned()
                .collect();
            let state = if missing.is_empty() {
                "submitted"
            } else if today > c.deadline.as_str() {
                "overdue"
            } else {
                "missing"
            };
            let ties: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM ties t WHERE t.source IN (SELECT org FROM memberships WHERE cluster = $1) \
                 OR t.target IN (SELECT org FROM memberships WHERE cluster = $1)",
            )
            .bind(cluster)
            .fetch_one(&self.pool)
            .await?;
            let confirmed: i64 = sqlx::query_scalar(
                "SELECT COUNT(DISTINCT t.row_id) FROM ties t JOIN tie_confirmations tc \
                 ON tc.tie_row_id = t.row_id AND tc.campaign = $2 AND tc.confirmed = 1 \
                 WHERE t.source IN (SELECT org FROM memberships WHERE cluster = $1) \
                 OR t.target IN (SELECT org FROM memberships WHERE cluster = $1)",
            )
            .bind(cluster)
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
            let disputed: i64 = sqlx::query_scalar(
                "SELECT COUNT(DISTINCT t.row_id) FROM ties t JOIN tie_confirmations tc \
                 ON tc.tie_row_id = t.row_id AND tc.campaign = $2 AND tc.confirmed = 0 \
                 WHERE t.source IN (SELECT org FROM memberships WHERE cluster = $1) \
                 OR t.target IN (SELECT org FROM memberships WHERE cluster = $1)",
            )
            .bind(cluster)
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
            out.push(ClusterStatus {
                cluster: cluster.clone(),
                state: state.to_owned(),
                present: present.len(),
                expected: c.indicators.len(),
                missing,
                ties: usize::try_from(ties).unwrap_or(0),
                ties_confirmed: usize::try_from(confirmed).unwrap_or(0),
                ties_disputed: usize::try_from(disputed).unwrap_or(0),
            });
        }
        Ok(out)
    }

    /// The ties a member is asked to confirm in a campaign: those of its
    /// organizations with the members of the campaign's clusters.
    pub async fn ties_to_confirm(
        &self,
        who: &Principal,
        id: &str,
    ) -> Result<Vec<TieToConfirm>, StoreError> {
        // Only those who take part in the campaign may ask.
        self.campaign(who, id).await?;
        let mut out = Vec::new();
        // One statement per organization of the member: its ties with an
        // end among the members (present or former) of the campaign's
        // clusters, with the answer it gave and the other end's name where
        // the member may read that organization.
        for org in &who.organizations {
            let mut sql = crate::access::SqlParts::default();
            let campaign = sql.arg(id);
            let own = sql.arg(org.as_str());
            let read = crate::access::read_condition(&mut sql, "organizations", Some(who));
            let text = format!(
                "SELECT x.row_id, x.source, x.target, x.kind, x.start, tc.confirmed, tc.note, o.name, o.name_en \
                 FROM ties x \
                 LEFT JOIN tie_confirmations tc ON tc.tie_row_id = x.row_id AND tc.campaign = {campaign} AND tc.org = {own} \
                 LEFT JOIN (SELECT t.id, t.name, t.name_en FROM organizations t WHERE {read}) o \
                 ON o.id = (CASE WHEN x.source = {own} THEN x.target ELSE x.source END) \
                 WHERE (x.source = {own} OR x.target = {own}) \
                 AND EXISTS (SELECT 1 FROM campaign_clusters cc JOIN memberships m ON m.cluster = cc.cluster \
                 WHERE cc.campaign = {campaign} AND (m.org = x.source OR m.org = x.target)) \
                 ORDER BY x.row_id"
            );
            let rows = crate::records::bind_all(sqlx::query(assert_safe(text)), &sql.args)
                .fetch_all(&self.pool)
                .await?;
            for r in rows {
                let start: String = r.try_get(4)?;
                out.push(TieToConfirm {
                    row_id: r.try_get(0)?,
                    source: r.try_get(1)?,
                    target: r.try_get(2)?,
                    kind: r.try_get(3)?,
                    start: (!start.is_empty()).then_some(start),
                    org: org.clone(),
                    confirmed: r.try_get::<Option<i64>, _>(5)?.map(|v| v != 0),
                    note: r.try_get(6)?,
                    other_name: r.try_get::<Option<String>, _>(7)?.filter(|n| !n.is_empty()),
                    other_name_en: r.try_get::<Option<String>, _>(8)?.filter(|n| !n.is_empty()),
                });
            }
        }
        Ok(out)
    }

    /// A member confirms (or disputes) a tie of its organization while the
    /// campaign is open.
    pub async fn confirm_tie(
        &self,
        who: &Principal,
        id: &str,
        tie_row_id: i64,
        confirmed: bool,
        note: Option<&str>,
    ) -> Result<TieToConfirm, StoreError> {
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        if let Some(n) = note
            && n.chars().count() > weaver_core::schema::MAX_LONG_TEXT_LEN
        {
            let mut p = weaver_core::Problems::default();
            p.at(
                "request body",
                None,
                Some("note"),
                format!(
                    "the note holds {} characters; at most {} are kept",
                    n.chars().count(),
                    weaver_core::schema::MAX_LONG_TEXT_LEN
                ),
            );
            return Err(StoreError::Rejected(weaver_core::Rejected(p)));
        }
        let c = self.campaign(who, id).await?;
        if c.status != "open" {
            return Err(StoreError::Conflict(format!("campaign '{id}' is closed")));
        }
        let Some(tie) = self
            .ties_to_confirm(who, id)
            .await?
            .into_iter()
            .find(|t| t.row_id == tie_row_id)
        else {
            return Err(StoreError::NotFound {
                table: "ties",
                id: tie_row_id.to_string(),
            });
        };
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "DELETE FROM tie_confirmations WHERE campaign = $1 AND tie_row_id = $2 AND org = $3",
        )
        .bind(id)
        .bind(tie_row_id)
        .bind(&tie.org)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO tie_confirmations (campaign, tie_row_id, org, confirmed, at, note) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(tie_row_id)
        .bind(&tie.org)
        .bind(i64::from(confirmed))
        .bind(now_text())
        .bind(note.map(str::to_owned))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(TieToConfirm {
            confirmed: Some(confirmed),
            note: note.map(str::to_owned),
            ..tie
        })
    }

    /// The e-mails of the managers of a cluster (for reminders).
    pub async fn cluster_managers(&self, cluster: &str) -> Result<Vec<String>, StoreError> {
        let emails: Vec<String> = sqlx::query_scalar(
            "SELECT u.email FROM users u JOIN user_scopes s ON s.user_id = u.id \
             WHERE s.kind = 'cluster' AND s.ref = $1 AND u.role = 'manager' AND u.disabled = 0 \
             ORDER BY u.email",
        )
        .bind(cluster)
        .fetch_all(&self.pool)
        .await?;
        Ok(emails)
    }

    /// Closes a campaign: its observations are frozen and `results` (per
    /// cluster: kind and JSON body) are kept as computed now.
    pub async fn close_campaign(
        &self,
        who: &Principal,
        id: &str,
        results: &[(String, String, String)],
    ) -> Result<Campaign, StoreError> {
        let results = results.to_vec();
        let (c, ()) = self
            .close_campaign_with(
                who,
                id,
                |_| async move { Ok::<_, StoreError>((results, ())) },
            )
            .await?;
        Ok(c)
    }

    /// Closes a campaign in one transaction: the campaign is marked closed
    /// (freezing its observations), then `compute` is given the campaign
    /// and returns the results to keep (per cluster: kind and JSON body)
    /// with anything else its caller wants back, and the results are
    /// written; if `compute` fails, nothing is (the campaign stays open).
    ///
    /// `compute` reads through this store's other connections while the
    /// transaction is open, and what it reads cannot change meanwhile: on
    /// SQLite the transaction holds the write lock (`BEGIN IMMEDIATE`), on
    /// PostgreSQL it holds the tables the results are computed from
    /// (observations, memberships, ties, organizations, indicators, tie
    /// confirmations) in `SHARE` mode, so a write to them waits for the
    /// close (and then finds the campaign closed). `compute` must not write
    /// through the store.
    pub async fn close_campaign_with<T, E, F, Fut>(
        &self,
        who: &Principal,
        id: &str,
        compute: F,
    ) -> Result<(Campaign, T), E>
    where
        E: From<StoreError>,
        F: FnOnce(Campaign) -> Fut,
        Fut: std::future::Future<Output = Result<(Vec<(String, String, String)>, T), E>>,
    {
        let c = self.campaign(who, id).await?;
        may_close(who, &c)?;
        if c.status == "closed" {
            return Err(StoreError::Conflict(format!(
                "campaign '{id}' was closed on {}",
                c.closed_at.unwrap_or_default()
            ))
            .into());
        }
        let now = now_text();
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE campaigns SET status = 'closed', closed_at = $1 WHERE id = $2 AND status = 'open'",
        )
        .bind(&now)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)?
        .rows_affected();
        if n != 1 {
            return Err(StoreError::Conflict(format!("campaign '{id}' is already closed")).into());
        }
        if self.backend == crate::Backend::Postgres {
            sqlx::query(
                "LOCK TABLE observations, memberships, ties, organizations, indicators, \
                 tie_confirmations IN SHARE MODE",
            )
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from)?;
        }
        // Dropped on an error, the transaction rolls back.
        let (results, extra) = compute(c).await?;
        for (cluster, kind, body) in &results {
            sqlx::query(
                "INSERT INTO frozen_results (campaign, cluster, kind, computed_at, body) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(cluster)
            .bind(kind)
            .bind(&now)
            .bind(body)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from)?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        Ok((self.campaign(who, id).await?, extra))
    }

    /// A campaign whoever asks for, without the rights of one who takes
    /// part in it: what a league table over its population needs to know
    /// (its clusters, period, indicators, whether it is published). The
    /// caller decides what of it to show.
    pub async fn campaign_of_population(&self, id: &str) -> Result<Option<Campaign>, StoreError> {
        self.load_campaign(id).await
    }

    /// The league table kept when campaign `id` was published (its JSON),
    /// if it was: public, whoever asks.
    pub async fn published_league(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT f.body FROM frozen_results f JOIN campaigns c ON c.id = f.campaign \
             WHERE f.campaign = $1 AND f.cluster = '' AND f.kind = 'league' \
             AND c.published_at IS NOT NULL",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Publishes a closed campaign's league table: `body` (the table as
    /// computed now over the frozen observations, JSON) is kept with the
    /// campaign's frozen results and the campaign is marked published, so
    /// that anyone may read the table. Admins, and officers whose programmes
    /// fund every cluster it asks (as for closing); only a closed campaign,
    /// and only once.
    pub async fn publish_campaign(
        &self,
        who: &Principal,
        id: &str,
        body: &str,
    ) -> Result<Campaign, StoreError> {
        let c = self.campaign(who, id).await?;
        may_close(who, &c).map_err(|e| match e {
            StoreError::Forbidden(m) => {
                StoreError::Forbidden(m.replace("closed by", "published by"))
            }
            e => e,
        })?;
        if c.status != "closed" {
            return Err(StoreError::Conflict(format!(
                "campaign '{id}' is still open: close it first (its observations are then \
                 frozen), then publish its league table"
            )));
        }
        if let Some(at) = &c.published_at {
            return Err(StoreError::Conflict(format!(
                "campaign '{id}' was published on {at}; a published table does not change"
            )));
        }
        let now = now_text();
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE campaigns SET published_at = $1 WHERE id = $2 AND published_at IS NULL",
        )
        .bind(&now)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n != 1 {
            return Err(StoreError::Conflict(format!(
                "campaign '{id}' is already published"
            )));
        }
        sqlx::query(
            "INSERT INTO frozen_results (campaign, cluster, kind, computed_at, body) \
             VALUES ($1, '', 'league', $2, $3)",
        )
        .bind(id)
        .bind(&now)
        .bind(body)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.campaign(who, id).await
    }

    /// The results kept when a campaign closed: cluster, kind, when, body.
    pub async fn frozen_results(
        &self,
        who: &Principal,
        id: &str,
    ) -> Result<Vec<(String, String, String, String)>, StoreError> {
        let c = self.campaign(who, id).await?;
        let rows = sqlx::query(
            "SELECT cluster, kind, computed_at, body FROM frozen_results WHERE campaign = $1 \
             ORDER BY cluster, kind",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let cluster: String = r.try_get(0)?;
            let follows = who.is_admin()
                || (who.role == Role::Officer && who.readable.contains(&cluster))
                || who.managed.contains(&cluster);
            if follows && c.clusters.contains(&cluster) {
                out.push((cluster, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?));
            }
        }
        Ok(out)
    }
}

/// Refuses a change to an observation that a closed campaign froze.
pub(crate) async fn refuse_if_frozen(
    conn: &mut sqlx::AnyConnection,
    cluster: &str,
    indicator: &str,
    period: &str,
) -> Result<(), StoreError> {
    let hit: Option<String> = sqlx::query_scalar(
        "SELECT c.id FROM campaigns c \
         JOIN campaign_clusters cc ON cc.campaign = c.id AND cc.cluster = $1 \
         JOIN campaign_indicators ci ON ci.campaign = c.id AND ci.indicator = $2 \
         WHERE c.status = 'closed' AND c.period = $3",
    )
    .bind(cluster)
    .bind(indicator)
    .bind(period)
    .fetch_optional(&mut *conn)
    .await?;
    match hit {
        Some(c) => Err(StoreError::Conflict(format!(
            "the observation of {indicator} for {cluster} in {period} was frozen when campaign \
             '{c}' closed; it can no longer change"
        ))),
        None => Ok(()),
    }
}
