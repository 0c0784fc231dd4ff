//! What the command-line suites share: running the built binary in a
//! directory and writing input files.
// Each suite compiles this module on its own and uses part of it.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs `weaver ARGS` in `dir`, without a `WEAVER_DB` from the environment.
pub fn weaver(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_weaver"))
        .current_dir(dir)
        .env_remove("WEAVER_DB")
        .args(args)
        .output()
        .expect("the weaver binary runs")
}

/// What a run printed: standard output, then standard error.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Writes `content` to `dir/name`, making the folders on the way.
pub fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) {
    std::fs::create_dir_all(dir.join(name).parent().unwrap()).unwrap();
    std::fs::write(dir.join(name), content).unwrap();
}
