//! The sender: delivers the outbox's messages over SMTP (`lettre`), from a
//! task of the server. Each pass claims a batch of due messages in the
//! database (so that several servers on one PostgreSQL database send each
//! message once), sends them one by one and marks each sent, or failed to
//! be tried again after a backoff, or given up after the last attempt.
//! Without SMTP settings nothing is sent: messages stay queued, and the
//! server says so when it starts.

use std::str::FromStr;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use weaver_store::{Message, RetryPolicy, Store, StoreError};

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// Plain text (a relay on the same machine or network only).
    None,
    /// Plain text upgraded with STARTTLS (usually port 587).
    StartTls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

impl FromStr for TlsMode {
    type Err = String;

    fn from_str(s: &str) -> Result<TlsMode, String> {
        match s {
            "none" => Ok(TlsMode::None),
            "starttls" => Ok(TlsMode::StartTls),
            "tls" => Ok(TlsMode::Tls),
            other => Err(format!(
                "the SMTP TLS mode must be none, starttls or tls, not '{other}'"
            )),
        }
    }
}

/// Where and how messages are sent.
#[derive(Clone)]
pub struct MailConfig {
    /// The SMTP server's host name.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// How the connection is secured.
    pub tls: TlsMode,
    /// The user to sign in as, if the server asks for one.
    pub user: Option<String>,
    /// Its password.
    pub password: Option<String>,
    /// The sender's address (`Weaver <noreply@example.org>`).
    pub from: String,
    /// How often the outbox is looked at.
    pub poll: Duration,
    /// How failures are tried again.
    pub retry: RetryPolicy,
}

impl std::fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The password is never shown.
        f.debug_struct("MailConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .field("poll", &self.poll)
            .field("retry", &self.retry)
            .finish()
    }
}

/// How long a claimed batch is a sender's before another may take it (a
/// sender that died while sending): longer than a batch takes.
pub const LEASE: Duration = Duration::from_secs(15 * 60);
/// Messages claimed at a time.
pub const BATCH: i64 = 10;
/// How long one SMTP exchange may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// An SMTP sender with its name in the outbox's claims.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    retry: RetryPolicy,
    name: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from)
            .field("name", &self.name)
            .finish()
    }
}

/// What one pass over the outbox did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendReport {
    /// Messages sent.
    pub sent: usize,
    /// Messages that failed (to be tried again, or given up).
    pub failed: usize,
}

impl Mailer {
    /// A sender for `c`, named `name` in its claims (unique per process).
    pub fn new(c: &MailConfig, name: &str) -> Result<Mailer, String> {
        let from: Mailbox = c
            .from
            .parse()
            .map_err(|e| format!("the sender's address '{}' is not valid: {e}", c.from))?;
        if c.host.trim().is_empty() {
            return Err("the SMTP host is empty".to_owned());
        }
        let builder = match c.tls {
            TlsMode::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&c.host),
            TlsMode::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&c.host)
                .map_err(|e| format!("SMTP host {}: {e}", c.host))?,
            TlsMode::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&c.host)
                .map_err(|e| format!("SMTP host {}: {e}", c.host))?,
        };
        let mut builder = builder.port(c.port).timeout(Some(SMTP_TIMEOUT));
        if let Some(user) = &c.user {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                c.password.clone().unwrap_or_default(),
            ));
        }
        Ok(Mailer {
            transport: builder.build(),
            from,
            retry: c.retry,
            name: name.to_owned(),
        })
    }

    /// The name its claims carry.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Sends one message; the error in words.
    async fn deliver(&self, m: &Message) -> Result<(), (String, bool)> {
        // An address that cannot be parsed will never be: given up at once.
        let to: Mailbox = m.message.recipient.parse().map_err(|e| {
            (
                format!("'{}' is not an address: {e}", m.message.recipient),
                true,
            )
        })?;
        let email = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.message.subject.clone())
            .multipart(MultiPart::alternative_plain_html(
                m.message.body_text.clone(),
                m.message.body_html.clone(),
            ))
            .map_err(|e| (format!("the message cannot be built: {e}"), true))?;
        self.transport
            .send(email)
            .await
            .map(|_| ())
            .map_err(|e| (e.to_string(), false))
    }

    /// Claims the due messages, a batch at a time, and sends them, until
    /// none is due.
    pub async fn send_due(&self, store: &Store) -> Result<SendReport, StoreError> {
        let mut report = SendReport::default();
        loop {
            let batch = store.claim_messages(&self.name, BATCH, LEASE).await?;
            if batch.is_empty() {
                return Ok(report);
            }
            for m in &batch {
                match self.deliver(m).await {
                    Ok(()) => {
                        store.mark_sent(m.id, &self.name).await?;
                        report.sent += 1;
                        tracing::info!(id = m.id, kind = %m.message.kind, "message sent");
                    }
                    Err((error, permanent)) => {
                        let policy = if permanent {
                            RetryPolicy {
                                max_attempts: 0,
                                ..self.retry
                            }
                        } else {
                            self.retry
                        };
                        let status = store.mark_failed(m.id, &self.name, &error, &policy).await?;
                        report.failed += 1;
                        tracing::warn!(id = m.id, kind = %m.message.kind, ?status, error = %error, "message not sent");
                    }
                }
            }
        }
    }
}

/// Sends the outbox's due messages every `poll`, for as long as the server
/// runs; a failing pass (the database unreachable) is logged and tried
/// again at the next.
pub async fn run(store: Store, mailer: Mailer, poll: Duration) {
    loop {
        if let Err(e) = mailer.send_due(&store).await {
            tracing::warn!(error = %e, "the outbox could not be read; trying again");
        }
        tokio::time::sleep(poll).await;
    }
}

/// A name for this process's claims: its process number and a random part.
pub fn sender_name() -> String {
    let random = crate::auth::new_secret().unwrap_or_default();
    format!(
        "weaver-{}-{}",
        std::process::id(),
        random.get(..8).unwrap_or("0")
    )
}

/// How often the campaigns' deadlines and the accounts' digests are looked
/// at.
pub const WATCH_EVERY: Duration = Duration::from_secs(10 * 60);

/// Every `every`, queues the messages of the campaigns whose deadline
/// passed and the accounts' daily digests (each once, whichever server
/// sees it first; see [`weaver_service::notices::deadlines_passed`] and
/// [`weaver_service::notices::digests`]), links to `public_url`.
pub async fn watch(store: Store, public_url: String, every: Duration) {
    loop {
        let today = &weaver_store::today();
        match weaver_service::notices::deadlines_passed(&store, today, &public_url).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(messages = n, "campaign deadlines passed: messages queued"),
            Err(e) => tracing::warn!(error = %e, "the campaigns' deadlines could not be looked at"),
        }
        let now = std::time::SystemTime::now();
        match weaver_service::notices::digests(&store, now, &public_url).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(digests = n, "daily digests queued"),
            Err(e) => tracing::warn!(error = %e, "the daily digests could not be made"),
        }
        tokio::time::sleep(every).await;
    }
}
