//! Several `weaver serve` processes on one PostgreSQL database (README,
//! "Operations"): two servers take writes from several clients at once, one
//! is killed with SIGKILL in the middle, and afterwards every acknowledged
//! write is there exactly once with exactly one audit entry, nothing is there
//! twice, the survivor answered every request, and each server saw the
//! other's changes.
//!
//! Needs PostgreSQL (`WEAVER_TEST_PG`); skipped with a SKIPPED line when none
//! answers, and failed instead where `WEAVER_REQUIRE_PG` or `CI` is set (as
//! in `.ci/run`).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdout, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;
use common::quiet as weaver;

/// Client threads writing at once.
const CLIENTS: usize = 6;
/// Writes each client makes, alternating between the two servers.
const WRITES_PER_CLIENT: usize = 60;
/// Acknowledged writes after which server A is killed.
const KILL_AFTER: usize = 120;
/// Longest wait for one server to show another's change.
const SEE_WITHIN: Duration = Duration::from_secs(5);

/// What became of one request.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    /// An answer: its status and body.
    Answered(u16, String),
    /// No connection: the request was never sent.
    Refused,
    /// Sent, but the answer was lost (the server died): it may have been done.
    Lost(String),
}

/// A plain HTTP/1.1 request over its own connection.
fn http(addr: &str, method: &str, path: &str, token: &str, body: &str) -> Outcome {
    let mut s = match TcpStream::connect(addr) {
        Ok(s) => s,
        Err(_) => return Outcome::Refused,
    };
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let sent = write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Authorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    if let Err(e) = sent {
        return Outcome::Lost(e.to_string());
    }
    let mut out = Vec::new();
    if let Err(e) = s.read_to_end(&mut out) {
        return Outcome::Lost(e.to_string());
    }
    let out = String::from_utf8_lossy(&out).into_owned();
    let Some(status) = out.get(9..12).and_then(|s| s.parse().ok()) else {
        return Outcome::Lost(format!("no status line in {out:?}"));
    };
    let body = out
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Outcome::Answered(status, body)
}

/// A request that must be answered; its status and body.
fn call(addr: &str, method: &str, path: &str, token: &str, body: &str) -> (u16, String) {
    match http(addr, method, path, token, body) {
        Outcome::Answered(s, b) => (s, b),
        other => panic!("{method} {path} to {addr}: {other:?}"),
    }
}

/// A running `weaver serve`, killed (SIGKILL) when dropped.
struct Server {
    child: Child,
    addr: String,
    // Kept open so that the server's later output has somewhere to go.
    _stdout: BufReader<ChildStdout>,
}

impl Server {
    fn start(db: &str) -> Server {
        let mut child = weaver()
            .args(["--db", db, "serve", "--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .unwrap_or_else(|| panic!("no address in: {line:?}"))
            .to_owned();
        Server {
            child,
            addr,
            _stdout: stdout,
        }
    }

    /// `kill -9`: the process ends at once, requests in flight included.
    fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `addr` (up to [`SEE_WITHIN`]) until GET `path` answers 200 with a
/// body containing `needle`.
fn sees(addr: &str, path: &str, token: &str, needle: &str) -> bool {
    let start = Instant::now();
    loop {
        let (status, body) = call(addr, "GET", path, token, "");
        if status == 200 && body.contains(needle) {
            return true;
        }
        if start.elapsed() > SEE_WITHIN {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn org(id: &str, name: &str) -> String {
    format!(r#"{{"id": "{id}", "name": "{name}", "actor_type": "enterprise"}}"#)
}

/// Every organization id the register holds, with how often it is listed.
fn listed(addr: &str, token: &str) -> BTreeMap<String, usize> {
    let mut ids = BTreeMap::new();
    let mut offset = 0;
    loop {
        let (status, body) = call(
            addr,
            "GET",
            &format!("/api/v1/organizations?limit=500&offset={offset}"),
            token,
            "",
        );
        assert_eq!(status, 200, "{body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        let rows = v["rows"]
            .as_array()
            .unwrap_or_else(|| panic!("no rows in {body}"));
        for r in rows {
            *ids.entry(r["id"].as_str().unwrap().to_owned()).or_insert(0) += 1;
        }
        if rows.len() < 500 {
            return ids;
        }
        offset += rows.len();
    }
}

/// The audit log's entries on organizations: (action, key) of each.
fn audited(addr: &str, token: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let (status, body) = call(
            addr,
            "GET",
            &format!("/api/v1/audit?table=organizations&limit=1000&offset={offset}"),
            token,
            "",
        );
        assert_eq!(status, 200, "{body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        let entries = v["entries"].as_array().unwrap();
        for e in entries {
            out.push((
                e["action"].as_str().unwrap().to_owned(),
                e["key"].as_str().unwrap().to_owned(),
            ));
        }
        if entries.len() < 1000 {
            return out;
        }
        offset += entries.len();
    }
}

#[test]
fn two_servers_share_one_postgres_database_and_survive_a_kill() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some((db, name)) = rt.block_on(weaver_testkit::fresh_postgres("weaver_multi")) else {
        return;
    };
    let result = std::panic::catch_unwind(|| scenario(&db));
    rt.block_on(weaver_testkit::drop_postgres(Some(name)));
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

fn scenario(db: &str) {
    let mut add = weaver()
        .args([
            "--db",
            db,
            "user",
            "add",
            "--email",
            "admin@example.org",
            "--role",
            "admin",
        ])
        .output()
        .unwrap();
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    add = weaver()
        .args(["--db", db, "user", "token", "--email", "admin@example.org"])
        .output()
        .unwrap();
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    let token = String::from_utf8(add.stdout).unwrap().trim().to_owned();

    let mut a = Server::start(db);
    let b = Server::start(db);
    let (aa, ba) = (a.addr.clone(), b.addr.clone());

    // Each server sees the other's changes: a new row, then a new name
    // (through the row and through a search, both answered from each
    // server's page cache).
    let (s, body) = call(
        &aa,
        "POST",
        "/api/v1/organizations",
        &token,
        &org("seen-a", "Made through A"),
    );
    assert_eq!(s, 201, "{body}");
    assert!(sees(
        &ba,
        "/api/v1/organizations/seen-a",
        &token,
        "Made through A"
    ));
    let (s, body) = call(
        &ba,
        "POST",
        "/api/v1/organizations",
        &token,
        &org("seen-b", "Made through B"),
    );
    assert_eq!(s, 201, "{body}");
    assert!(sees(
        &aa,
        "/api/v1/organizations/seen-b",
        &token,
        "Made through B"
    ));
    assert!(sees(
        &ba,
        "/api/v1/organizations?q=Renamed",
        &token,
        "\"rows\":[]"
    ));
    let (s, body) = call(
        &aa,
        "PATCH",
        "/api/v1/organizations/seen-b",
        &token,
        r#"{"name": "Renamed through A"}"#,
    );
    assert_eq!(s, 200, "{body}");
    assert!(sees(
        &ba,
        "/api/v1/organizations/seen-b",
        &token,
        "Renamed through A"
    ));
    assert!(sees(
        &ba,
        "/api/v1/organizations?q=Renamed",
        &token,
        "\"seen-b\""
    ));

    // Concurrent writes through both; A is killed once KILL_AFTER of them
    // have been acknowledged.
    let acked = Arc::new(AtomicUsize::new(0));
    let outcomes: Arc<Mutex<Vec<(String, bool, Outcome)>>> = Arc::default();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (aa, ba, token) = (aa.clone(), ba.clone(), token.clone());
            let (acked, outcomes) = (acked.clone(), outcomes.clone());
            std::thread::spawn(move || {
                for i in 0..WRITES_PER_CLIENT {
                    let id = format!("w-{c}-{i}");
                    let to_a = (c + i) % 2 == 0;
                    let o = http(
                        if to_a { &aa } else { &ba },
                        "POST",
                        "/api/v1/organizations",
                        &token,
                        &org(&id, &format!("Written by client {c}")),
                    );
                    if matches!(o, Outcome::Answered(201, _)) {
                        acked.fetch_add(1, Ordering::SeqCst);
                    }
                    outcomes.lock().unwrap().push((id, to_a, o));
                }
            })
        })
        .collect();
    while acked.load(Ordering::SeqCst) < KILL_AFTER {
        std::thread::sleep(Duration::from_millis(1));
    }
    a.kill();
    for c in clients {
        c.join().unwrap();
    }
    let outcomes = Arc::try_unwrap(outcomes).unwrap().into_inner().unwrap();
    assert_eq!(outcomes.len(), CLIENTS * WRITES_PER_CLIENT);

    let mut must = BTreeSet::new(); // acknowledged: present once
    let mut maybe = BTreeSet::new(); // answer lost: present at most once
    let mut never = BTreeSet::new(); // never sent: absent
    let (mut to_a_after_kill, mut to_b) = (0, 0);
    for (id, to_a, o) in &outcomes {
        match o {
            Outcome::Answered(201, _) => {
                must.insert(id.clone());
            }
            // Any other answer, from either server, is a failure: the
            // survivor must serve throughout, and A answered until it died.
            Outcome::Answered(s, body) => {
                panic!("{id} to {}: {s} {body}", if *to_a { "A" } else { "B" })
            }
            Outcome::Lost(e) => {
                assert!(*to_a, "the survivor B lost the answer to {id}: {e}");
                maybe.insert(id.clone());
            }
            Outcome::Refused => {
                assert!(*to_a, "the survivor B refused {id}");
                never.insert(id.clone());
            }
        }
        if *to_a && !matches!(o, Outcome::Answered(..)) {
            to_a_after_kill += 1;
        }
        if !*to_a {
            to_b += 1;
        }
    }
    // The kill fell during the writes: some writes to A found it gone, and
    // B took its half to the end.
    assert!(to_a_after_kill > 0, "A was killed after every write to it");
    assert_eq!(to_b, CLIENTS * WRITES_PER_CLIENT / 2);
    assert!(must.len() >= KILL_AFTER);
    eprintln!(
        "{} writes acknowledged, {} answers lost in the kill, {} refused after it",
        must.len(),
        maybe.len(),
        never.len()
    );

    // The survivor serves everything, A's acknowledged writes included,
    // each exactly once, with exactly one audit entry (a create) each.
    let ids = listed(&ba, &token);
    for id in &must {
        assert_eq!(ids.get(id), Some(&1), "acknowledged write {id}");
        let (s, body) = call(
            &ba,
            "GET",
            &format!("/api/v1/organizations/{id}"),
            &token,
            "",
        );
        assert_eq!(s, 200, "{id}: {body}");
    }
    for id in &never {
        assert_eq!(ids.get(id), None, "{id} was never sent but is present");
    }
    let written: BTreeSet<&String> = ids.keys().filter(|k| k.starts_with("w-")).collect();
    for id in &written {
        assert_eq!(ids[*id], 1, "{id} is listed twice");
        assert!(
            must.contains(*id) || maybe.contains(*id),
            "{id} is present but was not written"
        );
    }
    let audit = audited(&ba, &token);
    let mut per_key: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (action, key) in &audit {
        if key.starts_with("w-") {
            per_key.entry(key).or_default().push(action);
        }
    }
    assert_eq!(
        per_key.len(),
        written.len(),
        "audit entries on {} rows, {} rows present",
        per_key.len(),
        written.len()
    );
    for id in &written {
        assert_eq!(
            per_key.get(id.as_str()),
            Some(&vec!["create"]),
            "audit entries of {id}"
        );
    }

    // A new server on the same database sees the survivor's writes, and the
    // survivor sees the newcomer's.
    let c = Server::start(db);
    let last = must.iter().next_back().unwrap();
    assert!(sees(
        &c.addr,
        &format!("/api/v1/organizations/{last}"),
        &token,
        last
    ));
    let (s, body) = call(
        &c.addr,
        "POST",
        "/api/v1/organizations",
        &token,
        &org("seen-c", "Made through C"),
    );
    assert_eq!(s, 201, "{body}");
    assert!(sees(
        &ba,
        "/api/v1/organizations/seen-c",
        &token,
        "Made through C"
    ));
}
