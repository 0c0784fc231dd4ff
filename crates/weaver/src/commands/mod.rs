//! One module per group of subcommands.

pub mod args;
pub mod evaluate;
pub mod from_register;
pub mod map;
pub mod network;
pub mod platform;
pub mod register;

/// What every command group is given besides its own arguments: the
/// global options of `weaver` (the register `--db` and `--json`).
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// The register's URL (`--db`, `WEAVER_DB`).
    pub db: &'a str,
    /// JSON instead of a table or a text report (`--json`).
    pub json: bool,
}

/// Sends logs to standard error, filtered by `WEAVER_LOG` (e.g.
/// `WEAVER_LOG=debug`, `WEAVER_LOG=weaver_store=debug`); without it, at
/// `default`, or nowhere when that is `None` (the one-shot commands, whose
/// output is their report).
pub fn init_logs(default: Option<&str>) {
    let filter = match (std::env::var("WEAVER_LOG"), default) {
        (Ok(spec), _) if !spec.trim().is_empty() => tracing_subscriber::EnvFilter::new(spec),
        (_, Some(level)) => tracing_subscriber::EnvFilter::new(level),
        _ => return,
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
