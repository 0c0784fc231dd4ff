//! Arguments shared by the command groups: where a table goes
//! ([`OutArgs`]), which networks of the register to read ([`RegisterArgs`]),
//! and the parser of option values from a fixed set ([`OneOf`]).
//!
//! Option values from a fixed set are [`ValueEnum`]s parsed by [`OneOf`],
//! which lists them in `--help` and refuses anything else with the message
//! `--FLAG VALUE: expected a, b or c`.
//!
//! A command whose `--out` shows another value name in `--help` (`C.csv`,
//! `OUT.csv`) flattens [`OutArgs`] and renames it with
//! `#[command(mut_arg("out", |a| a.value_name("C.csv")))]`.

use std::ffi::OsStr;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Args, ValueEnum};

/// Where the table goes: `--out FILE` or standard output.
#[derive(Debug, Clone, Default, Args)]
pub struct OutArgs {
    /// Write the table to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

impl OutArgs {
    /// The file to write, if one was given.
    pub fn path(&self) -> Option<&Path> {
        self.out.as_deref()
    }
}

/// A cluster's network (or every cluster's) in the register named by `--db`,
/// instead of files.
#[derive(Debug, Clone, Default, Args)]
#[command(group(clap::ArgGroup::new("register").args(["cluster", "all_clusters"])))]
pub struct RegisterArgs {
    /// Read the network of this cluster from the register (`--db`) instead
    /// of files: its members, with their actor type, region, industry and
    /// size, and the ties among them.
    #[arg(long, value_name = "ID")]
    pub cluster: Option<String>,
    /// Run on the network of every cluster of the register, in id order:
    /// CSV gets a leading `cluster` column, JSON one entry per cluster id.
    #[arg(long)]
    pub all_clusters: bool,
    /// With `--cluster` or `--all-clusters`: only memberships and ties valid
    /// in this period (`2024`, `2024-Q3`, `2024-07`).
    #[arg(long, value_name = "P", requires = "register")]
    pub period: Option<String>,
}

/// A parser of a [`ValueEnum`] option whose refusal names the flag, the
/// value and the choices (`--method magic: expected leiden or louvain`).
#[derive(Debug)]
pub struct OneOf<E>(PhantomData<E>);

impl<E> Clone for OneOf<E> {
    fn clone(&self) -> Self {
        OneOf(PhantomData)
    }
}

/// The parser of `E`'s values, for `value_parser = one_of::<E>()`.
pub fn one_of<E>() -> OneOf<E> {
    OneOf(PhantomData)
}

/// The name of an option value as the command line spells it.
pub fn name_of<E: ValueEnum>(value: &E) -> String {
    value
        .to_possible_value()
        .map(|v| v.get_name().to_owned())
        .unwrap_or_default()
}

/// `a, b or c`: the values of `E`.
fn choices<E: ValueEnum>() -> String {
    let names: Vec<String> = E::value_variants().iter().map(name_of).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

impl<E: ValueEnum + Clone + Send + Sync + 'static> TypedValueParser for OneOf<E> {
    type Value = E;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<E, clap::Error> {
        let text = value.to_string_lossy();
        // Trimmed: a comma-separated list may have spaces after its commas.
        E::from_str(text.trim(), false).map_err(|_| {
            let flag = arg
                .and_then(|a| a.get_long().map(|l| format!("--{l}")))
                .unwrap_or_default();
            clap::Error::raw(
                clap::error::ErrorKind::InvalidValue,
                format!("{flag} {text}: expected {}\n", choices::<E>()),
            )
            .with_cmd(cmd)
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            E::value_variants()
                .iter()
                .filter_map(ValueEnum::to_possible_value),
        ))
    }
}
