//! Messages to people: the templates (kept in the repository, in Chinese
//! and English, `templates/mail/{kind}.{language}.txt`: the first line is
//! the subject, the rest the body), their rendering and queueing in the
//! outbox, which the server's sender delivers.
//!
//! A template names its values as `{{name}}`; rendering fills them (a value
//! is put in as it is, never read as a template) and refuses a template
//! that names a value it was not given. The HTML body is the plain text,
//! escaped, in paragraphs, with its web addresses as links: one text per
//! message and language, so the two bodies never say different things.

use weaver_store::{NewMessage, Store};

use crate::{Result, ServiceError};

/// The language a message is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// Simplified Chinese.
    Zh,
    /// English.
    En,
}

impl Language {
    /// `zh` or `en`.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Zh => "zh",
            Language::En => "en",
        }
    }

    /// The language named `zh` or `en`.
    pub fn parse(name: &str) -> Result<Language> {
        match name {
            "zh" => Ok(Language::Zh),
            "en" => Ok(Language::En),
            other => Err(ServiceError::invalid(format!(
                "language must be zh or en, not '{other}'"
            ))),
        }
    }
}

/// What a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A new account: the link that sets its first password.
    Invitation,
    /// The link that sets a new password.
    PasswordReset,
    /// A campaign asks a manager's clusters for observations.
    CampaignOpened,
    /// A cluster still misses observations of a campaign.
    Reminder,
    /// A campaign's deadline passed with clusters still missing.
    DeadlinePassed,
    /// A cluster's observations reached a campaign.
    SubmissionReceived,
    /// A generic notice: `subject` and `text`.
    Notice,
    /// A daily digest of an account's new notifications.
    Digest,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 8] = [
        Kind::Invitation,
        Kind::PasswordReset,
        Kind::CampaignOpened,
        Kind::Reminder,
        Kind::DeadlinePassed,
        Kind::SubmissionReceived,
        Kind::Notice,
        Kind::Digest,
    ];

    /// The name stored in the outbox.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Invitation => "invitation",
            Kind::PasswordReset => "password_reset",
            Kind::CampaignOpened => "campaign_opened",
            Kind::Reminder => "reminder",
            Kind::DeadlinePassed => "deadline_passed",
            Kind::SubmissionReceived => "submission_received",
            Kind::Notice => "notice",
            Kind::Digest => "digest",
        }
    }

    /// The values its templates name.
    pub fn values(self) -> &'static [&'static str] {
        match self {
            Kind::Invitation => &["name", "role", "hours", "link"],
            Kind::PasswordReset => &["hours", "link"],
            Kind::CampaignOpened => &[
                "campaign",
                "period",
                "clusters",
                "indicators",
                "deadline",
                "link",
            ],
            Kind::Reminder => &[
                "campaign",
                "period",
                "cluster",
                "count_missing",
                "expected",
                "missing",
                "deadline",
                "link",
            ],
            Kind::DeadlinePassed => &["campaign", "period", "deadline", "missing", "link"],
            Kind::SubmissionReceived => &[
                "by", "cluster", "campaign", "period", "added", "changed", "link",
            ],
            Kind::Notice => &["subject", "text"],
            Kind::Digest => &["count", "items", "link"],
        }
    }

    fn template(self, language: Language) -> &'static str {
        use Language::{En, Zh};
        match (self, language) {
            (Kind::Invitation, Zh) => include_str!("../templates/mail/invitation.zh.txt"),
            (Kind::Invitation, En) => include_str!("../templates/mail/invitation.en.txt"),
            (Kind::PasswordReset, Zh) => include_str!("../templates/mail/password_reset.zh.txt"),
            (Kind::PasswordReset, En) => include_str!("../templates/mail/password_reset.en.txt"),
            (Kind::CampaignOpened, Zh) => include_str!("../templates/mail/campaign_opened.zh.txt"),
            (Kind::CampaignOpened, En) => include_str!("../templates/mail/campaign_opened.en.txt"),
            (Kind::Reminder, Zh) => include_str!("../templates/mail/reminder.zh.txt"),
            (Kind::Reminder, En) => include_str!("../templates/mail/reminder.en.txt"),
            (Kind::DeadlinePassed, Zh) => include_str!("../templates/mail/deadline_passed.zh.txt"),
            (Kind::DeadlinePassed, En) => include_str!("../templates/mail/deadline_passed.en.txt"),
            (Kind::SubmissionReceived, Zh) => {
                include_str!("../templates/mail/submission_received.zh.txt")
            }
            (Kind::SubmissionReceived, En) => {
                include_str!("../templates/mail/submission_received.en.txt")
            }
            (Kind::Notice, Zh) => include_str!("../templates/mail/notice.zh.txt"),
            (Kind::Notice, En) => include_str!("../templates/mail/notice.en.txt"),
            (Kind::Digest, Zh) => include_str!("../templates/mail/digest.zh.txt"),
            (Kind::Digest, En) => include_str!("../templates/mail/digest.en.txt"),
        }
    }
}

/// A message rendered: subject, plain text and HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The subject line (one line).
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The HTML body.
    pub html: String,
}

/// Fills the `{{name}}`s of `template` with `values`.
fn fill(template: &str, values: &[(&str, &str)], what: &str) -> Result<String> {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(at) = rest.find("{{") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let end = after.find("}}").ok_or_else(|| {
            ServiceError::engine(format!("render {what}"), "a '{{' without its '}}'")
        })?;
        let name = after[..end].trim();
        let value = values
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| *v)
            .ok_or_else(|| {
                ServiceError::engine(format!("render {what}"), format!("no value for {name}"))
            })?;
        out.push_str(value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// `text` with `&`, `<`, `>` and quotes escaped for HTML.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The HTML body of a plain text: escaped, a paragraph per block of lines,
/// each web address a link.
fn html_of(text: &str, language: Language) -> String {
    let mut body = String::new();
    for block in text.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
        let lines: Vec<String> = block
            .lines()
            .map(|line| {
                line.split(' ')
                    .map(|word| {
                        let e = escape_html(word);
                        if word.starts_with("https://") || word.starts_with("http://") {
                            format!("<a href=\"{e}\">{e}</a>")
                        } else {
                            e
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        body.push_str("<p>");
        body.push_str(&lines.join("<br>\n"));
        body.push_str("</p>\n");
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"></head><body>\n{body}</body></html>\n",
        language.as_str()
    )
}

/// Renders the message `kind` in `language` with `values` (each value its
/// template names, by name).
pub fn render(kind: Kind, language: Language, values: &[(&str, &str)]) -> Result<Rendered> {
    let template = kind.template(language);
    let what = format!("the {} message ({})", kind.as_str(), language.as_str());
    let (subject, body) = template.split_once('\n').unwrap_or((template, ""));
    let subject = fill(subject, values, &what)?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let text = fill(body.trim_start_matches('\n'), values, &what)?;
    let html = html_of(&text, language);
    Ok(Rendered {
        subject,
        text,
        html,
    })
}

/// Who a message goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// The address.
    pub email: String,
    /// The account, if it is one's.
    pub user_id: Option<i64>,
    /// The language the message is written in.
    pub language: Language,
}

impl Recipient {
    /// The account's address and language.
    pub fn of(user: &weaver_store::User) -> Recipient {
        Recipient {
            email: user.email.clone(),
            user_id: Some(user.id),
            language: Language::parse(&user.language).unwrap_or(Language::Zh),
        }
    }
}

/// Renders `kind` for `to` and queues it in the outbox; gives the message's
/// number and what was queued.
pub async fn queue(
    store: &Store,
    kind: Kind,
    to: &Recipient,
    values: &[(&str, &str)],
) -> Result<(i64, Rendered)> {
    let r = render(kind, to.language, values)?;
    let id = store
        .enqueue(&NewMessage {
            recipient: to.email.clone(),
            user_id: to.user_id,
            kind: kind.as_str().to_owned(),
            language: to.language.as_str().to_owned(),
            subject: r.subject.clone(),
            body_text: r.text.clone(),
            body_html: r.html.clone(),
        })
        .await?;
    Ok((id, r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_renders_with_the_values_its_kind_names() {
        for kind in Kind::ALL {
            let values: Vec<(&str, String)> = kind
                .values()
                .iter()
                .map(|n| (*n, format!("<{n}>")))
                .collect();
            let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
            for language in [Language::Zh, Language::En] {
                let r = render(kind, language, &values)
                    .unwrap_or_else(|e| panic!("{kind:?} {language:?}: {e}"));
                assert!(!r.subject.is_empty(), "{kind:?} {language:?}: no subject");
                assert!(!r.text.contains("{{"), "{kind:?} {language:?}: {}", r.text);
                // Every value it names is used: in the subject or the text.
                for n in kind.values() {
                    let v = format!("<{n}>");
                    assert!(
                        r.subject.contains(&v) || r.text.contains(&v),
                        "{kind:?} {language:?} does not use {n}"
                    );
                    // In HTML, a value is escaped, never markup.
                    assert!(!r.html.contains(&v), "{kind:?} {language:?}: {n} unescaped");
                }
            }
        }
    }

    #[test]
    fn a_value_is_put_in_as_it_is_never_read_as_a_template() {
        let r = render(
            Kind::Notice,
            Language::En,
            &[("subject", "Hi {{text}}"), ("text", "a & b <i>")],
        )
        .unwrap();
        assert_eq!(r.subject, "Hi {{text}}");
        assert_eq!(r.text, "Hello,\n\na & b <i>\n");
        assert!(r.html.contains("<p>a &amp; b &lt;i&gt;</p>"), "{}", r.html);
    }

    #[test]
    fn a_missing_value_is_refused() {
        let e = render(Kind::PasswordReset, Language::Zh, &[("hours", "72")]).unwrap_err();
        assert!(e.to_string().contains("no value for link"), "{e}");
    }

    #[test]
    fn links_become_anchors_and_lines_breaks() {
        let r = render(
            Kind::PasswordReset,
            Language::En,
            &[
                ("hours", "72"),
                ("link", "https://w.example/reset?token=a&b=1"),
            ],
        )
        .unwrap();
        assert_eq!(r.subject, "Reset your Weaver password");
        assert!(
            r.html.contains(
                "<p><a href=\"https://w.example/reset?token=a&amp;b=1\">https://w.example/reset?token=a&amp;b=1</a></p>"
            ),
            "{}",
            r.html
        );
        assert!(r.html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        let zh = render(
            Kind::PasswordReset,
            Language::Zh,
            &[("hours", "72"), ("link", "https://w.example/r")],
        )
        .unwrap();
        assert_eq!(zh.subject, "重置您的 Weaver 密码");
        assert!(zh.text.contains("72 小时内"), "{}", zh.text);
    }
}
