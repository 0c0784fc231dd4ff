//! The fixture files of the workspace's crates, by crate: a suite may read
//! another crate's fixtures (the CLI reads `weaver-io`'s CORDIS dumps) as
//! well as its own.

use std::path::{Path, PathBuf};

/// The workspace's root folder.
fn workspace() -> &'static Path {
    // This crate is crates/weaver-testkit.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .and_then(Path::parent)
        .expect("weaver-testkit lies two folders below the workspace root")
}

/// The path of `name` under `crates/{krate}/tests/fixtures`.
pub fn fixture(krate: &str, name: &str) -> PathBuf {
    workspace()
        .join("crates")
        .join(krate)
        .join("tests")
        .join("fixtures")
        .join(name)
}

/// The JSON fixture `name` of `krate` (see [`fixture`]), parsed.
///
/// # Panics
/// When the file cannot be read or is not JSON; the message names it.
pub fn json_fixture(krate: &str, name: &str) -> serde_json::Value {
    let path = fixture(krate, name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}
