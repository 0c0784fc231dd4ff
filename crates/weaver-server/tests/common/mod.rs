//! What the server's suites share: a fixture register and one account of
//! each kind, each with an API token.

use std::collections::HashMap;

use weaver_core::PackageBuilder;
use weaver_core::enums::Role;
use weaver_store::{ImportOptions, ScopeKind, Store};

/// A table of a fixture: name, header, rows.
pub type Table = (
    &'static str,
    &'static [&'static str],
    &'static [&'static [&'static str]],
);

/// Imports `fixture` (checked as a data package) into `store`.
pub async fn import_fixture(store: &Store, fixture: &[Table]) {
    let mut b = PackageBuilder::new("fixture");
    for (name, header, rows) in fixture {
        let header: Vec<String> = header.iter().map(|s| s.to_string()).collect();
        let mut t = b.table(name, &format!("{name}.csv"), &header).unwrap();
        for (i, r) in rows.iter().enumerate() {
            t.push_row(i + 2, r);
        }
    }
    let pkg = b.finish(&|_, _| false).unwrap();
    store
        .import(&pkg, &ImportOptions::default(), &mut |_, _, _| {})
        .await
        .unwrap();
}

/// The accounts every suite signs in as, by name, with their API tokens:
/// `admin`; `officer` of programme p1; `manager` of cluster c1; `member` of
/// organization o1; `outsider`, manager of c2.
pub async fn accounts(store: &Store) -> HashMap<&'static str, String> {
    let mut tokens = HashMap::new();
    for (who, role, scope) in [
        ("admin", Role::Admin, None),
        ("officer", Role::Officer, Some((ScopeKind::Programme, "p1"))),
        ("manager", Role::Manager, Some((ScopeKind::Cluster, "c1"))),
        (
            "member",
            Role::Member,
            Some((ScopeKind::Organization, "o1")),
        ),
        ("outsider", Role::Manager, Some((ScopeKind::Cluster, "c2"))),
    ] {
        let user = store
            .create_user(&format!("{who}@example.org"), None, role, None)
            .await
            .unwrap();
        if let Some((kind, r)) = scope {
            store.assign(user.id, kind, r).await.unwrap();
        }
        let token = format!("test-token-{who}");
        store
            .create_api_token(user.id, "tests", &weaver_server::auth::secret_hash(&token))
            .await
            .unwrap();
        tokens.insert(who, token);
    }
    tokens
}

/// A runtime with two worker threads, so that requests of one test can run
/// side by side (and background jobs beside them).
pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}
