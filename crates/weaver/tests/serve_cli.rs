//! The platform from the command line: `weaver user add` makes the first
//! admin, `weaver serve` prints its address and answers over real TCP, and a
//! token made by `weaver user token` signs requests in.

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;

mod common;
use common::{Server, http, quiet_in as weaver};

#[test]
fn first_admin_serve_and_call_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let db = "sqlite://platform.db";
    let mut add = weaver(dir.path())
        .args([
            "--db",
            db,
            "user",
            "add",
            "--email",
            "Root@Example.org",
            "--role",
            "admin",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    add.stdin
        .take()
        .unwrap()
        .write_all(b"a long enough passphrase\n")
        .unwrap();
    let out = add.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("Created admin account #1 for root@example.org")
    );

    // A second account with the same e-mail, or a role that does not exist, is refused.
    let again = weaver(dir.path())
        .args([
            "--db",
            db,
            "user",
            "add",
            "--email",
            "root@example.org",
            "--role",
            "admin",
        ])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already an account"));
    let bad = weaver(dir.path())
        .args([
            "--db",
            db,
            "user",
            "add",
            "--email",
            "x@example.org",
            "--role",
            "king",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    // A manager assigned to a cluster that does not exist is not created.
    let ghost = weaver(dir.path())
        .args([
            "--db",
            db,
            "user",
            "add",
            "--email",
            "m@example.org",
            "--role",
            "manager",
            "--cluster",
            "nowhere",
        ])
        .output()
        .unwrap();
    assert!(!ghost.status.success());
    assert!(String::from_utf8_lossy(&ghost.stderr).contains("nowhere"));

    let token = weaver(dir.path())
        .args(["--db", db, "user", "token", "--email", "root@example.org"])
        .output()
        .unwrap();
    assert!(token.status.success());
    let token = String::from_utf8(token.stdout).unwrap().trim().to_owned();
    assert!(token.starts_with("wvr_"));

    let mut child = weaver(dir.path())
        .args(["--db", db, "serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _server = Server(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .unwrap_or_else(|| panic!("no address in: {line}"))
        .to_owned();

    assert_eq!(http(&addr, "GET", "/healthz", None, "").0, 200);
    let (status, body) = http(&addr, "GET", "/api/v1/auth/me", Some(&token), "");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"role\":\"admin\""), "{body}");
    let (status, body) = http(
        &addr,
        "POST",
        "/api/v1/auth/login",
        None,
        r#"{"email": "root@example.org", "password": "a long enough passphrase"}"#,
    );
    assert_eq!(status, 200, "{body}");
    let (status, _) = http(
        &addr,
        "POST",
        "/api/v1/clusters",
        Some(&token),
        r#"{"id": "c1", "name": "Test cluster", "region": "320500"}"#,
    );
    assert_eq!(status, 201);
    let (status, body) = http(&addr, "GET", "/api/v1/clusters/c1", None, "");
    assert_eq!(status, 200);
    assert!(body.contains("Test cluster"));
    let (status, body) = http(&addr, "POST", "/api/v1/clusters", None, "{}");
    assert_eq!(status, 401, "{body}");
}

#[test]
fn backup_and_restore_a_register_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let db = "sqlite://reg.db";
    let run = |args: &[&str]| {
        let mut full = vec!["--db", db];
        full.extend_from_slice(args);
        weaver(dir.path()).args(&full).output().unwrap()
    };
    let ok = |out: std::process::Output| {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    ok(run(&["demo", "--organizations", "150", "--no-serve"]));
    let before = ok(run(&["export", "before"]));
    assert!(before.contains("before"));
    ok(run(&["backup", "snap.db"]));
    // A backup never overwrites.
    let again = run(&["backup", "snap.db"]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    // Change the register, then restore: it is as it was, accounts included.
    ok(run(&[
        "user",
        "add",
        "--email",
        "late@example.org",
        "--role",
        "admin",
    ]));
    ok(run(&[
        "demo",
        "--force",
        "--seed",
        "7",
        "--organizations",
        "120",
        "--no-serve",
    ]));
    let refused = run(&["restore", "snap.db"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--yes"));
    ok(run(&["restore", "snap.db", "--yes"]));
    ok(run(&["export", "after"]));
    for f in std::fs::read_dir(dir.path().join("before")).unwrap() {
        let f = f.unwrap();
        let a = std::fs::read(f.path()).unwrap();
        let b = std::fs::read(dir.path().join("after").join(f.file_name())).unwrap();
        assert!(
            a == b,
            "{} differs after restore",
            f.file_name().to_string_lossy()
        );
    }
    let users = ok(run(&["user", "list"]));
    assert!(
        users.contains("admin@weaver.demo") && !users.contains("late@example.org"),
        "{users}"
    );
    // Not a backup: refused, nothing changed.
    std::fs::write(dir.path().join("junk.db"), b"not a database").unwrap();
    let junk = run(&["restore", "junk.db", "--yes"]);
    assert!(!junk.status.success());
    assert!(String::from_utf8_lossy(&junk.stderr).contains("not a Weaver backup"));
    let users_after = ok(run(&["user", "list"]));
    assert_eq!(users, users_after);
}
