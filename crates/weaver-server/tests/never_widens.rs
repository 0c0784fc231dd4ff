//! Visibility never widens (proptest): whatever a caller writes through the
//! API, the write gives it no right to read or change a row that existed
//! before it and that it could not read or change before it.
//!
//! Each case is a register with two clusters (organizations, memberships,
//! ties and observations of every visibility, as in `rights.rs`), one of the
//! accounts (a cluster's manager, another cluster's manager, a programme's
//! officer, an organization's member) and a sequence of writes by it:
//! organizations, memberships, ties and observations added with any
//! visibility, organizations and ties made more or less visible,
//! memberships deleted. Before and after each write the rows it reads are
//! listed and the rows it may change probed (a change to the same values,
//! which the store refuses or answers without writing), on each backend
//! available. Cases are few and the seed fixed (`weaver_testkit::properties`).

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use serde_json::{Value, json};
use weaver_core::enums::{TieKind, Tier, Visibility};
use weaver_core::schema;
use weaver_server::Config;
use weaver_store::{ListQuery, MAX_PAGE, Principal, Store};

mod common;

use common::{Env, Table, rt};

/// Two clusters, each funded by a programme; in each a public, a private and
/// a cluster-level organization, private ties and observations.
const FIXTURE: &[Table] = &[
    (
        "programmes",
        &["id", "name"],
        &[&["p1", "Torch"], &["p2", "Pôles"]],
    ),
    (
        "organizations",
        &["id", "name", "actor_type", "visibility"],
        &[
            &["o1", "Acme", "enterprise", "public"],
            &["o2", "Lyon Labs", "research", "public"],
            &["o3", "Secret Works", "enterprise", "private"],
            &["o4", "Lone Firm", "enterprise", "public"],
            &["o5", "Lyon Secret", "enterprise", "private"],
            &["o6", "Lyon Club", "intermediary", "cluster"],
            &["o7", "Lyon Pharma", "enterprise", "public"],
        ],
    ),
    (
        "clusters",
        &["id", "name", "region"],
        &[
            &["c1", "Chengdu Software", "510100"],
            &["c2", "Lyon Bio", "FRK26"],
        ],
    ),
    (
        "programme_clusters",
        &["programme", "cluster"],
        &[&["p1", "c1"], &["p2", "c2"]],
    ),
    (
        "memberships",
        &["cluster", "org", "tier"],
        &[
            &["c1", "o1", "core"],
            &["c1", "o3", "partner"],
            &["c2", "o2", "core"],
            &["c2", "o5", "partner"],
            &["c2", "o6", "partner"],
            &["c2", "o7", "core"],
        ],
    ),
    (
        "ties",
        &["source", "target", "kind", "start", "visibility"],
        &[
            &["o1", "o3", "contract", "2022", "private"],
            &["o2", "o5", "contract", "2021", "private"],
            &["o2", "o7", "supply", "2020", "cluster"],
            &["o4", "o6", "license", "2019", "public"],
        ],
    ),
    (
        "indicators",
        &["id", "name", "direction", "visibility"],
        &[
            &["members", "Members", "higher_better", "public"],
            &["secret", "Secret ratio", "higher_better", "private"],
        ],
    ),
    (
        "observations",
        &["cluster", "indicator", "period", "value", "visibility"],
        &[
            &["c1", "members", "2024", "2", "cluster"],
            &["c2", "members", "2024", "4", "private"],
            &["c2", "secret", "2024", "0.5", "cluster"],
        ],
    ),
];

/// Organizations a write may name: the fixture's and those the writes add.
const ORGS: &[&str] = &["o1", "o2", "o3", "o4", "o5", "o6", "o7", "n0", "n1", "n2"];
/// The accounts that write (admins may do anything: nothing to widen).
const WRITERS: &[&str] = &["manager", "outsider", "officer", "member"];
/// The tables whose rows are listed and probed.
const TABLES: &[&str] = &[
    "programmes",
    "organizations",
    "clusters",
    "programme_clusters",
    "memberships",
    "ties",
    "indicators",
    "observations",
];

/// One write through the API.
#[derive(Debug, Clone)]
enum Write {
    AddOrganization(usize, &'static str),
    AddMembership(usize, usize, &'static str),
    AddTie(usize, usize, &'static str, &'static str),
    AddObservation(usize, u16, &'static str),
    SetOrganizationVisibility(usize, &'static str),
    SetTieVisibility(usize, &'static str),
    DeleteMembership(usize),
}

fn write() -> impl Strategy<Value = Write> {
    let org = 0..ORGS.len();
    let vis = || prop::sample::select(Visibility::NAMES);
    prop_oneof![
        (0..3usize, vis()).prop_map(|(n, v)| Write::AddOrganization(n, v)),
        (0..2usize, org.clone(), prop::sample::select(Tier::NAMES))
            .prop_map(|(c, o, t)| Write::AddMembership(c, o, t)),
        (
            org.clone(),
            org.clone(),
            prop::sample::select(TieKind::NAMES),
            vis()
        )
            .prop_map(|(s, t, k, v)| Write::AddTie(s, t, k, v)),
        (0..2usize, 2020u16..2026, vis()).prop_map(|(c, y, v)| Write::AddObservation(c, y, v)),
        (org, vis()).prop_map(|(o, v)| Write::SetOrganizationVisibility(o, v)),
        (0..8usize, vis()).prop_map(|(t, v)| Write::SetTieVisibility(t, v)),
        (0..8usize).prop_map(Write::DeleteMembership),
    ]
}

/// The row_id of the `n`th row (in key order, modulo their number) of a
/// natural-key table, as the admin lists it.
async fn nth_row(env: &Env, table: &str, n: usize) -> Option<i64> {
    let (_, v) = env
        .call("admin", "GET", &format!("/api/v1/{table}?limit=1000"), None)
        .await;
    let rows = v["rows"].as_array()?;
    (!rows.is_empty()).then(|| rows[n % rows.len()]["row_id"].as_i64())?
}

/// Sends the write as `who`; whether it was done.
async fn send(env: &Env, who: &str, w: &Write) -> bool {
    let (method, path, body): (&str, String, Option<Value>) = match *w {
        Write::AddOrganization(n, v) => (
            "POST",
            "/api/v1/organizations".into(),
            Some(
                json!({"id": format!("n{n}"), "name": format!("New {n}"), "actor_type": "enterprise", "visibility": v}),
            ),
        ),
        Write::AddMembership(c, o, t) => (
            "POST",
            "/api/v1/memberships".into(),
            Some(json!({"cluster": format!("c{}", c + 1), "org": ORGS[o], "tier": t})),
        ),
        Write::AddTie(s, t, k, v) => (
            "POST",
            "/api/v1/ties".into(),
            Some(json!({"source": ORGS[s], "target": ORGS[t], "kind": k, "visibility": v})),
        ),
        Write::AddObservation(c, y, v) => (
            "POST",
            "/api/v1/observations".into(),
            Some(
                json!({"cluster": format!("c{}", c + 1), "indicator": "members", "period": y.to_string(), "value": 1, "visibility": v}),
            ),
        ),
        Write::SetOrganizationVisibility(o, v) => (
            "PATCH",
            format!("/api/v1/organizations/{}", ORGS[o]),
            Some(json!({ "visibility": v })),
        ),
        Write::SetTieVisibility(n, v) => {
            let Some(id) = nth_row(env, "ties", n).await else {
                return false;
            };
            (
                "PATCH",
                format!("/api/v1/ties/{id}"),
                Some(json!({ "visibility": v })),
            )
        }
        Write::DeleteMembership(n) => {
            let Some(id) = nth_row(env, "memberships", n).await else {
                return false;
            };
            ("DELETE", format!("/api/v1/memberships/{id}"), None)
        }
    };
    let (status, _) = env.call(who, method, &path, body).await;
    status.is_success()
}

/// The principal of the account `who` as the register now gives it.
async fn principal(store: &Store, who: &str) -> Principal {
    let (user, _) = store
        .user_by_email(&format!("{who}@example.org"))
        .await
        .unwrap()
        .unwrap();
    store.principal(user.id).await.unwrap()
}

/// Every row of the probed tables, as (table, key).
type Rows = BTreeSet<(&'static str, String)>;

/// What `who` reads, what it may change, and every row there is.
async fn rights(store: &Store, who: &str) -> (Rows, Rows, Rows) {
    let me = principal(store, who).await;
    let admin = principal(store, "admin").await;
    let query = ListQuery {
        limit: MAX_PAGE,
        ..ListQuery::default()
    };
    let (mut reads, mut writes, mut all) = (Rows::new(), Rows::new(), Rows::new());
    for name in TABLES {
        let t = schema::table(name).unwrap();
        for r in &store.list(t, Some(&me), &query).await.unwrap().rows {
            reads.insert((t.name, format!("{:?}", r.key())));
        }
        for r in &store.list(t, Some(&admin), &query).await.unwrap().rows {
            let key = r.key();
            // The same values: refused without the right, a no-op with it.
            if store
                .update(t, &me, &key, r.values.clone(), false)
                .await
                .is_ok()
            {
                writes.insert((t.name, format!("{key:?}")));
            }
            all.insert((t.name, format!("{key:?}")));
        }
    }
    (reads, writes, all)
}

/// Writes done (not refused) over all cases: the property is not vacuous.
static DONE: AtomicUsize = AtomicUsize::new(0);

/// Runs the writes as `who` and checks, after each one done, that it reads
/// and may change no row older than the write that it could not before.
async fn check(env: &Env, who: &str, writes: &[Write]) -> Result<(), TestCaseError> {
    let (mut reads, mut may_change, mut all) = rights(&env.store, who).await;
    let mut done = Vec::new();
    for w in writes {
        if !send(env, who, w).await {
            continue;
        }
        done.push(w.clone());
        DONE.fetch_add(1, Ordering::Relaxed);
        let (reads_now, may_change_now, all_now) = rights(&env.store, who).await;
        let gained: Vec<_> = reads_now
            .difference(&reads)
            .filter(|r| all.contains(*r))
            .collect();
        prop_assert!(
            gained.is_empty(),
            "{} reads {:?} after {:?}",
            who,
            gained,
            done
        );
        let gained: Vec<_> = may_change_now
            .difference(&may_change)
            .filter(|r| all.contains(*r))
            .collect();
        prop_assert!(
            gained.is_empty(),
            "{} may change {:?} after {:?}",
            who,
            gained,
            done
        );
        (reads, may_change, all) = (reads_now, may_change_now, all_now);
    }
    Ok(())
}

#[test]
fn no_write_gives_its_writer_a_right_over_an_older_row() {
    let rt = rt();
    let mut runner = TestRunner::new(weaver_testkit::properties::config(8));
    let case = (
        prop::sample::select(WRITERS),
        prop::collection::vec(write(), 1..6),
    );
    let result = runner.run(&case, |(who, writes)| {
        rt.block_on(async {
            let mut outcome = Ok(());
            for env in common::envs("never_widens", FIXTURE, Config::default()).await {
                if outcome.is_ok() {
                    outcome = check(&env, who, &writes)
                        .await
                        .map_err(|e| TestCaseError::fail(format!("on {}: {e}", env.url)));
                }
                env.finish().await;
            }
            outcome
        })
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    assert!(
        DONE.load(Ordering::Relaxed) >= 8,
        "too few of the generated writes were done to test anything"
    );
}
