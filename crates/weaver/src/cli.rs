//! The top-level command line: global options and the subcommand dispatch.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands;

/// Weaver: the register, network analytics, evaluation and mapping of industrial clusters.
#[derive(Debug, Parser)]
#[command(
    name = "weaver",
    version,
    about,
    long_about = None,
    after_help = "Logs: set WEAVER_LOG (e.g. WEAVER_LOG=debug) to see each step of long work, with its time, on standard error."
)]
pub struct Cli {
    /// Database URL: `sqlite://FILE` (created on first use) or `postgres://…`.
    #[arg(
        long,
        global = true,
        env = "WEAVER_DB",
        default_value = "sqlite://weaver.db"
    )]
    pub db: String,

    /// Print results as JSON for scripts.
    #[arg(long, global = true)]
    pub json: bool,

    /// How long a write to a SQLite register waits for another writer's
    /// lock (an import) before giving up, in milliseconds.
    #[arg(
        long,
        global = true,
        env = "WEAVER_BUSY_TIMEOUT_MS",
        default_value_t = 5000
    )]
    pub busy_timeout_ms: u64,

    #[command(subcommand)]
    pub command: Command,
}

/// Every subcommand of `weaver`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the register (or bring its schema up to date) and say where it is.
    #[command(
        after_help = "Examples:\n  weaver init\n  weaver --db postgres://postgres@127.0.0.1:5432/weaver init"
    )]
    Init,
    /// Import a data package (folder, .zip or .xlsx) into the register, in one
    /// transaction; re-importing the same package changes nothing.
    Import(commands::register::ImportArgs),
    /// Export the whole register as a data package (folder, .zip or .xlsx by the
    /// path's extension).
    Export(commands::register::ExportArgs),
    /// Import the EU Framework Programme participations as CORDIS publishes them
    /// (project.csv and organization.csv).
    ImportCordis(commands::register::CordisArgs),
    /// Build a seeded, realistic synthetic register (plainly labelled synthetic):
    /// clusters in China, Germany and France with their organizations, projects,
    /// ties, funding, indicators and regional activity.
    Demo(commands::register::DemoArgs),
    /// Rows per table of the register.
    #[command(after_help = "Examples:\n  weaver stats\n  weaver stats --json")]
    Stats,
    /// Evaluation of clusters: composite index with uncertainty, sensitivity,
    /// lifecycle stage.
    #[command(subcommand)]
    Evaluate(commands::evaluate::EvaluateCommand),
    /// Network analytics on edge lists: metrics, summary, communities, brokerage.
    #[command(subcommand)]
    Network(commands::network::NetworkCommand),
    /// Run the platform server: the register as a JSON API under /api/v1, with
    /// accounts, roles and an audit log.
    Serve(commands::platform::ServeArgs),
    /// Write a consistent snapshot of a SQLite register (with its accounts and
    /// audit log) to a new file, while it is in use.
    #[command(
        after_help = "Example:\n  weaver backup backups/weaver-2026-11-28.db\n\nFor PostgreSQL use pg_dump (the command says how)."
    )]
    Backup(commands::platform::BackupArgs),
    /// Replace everything a SQLite register holds with a snapshot made by
    /// `weaver backup`, in one transaction.
    #[command(after_help = "Example:\n  weaver restore backups/weaver-2026-11-28.db --yes")]
    Restore(commands::platform::RestoreArgs),
    /// Accounts of the platform: add (the first admin too), list, assign, unassign, token,
    /// disable, enable, remove.
    #[command(subcommand)]
    User(commands::platform::UserCommand),
    /// Cluster mapping from regional activity: LQ, strong clusters, stars,
    /// growth, relatedness and complexity.
    #[command(subcommand)]
    Map(commands::map::MapCommand),
}

/// Parses the command line, runs the subcommand and maps the outcome to an exit
/// code: 0 success, 1 failure, 2 usage (clap's own).
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    commands::register::set_busy_timeout(std::time::Duration::from_millis(cli.busy_timeout_ms));
    if !matches!(cli.command, Command::Serve(_)) {
        commands::init_logs(None);
    }
    let ctx = commands::Ctx {
        db: &cli.db,
        json: cli.json,
    };
    let result = match &cli.command {
        Command::Init => commands::register::init(&ctx),
        Command::Import(args) => commands::register::import(&ctx, args),
        Command::Export(args) => commands::register::export(&ctx, args),
        Command::Stats => commands::register::stats(&ctx),
        Command::ImportCordis(args) => commands::register::import_cordis(&ctx, args),
        Command::Demo(args) => commands::register::demo(&ctx, args),
        Command::Evaluate(cmd) => commands::evaluate::run(cmd, &ctx),
        Command::Network(cmd) => commands::network::run(cmd, &ctx),
        Command::Map(cmd) => commands::map::run(cmd, &ctx),
        Command::Backup(args) => commands::platform::backup(&ctx, args),
        Command::Restore(args) => commands::platform::restore(&ctx, args),
        Command::Serve(args) => commands::platform::serve(&ctx, args),
        Command::User(cmd) => commands::platform::run(cmd, &ctx),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}
