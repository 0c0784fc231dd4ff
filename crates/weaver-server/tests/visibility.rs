//! The visibility and escalation suite: no marked row reaches a caller who
//! may not read it, through any GET operation of the API — lists, rows,
//! search, analyses, mapping, evaluation, campaigns, jobs, the audit log and
//! the export — before and after every kind of caller has tried to widen its
//! rights by writing.
//!
//! The operations come from the router's own list ([`weaver_server::OPERATIONS`]):
//! a GET operation this suite does not know how to call fails the suite, so a
//! new endpoint is covered as soon as it is routed.
//!
//! Every row of the fixture carries a marker, `mk-{world}-{visibility}-…`, in
//! its id or in a text cell (`source`, `citation`, a title or a region). The
//! world is the cluster the row belongs to: `a`, `a2` (a cluster-visible
//! cluster) and `a3` (a private one) are the clusters of programme `pa` and of
//! manager A; `b`, `b2`, `b3` likewise of programme `pb` and manager B; `g`
//! is the rows of no cluster (indicators, regional statistics). Who may read
//! a marker follows from the rule of the README's "Visibility" bullet,
//! written here independently of the code ([`may_read`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;

use axum::http::StatusCode;
use serde_json::{Value, json};
use weaver_core::PackageBuilder;
use weaver_core::enums::Role;
use weaver_server::Config;
use weaver_store::{ImportOptions, ScopeKind, Store};

mod common;

const VIS: [&str; 3] = ["public", "cluster", "private"];

/// The callers: name, role, scopes.
/// A caller of the suite: its name, role and scopes.
type Caller = (&'static str, Role, &'static [(ScopeKind, &'static str)]);

const CALLERS: &[Caller] = &[
    ("admin", Role::Admin, &[]),
    (
        "manager_a",
        Role::Manager,
        &[
            (ScopeKind::Cluster, "mk-a-public-clu"),
            (ScopeKind::Cluster, "mk-a2-cluster-clu"),
            (ScopeKind::Cluster, "mk-a3-private-clu"),
        ],
    ),
    (
        "manager_b",
        Role::Manager,
        &[
            (ScopeKind::Cluster, "mk-b-public-clu"),
            (ScopeKind::Cluster, "mk-b2-cluster-clu"),
            (ScopeKind::Cluster, "mk-b3-private-clu"),
        ],
    ),
    ("officer_a", Role::Officer, &[(ScopeKind::Programme, "pa")]),
    ("officer_b", Role::Officer, &[(ScopeKind::Programme, "pb")]),
    (
        "member_a",
        Role::Member,
        &[(ScopeKind::Organization, "a-member-org")],
    ),
    (
        "member_b",
        Role::Member,
        &[(ScopeKind::Organization, "b-member-org")],
    ),
];

/// Whether `who` may read a row of `world` at `visibility`, by the rule the
/// README states: public rows for everyone; `cluster` rows for the managers,
/// officers (of programmes funding the cluster) and members (of
/// organizations in the cluster) of the row's cluster, and for every
/// signed-in user where the row belongs to no cluster; `private` rows for
/// the managers of the row's cluster (admins read everything).
fn may_read(who: &str, world: &str, visibility: &str) -> bool {
    if who == "admin" || visibility == "public" {
        return true;
    }
    if who == "public" {
        return false;
    }
    if world == "g" {
        return visibility == "cluster";
    }
    let side = &world[..1];
    let (role, caller_side) = who.split_once('_').expect("caller names are role_side");
    if side != caller_side {
        return false;
    }
    match (role, visibility) {
        ("manager", _) => true,
        ("officer", "cluster") => true,
        // A member's organization belongs to cluster a (or b) only.
        ("member", "cluster") => world.len() == 1,
        _ => false,
    }
}

/// The markers in `text`: (world, visibility, the whole marker).
fn markers(text: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("mk-") {
        let tail = &rest[at..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(tail.len());
        let marker = &tail[..end];
        let parts: Vec<&str> = marker.split('-').collect();
        assert!(
            parts.len() >= 4
                && ["a", "a2", "a3", "b", "b2", "b3", "g"].contains(&parts[1])
                && VIS.contains(&parts[2]),
            "malformed marker {marker:?} in {text:.300}"
        );
        out.push((parts[1].to_owned(), parts[2].to_owned(), marker.to_owned()));
        rest = &tail[end..];
    }
    out
}

type Rows = Vec<Vec<String>>;

fn r(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|s| (*s).to_owned()).collect()
}

/// The fixture, table by table in import order.
fn fixture() -> Vec<(&'static str, Vec<String>, Rows)> {
    let mut programmes = vec![
        r(&["pa", "Programme A", "public", "fixture"]),
        r(&["pb", "Programme B", "public", "fixture"]),
    ];
    let mut orgs = vec![
        r(&[
            "a-member-org",
            "Member A",
            "enterprise",
            "public",
            "fixture",
        ]),
        r(&[
            "b-member-org",
            "Member B",
            "enterprise",
            "public",
            "fixture",
        ]),
    ];
    let mut clusters = Vec::new();
    let mut links = Vec::new();
    let mut memberships = Vec::new();
    let mut governance = Vec::new();
    let mut projects = Vec::new();
    let mut participations = Vec::new();
    let mut funding = Vec::new();
    let mut ties = Vec::new();
    let mut observations = Vec::new();
    for s in ["a", "b"] {
        let c = format!("mk-{s}-public-clu");
        let c2 = format!("mk-{s}2-cluster-clu");
        let c3 = format!("mk-{s}3-private-clu");
        let p = format!("p{s}");
        clusters.push(r(&[&c, &format!("Cluster {s}"), "R1", "public", "fixture"]));
        clusters.push(r(&[&c2, &format!("Cluster {s}2"), "R1", "cluster", &c2]));
        clusters.push(r(&[&c3, &format!("Cluster {s}3"), "R2", "private", &c3]));
        links.push(r(&[&p, &c, "public", &format!("mk-{s}-public-links")]));
        links.push(r(&[&p, &c2, "cluster", &format!("mk-{s}2-cluster-links")]));
        links.push(r(&[&p, &c3, "private", &format!("mk-{s}3-private-links")]));
        let member = format!("{s}-member-org");
        memberships.push(r(&[&c, &member, "core", "2020", "public", "fixture"]));
        for (w, v, cl) in [
            (format!("{s}2"), "cluster", &c2),
            (format!("{s}3"), "private", &c3),
        ] {
            observations.push(r(&[
                cl,
                "i1",
                "2024",
                "5",
                v,
                &format!("mk-{w}-{v}-obs"),
                &format!("mk-{w}-{v}-obsnote"),
            ]));
        }
        for (n, v) in VIS.iter().enumerate() {
            let m = |kind: &str| format!("mk-{s}-{v}-{kind}");
            if *v != "public" {
                programmes.push(r(&[
                    &m("prog"),
                    &format!("Programme {s} {v}"),
                    v,
                    &m("progsrc"),
                ]));
                links.push(r(&[&m("prog"), &c, v, &m("proglinks")]));
            }
            let org = m("org");
            let partner = m("partner");
            orgs.push(r(&[
                &org,
                &format!("Org {s} {v}"),
                "enterprise",
                v,
                &m("orgsrc"),
            ]));
            orgs.push(r(&[
                &partner,
                &format!("Partner {s} {v}"),
                "research",
                v,
                &m("partnersrc"),
            ]));
            memberships.push(r(&[&c, &org, "core", "2020", v, &m("memberships")]));
            memberships.push(r(&[&c, &partner, "partner", "2020", v, &m("memberships2")]));
            governance.push(r(&[&c, "board", &org, "member", v, &m("governance")]));
            let proj = m("proj");
            projects.push(r(&[&proj, &m("projtitle"), &c, "2023", v, &m("projsrc")]));
            participations.push(r(&[&proj, &org, "coordinator", v, &m("participations")]));
            funding.push(r(&[
                &proj,
                "central_gov",
                &p,
                "1000",
                "2024",
                v,
                &m("funding"),
            ]));
            // Ties from the cluster's public organization, so that a manager
            // who adds that organization to its own cluster would see them
            // under a rule that follows current memberships.
            ties.push(r(&[
                &format!("mk-{s}-public-org"),
                &partner,
                "contract",
                "2023",
                v,
                &m("ties"),
            ]));
            ties.push(r(&[&org, &partner, "supply", "2022", v, &m("ties2")]));
            observations.push(r(&[
                &c,
                &format!("i{}", n + 1),
                "2024",
                &format!("{}", 10 + n),
                v,
                &m("obs"),
                &m("obsnote"),
            ]));
        }
    }
    let mut indicators = vec![
        r(&["i1", "Indicator 1", "higher_better", "public", "fixture"]),
        r(&["i2", "Indicator 2", "higher_better", "public", "fixture"]),
        r(&["i3", "Indicator 3", "lower_better", "public", "fixture"]),
    ];
    let mut regional = vec![
        r(&["R1", "C26", "2024", "100", "public", "fixture"]),
        r(&["R1", "C27", "2024", "300", "public", "fixture"]),
        r(&["R2", "C26", "2024", "200", "public", "fixture"]),
        r(&["R2", "C27", "2024", "50", "public", "fixture"]),
    ];
    for v in ["cluster", "private"] {
        indicators.push(r(&[
            &format!("mk-g-{v}-ind"),
            "Hidden indicator",
            "higher_better",
            v,
            &format!("mk-g-{v}-indsrc"),
        ]));
        regional.push(r(&[
            &format!("mk-g-{v}-region"),
            "C26",
            "2024",
            "5000",
            v,
            &format!("mk-g-{v}-regsrc"),
        ]));
    }
    let mut regions = vec![
        r(&["R1", "Region 1", "NUTS 2", "DE", "public", "fixture"]),
        r(&["R2", "Region 2", "NUTS 2", "DE", "public", "fixture"]),
    ];
    for v in ["cluster", "private"] {
        regions.push(r(&[
            &format!("mk-g-{v}-rgn"),
            "Hidden region",
            "NUTS 2",
            "DE",
            v,
            &format!("mk-g-{v}-rgnsrc"),
        ]));
    }
    let h = |cols: &[&str]| cols.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    vec![
        (
            "regions",
            h(&["id", "name", "level", "country", "visibility", "source"]),
            regions,
        ),
        (
            "programmes",
            h(&["id", "name", "visibility", "source"]),
            programmes,
        ),
        (
            "organizations",
            h(&["id", "name", "actor_type", "visibility", "source"]),
            orgs,
        ),
        (
            "clusters",
            h(&["id", "name", "region", "visibility", "source"]),
            clusters,
        ),
        (
            "programme_clusters",
            h(&["programme", "cluster", "visibility", "source"]),
            links,
        ),
        (
            "memberships",
            h(&["cluster", "org", "tier", "since", "visibility", "source"]),
            memberships,
        ),
        (
            "governance",
            h(&["cluster", "body", "org", "role", "visibility", "source"]),
            governance,
        ),
        (
            "projects",
            h(&["id", "title", "cluster", "start", "visibility", "source"]),
            projects,
        ),
        (
            "participations",
            h(&["project", "org", "role", "visibility", "source"]),
            participations,
        ),
        (
            "funding",
            h(&[
                "recipient",
                "source_type",
                "programme",
                "amount",
                "year",
                "visibility",
                "source",
            ]),
            funding,
        ),
        (
            "ties",
            h(&[
                "source",
                "target",
                "kind",
                "start",
                "visibility",
                "citation",
            ]),
            ties,
        ),
        (
            "indicators",
            h(&["id", "name", "direction", "visibility", "source"]),
            indicators,
        ),
        (
            "observations",
            h(&[
                "cluster",
                "indicator",
                "period",
                "value",
                "visibility",
                "source",
                "note",
            ]),
            observations,
        ),
        (
            "regional_activity",
            h(&[
                "region",
                "industry",
                "year",
                "employment",
                "visibility",
                "source",
            ]),
            regional,
        ),
    ]
}

/// The suite's environment: its own fixture and callers, and the callers'
/// user ids in the order of [`CALLERS`].
type Env = common::Env<Vec<i64>>;

/// Imports the fixture into `store` and adds the [`CALLERS`], each with an
/// API token; gives the tokens and the user ids.
async fn seed(store: &Store) -> (common::Tokens, Vec<i64>) {
    let mut b = PackageBuilder::new("fixture");
    for (name, header, rows) in fixture() {
        let mut t = b.table(name, &format!("{name}.csv"), &header).unwrap();
        for (i, row) in rows.iter().enumerate() {
            let cells: Vec<&str> = row.iter().map(String::as_str).collect();
            t.push_row(i + 2, &cells);
        }
    }
    // The regions' boundaries: a feature per region, hidden ones included.
    let ids = ["R1", "mk-g-cluster-rgn", "mk-g-private-rgn"];
    let features: Vec<String> = ids
        .iter()
        .map(|id| format!(r#"{{"type":"Feature","properties":{{"id":"{id}"}},"geometry":null}}"#))
        .collect();
    b.boundaries(weaver_core::Boundaries {
        origin: "regions.geojson".into(),
        document: format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        ),
        ids: ids.iter().map(|s| (*s).to_owned()).collect(),
    });
    let pkg = b
        .finish(&|_, _| false)
        .unwrap_or_else(|e| panic!("the fixture is not a valid package: {e:?}"));
    store
        .import(&pkg, &ImportOptions::default(), &mut |_, _, _| {})
        .await
        .unwrap();
    let mut tokens = HashMap::new();
    let mut user_ids = Vec::new();
    for (who, role, scopes) in CALLERS {
        let user = store
            .create_user(&format!("{who}@example.org"), None, *role, None)
            .await
            .unwrap();
        for (kind, reference) in *scopes {
            store.assign(user.id, *kind, reference).await.unwrap();
        }
        let token = format!("visibility-token-{who}");
        store
            .create_api_token(user.id, "tests", &weaver_server::auth::secret_hash(&token))
            .await
            .unwrap();
        tokens.insert(*who, token);
        user_ids.push(user.id);
    }
    (tokens, user_ids)
}

async fn envs() -> Vec<Env> {
    common::envs_with("visibility", Config::default(), seed).await
}

impl Env {
    /// Sends a request and returns the status and the body as bytes. No
    /// request may fail with a 5xx.
    async fn send(
        &self,
        who: &str,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Vec<u8>) {
        let body = body.map(|b| (b.to_string(), "application/json"));
        let (status, _, bytes) = self.exchange(who, method, path, body).await;
        assert!(
            !status.is_server_error(),
            "{method} {path} as {who} gave {status}: {}",
            String::from_utf8_lossy(&bytes)
        );
        (status, bytes)
    }
}

/// The text a caller is given: the body, or every entry of a zip (an
/// export, a workbook) decompressed.
fn readable_text(bytes: &[u8]) -> String {
    if bytes.starts_with(b"PK\x03\x04") {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip answer");
        let mut text = String::new();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let mut s = String::new();
            entry.read_to_string(&mut s).unwrap();
            text.push_str(&s);
            text.push('\n');
        }
        text
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

/// What the suite fills a GET operation's path with: its concrete addresses,
/// or `None` for an operation it does not know (which fails the suite).
struct Subjects {
    clusters: Vec<String>,
    /// (table, key) of every row of the register, as the admin lists them.
    rows: Vec<(String, String)>,
    campaigns: Vec<String>,
    jobs: Vec<i64>,
    users: Vec<i64>,
}

fn addresses(path: &str, s: &Subjects) -> Option<Vec<String>> {
    let tables = weaver_core::schema::TABLES.iter().map(|t| t.name);
    let each_cluster = |suffix: &str| -> Vec<String> {
        s.clusters
            .iter()
            .map(|c| format!("/clusters/{c}{suffix}"))
            .collect()
    };
    let each_campaign = |suffix: &str| -> Vec<String> {
        s.campaigns
            .iter()
            .map(|c| format!("/campaigns/{c}{suffix}"))
            .collect()
    };
    let each_user = |suffix: &str| -> Vec<String> {
        s.users
            .iter()
            .map(|u| format!("/users/{u}{suffix}"))
            .collect()
    };
    Some(match path {
        "/tables" | "/openapi.json" | "/auth/me" | "/auth/me/export" | "/auth/tokens"
        | "/users" | "/campaigns" | "/notifications" | "/outbox" | "/vocabulary" => {
            vec![path.to_owned()]
        }
        "/users/{id}" => each_user(""),
        "/users/{id}/export" => each_user("/export"),
        "/packages/export" => vec![
            "/packages/export?format=zip".to_owned(),
            "/packages/export?format=xlsx".to_owned(),
        ],
        // Every population (a programme of each side, a marked one, every
        // campaign: campaign-a is published), and money in another currency.
        "/evaluation/index" => [
            "population=all&period=2024".to_owned(),
            "period=2024&currency=USD".to_owned(),
        ]
        .into_iter()
        .chain(
            ["pa", "pb", "mk-a-cluster-prog", "mk-b-private-prog"]
                .iter()
                .map(|p| format!("population=programme:{p}&period=2024")),
        )
        .chain(s.campaigns.iter().map(|c| format!("population=campaign:{c}")))
        .map(|q| format!("/evaluation/index?{q}"))
        .collect(),
        "/evaluation/ranking" => vec![
            "/evaluation/ranking?period=2024&runs=20&seed=1".to_owned(),
            "/evaluation/ranking?period=2024&runs=0&computed=false".to_owned(),
        ],
        "/evaluation/lifecycle" => vec!["/evaluation/lifecycle?period=2024".to_owned()],
        "/evaluation/levels" => vec!["/evaluation/levels?period=2024".to_owned()],
        "/evaluation/trends" => vec!["/evaluation/trends".to_owned()],
        "/evaluation/checks" => vec!["/evaluation/checks?period=2024".to_owned()],
        "/evaluation/sensitivity" => vec![
            "/evaluation/sensitivity?period=2024&runs=16".to_owned(),
            "/evaluation/sensitivity?period=2024&leave_one_out=true".to_owned(),
        ],
        "/evaluation/computed" => vec![
            "/evaluation/computed?period=2024".to_owned(),
            "/evaluation/computed".to_owned(),
        ],
        "/mapping/growth" => vec!["/mapping/growth".to_owned()],
        "/mapping/strength" => vec!["/mapping/strength".to_owned()],
        "/mapping/complexity" => vec![
            "/mapping/complexity?year=2024".to_owned(),
            "/mapping/complexity?year=2024&top=3&rca_threshold=0.5".to_owned(),
        ],
        "/evaluation/benchmark" => vec![
            "/evaluation/benchmark?period=2024".to_owned(),
            "/evaluation/benchmark".to_owned(),
        ],
        "/evaluation/public-share" => vec![
            "/evaluation/public-share".to_owned(),
            "/evaluation/public-share?period=2024".to_owned(),
        ],
        // The programmes of the fixture, public and marked.
        "/evaluation/policy" => ["pa", "pb", "mk-a-cluster-prog", "mk-b-private-prog"]
            .iter()
            .flat_map(|p| {
                ["i1", "auto.members"]
                    .map(|i| format!("/evaluation/policy?indicator={i}&programme={p}&start=2024"))
            })
            .chain(
                s.clusters
                    .iter()
                    .map(|c| format!("/evaluation/policy?indicator=i1&treated={c}&start=2024")),
            )
            // Controls given (readable to some, not to others) and the
            // default group's founding window.
            .chain(s.clusters.iter().map(|c| {
                let others: Vec<String> = s
                    .clusters
                    .iter()
                    .filter(|k| *k != c)
                    .take(2)
                    .map(|k| k.to_string())
                    .collect();
                format!(
                    "/evaluation/policy?indicator=i1&treated={c}&start=2024&control={}",
                    others.join(",")
                )
            }))
            .chain(s.clusters.iter().map(|c| {
                format!("/evaluation/policy?indicator=i1&treated={c}&start=2024&founded_within=50")
            }))
            .collect(),
        "/mapping/related" => vec!["/mapping/related?year=2024&top=3".to_owned()],
        "/regions/boundaries" => vec![path.to_owned()],
        "/clusters/{id}/specialisation" => each_cluster("/specialisation?year=2024")
            .into_iter()
            .chain(each_cluster("/specialisation?year=2024&benchmark=DE"))
            .collect(),
        "/mapping/clusters" => ["cmp", "eco", "quadrant"]
            .iter()
            .map(|m| format!("/mapping/clusters?year=2024&method={m}"))
            .collect(),
        "/campaigns/{id}" => each_campaign(""),
        "/campaigns/{id}/template" => each_campaign("/template"),
        "/campaigns/{id}/ties" => each_campaign("/ties"),
        "/campaigns/{id}/results" => each_campaign("/results"),
        "/clusters/{id}/paths" => each_cluster("/paths?period=2024"),
        "/clusters/{id}/diffusion" => each_cluster("/diffusion?period=2024&runs=20&what_if=3")
            .into_iter()
            .chain(each_cluster("/diffusion?model=cowan-jonard&categories=3"))
            .collect(),
        "/clusters/{id}/labels" => each_cluster("/labels?period=2024"),
        // Counts of every current membership (no marker: actor types and
        // tiers); memberships, seats, region and programmes with names only
        // where the caller reads them (their markers checked as any other).
        "/clusters/{id}/profile" => each_cluster("/profile"),
        // The directory: every cluster the caller reads, its members counted
        // and its stage read over what the caller reads; with each filter
        // (a programme of each side), so that a filter never widens it.
        "/directory" => [
            "limit=1000".to_owned(),
            "limit=1000&eccp=false".to_owned(),
            "limit=1000&stage=none".to_owned(),
            "limit=1000&programme=pa,pb,mk-a-cluster-prog,mk-b-private-prog".to_owned(),
        ]
        .into_iter()
        .map(|q| format!("/directory?{q}"))
        .collect(),
        // Every organization's profile: its rows and the names embedded
        // (clusters', projects', other organizations') checked as any other.
        "/organizations/{id}/profile" => s
            .rows
            .iter()
            .filter(|(t, _)| t == "organizations")
            .map(|(_, k)| format!("/organizations/{k}/profile"))
            .collect(),
        "/clusters/{id}/openness" => each_cluster("/openness?period=2024")
            .into_iter()
            .chain(each_cluster("/openness?group=cluster,region,country"))
            .collect(),
        "/networks/clusters" => vec![
            "/networks/clusters?period=2024".to_owned(),
            "/networks/clusters".to_owned(),
        ],
        // Each cluster alone, and all of them together (refused to whoever
        // may not read one of them).
        "/networks" => s
            .clusters
            .iter()
            .map(|c| format!("/networks?clusters={c}&period=2024"))
            .chain(std::iter::once(format!(
                "/networks?clusters={}",
                s.clusters.join(",")
            )))
            .collect(),
        "/clusters/{id}/synergy" => each_cluster("/synergy?period=2024")
            .into_iter()
            .chain(each_cluster("/synergy?columns=actor_type,size"))
            .collect(),
        "/clusters/{id}/compare" => each_cluster("/compare?before=2020&after=2024"),
        "/clusters/{id}/network" => each_cluster("/network?period=2024")
            .into_iter()
            .chain(each_cluster(
                "/network?method=louvain&quality=cpm&resolution=0.5&metrics=eigenvector,constraint,effective_size",
            ))
            .collect(),
        "/clusters/{id}/network/export" => each_cluster("/network/export?format=gexf&period=2024")
            .into_iter()
            .chain(each_cluster("/network/export?format=graphml&metrics=degree,eigenvector"))
            .collect(),
        "/clusters/{id}/brokerage" => each_cluster("/brokerage?period=2024")
            .into_iter()
            .chain(each_cluster("/brokerage?group=region"))
            .chain(each_cluster("/brokerage?group=industry"))
            .collect(),
        "/clusters/{id}/recommendations" => each_cluster("/recommendations?period=2024")
            .into_iter()
            .chain(each_cluster("/recommendations?score=jaccard&top=10"))
            .collect(),
        "/jobs/{id}" => s.jobs.iter().map(|j| format!("/jobs/{j}")).collect(),
        "/audit" => std::iter::once("/audit?limit=1000".to_owned())
            .chain(
                tables
                    .clone()
                    .map(|t| format!("/audit?table={t}&limit=1000")),
            )
            .chain(
                s.rows
                    .iter()
                    .filter(|(t, _)| t == "organizations")
                    .map(|(t, k)| format!("/audit?table={t}&key={k}")),
            )
            .collect(),
        "/{table}" => tables
            .flat_map(|t| [format!("/{t}?limit=1000"), format!("/{t}?q=mk-&limit=1000")])
            .chain(
                // The validity filters narrow a list, never widen it.
                weaver_core::schema::TABLES
                    .iter()
                    .filter(|t| t.column("since").is_some() && t.column("until").is_some())
                    .flat_map(|t| {
                        let t = t.name;
                        [
                            format!("/{t}?valid_at=2024-06-30&limit=1000"),
                            format!("/{t}?until=null&limit=1000"),
                            format!("/{t}?until=null&valid_at=2001-01-01&q=mk-&limit=1000"),
                        ]
                    }),
            )
            .collect(),
        "/{table}/{key}" => s.rows.iter().map(|(t, k)| format!("/{t}/{k}")).collect(),
        _ => return None,
    })
}

/// Reads every GET operation as every caller and returns each marker that
/// reached a caller who may not read it, with where.
async fn leaks(env: &Env, s: &Subjects) -> Vec<String> {
    let mut found = Vec::new();
    let mut seen_markers = BTreeSet::new();
    for (method, path) in weaver_server::OPERATIONS.iter() {
        if *method != "GET" {
            continue;
        }
        let addresses = addresses(path, s).unwrap_or_else(|| {
            panic!(
                "the visibility suite does not know how to call GET /api/v1{path}: \
                 add its addresses to `addresses` in tests/visibility.rs"
            )
        });
        for address in addresses {
            for who in std::iter::once("public").chain(CALLERS.iter().map(|c| c.0)) {
                let (_, bytes) = env
                    .send(who, "GET", &format!("/api/v1{address}"), None)
                    .await;
                let text = readable_text(&bytes);
                for (world, vis, marker) in markers(&text) {
                    seen_markers.insert(marker.clone());
                    // An id the caller sent, echoed in the answer (a 404's
                    // message), tells the caller nothing.
                    if address.contains(&marker) {
                        continue;
                    }
                    if !may_read(who, &world, &vis) {
                        found.push(format!("{who} read {marker} through GET {address}"));
                    }
                }
            }
        }
    }
    // The suite sees the markers at all: the admin's reads found every
    // world and visibility.
    let expected = [
        ("a", "public"),
        ("a", "cluster"),
        ("a", "private"),
        ("a2", "cluster"),
        ("a3", "private"),
        ("b", "private"),
        ("g", "cluster"),
        ("g", "private"),
    ];
    for (world, vis) in expected {
        assert!(
            seen_markers
                .iter()
                .any(|m| m.starts_with(&format!("mk-{world}-{vis}-"))),
            "no marker of world {world} at {vis} was read by anyone: the suite sees nothing"
        );
    }
    found.sort();
    found.dedup();
    found
}

/// Every row's (table, key) as the admin lists them.
async fn all_rows(env: &Env) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    for t in weaver_core::schema::TABLES {
        let (s, v) = env
            .call(
                "admin",
                "GET",
                &format!("/api/v1/{}?limit=1000", t.name),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{}: {v}", t.name);
        for row in v["rows"].as_array().unwrap() {
            let key = if t.key == ["id"] {
                &row["id"]
            } else {
                &row["row_id"]
            };
            let key = match key {
                Value::String(k) => k.clone(),
                other => other.to_string(),
            };
            rows.push((t.name.to_owned(), key));
        }
    }
    rows
}

/// Writes that leave traces in derived answers: an audit entry with the row
/// before and after for every marked row, two campaigns (one closed), and
/// path jobs started by different callers.
async fn activity(env: &Env, rows: &[(String, String)]) -> (Vec<String>, Vec<i64>) {
    for (table, key) in rows {
        let column = if table == "ties" {
            "citation"
        } else {
            "source"
        };
        let (s, v) = env
            .call("admin", "GET", &format!("/api/v1/{table}/{key}"), None)
            .await;
        assert_eq!(s, StatusCode::OK);
        let Some(old) = v[column].as_str().filter(|o| o.starts_with("mk-")) else {
            continue;
        };
        let (s, v) = env
            .call(
                "admin",
                "PATCH",
                &format!("/api/v1/{table}/{key}"),
                Some(json!({ column: format!("{old}-edited") })),
            )
            .await;
        assert!(s.is_success(), "PATCH {table}/{key}: {v}");
    }
    let mut campaigns = Vec::new();
    for side in ["a", "b"] {
        let id = format!("campaign-{side}");
        let (s, v) = env
            .call(
                &format!("officer_{side}"),
                "POST",
                "/api/v1/campaigns",
                Some(json!({
                    "id": id,
                    "name": format!("Monitoring {side}"),
                    "period": "2025",
                    "deadline": "2099-01-01",
                    "indicators": ["i1", "i2"],
                    "clusters": [format!("mk-{side}-public-clu")],
                })),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "opening {id}: {v}");
        let (s, v) = env
            .call(
                &format!("manager_{side}"),
                "POST",
                &format!("/api/v1/campaigns/{id}/observations"),
                Some(json!({"cluster": format!("mk-{side}-public-clu"), "values": {"i1": 7, "i2": 8}})),
            )
            .await;
        assert!(s.is_success(), "submitting to {id}: {v}");
        campaigns.push(id);
    }
    let (s, v) = env
        .call(
            "officer_a",
            "POST",
            "/api/v1/campaigns/campaign-a/close",
            None,
        )
        .await;
    assert!(s.is_success(), "closing campaign-a: {v}");
    // Its league table is published: from now on anyone reads it.
    let (s, v) = env
        .call(
            "officer_a",
            "POST",
            "/api/v1/campaigns/campaign-a/publish",
            None,
        )
        .await;
    assert!(s.is_success(), "publishing campaign-a: {v}");
    let mut jobs = Vec::new();
    for (who, cluster) in [
        ("manager_a", "mk-a-public-clu"),
        ("officer_a", "mk-a-public-clu"),
        ("manager_b", "mk-b-public-clu"),
        ("admin", "mk-b-public-clu"),
    ] {
        let (s, v) = env
            .call(
                who,
                "POST",
                &format!("/api/v1/clusters/{cluster}/paths?period=2024"),
                None,
            )
            .await;
        assert!(
            s == StatusCode::ACCEPTED || s == StatusCode::OK,
            "{who} starting a job: {s} {v}"
        );
        let id = v["id"]
            .as_i64()
            .or_else(|| v["job"]["id"].as_i64())
            .unwrap_or_else(|| panic!("no job id in {v}"));
        jobs.push(id);
    }
    for id in &jobs {
        for _ in 0..600 {
            let (_, v) = env
                .call("admin", "GET", &format!("/api/v1/jobs/{id}"), None)
                .await;
            let status = v["status"]
                .as_str()
                .or(v["job"]["status"].as_str())
                .unwrap_or("");
            if status == "done" || status == "failed" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
    jobs.sort_unstable();
    jobs.dedup();
    (campaigns, jobs)
}

/// Uploads `files` (name, CSV text) as a package's zip to `/api/v1/packages`
/// as `who`: the status and the JSON answer.
async fn upload_package(env: &Env, who: &str, files: &[(&str, &str)]) -> (StatusCode, Value) {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in files {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut w, text.as_bytes()).unwrap();
    }
    let bytes = w.finish().unwrap().into_inner();
    let mut req = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/packages")
        .header("content-type", "application/zip");
    if let Some(t) = env.tokens.get(who) {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let resp = tower::ServiceExt::oneshot(
        env.app.clone(),
        req.body(axum::body::Body::from(bytes)).unwrap(),
    )
    .await
    .unwrap();
    let status = resp.status();
    let body = http_body_util::BodyExt::collect(resp.into_body())
        .await
        .unwrap()
        .to_bytes();
    let v = serde_json::from_slice(&body).unwrap_or(Value::Null);
    assert!(!status.is_server_error(), "{who}: {status}: {v}");
    (status, v)
}

/// What a rival manager, officer and member try in order to widen what they
/// read or change; the answers each must get.
async fn escalation(env: &Env) -> Vec<String> {
    let mut failed = Vec::new();
    let mut check = |ok: bool, what: String| {
        if !ok {
            failed.push(what);
        }
    };
    // Only an admin or the campaign's officer publishes a league table,
    // and only a closed campaign's.
    for (who, campaign) in [
        ("officer_b", "campaign-a"),
        ("manager_a", "campaign-a"),
        ("member_a", "campaign-a"),
        ("manager_b", "campaign-b"),
        ("officer_b", "campaign-b"),
        ("public", "campaign-b"),
    ] {
        let (s, v) = env
            .call(
                who,
                "POST",
                &format!("/api/v1/campaigns/{campaign}/publish"),
                None,
            )
            .await;
        check(
            s.is_client_error(),
            format!("{who} published {campaign}: {s} {v}"),
        );
    }
    let (_, v) = env
        .call(
            "public",
            "GET",
            "/api/v1/evaluation/index?population=campaign:campaign-b",
            None,
        )
        .await;
    check(
        v["clusters"].is_null(),
        format!("the public read campaign-b's unpublished table: {v}"),
    );
    // Adding another cluster's public organization to one's own cluster is
    // allowed, and gives no right over it or over the other cluster's rows.
    let (s, v) = env
        .call(
            "manager_a",
            "POST",
            "/api/v1/memberships",
            Some(json!({"cluster": "mk-a-public-clu", "org": "mk-b-public-org", "tier": "associate", "since": "2001"})),
        )
        .await;
    check(s.is_success() || s.is_client_error(), format!("{v}"));
    let (s, v) = env
        .call(
            "manager_a",
            "PATCH",
            "/api/v1/organizations/mk-b-public-org",
            Some(json!({"name": "taken over"})),
        )
        .await;
    check(
        s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
        format!("a manager edited another cluster's organization after adding it: {s} {v}"),
    );
    // A row one may not read answers exactly as a missing one.
    for (who, body) in [
        (
            "manager_a",
            json!({"cluster": "mk-a-public-clu", "org": "{}", "tier": "associate", "since": "2002"}),
        ),
        (
            "manager_a",
            json!({"source": "mk-a-public-org", "target": "{}", "kind": "contract", "start": "2024"}),
        ),
    ] {
        let table = if body.get("tier").is_some() {
            "memberships"
        } else {
            "ties"
        };
        let with = |org: &str| -> Value {
            let text = body.to_string().replace("{}", org);
            serde_json::from_str(&text).unwrap()
        };
        let (hidden_status, hidden) = env
            .call(
                who,
                "POST",
                &format!("/api/v1/{table}"),
                Some(with("mk-b-private-org")),
            )
            .await;
        let (missing_status, missing) = env
            .call(
                who,
                "POST",
                &format!("/api/v1/{table}"),
                Some(with("no-such-org")),
            )
            .await;
        check(
            hidden_status == missing_status,
            format!(
                "{who} referring to a hidden organization in {table}: {hidden} vs a missing one: {missing}"
            ),
        );
        check(
            hidden_status.is_client_error(),
            format!("{who}: {hidden_status} for a hidden organization in {table}"),
        );
        let hidden_text = hidden.to_string().replace("mk-b-private-org", "X");
        let missing_text = missing.to_string().replace("no-such-org", "X");
        check(
            hidden_text == missing_text,
            format!(
                "{who}: a hidden and a missing organization in {table} answer differently: {hidden_text} vs {missing_text}"
            ),
        );
    }
    // Nobody outside cluster b changes its rows, nor makes them public.
    let (_, v) = env
        .call(
            "admin",
            "GET",
            "/api/v1/ties?citation=mk-b-private-ties-edited",
            None,
        )
        .await;
    let tie = v["rows"][0]["row_id"].clone();
    check(
        !tie.is_null(),
        format!("the fixture's private tie of b: {v}"),
    );
    for who in [
        "manager_a",
        "officer_b",
        "member_b",
        "officer_a",
        "member_a",
    ] {
        let (s, v) = env
            .call(
                who,
                "PATCH",
                &format!("/api/v1/ties/{tie}"),
                Some(json!({"visibility": "public"})),
            )
            .await;
        check(
            s.is_client_error(),
            format!("{who} made b's private tie public: {s} {v}"),
        );
        let (s, v) = env
            .call(
                who,
                "DELETE",
                "/api/v1/organizations/mk-b-private-org",
                None,
            )
            .await;
        check(
            s.is_client_error(),
            format!("{who} deleted b's private organization: {s} {v}"),
        );
    }
    // A manager's package holds only what it may write row by row: a row of
    // another cluster, another cluster's organization, a table only admins
    // write each refuse the whole package, and nothing of it is written.
    for (what, files) in [
        (
            "a package with one observation of cluster b",
            vec![(
                "observations.csv",
                "cluster,indicator,period,value,visibility,source\n\
                 mk-a-public-clu,i1,2031,5,public,mk-a-public-esc\n\
                 mk-b-public-clu,i1,2031,5,public,mk-b-public-esc\n",
            )],
        ),
        (
            "a package renaming b's private organization",
            vec![(
                "organizations.csv",
                "id,name,actor_type\nmk-b-private-org,taken over,enterprise\n",
            )],
        ),
        (
            "a package adding a project to cluster b",
            vec![(
                "projects.csv",
                "id,title,cluster,visibility,source\n\
                 mk-b-public-escprj,Taken,mk-b-public-clu,public,x\n",
            )],
        ),
        (
            "a package of indicators",
            vec![(
                "indicators.csv",
                "id,name,direction,visibility,source\ni1,mk-g-public-esc,higher_better,public,x\n",
            )],
        ),
    ] {
        for who in [
            "manager_a",
            "officer_a",
            "member_a",
            "officer_b",
            "member_b",
        ] {
            let (s, v) = upload_package(env, who, &files).await;
            check(
                s == StatusCode::UNPROCESSABLE_ENTITY || s == StatusCode::FORBIDDEN,
                format!("{who} imported {what}: {s} {v}"),
            );
        }
    }
    let (_, v) = env
        .call("admin", "GET", "/api/v1/observations?period=2031", None)
        .await;
    check(
        v["total"] == 0,
        format!("a refused package wrote observations: {v}"),
    );
    let (hidden_status, hidden) = upload_package(
        env,
        "manager_a",
        &[(
            "memberships.csv",
            "cluster,org,tier,since\nmk-a-public-clu,mk-b-private-org,associate,2003\n",
        )],
    )
    .await;
    let (missing_status, missing) = upload_package(
        env,
        "manager_a",
        &[(
            "memberships.csv",
            "cluster,org,tier,since\nmk-a-public-clu,no-such-org,associate,2003\n",
        )],
    )
    .await;
    check(
        hidden_status.is_client_error()
            && hidden_status == missing_status
            && hidden.to_string().replace("mk-b-private-org", "X")
                == missing.to_string().replace("no-such-org", "X"),
        format!(
            "a package referring to a hidden organization: {hidden} vs a missing one: {missing}"
        ),
    );
    // A member does not move its organization into another cluster's view.
    let (s, _) = env
        .call(
            "member_a",
            "PATCH",
            "/api/v1/organizations/a-member-org",
            Some(json!({"visibility": "public", "name": "Member A renamed"})),
        )
        .await;
    check(
        s.is_success(),
        "a member updates its own organization".to_owned(),
    );
    failed
}

#[test]
fn no_marker_reaches_a_caller_who_may_not_read_it() {
    let _ = tracing_subscriber::fmt().with_test_writer().try_init();
    common::rt().block_on(async {
        for env in envs().await {
            let rows = all_rows(&env).await;
            let (campaigns, jobs) = activity(&env, &rows).await;
            let mut clusters: Vec<String> = ["a", "b"]
                .iter()
                .flat_map(|s| {
                    [
                        format!("mk-{s}-public-clu"),
                        format!("mk-{s}2-cluster-clu"),
                        format!("mk-{s}3-private-clu"),
                    ]
                })
                .collect();
            clusters.push("no-such-cluster".to_owned());
            let subjects = Subjects {
                clusters,
                rows: all_rows(&env).await,
                campaigns,
                jobs,
                users: env.extra.clone(),
            };
            let before = leaks(&env, &subjects).await;
            let refused = escalation(&env).await;
            let subjects = Subjects {
                rows: all_rows(&env).await,
                ..subjects
            };
            let after = leaks(&env, &subjects).await;
            let mut report: BTreeMap<&str, &Vec<String>> = BTreeMap::new();
            report.insert("before the escalation attempts", &before);
            report.insert("after the escalation attempts", &after);
            report.insert("escalation attempts that were not refused", &refused);
            assert!(
                before.is_empty() && after.is_empty() && refused.is_empty(),
                "{} leaks and {} escalations:\n{}",
                before.len() + after.len(),
                refused.len(),
                report
                    .iter()
                    .map(|(k, v)| format!("{k}:\n  {}", v.join("\n  ")))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
            env.finish().await;
        }
    });
}

#[test]
fn the_oracle_is_not_vacuous() {
    // The rule the suite checks against: spot checks by hand.
    assert!(may_read("manager_a", "a3", "private"));
    assert!(!may_read("manager_a", "b", "cluster"));
    assert!(may_read("officer_a", "a2", "cluster"));
    assert!(!may_read("officer_a", "a", "private"));
    assert!(may_read("member_a", "a", "cluster"));
    assert!(!may_read("member_a", "a2", "cluster"));
    assert!(!may_read("public", "g", "cluster"));
    assert!(may_read("member_b", "g", "cluster"));
    assert!(!may_read("manager_b", "g", "private"));
    assert_eq!(
        markers("x mk-a-private-ties, \"mk-g-cluster-region\""),
        vec![
            ("a".into(), "private".into(), "mk-a-private-ties".into()),
            ("g".into(), "cluster".into(), "mk-g-cluster-region".into())
        ]
    );
}

/// Notifications are their account's alone and the outbox (every message's
/// recipient and subject) the admins': a member never reads another's
/// notification nor marks it read, and no one but an admin reads the
/// outbox.
#[test]
fn notifications_and_the_outbox_are_their_owners_alone() {
    use weaver_service::mail::{Kind, Language, Recipient};
    common::on_each(envs, async |env| {
        let at = |name: &str| CALLERS.iter().position(|c| c.0 == name).unwrap();
        let member_a = env.extra[at("member_a")];
        let id = env
            .store
            .notify(member_a, "notice", "note-for-member-a", "for member A only")
            .await
            .unwrap();
        let to = Recipient {
            email: "member_a@example.org".to_owned(),
            user_id: Some(member_a),
            language: Language::En,
        };
        weaver_service::mail::queue(
            &env.store,
            Kind::Notice,
            &to,
            &[("subject", "mail-for-member-a"), ("text", "hello")],
        )
        .await
        .unwrap();
        for who in std::iter::once("public").chain(CALLERS.iter().map(|c| c.0)) {
            let (s, bytes) = env.send(who, "GET", "/api/v1/notifications", None).await;
            let text = String::from_utf8_lossy(&bytes);
            assert_eq!(
                text.contains("note-for-member-a"),
                who == "member_a",
                "{who}: {s} {text}"
            );
            let (s, bytes) = env.send(who, "GET", "/api/v1/outbox", None).await;
            let text = String::from_utf8_lossy(&bytes);
            assert_eq!(s.is_success(), who == "admin", "{who}: {s} {text}");
            assert_eq!(
                text.contains("mail-for-member-a"),
                who == "admin",
                "{who}: {text}"
            );
            if who != "member_a" {
                let (s, _) = env
                    .send(
                        who,
                        "POST",
                        &format!("/api/v1/notifications/{id}/read"),
                        None,
                    )
                    .await;
                assert!(
                    s == StatusCode::NOT_FOUND || s == StatusCode::UNAUTHORIZED,
                    "{who} marked member A's notification read: {s}"
                );
            }
        }
        // Still unread for its account.
        let (_, bytes) = env
            .send("member_a", "GET", "/api/v1/notifications", None)
            .await;
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(v["unread"], 1, "{v}");
    });
}
