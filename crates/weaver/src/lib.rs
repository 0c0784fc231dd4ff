//! The `weaver` command-line program. `main.rs` only calls [`run`]; each
//! subcommand lives in a module under `commands/`.

mod cli;
pub mod commands;
pub mod demo;
pub mod output;

pub use cli::run;
