//! Register commands: init, import, export, stats.

pub fn init(_db: &str, _json: bool) -> anyhow::Result<()> {
    Ok(())
}
