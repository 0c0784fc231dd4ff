//! One module per group of subcommands.

pub mod evaluate;
pub mod from_register;
pub mod map;
pub mod network;
pub mod platform;
pub mod register;
