//! `weaver user disable|enable|remove|unassign`: each command's effect, its
//! error on an unknown e-mail, and the last enabled admin kept — on SQLite
//! and on PostgreSQL (`WEAVER_TEST_PG`; see weaver-testkit).

use std::path::Path;
use std::process::Output;

mod common;
use common::{text, weaver, write};

/// Runs `weaver --db DB ARGS` in `dir`.
fn run(dir: &Path, db: &str, args: &[&str]) -> Output {
    let mut full = vec!["--db", db];
    full.extend_from_slice(args);
    weaver(dir, &full)
}

/// Runs a command that must succeed; its standard output.
fn ok(dir: &Path, db: &str, args: &[&str]) -> String {
    let o = run(dir, db, args);
    assert!(o.status.success(), "weaver {args:?}: {}", text(&o));
    String::from_utf8(o.stdout).unwrap()
}

/// Runs a command that must fail; what it printed.
fn refused(dir: &Path, db: &str, args: &[&str]) -> String {
    let o = run(dir, db, args);
    assert!(
        !o.status.success(),
        "weaver {args:?} succeeded: {}",
        text(&o)
    );
    assert_eq!(o.status.code(), Some(1), "weaver {args:?}: {}", text(&o));
    text(&o)
}

/// The accounts as `weaver user list --json` gives them: e-mail → disabled.
fn accounts(dir: &Path, db: &str) -> Vec<(String, bool)> {
    let v: serde_json::Value =
        serde_json::from_str(&ok(dir, db, &["user", "list", "--json"])).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["email"].as_str().unwrap().to_owned(),
                u["disabled"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn disabled(dir: &Path, db: &str, email: &str) -> Option<bool> {
    accounts(dir, db)
        .into_iter()
        .find(|(e, _)| e == email)
        .map(|(_, d)| d)
}

/// The line of `weaver user list` for `email`.
fn listed(dir: &Path, db: &str, email: &str) -> String {
    ok(dir, db, &["user", "list"])
        .lines()
        .find(|l| l.contains(email))
        .unwrap_or_else(|| panic!("{email} is not listed"))
        .to_owned()
}

fn scenario(dir: &Path, db: &str) {
    write(
        dir,
        "pkg/clusters.csv",
        "id,name,region\nc1,One,440300\nc2,Two,440300\n",
    );
    ok(dir, db, &["import", "pkg"]);
    // An assignment that does not suit the role is refused before the
    // account is made (the first admin too, which could not be erased after).
    let out = refused(
        dir,
        db,
        &[
            "user",
            "add",
            "--email",
            "root@example.org",
            "--role",
            "admin",
            "--cluster",
            "c1",
        ],
    );
    assert!(out.contains("cannot be assigned to a cluster"), "{out}");
    assert!(out.contains("the account was not created"), "{out}");
    assert_eq!(accounts(dir, db), vec![]);
    for (email, role) in [
        ("root@example.org", "admin"),
        ("second@example.org", "admin"),
    ] {
        ok(dir, db, &["user", "add", "--email", email, "--role", role]);
    }
    let m = "li@example.org";
    ok(
        dir,
        db,
        &[
            "user",
            "add",
            "--email",
            m,
            "--role",
            "manager",
            "--cluster",
            "c1",
            "--cluster",
            "c2",
        ],
    );

    // An unknown e-mail: an error naming it, nothing changed.
    let before = ok(dir, db, &["user", "list"]);
    for cmd in [
        vec!["user", "disable", "--email", "nobody@example.org"],
        vec!["user", "enable", "--email", "nobody@example.org"],
        vec!["user", "remove", "--email", "nobody@example.org", "--yes"],
        vec![
            "user",
            "unassign",
            "--email",
            "nobody@example.org",
            "--cluster",
            "c1",
        ],
    ] {
        let out = refused(dir, db, &cmd);
        assert!(
            out.contains("there is no account for nobody@example.org"),
            "{cmd:?}: {out}"
        );
    }
    assert_eq!(ok(dir, db, &["user", "list"]), before);

    // disable / enable (the e-mail in any case, as at login).
    assert_eq!(disabled(dir, db, m), Some(false));
    let out = ok(dir, db, &["user", "disable", "--email", "LI@example.org"]);
    let id = ok(dir, db, &["user", "list", "--json"]);
    let id = serde_json::from_str::<serde_json::Value>(&id).unwrap()[2]["id"].clone();
    assert!(
        out.contains(&format!(
            "Disabled manager account #{id} for li@example.org"
        )),
        "{out}"
    );
    assert_eq!(disabled(dir, db, m), Some(true));
    let out = ok(dir, db, &["user", "disable", "--email", m]);
    assert!(out.contains("already disabled; nothing changed"), "{out}");
    assert_eq!(disabled(dir, db, m), Some(true));
    let out = ok(dir, db, &["user", "enable", "--email", m]);
    assert!(
        out.contains(&format!("Enabled manager account #{id}")),
        "{out}"
    );
    assert_eq!(disabled(dir, db, m), Some(false));

    // unassign: only assignments the account has; all or nothing.
    assert!(listed(dir, db, m).contains("cluster:c1 cluster:c2"));
    let out = refused(
        dir,
        db,
        &[
            "user",
            "unassign",
            "--email",
            m,
            "--cluster",
            "c2",
            "--cluster",
            "c9",
        ],
    );
    assert!(out.contains("not assigned to cluster 'c9'"), "{out}");
    assert!(out.contains("cluster c1, cluster c2"), "{out}");
    assert!(listed(dir, db, m).contains("cluster:c1 cluster:c2"));
    let out = refused(dir, db, &["user", "unassign", "--email", m]);
    assert!(
        out.contains("--cluster, --programme or --organization"),
        "{out}"
    );
    let out = ok(
        dir,
        db,
        &["user", "unassign", "--email", m, "--cluster", "c2"],
    );
    assert_eq!(out.trim(), "li@example.org cluster: c1");
    let line = listed(dir, db, m);
    assert!(
        line.contains("cluster:c1") && !line.contains("c2"),
        "{line}"
    );
    let out = ok(
        dir,
        db,
        &["user", "unassign", "--email", m, "--cluster", "c1"],
    );
    assert!(out.contains("has no assignments left"), "{out}");

    // remove: needs --yes; then the account is gone.
    let out = refused(dir, db, &["user", "remove", "--email", m]);
    assert!(out.contains("--yes"), "{out}");
    assert_eq!(disabled(dir, db, m), Some(false));
    let out = ok(dir, db, &["user", "remove", "--email", m, "--yes"]);
    assert!(
        out.contains(&format!("Erased manager account #{id} of li@example.org")),
        "{out}"
    );
    assert_eq!(disabled(dir, db, m), None);
    let out = refused(dir, db, &["user", "remove", "--email", m, "--yes"]);
    assert!(
        out.contains("there is no account for li@example.org"),
        "{out}"
    );

    // The last enabled admin can be neither disabled nor removed.
    let (root, second) = ("root@example.org", "second@example.org");
    ok(dir, db, &["user", "disable", "--email", second]);
    let out = refused(dir, db, &["user", "disable", "--email", root]);
    assert!(
        out.contains("cannot disable root@example.org: it is the last enabled admin"),
        "{out}"
    );
    let out = refused(dir, db, &["user", "remove", "--email", root, "--yes"]);
    assert!(
        out.contains("cannot erase root@example.org: it is the last enabled admin"),
        "{out}"
    );
    assert_eq!(disabled(dir, db, root), Some(false));
    // A disabled admin does not count, and may be removed.
    ok(dir, db, &["user", "remove", "--email", second, "--yes"]);
    assert_eq!(
        accounts(dir, db),
        vec![(root.to_owned(), false)],
        "only root is left, enabled"
    );
    // With another enabled admin, the first one may go.
    ok(
        dir,
        db,
        &[
            "user",
            "add",
            "--email",
            "third@example.org",
            "--role",
            "admin",
        ],
    );
    ok(dir, db, &["user", "remove", "--email", root, "--yes"]);
    refused(
        dir,
        db,
        &["user", "disable", "--email", "third@example.org"],
    );
    assert_eq!(
        accounts(dir, db),
        vec![("third@example.org".to_owned(), false)]
    );
}

#[test]
fn user_commands_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    scenario(dir.path(), "sqlite://reg.db");
}

#[test]
fn user_commands_on_postgres() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some((db, name)) = rt.block_on(weaver_testkit::fresh_postgres("weaver_user_cli")) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let result = std::panic::catch_unwind(|| scenario(dir.path(), &db));
    rt.block_on(weaver_testkit::drop_postgres(Some(name)));
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}
