//! `weaver serve` and `weaver user`: the platform server and its accounts.

use std::io::Read;
use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Subcommand};
use weaver_core::enums::Role;
use weaver_store::{ScopeKind, Store};

use super::Ctx;
use super::register::{block_on, open};

/// Options of `weaver serve`, each also read from the environment (see `.env.sample`).
#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  weaver serve\n  weaver --db postgres://weaver@db:5432/weaver serve --addr 0.0.0.0:8080 --secure-cookies --public-url https://weaver.example.org\n\nLogs go to standard error; set WEAVER_LOG (e.g. WEAVER_LOG=debug) for more."
)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "WEAVER_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// The address people reach the server at, for links in invitations.
    #[arg(long, env = "WEAVER_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Mark session cookies Secure (set this when served over HTTPS).
    #[arg(long, env = "WEAVER_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// How long a session lasts, in hours.
    #[arg(long, env = "WEAVER_SESSION_HOURS", default_value_t = 12)]
    pub session_hours: u64,
    /// Largest request body accepted, in MiB.
    #[arg(long, env = "WEAVER_MAX_BODY_MB", default_value_t = 1)]
    pub max_body_mb: usize,
    /// Largest data package upload accepted, in MiB.
    #[arg(long, env = "WEAVER_MAX_UPLOAD_MB", default_value_t = 64)]
    pub max_upload_mb: usize,
    /// Caps on what an uploaded .zip or .xlsx may expand to.
    #[command(flatten)]
    pub archive: super::register::ArchiveArgs,
    /// A proxy (load balancer) whose X-Forwarded-For is believed for the
    /// client's address (login throttling); repeat it, or give a comma list.
    #[arg(
        long = "trusted-proxy",
        env = "WEAVER_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Where the outbox's messages (invitations, password resets, campaign
    /// messages) are sent.
    #[command(flatten)]
    pub smtp: SmtpArgs,
}

/// The SMTP settings of `weaver serve`. Without a host no mail is sent:
/// messages stay queued in the outbox, and the server says so at start.
#[derive(Debug, Clone, Args)]
pub struct SmtpArgs {
    /// The SMTP server (relay) that sends the outbox's messages; without
    /// it, messages stay queued.
    #[arg(long, env = "WEAVER_SMTP_HOST")]
    pub smtp_host: Option<String>,
    /// Its port [default: 25 with --smtp-tls none, 587 with starttls, 465 with tls].
    #[arg(long, env = "WEAVER_SMTP_PORT")]
    pub smtp_port: Option<u16>,
    /// How the connection is secured: none, starttls or tls.
    #[arg(long, env = "WEAVER_SMTP_TLS", default_value = "starttls", value_parser = ["none", "starttls", "tls"])]
    pub smtp_tls: String,
    /// The user to sign in to the SMTP server as, if it asks for one.
    #[arg(long, env = "WEAVER_SMTP_USER")]
    pub smtp_user: Option<String>,
    /// Its password (better given in the environment than on the command line).
    #[arg(long, env = "WEAVER_SMTP_PASSWORD", hide_env_values = true)]
    pub smtp_password: Option<String>,
    /// The sender's address, e.g. "Weaver <noreply@example.org>" (needed with --smtp-host).
    #[arg(long, env = "WEAVER_SMTP_FROM")]
    pub smtp_from: Option<String>,
    /// How often the outbox is looked at, in seconds.
    #[arg(long, env = "WEAVER_SMTP_POLL_SECONDS", default_value_t = 10)]
    pub smtp_poll_seconds: u64,
}

impl SmtpArgs {
    /// The mail settings, or `None` without a host.
    fn mail(&self) -> anyhow::Result<Option<weaver_server::mail::MailConfig>> {
        let Some(host) = self.smtp_host.clone().filter(|h| !h.trim().is_empty()) else {
            return Ok(None);
        };
        let tls: weaver_server::mail::TlsMode = self
            .smtp_tls
            .parse()
            .map_err(|e: String| anyhow::anyhow!("--smtp-tls: {e}"))?;
        let port = self.smtp_port.unwrap_or(match tls {
            weaver_server::mail::TlsMode::None => 25,
            weaver_server::mail::TlsMode::StartTls => 587,
            weaver_server::mail::TlsMode::Tls => 465,
        });
        let from = self.smtp_from.clone().ok_or_else(|| {
            anyhow::anyhow!(
                "--smtp-from (WEAVER_SMTP_FROM) is needed with --smtp-host: the sender's address, \
                 e.g. \"Weaver <noreply@example.org>\""
            )
        })?;
        let config = weaver_server::mail::MailConfig {
            host,
            port,
            tls,
            user: self.smtp_user.clone(),
            password: self.smtp_password.clone(),
            from,
            poll: Duration::from_secs(self.smtp_poll_seconds.max(1)),
            retry: weaver_store::RetryPolicy::default(),
        };
        // The settings are checked now, not when the first message is due.
        weaver_server::mail::Mailer::new(&config, "check")
            .map_err(|e| anyhow::anyhow!("the SMTP settings: {e}"))?;
        Ok(Some(config))
    }
}

impl ServeArgs {
    fn config(&self) -> anyhow::Result<weaver_server::Config> {
        Ok(weaver_server::Config {
            addr: self.addr,
            secure_cookies: self.secure_cookies,
            session_ttl: Duration::from_secs(self.session_hours.max(1) * 3600),
            max_body: self.max_body_mb.max(1) << 20,
            max_upload: self.max_upload_mb.max(1) << 20,
            archive_limits: self.archive.limits(),
            trusted_proxies: self.trusted_proxies.clone(),
            public_url: self
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", self.addr)),
            mail: self.smtp.mail()?,
        })
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}

/// Serves an open store until Ctrl-C or SIGTERM.
pub async fn serve_store(store: Store, args: &ServeArgs) -> anyhow::Result<()> {
    super::init_logs(Some("info"));
    let config = args.config()?;
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("cannot listen on {}", config.addr))?;
    let local = listener.local_addr()?;
    println!(
        "Weaver serves http://{local} (register: {}). API: http://{local}/api/v1/tables · Stop with Ctrl-C.",
        store.url()
    );
    weaver_server::serve(listener, store, config, shutdown_signal()).await?;
    Ok(())
}

/// `weaver serve`.
pub fn serve(ctx: &Ctx, args: &ServeArgs) -> anyhow::Result<()> {
    let db = ctx.db;
    block_on(async {
        let store = open(db).await?;
        serve_store(store, args).await
    })
}

/// `weaver user …`: accounts from the command line.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account (the first admin too). Without --password-stdin a
    /// random password is made and printed once.
    #[command(
        after_help = "Examples:\n  weaver user add --email admin@example.org --role admin\n  weaver user add --email li@example.org --role manager --cluster cn-sz-ict\n  echo 'a long passphrase' | weaver user add --email x@example.org --role officer --programme torch --password-stdin"
    )]
    Add(AddUser),
    /// List the accounts.
    List,
    /// Assign an account to clusters (managers), programmes (officers) or
    /// organizations (members).
    #[command(
        after_help = "Example:\n  weaver user assign --email li@example.org --cluster cn-sz-ict"
    )]
    Assign(Assign),
    /// Make an API token for an account (printed once), for scripts:
    /// send it as 'Authorization: Bearer TOKEN'.
    #[command(
        after_help = "Example:\n  TOKEN=$(weaver user token --email admin@example.org --name nightly-import)\n  curl -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:8080/api/v1/auth/me"
    )]
    Token(TokenArgs),
    /// Disable an account: it can no longer sign in, and its sessions and
    /// API tokens end at once. Refused for the last enabled admin.
    #[command(after_help = "Example:\n  weaver user disable --email li@example.org")]
    Disable(AccountArg),
    /// Re-enable a disabled account: it signs in with its password again
    /// (the sessions and tokens it had stay ended; make a new token).
    #[command(after_help = "Example:\n  weaver user enable --email li@example.org")]
    Enable(AccountArg),
    /// Erase an account on request (PIPL, GDPR): the account, its sessions,
    /// tokens, links and assignments are deleted, and the audit log keeps
    /// its changes under "erased user #N". Refused for the last enabled
    /// admin. Needs --yes.
    #[command(after_help = "Example:\n  weaver user remove --email li@example.org --yes")]
    Remove(RemoveArgs),
    /// Remove assignments of an account to clusters, programmes or
    /// organizations (each must be one it has; nothing changes otherwise).
    #[command(
        after_help = "Example:\n  weaver user unassign --email li@example.org --cluster cn-sz-ict"
    )]
    Unassign(Assign),
}

/// The account a command acts on.
#[derive(Debug, Args)]
pub struct AccountArg {
    /// The account's login.
    #[arg(long)]
    pub email: String,
}

/// Options of `weaver user remove`.
#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The account's login.
    #[arg(long)]
    pub email: String,
    /// Confirm that the account is to be erased (it cannot be undone).
    #[arg(long)]
    pub yes: bool,
}

/// Options of `weaver user token`.
#[derive(Debug, Args)]
pub struct TokenArgs {
    /// The account's login.
    #[arg(long)]
    pub email: String,
    /// What the token is for.
    #[arg(long, default_value = "command line")]
    pub name: String,
}

/// Options of `weaver user add`.
#[derive(Debug, Args)]
pub struct AddUser {
    /// The login.
    #[arg(long)]
    pub email: String,
    /// admin, officer, manager or member.
    #[arg(long)]
    pub role: Role,
    /// The person's name.
    #[arg(long)]
    pub name: Option<String>,
    /// Read the password from standard input instead of making one.
    #[arg(long)]
    pub password_stdin: bool,
    #[command(flatten)]
    pub scopes: Scopes,
}

/// What to assign an account to.
#[derive(Debug, Args)]
pub struct Scopes {
    /// A cluster id (for a manager); may be repeated.
    #[arg(long)]
    pub cluster: Vec<String>,
    /// A programme id (for an officer); may be repeated.
    #[arg(long)]
    pub programme: Vec<String>,
    /// An organization id (for a member); may be repeated.
    #[arg(long)]
    pub organization: Vec<String>,
}

/// Options of `weaver user assign`.
#[derive(Debug, Args)]
pub struct Assign {
    /// The account's login.
    #[arg(long)]
    pub email: String,
    #[command(flatten)]
    pub scopes: Scopes,
}

fn random_password() -> anyhow::Result<String> {
    let secret = weaver_server::auth::new_secret().map_err(|e| anyhow::anyhow!(e.message))?;
    Ok(secret[..20].to_owned())
}

async fn assign_all(store: &Store, user: i64, scopes: &Scopes) -> anyhow::Result<()> {
    for (kind, r) in listed_scopes(scopes) {
        store.assign(user, kind, r).await?;
    }
    Ok(())
}

/// The account with this e-mail, or an error naming the e-mail.
async fn account(store: &Store, email: &str) -> anyhow::Result<weaver_store::User> {
    match store.user_by_email(email).await? {
        Some((user, _)) => Ok(user),
        None => anyhow::bail!("there is no account for {email}"),
    }
}

/// The assignments of `scopes`, in the order given, each with its kind.
fn listed_scopes(scopes: &Scopes) -> Vec<(ScopeKind, &str)> {
    [
        (ScopeKind::Cluster, &scopes.cluster),
        (ScopeKind::Programme, &scopes.programme),
        (ScopeKind::Organization, &scopes.organization),
    ]
    .into_iter()
    .flat_map(|(k, refs)| refs.iter().map(move |r| (k, r.as_str())))
    .collect()
}

/// Prints an account's assignments (or, with --json, the account and them).
async fn print_scopes(store: &Store, user: &weaver_store::User, json: bool) -> anyhow::Result<()> {
    let scopes = store.scopes(user.id).await?;
    if json {
        println!("{}", serde_json::to_string(&scopes)?);
    } else if scopes.is_empty() {
        println!("{} has no assignments left.", user.email);
    } else {
        for (k, r) in scopes {
            println!("{} {}: {r}", user.email, k.as_str());
        }
    }
    Ok(())
}

/// `weaver user disable|enable`.
async fn set_disabled(
    store: &Store,
    email: &str,
    disabled: bool,
    json: bool,
) -> anyhow::Result<()> {
    let user = account(store, email).await?;
    let unchanged = user.disabled == disabled;
    if !unchanged {
        store.set_disabled(user.id, disabled).await?;
    }
    let user = store.user(user.id).await?;
    if json {
        println!(
            "{}",
            serde_json::json!({ "user": user, "changed": !unchanged })
        );
    } else if unchanged {
        println!(
            "{} is already {}; nothing changed.",
            user.email,
            if disabled { "disabled" } else { "enabled" }
        );
    } else if disabled {
        println!(
            "Disabled {} account #{} for {}: it cannot sign in, and its sessions and API tokens have ended.",
            user.role, user.id, user.email
        );
    } else {
        println!(
            "Enabled {} account #{} for {}: it can sign in again.",
            user.role, user.id, user.email
        );
    }
    Ok(())
}

/// Creates an account with a password; returns its number.
pub async fn add_user(
    store: &Store,
    email: &str,
    name: Option<&str>,
    role: Role,
    password: String,
) -> anyhow::Result<i64> {
    let hash = weaver_server::auth::hash_password(password)
        .await
        .map_err(|e| anyhow::anyhow!(e.message))?;
    let user = store.create_user(email, name, role, Some(&hash)).await?;
    Ok(user.id)
}

/// Runs a `weaver user` subcommand.
pub fn run(cmd: &UserCommand, ctx: &Ctx) -> anyhow::Result<()> {
    let (db, json) = (ctx.db, ctx.json);
    block_on(async {
        let store = open(db).await?;
        match cmd {
            UserCommand::Add(a) => {
                let (password, made) = if a.password_stdin {
                    let mut s = String::new();
                    std::io::stdin()
                        .read_to_string(&mut s)
                        .context("cannot read the password from standard input")?;
                    (s.trim_end_matches(['\r', '\n']).to_owned(), false)
                } else {
                    (random_password()?, true)
                };
                // Check the assignments before creating anything.
                for (kind, r) in listed_scopes(&a.scopes) {
                    store
                        .check_assignment(a.role, kind, r)
                        .await
                        .context("the account was not created")?;
                }
                let id = add_user(
                    &store,
                    &a.email,
                    a.name.as_deref(),
                    a.role,
                    password.clone(),
                )
                .await?;
                if let Err(e) = assign_all(&store, id, &a.scopes).await {
                    store.erase_user(id).await?;
                    return Err(e.context("the account was not created"));
                }
                let user = store.user(id).await?;
                if json {
                    let mut v = serde_json::json!({ "user": user });
                    if made {
                        v["password"] = serde_json::json!(password);
                    }
                    println!("{v}");
                } else {
                    println!(
                        "Created {} account #{} for {}.",
                        user.role, user.id, user.email
                    );
                    if made {
                        println!("Password (shown once): {password}");
                    }
                }
            }
            UserCommand::List => {
                let users = store.users().await?;
                if json {
                    println!("{}", serde_json::to_string(&users)?);
                } else {
                    for u in users {
                        let scopes = store.scopes(u.id).await?;
                        let s: Vec<String> = scopes
                            .iter()
                            .map(|(k, r)| format!("{}:{r}", k.as_str()))
                            .collect();
                        println!(
                            "#{:<4} {:<8} {:<32} {}{}",
                            u.id,
                            u.role.as_str(),
                            u.email,
                            s.join(" "),
                            if u.disabled { " (disabled)" } else { "" }
                        );
                    }
                }
            }
            UserCommand::Token(a) => {
                let Some((user, _)) = store.user_by_email(&a.email).await? else {
                    anyhow::bail!("there is no account for {}", a.email);
                };
                let token = format!(
                    "wvr_{}",
                    weaver_server::auth::new_secret().map_err(|e| anyhow::anyhow!(e.message))?
                );
                let hash = weaver_server::auth::secret_hash(&token);
                let id = store.create_api_token(user.id, &a.name, &hash).await?;
                if json {
                    println!("{}", serde_json::json!({"id": id, "token": token}));
                } else {
                    println!("{token}");
                }
            }
            UserCommand::Assign(a) => {
                let user = account(&store, &a.email).await?;
                assign_all(&store, user.id, &a.scopes).await?;
                print_scopes(&store, &user, json).await?;
            }
            UserCommand::Disable(a) => set_disabled(&store, &a.email, true, json).await?,
            UserCommand::Enable(a) => set_disabled(&store, &a.email, false, json).await?,
            UserCommand::Remove(a) => {
                let user = account(&store, &a.email).await?;
                if !a.yes {
                    anyhow::bail!(
                        "remove erases the {} account #{} of {} with its sessions, tokens and \
                         assignments (the audit log keeps its changes under \"erased user #{}\"); \
                         this cannot be undone: add --yes to do it",
                        user.role,
                        user.id,
                        user.email,
                        user.id
                    );
                }
                store.erase_user(user.id).await?;
                if json {
                    println!("{}", serde_json::json!({ "erased": user.id }));
                } else {
                    println!(
                        "Erased {} account #{} of {}; the audit log now says \"erased user #{}\" for its changes.",
                        user.role, user.id, user.email, user.id
                    );
                }
            }
            UserCommand::Unassign(a) => {
                let user = account(&store, &a.email).await?;
                let wanted = listed_scopes(&a.scopes);
                if wanted.is_empty() {
                    anyhow::bail!(
                        "name what to unassign {} from: --cluster, --programme or --organization",
                        user.email
                    );
                }
                // Every one must be an assignment the account has, before any is removed.
                let has = store.scopes(user.id).await?;
                for (kind, r) in &wanted {
                    if !has.iter().any(|(k, h)| k == kind && h == r) {
                        let list: Vec<String> = has
                            .iter()
                            .map(|(k, h)| format!("{} {h}", k.as_str()))
                            .collect();
                        anyhow::bail!(
                            "{} is not assigned to {} '{r}' (its assignments: {}); nothing changed",
                            user.email,
                            kind.as_str(),
                            if list.is_empty() {
                                "none".to_owned()
                            } else {
                                list.join(", ")
                            }
                        );
                    }
                }
                for (kind, r) in wanted {
                    store.unassign(user.id, kind, r).await?;
                }
                print_scopes(&store, &user, json).await?;
            }
        }
        store.close().await;
        Ok(())
    })
}

/// Options of `weaver backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The new file to write (never overwritten).
    pub file: std::path::PathBuf,
}

/// Options of `weaver restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A snapshot made by `weaver backup`.
    pub file: std::path::PathBuf,
    /// Confirm that the register's current contents are to be replaced.
    #[arg(long)]
    pub yes: bool,
}

/// `weaver backup FILE`.
pub fn backup(ctx: &Ctx, args: &BackupArgs) -> anyhow::Result<()> {
    let (db, json) = (ctx.db, ctx.json);
    block_on(async {
        let store = open(db).await?;
        store.backup(&args.file).await?;
        store.close().await;
        if json {
            println!("{}", serde_json::json!({"backup": args.file}));
        } else {
            println!(
                "Wrote a snapshot of {} to {}.",
                store.url(),
                args.file.display()
            );
        }
        Ok(())
    })
}

/// `weaver restore FILE --yes`.
pub fn restore(ctx: &Ctx, args: &RestoreArgs) -> anyhow::Result<()> {
    let (db, json) = (ctx.db, ctx.json);
    block_on(async {
        let store = open(db).await?;
        if !args.yes {
            let rows = store.total_rows().await?;
            anyhow::bail!(
                "restore replaces everything {} holds ({rows} register rows, with its accounts and audit log) \
                 with {}; add --yes to do it",
                store.url(),
                args.file.display()
            );
        }
        store.restore(&args.file).await?;
        let rows = store.total_rows().await?;
        store.close().await;
        if json {
            println!(
                "{}",
                serde_json::json!({"restored": args.file, "rows": rows})
            );
        } else {
            println!(
                "Restored {} from {} ({rows} register rows).",
                store.url(),
                args.file.display()
            );
        }
        Ok(())
    })
}
