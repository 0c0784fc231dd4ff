//! Register commands: `init`, `import`, `import-cordis`, `export`, `stats`,
//! and the shared steps of reading a package and importing it.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::Ctx;
use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use weaver_core::enums::Role;
use weaver_core::{Package, PackageBuilder, Rejected};
use weaver_store::{ImportOptions, ImportReport, ScopeKind, Store};

/// Runs an async block on a fresh runtime (the CLI is otherwise synchronous).
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime starts")
        .block_on(f)
}

/// The busy timeout of `--busy-timeout-ms`, set once by [`crate::run`].
static BUSY_TIMEOUT: std::sync::OnceLock<std::time::Duration> = std::sync::OnceLock::new();

/// Sets how long writes wait for another writer's lock (`--busy-timeout-ms`).
pub fn set_busy_timeout(timeout: std::time::Duration) {
    let _ = BUSY_TIMEOUT.set(timeout);
}

/// Opens the register named by `--db`.
pub async fn open(db: &str) -> anyhow::Result<Store> {
    let mut options = weaver_store::OpenOptions::default();
    if let Some(t) = BUSY_TIMEOUT.get() {
        options.busy_timeout = *t;
    }
    Ok(Store::open_with(db, &options).await?)
}

/// `weaver init`.
pub fn init(ctx: &Ctx) -> anyhow::Result<()> {
    let (db, json) = (ctx.db, ctx.json);
    block_on(async {
        let store = open(db).await?;
        let rows = store.total_rows().await?;
        if json {
            println!("{}", serde_json::json!({ "db": store.url(), "rows": rows }));
        } else {
            println!("The register is ready at {} ({rows} rows).", store.url());
            if rows == 0 {
                println!("Next: `weaver import PACKAGE` or `weaver demo` to fill it.");
            }
        }
        store.close().await;
        Ok(())
    })
}

/// Arguments of `weaver import`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  weaver import data/           # a folder of CSV files with datapackage.json\n  weaver import cluster.zip --dry-run\n  weaver import monitoring-2024.xlsx\n  WEAVER_LOG=debug weaver import data/   # each step's time on standard error"
)]
pub struct ImportArgs {
    /// The package: a folder of CSV files, a .zip of one, or an .xlsx workbook
    /// with one sheet per table.
    pub path: PathBuf,
    /// Report what would be added, changed and left alone; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// How many problems to list before only counting the rest.
    #[arg(long, default_value_t = weaver_core::problem::DEFAULT_PROBLEM_LIMIT)]
    pub max_problems: usize,
    /// Caps on what a .zip or .xlsx package may expand to.
    #[command(flatten)]
    pub archive: ArchiveArgs,
}

/// Caps on what a `.zip` package or `.xlsx` workbook may expand to (a zip
/// bomb is refused after expanding at most the cap).
#[derive(Debug, Clone, Args)]
pub struct ArchiveArgs {
    /// Largest total expanded size of a .zip or .xlsx package's entries, in MiB.
    #[arg(long, env = "WEAVER_MAX_EXPANDED_MB", default_value_t = weaver_io::ArchiveLimits::DEFAULT_MAX_EXPANDED >> 20)]
    pub max_expanded_mb: u64,
    /// Most entries a .zip or .xlsx package may hold.
    #[arg(long, env = "WEAVER_MAX_ENTRIES", default_value_t = weaver_io::ArchiveLimits::DEFAULT_MAX_ENTRIES)]
    pub max_entries: usize,
}

impl ArchiveArgs {
    /// The caps as weaver-io takes them.
    pub fn limits(&self) -> weaver_io::ArchiveLimits {
        weaver_io::ArchiveLimits {
            max_expanded: self.max_expanded_mb.max(1) << 20,
            max_entries: self.max_entries.max(1),
        }
    }
}

/// A progress bar on standard error that appears only when the work has
/// taken more than a second and standard error is a terminal.
pub struct Progress {
    started: Instant,
    bar: Option<ProgressBar>,
    quiet: bool,
    unit: &'static str,
}

impl Progress {
    /// A progress reporter; `quiet` turns it off (for `--json`).
    pub fn new(quiet: bool) -> Self {
        Progress {
            started: Instant::now(),
            bar: None,
            quiet,
            unit: "{pos}/{len} rows",
        }
    }

    /// A progress reporter counting bytes instead of rows.
    pub fn in_bytes(quiet: bool) -> Self {
        Progress {
            unit: "{bytes}/{total_bytes}",
            ..Progress::new(quiet)
        }
    }

    /// Reports `done` of `total` rows (or bytes) of `what`.
    pub fn update(&mut self, what: &str, done: usize, total: usize) {
        if self.quiet || self.started.elapsed() < Duration::from_secs(1) {
            return;
        }
        let bar = self.bar.get_or_insert_with(|| {
            let bar =
                ProgressBar::with_draw_target(Some(0), indicatif::ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(&format!(
                    "{{msg:>20}} [{{bar:40}}] {} ({{elapsed}})",
                    self.unit
                ))
                .expect("a valid template")
                .progress_chars("=> "),
            );
            bar
        });
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        bar.set_message(what.to_owned());
    }

    /// Removes the bar.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// Finishes a package read from files or a source adapter: checks references
/// against the register and prints the notices.
pub async fn check(
    store: &Store,
    pkg: PackageBuilder,
    json: bool,
) -> anyhow::Result<Result<Package, Rejected>> {
    let result = store.check_package(pkg).await?;
    if let Ok(p) = &result
        && !json
    {
        for n in &p.notices {
            eprintln!("note: {n}");
        }
    }
    Ok(result)
}

/// Imports a checked package and prints the report; a refused package prints
/// its problems and fails. Gives the package back with the report. `extra`
/// fields are added to the `--json` answer.
pub async fn import_checked(
    store: &Store,
    checked: Result<Package, Rejected>,
    options: &ImportOptions,
    json: bool,
    extra: &serde_json::Map<String, serde_json::Value>,
) -> anyhow::Result<(ImportReport, Package)> {
    let package = match checked {
        Ok(p) => p,
        Err(rejected) => {
            if json {
                let problems = rejected.0.list();
                let mut v = serde_json::json!({
                    "ok": false,
                    "problems_total": rejected.0.total(),
                    "problems": problems,
                });
                if let Some(o) = v.as_object_mut() {
                    o.extend(extra.clone());
                }
                println!("{}", serde_json::to_string_pretty(&v)?);
            }
            return Err(rejected.into());
        }
    };
    let mut progress = Progress::new(json);
    let report = store
        .import(&package, options, &mut |t: &str, d: usize, n: usize| {
            progress.update(t, d, n)
        })
        .await?;
    progress.finish();
    tracing::debug!(elapsed = ?progress.started.elapsed(), "package imported");
    print_report(&package, &report, json, extra)?;
    Ok((report, package))
}

fn print_report(
    package: &Package,
    report: &ImportReport,
    json: bool,
    extra: &serde_json::Map<String, serde_json::Value>,
) -> anyhow::Result<()> {
    if json {
        let mut v = serde_json::json!({
            "ok": true,
            "package": package.name,
            "dry_run": report.dry_run,
            "tables": report.tables,
            "notices": package.notices,
            "warnings": report.warnings,
        });
        if let Some(o) = v.as_object_mut() {
            o.extend(extra.clone());
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    let (a, c, u) = report.totals();
    let verb = if report.dry_run { "would add" } else { "added" };
    println!(
        "{:<20} {:>10} {:>10} {:>10}",
        "table",
        if report.dry_run { "would add" } else { "added" },
        if report.dry_run {
            "would change"
        } else {
            "changed"
        },
        "unchanged"
    );
    for t in &report.tables {
        println!(
            "{:<20} {:>10} {:>10} {:>10}",
            t.table, t.added, t.changed, t.unchanged
        );
    }
    // A table of text shows the first warnings; `--json` gives them all.
    const SHOWN: usize = 20;
    for w in report.warnings.iter().take(SHOWN) {
        println!("warning: {w}");
    }
    if report.warnings.len() > SHOWN {
        println!(
            "warning: … and {} more (--json lists every warning)",
            report.warnings.len() - SHOWN
        );
    }
    if report.dry_run {
        println!(
            "Dry run of '{}': {verb} {a}, would change {c}, leave {u} alone. Nothing was written.",
            package.name
        );
    } else {
        println!(
            "Imported '{}': {verb} {a}, changed {c}, left {u} alone.",
            package.name
        );
    }
    Ok(())
}

/// `weaver import PATH`.
pub fn import(ctx: &Ctx, args: &ImportArgs) -> anyhow::Result<()> {
    let (db, json) = (ctx.db, ctx.json);
    no_huge_pages();
    let started = Instant::now();
    let pkg =
        weaver_io::read_package_limited(&args.path, args.max_problems, &args.archive.limits())?;
    tracing::debug!(elapsed = ?started.elapsed(), "package read");
    import_package(db, json, pkg, args.dry_run, &serde_json::Map::new())
}

/// Turns transparent huge pages off for this process (Linux). An import
/// holds its package in memory once, a few hundred MiB for a million rows;
/// where the kernel makes huge pages on request (`defrag = madvise`, as
/// Debian does), it compacts memory to find them, which added 0.3-0.5 s of
/// system time to every other import of the benchmark's package and saved
/// nothing in the others (bench/RESULTS.md, register).
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and changes only how
    // the kernel backs this process's memory; a failure (an old kernel)
    // leaves it as it was, which is harmless.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Checks a package read from any source against the register and imports it.
fn import_package(
    db: &str,
    json: bool,
    pkg: PackageBuilder,
    dry_run: bool,
    extra: &serde_json::Map<String, serde_json::Value>,
) -> anyhow::Result<()> {
    block_on(async {
        let store = open(db).await?;
        let started = Instant::now();
        let checked = check(&store, pkg, json).await?;
        tracing::debug!(elapsed = ?started.elapsed(), "package checked against the register");
        let result = import_checked(&store, checked, &ImportOptions { dry_run }, json, extra).await;
        store.close().await;
        // The command ends here and the process with it: freeing the
        // package's rows one by one would only delay that (43 ms for a
        // million rows); the system takes the memory back at exit.
        result.map(|(_, package)| std::mem::forget(package))
    })
}

/// Arguments of `weaver export`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  weaver export out/            # a folder of CSV files with datapackage.json\n  weaver export register.zip\n  weaver export register.xlsx   # one sheet per table"
)]
pub struct ExportArgs {
    /// Where to write: a folder (created if needed), a .zip or an .xlsx.
    pub path: PathBuf,
    /// The package name written into datapackage.json.
    #[arg(long, default_value = "weaver-register")]
    pub name: String,
}

/// `weaver export PATH`.
pub fn export(ctx: &Ctx, args: &ExportArgs) -> anyhow::Result<()> {
    let (db, json) = (ctx.db, ctx.json);
    block_on(async {
        let store = open(db).await?;
        let tables = store.export().await?;
        let boundaries = store.boundaries().await?;
        store.close().await;
        let format = weaver_io::write_package_full(
            &args.path,
            &args.name,
            &tables,
            boundaries.as_deref(),
            None,
        )
        .with_context(|| format!("cannot export to {}", args.path.display()))?;
        let counts: Vec<(&str, usize)> = tables
            .iter()
            .map(|t| (t.schema.name, t.rows.len()))
            .collect();
        if json {
            let tables: serde_json::Map<String, serde_json::Value> = counts
                .iter()
                .map(|(t, n)| ((*t).to_owned(), serde_json::json!(n)))
                .collect();
            println!(
                "{}",
                serde_json::json!({ "path": args.path, "format": format!("{format:?}").to_lowercase(), "tables": tables })
            );
        } else {
            let total: usize = counts.iter().map(|(_, n)| n).sum();
            println!(
                "Exported {total} rows in {} tables to {}.",
                counts.len(),
                args.path.display()
            );
        }
        Ok(())
    })
}

/// `weaver stats`.
pub fn stats(ctx: &Ctx) -> anyhow::Result<()> {
    let (db, json) = (ctx.db, ctx.json);
    block_on(async {
        let store = open(db).await?;
        let counts = store.counts().await?;
        store.close().await;
        if json {
            let m: serde_json::Map<String, serde_json::Value> = counts
                .iter()
                .map(|(t, n)| ((*t).to_owned(), serde_json::json!(n)))
                .collect();
            println!("{}", serde_json::Value::Object(m));
        } else {
            println!("{:<20} {:>10}", "table", "rows");
            for (t, n) in &counts {
                println!("{t:<20} {n:>10}");
            }
            println!(
                "{:<20} {:>10}",
                "total",
                counts.iter().map(|(_, n)| n).sum::<i64>()
            );
        }
        Ok(())
    })
}

/// Arguments of `weaver import-cordis`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  weaver import-cordis cordis-h2020/             # holds project.csv and organization.csv\n  weaver import-cordis cordis-horizon/ --dry-run # the warnings and counts, nothing written\n\nEmpty cells are derived where they can be (the funding year from the signature\nor end date, the amount from the participations) or left empty, each kind of\ngap reported as a warning with its count and first rows. A participation in a\nproject the dump lacks refuses the whole dump."
)]
pub struct CordisArgs {
    /// A folder holding CORDIS's project.csv and organization.csv (Horizon
    /// Europe layout, or Horizon 2020's first edition).
    pub dir: PathBuf,
    /// Report the warnings and what would be added, changed and left alone;
    /// change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// How many problems to list before only counting the rest.
    #[arg(long, default_value_t = weaver_core::problem::DEFAULT_PROBLEM_LIMIT)]
    pub max_problems: usize,
}

/// `weaver import-cordis DIR`: reads the dump, prints a warning per kind of
/// gap (on standard error, or as `warnings` in `--json`), and imports it.
pub fn import_cordis(ctx: &Ctx, args: &CordisArgs) -> anyhow::Result<()> {
    let (db, json) = (ctx.db, ctx.json);
    no_huge_pages();
    let started = Instant::now();
    let mut progress = Progress::in_bytes(json);
    let dump = weaver_io::cordis::read_cordis_with_progress(
        &args.dir,
        args.max_problems,
        &mut |what, done, total| progress.update(what, done, total),
    )
    .with_context(|| format!("cannot read the CORDIS files in {}", args.dir.display()))?;
    progress.finish();
    tracing::debug!(elapsed = ?started.elapsed(), "CORDIS files read");
    let mut extra = serde_json::Map::new();
    if json {
        extra.insert("layout".into(), dump.layout.name().into());
        extra.insert("warnings".into(), serde_json::to_value(&dump.warnings)?);
    } else {
        for w in &dump.warnings {
            eprintln!("warning: {w}");
        }
    }
    import_package(db, json, dump.builder, args.dry_run, &extra)
}

/// Arguments of `weaver demo`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  weaver demo                    # build the demo register in weaver.db\n  weaver --db sqlite://demo.db demo --no-serve\n  weaver demo --force --seed 7   # replace what the register holds\n  weaver --db sqlite://big.db demo --organizations 100000 --ties 1000000 --no-serve"
)]
pub struct DemoArgs {
    /// Only build the register; do not serve it.
    #[arg(long)]
    pub no_serve: bool,
    /// Replace the contents of a register that already holds data.
    #[arg(long)]
    pub force: bool,
    /// Seed of the synthetic data: the same seed gives the same register.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Number of organizations (everything else scales with it).
    #[arg(long, default_value_t = 2000)]
    pub organizations: usize,
    /// Number of collaboration ties (default: four per organization). Fewer
    /// are made only when the organizations cannot hold that many distinct
    /// ties.
    #[arg(long)]
    pub ties: Option<usize>,
    #[command(flatten)]
    pub serve: super::platform::ServeArgs,
}

/// The demo account of a role: its e-mail and a password derived from the
/// seed, so that the same demo always has the same logins (they guard
/// synthetic data only).
fn demo_login(role: Role, seed: u64) -> (String, String) {
    (
        format!("{}@weaver.demo", role.as_str()),
        format!("weaver-demo-{}-{seed}", role.as_str()),
    )
}

/// Makes (or finds) the demo account of a role; returns its number.
async fn demo_account(store: &Store, role: Role, seed: u64) -> anyhow::Result<i64> {
    let (email, password) = demo_login(role, seed);
    Ok(match store.user_by_email(&email).await? {
        Some((u, _)) => u.id,
        None => {
            super::platform::add_user(store, &email, Some("Demo account"), role, password).await?
        }
    })
}

/// `weaver demo`: builds the seeded synthetic register, makes one account per
/// role, and serves it (unless `--no-serve`).
pub fn demo(ctx: &Ctx, args: &DemoArgs) -> anyhow::Result<()> {
    let (db, json) = (ctx.db, ctx.json);
    block_on(async {
        let store = open(db).await?;
        let rows = store.total_rows().await?;
        if rows > 0 {
            if !args.force {
                anyhow::bail!(
                    "the register at {} already holds {rows} rows; the demo would mix with them. \
                     Use another --db, or add --force to replace its contents",
                    store.url()
                );
            }
            store.clear().await?;
        }
        let options = crate::demo::DemoOptions {
            seed: args.seed,
            organizations: args.organizations,
            ties: args.ties,
        };
        let pkg = crate::demo::build(&options);
        let checked = check(&store, pkg, json).await?;
        import_checked(
            &store,
            checked,
            &ImportOptions::default(),
            json,
            &serde_json::Map::new(),
        )
        .await?;
        let admin_id = demo_account(&store, Role::Admin, args.seed).await?;
        let admin = store.principal(admin_id).await?;
        let first = |table: &'static str, filter: Option<(&'static str, String)>| {
            let admin = &admin;
            let store = &store;
            async move {
                let t = weaver_core::schema::table(table).context("known table")?;
                let q = weaver_store::ListQuery {
                    filters: filter.into_iter().map(|(c, v)| (c.to_owned(), v)).collect(),
                    limit: 1,
                    ..Default::default()
                };
                let page = store.list(t, Some(admin), &q).await?;
                let col = if t.has_id() {
                    0
                } else {
                    t.position("org").unwrap_or(0)
                };
                anyhow::Ok(page.rows.first().map(|r| r.values[col].to_text()))
            }
        };
        let cluster = first("clusters", None).await?;
        // The officer's programme funds the manager's cluster, so that the
        // demo's officer can monitor the cluster the demo's manager runs
        // (open a campaign for it, rank it); any programme otherwise.
        let programme = match &cluster {
            Some(c) => first("programme_clusters", Some(("cluster", c.clone()))).await?,
            None => None,
        };
        let programme = match programme {
            Some(p) => Some(p),
            None => first("programmes", None).await?,
        };
        let member_org = match &cluster {
            Some(c) => first("memberships", Some(("cluster", c.clone()))).await?,
            None => None,
        };
        let mut logins = Vec::new();
        for (role, scope) in [
            (Role::Admin, None),
            (Role::Officer, programme.map(|p| (ScopeKind::Programme, p))),
            (Role::Manager, cluster.map(|c| (ScopeKind::Cluster, c))),
            (
                Role::Member,
                member_org.map(|o| (ScopeKind::Organization, o)),
            ),
        ] {
            let id = demo_account(&store, role, args.seed).await?;
            let (email, password) = demo_login(role, args.seed);
            if let Some((kind, r)) = &scope {
                store.assign(id, *kind, r).await?;
            }
            logins.push((role, email, password, scope.map(|(_, r)| r)));
        }
        if !json {
            println!(
                "The demo register (synthetic data, seed {}) is in {}.",
                args.seed,
                store.url()
            );
            println!("Demo accounts (one per role; for trying Weaver out, never for real data):");
            for (role, email, password, scope) in &logins {
                println!(
                    "  {:<8} {email:<24} password {password}{}",
                    role.as_str(),
                    scope
                        .as_deref()
                        .map(|s| format!("  ({s})"))
                        .unwrap_or_default()
                );
            }
            println!("Try: weaver stats · weaver export demo.xlsx");
        }
        if args.no_serve {
            store.close().await;
        } else {
            super::platform::serve_store(store, &args.serve).await?;
        }
        Ok(())
    })
}
