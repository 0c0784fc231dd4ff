//! What the command-line suites share, written once: running the built
//! binary, writing input files, reading what a run printed, serving a
//! register with `weaver serve` and talking to it over HTTP, and comparing
//! numbers.
//!
//! A suite imports what it uses; where a suite has always called a helper by
//! another name, it imports it under that name (`use common::run as
//! weaver;`), so that its tests read as before.
// Each suite compiles this module on its own and uses part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

/// The `weaver` binary, without a `WEAVER_DB` from the environment.
pub fn binary() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_weaver"));
    c.env_remove("WEAVER_DB");
    c
}

/// [`binary`], logging warnings only (for servers and long runs).
pub fn quiet() -> Command {
    let mut c = binary();
    c.env("WEAVER_LOG", "warn");
    c
}

/// [`quiet`], started in `dir`.
pub fn quiet_in(dir: &Path) -> Command {
    let mut c = quiet();
    c.current_dir(dir);
    c
}

/// Runs `weaver ARGS` in `dir`, without a `WEAVER_DB` from the environment.
pub fn weaver(dir: &Path, args: &[&str]) -> Output {
    binary()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the weaver binary runs")
}

/// Runs `weaver ARGS` where the test runs, for the commands that read and
/// write only the files their arguments name (by absolute path).
pub fn run(args: &[&str]) -> Output {
    binary()
        .args(args)
        .output()
        .expect("the weaver binary runs")
}

/// Runs `weaver --db sqlite://demo.db ARGS` in `dir` (quietly), which must
/// succeed, and gives what it printed as JSON, or as a JSON string when it
/// is not JSON.
pub fn on_demo(dir: &Path, args: &[&str]) -> Value {
    let out = quiet_in(dir)
        .args(["--db", "sqlite://demo.db"])
        .args(args)
        .output()
        .expect("the weaver binary runs");
    assert!(
        out.status.success(),
        "weaver {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    serde_json::from_str(&text).unwrap_or(Value::String(text))
}

/// What a run printed: standard output, then standard error.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The standard output of a run that must have succeeded (the message
/// shows what it printed when it did not).
pub fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", text(o));
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// The standard output of a run, whether it succeeded or not.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// The standard error of a run, whether it succeeded or not.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Writes `content` to `dir/name`, making the folders on the way; its path.
pub fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, content).unwrap();
    path
}

/// Writes `content` to `dir/name` (as [`write`]) and gives its path as a
/// command-line argument.
pub fn input(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> String {
    arg(&write(dir, name, content)).to_owned()
}

/// A path as a command-line argument.
pub fn arg(p: &Path) -> &str {
    p.to_str().expect("a test path is UTF-8")
}

/// The files of `dir` (not its folders' contents) with their bytes, by
/// name: two exports are the same when these are.
pub fn read_dir_sorted(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Equal numbers (to 1e-9 relative, see `weaver_testkit::close`), or both
/// without a value.
pub fn close(a: &Value, b: &Value) -> bool {
    weaver_testkit::close_json(a, b, 1e-9)
}

/// A running `weaver serve`, stopped when dropped.
pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `weaver --db DB serve` in `dir` on a free port of 127.0.0.1; the
/// server and the address (`host:port`) it printed.
pub fn serve(dir: &Path, db: &str) -> (Server, String) {
    let mut child = quiet_in(dir)
        .args(["--db", db, "serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .unwrap_or_else(|| panic!("no address in: {line}"))
        .to_owned();
    (server, addr)
}

/// A plain HTTP/1.1 request with a bearer token when `token` is given; the
/// status and the body.
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out[9..12].parse().unwrap();
    let body = out
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// [`http`] with a token; the status and the body as JSON (Null when it is
/// not JSON).
pub fn http_json(addr: &str, method: &str, path: &str, token: &str, body: &str) -> (u16, Value) {
    let (status, body) = http(addr, method, path, Some(token), body);
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

/// A GET with a token (see [`http_json`]).
pub fn http_get(addr: &str, path: &str, token: &str) -> (u16, Value) {
    http_json(addr, "GET", path, token, "")
}
