//! What a campaign tells people, by mail (queued in the outbox) and in the
//! application (a notification of the account): the managers of its
//! clusters when it opens and when they are reminded, its author when a
//! cluster's observations arrive, both when its deadline passes with
//! clusters missing. Each says who could not be reached and why. An
//! account may take these as one daily digest mail instead ([`digests`]).

use weaver_store::{Campaign, Principal, Store, User};

use crate::Result;
use crate::mail::{self, Kind, Recipient};

/// A message queued to a manager about a cluster.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Queued {
    /// The manager's e-mail.
    pub to: String,
    /// The cluster the message is about.
    pub cluster: String,
    /// The message's subject (for the server's log, not the answer).
    #[serde(skip)]
    pub subject: String,
}

/// A cluster none of whose managers could be reached, or a manager who
/// could not be, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Unreached {
    /// The cluster.
    pub cluster: String,
    /// The manager's e-mail, when the reason is about one account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// `no_account` (the cluster has no manager account), `disabled` (the
    /// manager's account is disabled: nothing is sent) or `sending_failed`
    /// (the last message to the address was given up: it was queued again,
    /// but may not arrive).
    pub reason: String,
    /// The reason in words.
    pub detail: String,
}

/// The messages a campaign queued and who it could not reach.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Reach {
    /// One per manager and cluster.
    pub reminders: Vec<Queued>,
    /// The clusters or managers not reached, with why.
    pub unreached: Vec<Unreached>,
}

/// The web address of a campaign.
fn campaign_link(public_url: &str, id: &str) -> String {
    format!("{}/campaigns/{id}", public_url.trim_end_matches('/'))
}

/// Adds `kind` to an account's notifications and queues it as a mail,
/// unless the account takes a daily digest ([`digests`]). Gives the
/// subject.
async fn tell(store: &Store, user: &User, kind: Kind, values: &[(&str, &str)]) -> Result<String> {
    let to = Recipient::of(user);
    let r = if user.digest {
        mail::render(kind, to.language, values)?
    } else {
        mail::queue(store, kind, &to, values).await?.1
    };
    store
        .notify(user.id, kind.as_str(), &r.subject, &r.text)
        .await?;
    Ok(r.subject)
}

/// Sends `kind` about `cluster` to each of its managers whose account is
/// enabled, with `values`, and notes in `reach` who was reached and who
/// not.
async fn to_managers(
    store: &Store,
    cluster: &str,
    kind: Kind,
    values: &[(&str, &str)],
    reach: &mut Reach,
) -> Result<()> {
    let managers = store.cluster_manager_accounts(cluster).await?;
    if managers.is_empty() {
        reach.unreached.push(Unreached {
            cluster: cluster.to_owned(),
            to: None,
            reason: "no_account".into(),
            detail: format!("cluster {cluster} has no manager account"),
        });
        return Ok(());
    }
    for m in managers {
        if m.disabled {
            reach.unreached.push(Unreached {
                cluster: cluster.to_owned(),
                to: Some(m.email.clone()),
                reason: "disabled".into(),
                detail: format!("the account of {} is disabled", m.email),
            });
            continue;
        }
        if let Some(error) = store.given_up_to(&m.email).await? {
            reach.unreached.push(Unreached {
                cluster: cluster.to_owned(),
                to: Some(m.email.clone()),
                reason: "sending_failed".into(),
                detail: format!(
                    "the last message to {} could not be delivered ({error}); queued again",
                    m.email
                ),
            });
        }
        let subject = tell(store, &m, kind, values).await?;
        reach.reminders.push(Queued {
            to: m.email.clone(),
            cluster: cluster.to_owned(),
            subject,
        });
    }
    Ok(())
}

/// Reminds the managers of every cluster of campaign `id` still missing
/// observations (the caller's right to remind is checked by the caller).
pub async fn remind(store: &Store, who: &Principal, id: &str, public_url: &str) -> Result<Reach> {
    let c = store.campaign(who, id).await?;
    let link = campaign_link(public_url, &c.id);
    let mut reach = Reach::default();
    for line in store.campaign_status(who, id).await? {
        if line.state == "submitted" {
            continue;
        }
        let count_missing = (line.expected - line.present).to_string();
        let expected = line.expected.to_string();
        let missing = line.missing.join(", ");
        let values = [
            ("campaign", c.name.as_str()),
            ("period", c.period.as_str()),
            ("cluster", line.cluster.as_str()),
            ("count_missing", count_missing.as_str()),
            ("expected", expected.as_str()),
            ("missing", missing.as_str()),
            ("deadline", c.deadline.as_str()),
            ("link", link.as_str()),
        ];
        to_managers(store, &line.cluster, Kind::Reminder, &values, &mut reach).await?;
    }
    Ok(reach)
}

/// Tells the managers of a campaign's clusters that it opened, each about
/// the clusters of theirs it asks.
pub async fn campaign_opened(store: &Store, c: &Campaign, public_url: &str) -> Result<Reach> {
    let link = campaign_link(public_url, &c.id);
    let indicators = c.indicators.join(", ");
    let mut reach = Reach::default();
    for cluster in &c.clusters {
        let values = [
            ("campaign", c.name.as_str()),
            ("period", c.period.as_str()),
            ("clusters", cluster.as_str()),
            ("indicators", indicators.as_str()),
            ("deadline", c.deadline.as_str()),
            ("link", link.as_str()),
        ];
        to_managers(store, cluster, Kind::CampaignOpened, &values, &mut reach).await?;
    }
    Ok(reach)
}

/// Tells the author of campaign `id` that `who` submitted observations of
/// `clusters` (`added` and `changed` in all); gives the author's address
/// and the subject. Nothing is sent when the author's account is gone or
/// disabled.
pub async fn submission_received(
    store: &Store,
    who: &Principal,
    id: &str,
    clusters: &[String],
    (added, changed): (usize, usize),
    public_url: &str,
) -> Result<Option<(String, String)>> {
    let c = store.campaign(who, id).await?;
    let Some((author, _)) = store.user_by_email(&c.created_by).await? else {
        return Ok(None);
    };
    if author.disabled {
        return Ok(None);
    }
    let link = campaign_link(public_url, &c.id);
    let (added, changed) = (added.to_string(), changed.to_string());
    let mut clusters = clusters.to_vec();
    clusters.sort();
    clusters.dedup();
    let clusters = clusters.join(", ");
    let values = [
        ("by", who.email.as_str()),
        ("cluster", clusters.as_str()),
        ("campaign", c.name.as_str()),
        ("period", c.period.as_str()),
        ("added", added.as_str()),
        ("changed", changed.as_str()),
        ("link", link.as_str()),
    ];
    let subject = tell(store, &author, Kind::SubmissionReceived, &values).await?;
    Ok(Some((author.email, subject)))
}

/// Tells, once per campaign, that the deadline of each open campaign passed
/// before `today` (an ISO date): its author (with every cluster still
/// missing) and the managers of each cluster still missing (about their
/// cluster alone). Several servers may call it: each campaign's message is
/// taken by one ([`Store::take_campaign_notice`]). Gives the messages
/// queued.
pub async fn deadlines_passed(store: &Store, today: &str, public_url: &str) -> Result<usize> {
    let kind = Kind::DeadlinePassed;
    let who = crate::admin();
    let mut queued = 0;
    for id in store.campaigns_past_deadline(kind.as_str(), today).await? {
        if !store.take_campaign_notice(&id, kind.as_str()).await? {
            continue;
        }
        let c = store.campaign(&who, &id).await?;
        let missing: Vec<String> = store
            .campaign_status(&who, &id)
            .await?
            .into_iter()
            .filter(|l| l.state != "submitted")
            .map(|l| l.cluster)
            .collect();
        if missing.is_empty() {
            continue;
        }
        let link = campaign_link(public_url, &c.id);
        let values = |missing: &str| {
            [
                ("campaign", c.name.clone()),
                ("period", c.period.clone()),
                ("deadline", c.deadline.clone()),
                ("missing", missing.to_owned()),
                ("link", link.clone()),
            ]
        };
        if let Some((author, _)) = store.user_by_email(&c.created_by).await?
            && !author.disabled
        {
            let v = values(&missing.join(", "));
            let v: Vec<(&str, &str)> = v.iter().map(|(k, v)| (*k, v.as_str())).collect();
            tell(store, &author, kind, &v).await?;
            queued += 1;
        }
        for cluster in &missing {
            let v = values(cluster);
            let v: Vec<(&str, &str)> = v.iter().map(|(k, v)| (*k, v.as_str())).collect();
            for m in store.cluster_manager_accounts(cluster).await? {
                if !m.disabled {
                    tell(store, &m, kind, &v).await?;
                    queued += 1;
                }
            }
        }
    }
    Ok(queued)
}

/// How long an account waits between two digests.
pub const DIGEST_EVERY: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Queues, at `now`, the digest of each account that takes one and whose
/// last digest is a day old (or that never had one), when it has unread
/// notifications since: one mail listing their subjects. Several servers may
/// call it: each digest is taken by one ([`Store::take_digest`]). Gives the
/// digests queued.
pub async fn digests(store: &Store, now: std::time::SystemTime, public_url: &str) -> Result<usize> {
    let before = now - DIGEST_EVERY;
    let link = format!("{}/notifications", public_url.trim_end_matches('/'));
    let mut queued = 0;
    for id in store.digests_due(before).await? {
        let Some(notes) = store.take_digest(id, before, now).await? else {
            continue;
        };
        if notes.is_empty() {
            continue;
        }
        let user = store.user(id).await?;
        let items: Vec<String> = notes
            .iter()
            .map(|n| format!("- {} ({})", n.subject, n.created_at))
            .collect();
        let count = notes.len().to_string();
        let items = items.join("\n");
        let values = [
            ("count", count.as_str()),
            ("items", items.as_str()),
            ("link", link.as_str()),
        ];
        mail::queue(store, Kind::Digest, &Recipient::of(&user), &values).await?;
        queued += 1;
    }
    Ok(queued)
}
