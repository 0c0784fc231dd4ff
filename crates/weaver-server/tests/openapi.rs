//! The OpenAPI document describes exactly the operations the router serves:
//! the router's list of operations ([`weaver_server::OPERATIONS`], built
//! from the same table as the router) against the document's paths and
//! methods, with the generic `/{table}` routes expanded to every table.

mod common;

use std::collections::BTreeSet;

use serde_json::Value;
use weaver_core::schema::TABLES;
use weaver_server::Config;

use common::{Env, Table, on_each};

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn routed() -> BTreeSet<(String, String)> {
    let mut ops = BTreeSet::new();
    for (method, path) in weaver_server::OPERATIONS.iter() {
        let paths: Vec<String> = if path.starts_with("/{table}") {
            TABLES
                .iter()
                .map(|t| path.replacen("{table}", t.name, 1))
                .collect()
        } else {
            vec![(*path).to_owned()]
        };
        for p in paths {
            ops.insert((method.to_ascii_lowercase(), format!("/api/v1{p}")));
        }
    }
    ops
}

fn documented() -> BTreeSet<(String, String)> {
    let doc = weaver_server::openapi::document();
    let mut ops = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths is an object") {
        for m in METHODS {
            if item.get(*m).is_some() {
                ops.insert(((*m).to_owned(), path.clone()));
            }
        }
    }
    ops
}

#[test]
fn the_document_lists_exactly_the_routed_operations() {
    let routed = routed();
    let documented = documented();
    let undocumented: Vec<_> = routed.difference(&documented).collect();
    let unrouted: Vec<_> = documented.difference(&routed).collect();
    assert!(
        undocumented.is_empty() && unrouted.is_empty(),
        "routed but not in the OpenAPI document: {undocumented:?}\n\
         in the document but not routed: {unrouted:?}"
    );
    // The comparison is not vacuous: every table's list and row operations
    // and the named endpoints are there.
    assert!(routed.len() > TABLES.len() * 5);
    assert!(routed.contains(&("post".to_owned(), "/api/v1/campaigns/{id}/close".to_owned())));
}

/// The places of `v` where an object's member is `null`.
fn null_members(v: &Value, at: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if x.is_null() {
                    out.push(format!("{at}/{k}"));
                }
                null_members(x, &format!("{at}/{k}"), out);
            }
        }
        Value::Array(xs) => {
            for (i, x) in xs.iter().enumerate() {
                null_members(x, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn no_keyword_of_the_document_is_null() {
    // A `null` member (`"enum": null`, `"content": null`) is no OpenAPI or
    // JSON Schema: tools such as Schemathesis refuse the document.
    let mut found = Vec::new();
    null_members(weaver_server::openapi::document(), "", &mut found);
    assert!(found.is_empty(), "null members: {found:?}");
}

#[test]
fn path_parameters_are_declared_where_the_path_names_them() {
    let doc = weaver_server::openapi::document();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let named: BTreeSet<String> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(str::to_owned)
            .collect();
        for m in METHODS {
            let Some(op) = item.get(*m) else { continue };
            let declared: BTreeSet<String> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .chain(item["parameters"].as_array().into_iter().flatten())
                .filter(|p| p["in"] == "path")
                .filter_map(|p| p["name"].as_str().map(str::to_owned))
                .collect();
            assert_eq!(named, declared, "{m} {path}: path parameters");
        }
    }
}

#[test]
fn every_operation_says_what_it_does_and_how_it_fails() {
    let doc = weaver_server::openapi::document();
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for m in METHODS {
            let Some(op) = item.get(*m) else { continue };
            operations += 1;
            let summary = op["summary"].as_str().unwrap_or("");
            assert!(!summary.is_empty(), "{m} {path} has no summary");
            let responses = op["responses"].as_object().expect("responses");
            assert!(
                responses.keys().any(|k| k.starts_with('2')),
                "{m} {path} has no success answer"
            );
            // An answer without a body has no `content`; one with a body
            // maps media types to schemas (never `"content": null`, which
            // OpenAPI tools such as Schemathesis cannot read).
            for (status, r) in responses {
                if let Some(content) = r.get("content") {
                    assert!(
                        content.is_object(),
                        "{m} {path}: {status} content {content}"
                    );
                }
            }
            let errors: Vec<_> = responses
                .iter()
                .filter(|(k, _)| k.starts_with('4'))
                .collect();
            assert!(!errors.is_empty(), "{m} {path} has no error answer");
            for (status, r) in errors {
                assert_eq!(
                    r["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/Error",
                    "{m} {path}: {status} in the one error shape"
                );
            }
            // A body's schema is in the document.
            for (_, content) in op["requestBody"]["content"]
                .as_object()
                .into_iter()
                .flatten()
            {
                if let Some(r) = content["schema"]["$ref"].as_str() {
                    let name = r.trim_start_matches("#/components/schemas/");
                    assert!(
                        doc["components"]["schemas"][name].is_object(),
                        "{m} {path}: its body's schema {name} is missing"
                    );
                }
            }
        }
    }
    assert!(operations > 60, "only {operations} operations");
    // Uploads are files: their bytes, whatever they are.
    for path in ["/api/v1/packages", "/api/v1/campaigns/{id}/submission"] {
        assert_eq!(
            doc["paths"][path]["post"]["requestBody"]["content"]["application/octet-stream"]["schema"]
                ["format"],
            "binary",
            "POST {path}"
        );
    }
}

/// The analyses: a cluster's (`/clusters/…`), the networks of several
/// clusters (`/networks…`), the evaluation's and the mapping's operations.
fn is_analysis(path: &str) -> bool {
    // `/clusters/{key}` is the clusters table's row, not an analysis.
    [
        "/api/v1/clusters/{id}/",
        "/api/v1/networks",
        "/api/v1/evaluation/",
        "/api/v1/mapping/",
    ]
    .iter()
    .any(|p| path.starts_with(p))
}

#[test]
fn the_analyses_name_the_schema_of_their_answer() {
    let doc = weaver_server::openapi::document();
    let mut typed = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        if !is_analysis(path) {
            continue;
        }
        for m in METHODS {
            let Some(op) = item.get(*m) else { continue };
            // Exact path metrics are a background job: the answer is the
            // job (its result once it is done), not the analysis.
            if *m == "post" && path == "/api/v1/clusters/{id}/paths" {
                continue;
            }
            // A cluster's network as a file (GEXF or GraphML), not an
            // answer in JSON.
            if path == "/api/v1/clusters/{id}/network/export" {
                let content = &op["responses"]["200"]["content"];
                assert!(
                    content["application/gexf+xml"].is_object()
                        && content["application/graphml+xml"].is_object(),
                    "{m} {path}: its files' content types"
                );
                continue;
            }
            let schema = &op["responses"]["200"]["content"]["application/json"]["schema"];
            let name = schema["$ref"]
                .as_str()
                .unwrap_or_else(|| panic!("{m} {path}: its 200 answer names no schema"))
                .trim_start_matches("#/components/schemas/");
            assert!(
                doc["components"]["schemas"][name].is_object(),
                "{m} {path}: its answer's schema {name} is missing"
            );
            typed += 1;
        }
    }
    assert!(typed >= 27, "only {typed} analyses name their answer");
}

/// The errors of `value` against `schema` (the part of JSON Schema the
/// document uses: `$ref`, `allOf`, `oneOf`/`anyOf`, `enum`, `type`,
/// `properties`, `required`, `items`, `additionalProperties`), each with
/// where it is.
fn violations(doc: &Value, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.trim_start_matches("#/components/schemas/");
        let target = &doc["components"]["schemas"][name];
        assert!(target.is_object(), "{at}: {r} is not in the document");
        violations(doc, target, value, at, out);
    }
    for part in schema["allOf"].as_array().into_iter().flatten() {
        violations(doc, part, value, at, out);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema[key].as_array() {
            let fits = options.iter().any(|o| {
                let mut e = Vec::new();
                violations(doc, o, value, at, &mut e);
                e.is_empty()
            });
            if !fits {
                out.push(format!("{at}: {value} is none of its {key}"));
            }
        }
    }
    if let Some(values) = schema["enum"].as_array()
        && !values.contains(value)
    {
        out.push(format!("{at}: {value} is not one of {values:?}"));
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if !types.is_empty() {
        let fits = types.iter().any(|t| match *t {
            "null" => value.is_null(),
            "boolean" => value.is_boolean(),
            "string" => value.is_string(),
            "number" => value.is_number(),
            "integer" => value.is_i64() || value.is_u64(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => true,
        });
        if !fits {
            out.push(format!("{at}: {value} is not of type {types:?}"));
            return;
        }
    }
    if let Some(object) = value.as_object() {
        let properties = schema["properties"].as_object();
        for name in schema["required"].as_array().into_iter().flatten() {
            let name = name.as_str().unwrap_or_default();
            if !object.contains_key(name) {
                out.push(format!("{at}: the required {name} is missing"));
            }
        }
        for (key, v) in object {
            match properties.and_then(|p| p.get(key)) {
                Some(sub) => violations(doc, sub, v, &format!("{at}.{key}"), out),
                None if schema["additionalProperties"].is_object() => violations(
                    doc,
                    &schema["additionalProperties"],
                    v,
                    &format!("{at}.{key}"),
                    out,
                ),
                None => {}
            }
        }
    }
    if let Some(items) = value.as_array()
        && schema["items"].is_object()
    {
        for (i, v) in items.iter().enumerate() {
            violations(doc, &schema["items"], v, &format!("{at}[{i}]"), out);
        }
    }
}

/// A small register with something for every analysis: c1's network over
/// 2020–2024, observations over 2021–2025, regional activity in 2023–2024.
const FIXTURE: &[Table] = &[
    ("programmes", &["id", "name"], &[&["p1", "Torch"]]),
    (
        "organizations",
        &["id", "name", "actor_type", "industry", "region"],
        &[
            &["o1", "Acme", "enterprise", "C34", "320500"],
            &["o2", "Nano University", "university", "P85", "320500"],
            &["o3", "Suzhou Bureau", "government", "O84", "320500"],
            &["o4", "Lone Firm", "enterprise", "C34", "320200"],
            &["o5", "Lyon Labs", "research", "M72", "FRK26"],
        ],
    ),
    (
        "clusters",
        &["id", "name", "region"],
        &[
            &["c1", "Suzhou Nano", "320500"],
            &["c2", "Lyon Bio", "FRK26"],
            &["c3", "Wuxi IoT", "320200"],
        ],
    ),
    (
        "programme_clusters",
        &["programme", "cluster"],
        &[&["p1", "c1"], &["p1", "c3"]],
    ),
    (
        "memberships",
        &["cluster", "org", "tier"],
        &[
            &["c1", "o1", "core"],
            &["c1", "o2", "partner"],
            &["c1", "o3", "partner"],
            &["c1", "o4", "regional"],
            &["c2", "o5", "core"],
        ],
    ),
    (
        "ties",
        &["source", "target", "kind", "start", "directed"],
        &[
            &["o1", "o2", "co_publication", "2020", ""],
            &["o2", "o3", "contract", "2021", ""],
            // A directed tie: the answers' `form`, `in_degree`,
            // `out_degree` and `warnings` are checked too.
            &["o1", "o4", "contract", "2023", "true"],
        ],
    ),
    (
        "indicators",
        &["id", "name", "direction"],
        &[
            &["members", "Members", "higher_better"],
            &["cost", "Cost", "lower_better"],
        ],
    ),
    (
        "observations",
        &["cluster", "indicator", "period", "value", "visibility"],
        &[
            &["c1", "members", "2025", "10", "cluster"],
            &["c1", "cost", "2025", "5", "cluster"],
            &["c2", "members", "2025", "30", "public"],
            &["c2", "cost", "2025", "4", "public"],
            &["c3", "members", "2025", "20", "public"],
            &["c3", "cost", "2025", "1", "public"],
            &["c1", "members", "2021", "100", "cluster"],
            &["c1", "members", "2024", "70", "cluster"],
            &["c2", "members", "2021", "20", "public"],
            &["c3", "members", "2021", "25", "public"],
        ],
    ),
    (
        "funding",
        &["recipient", "source_type", "programme", "amount", "year"],
        &[
            &["c1", "central_gov", "p1", "1000", "2024"],
            &["c1", "private", "", "3000", "2024"],
        ],
    ),
    (
        "regional_activity",
        &["region", "industry", "year", "employment"],
        &[
            &["R1", "A", "2023", "20"],
            &["R1", "B", "2023", "20"],
            &["R2", "A", "2023", "20"],
            &["R2", "B", "2023", "20"],
            &["R1", "A", "2024", "30"],
            &["R1", "B", "2024", "10"],
            &["R2", "A", "2024", "10"],
            &["R2", "B", "2024", "30"],
        ],
    ),
];

async fn envs() -> Vec<Env> {
    common::envs("openapi", FIXTURE, Config::default()).await
}

/// Real answers of the analyses, fresh and from the cache, hold what the
/// document says of them.
#[test]
fn real_answers_fit_their_documented_schemas() {
    let doc = weaver_server::openapi::document();
    let questions = [
        ("/clusters/{id}/network", "/clusters/c1/network?period=2024"),
        (
            "/clusters/{id}/network",
            "/clusters/c1/network?quality=cpm&resolution=0.5&metrics=eigenvector,constraint,effective_size",
        ),
        ("/clusters/{id}/brokerage", "/clusters/c1/brokerage"),
        (
            "/clusters/{id}/brokerage",
            "/clusters/c1/brokerage?group=industry",
        ),
        (
            "/clusters/{id}/recommendations",
            "/clusters/c1/recommendations",
        ),
        (
            "/clusters/{id}/diffusion",
            "/clusters/c1/diffusion?model=cowan-jonard",
        ),
        ("/clusters/{id}/openness", "/clusters/c1/openness"),
        (
            "/clusters/{id}/openness",
            "/clusters/c1/openness?period=2024&group=region,cluster",
        ),
        ("/networks/clusters", "/networks/clusters?period=2024"),
        ("/networks", "/networks?clusters=c1,c2,c3&period=2024"),
        (
            "/clusters/{id}/diffusion",
            "/clusters/c1/diffusion?runs=20&what_if=1",
        ),
        (
            "/clusters/{id}/compare",
            "/clusters/c1/compare?before=2021&after=2024",
        ),
        ("/clusters/{id}/labels", "/clusters/c1/labels"),
        ("/clusters/{id}/paths", "/clusters/c1/paths"),
        ("/clusters/{id}/synergy", "/clusters/c1/synergy"),
        ("/evaluation/index", "/evaluation/index?period=2025"),
        (
            "/evaluation/ranking",
            "/evaluation/ranking?period=2025&runs=20",
        ),
        ("/evaluation/lifecycle", "/evaluation/lifecycle"),
        ("/evaluation/trends", "/evaluation/trends"),
        ("/evaluation/checks", "/evaluation/checks?period=2025"),
        (
            "/evaluation/sensitivity",
            "/evaluation/sensitivity?period=2025&runs=8",
        ),
        ("/evaluation/computed", "/evaluation/computed"),
        ("/evaluation/levels", "/evaluation/levels?period=2025"),
        ("/evaluation/public-share", "/evaluation/public-share"),
        ("/evaluation/benchmark", "/evaluation/benchmark?period=2025"),
        ("/mapping/clusters", "/mapping/clusters?percentiles=true"),
        ("/mapping/growth", "/mapping/growth"),
        ("/mapping/related", "/mapping/related"),
        ("/mapping/strength", "/mapping/strength"),
        ("/mapping/complexity", "/mapping/complexity"),
        (
            "/clusters/{id}/specialisation",
            "/clusters/c1/specialisation",
        ),
        ("/clusters/{id}/profile", "/clusters/c1/profile"),
        ("/organizations/{id}/profile", "/organizations/o1/profile"),
        ("/vocabulary", "/vocabulary"),
        ("/directory", "/directory?sort=members&order=desc"),
    ];
    on_each(envs, async |env| {
        let mut all = Vec::new();
        for (route, url) in questions {
            let schema = &doc["paths"][format!("/api/v1{route}")]["get"]["responses"]["200"]["content"]
                ["application/json"]["schema"];
            assert!(schema.is_object(), "GET {route} names no schema");
            // Twice: the second answer of a cached analysis is the cache's.
            for _ in 0..2 {
                let (status, body) = env
                    .call("admin", "GET", &format!("/api/v1{url}"), None)
                    .await;
                assert_eq!(status, 200, "GET {url}: {body}");
                let mut errors = Vec::new();
                violations(doc, schema, &body, &format!("GET {url}"), &mut errors);
                errors.truncate(3);
                all.extend(errors);
            }
        }
        assert!(all.is_empty(), "{all:#?}");
    });
}

/// The documented schema of `method route`'s answer with `status`: it
/// must name a schema of the components (a typed answer, not "anything").
fn answer_schema<'a>(doc: &'a Value, method: &str, route: &str, status: u16) -> &'a Value {
    let op = &doc["paths"][format!("/api/v1{route}")][method.to_ascii_lowercase()];
    assert!(op.is_object(), "{method} {route} is not in the document");
    let schema = &op["responses"][status.to_string()]["content"]["application/json"]["schema"];
    let name = schema["$ref"]
        .as_str()
        .unwrap_or_else(|| panic!("{method} {route}: its {status} answer names no schema"))
        .trim_start_matches("#/components/schemas/");
    assert!(
        doc["components"]["schemas"][name].is_object(),
        "{method} {route}: its answer's schema {name} is missing"
    );
    schema
}

/// The answers of one scenario, checked against their documented schemas.
struct Checked<'a> {
    env: &'a Env,
    doc: &'a Value,
    errors: Vec<String>,
    operations: BTreeSet<(String, String)>,
}

impl Checked<'_> {
    /// Sends `method url` (the route `route`) as `who` with `body`, expects
    /// `status`, and checks the answer against the route's documented
    /// schema; gives the answer.
    async fn call(
        &mut self,
        who: &str,
        method: &str,
        route: &str,
        url: &str,
        body: Option<Value>,
        status: u16,
    ) -> Value {
        let schema = answer_schema(self.doc, method, route, status);
        let (got, answer) = self
            .env
            .call(who, method, &format!("/api/v1{url}"), body)
            .await;
        assert_eq!(got.as_u16(), status, "{method} {url}: {answer}");
        self.check(schema, &answer, &format!("{method} {url}"));
        self.operations
            .insert((method.to_owned(), route.to_owned()));
        answer
    }

    fn check(&mut self, schema: &Value, answer: &Value, at: &str) {
        let mut errors = Vec::new();
        violations(self.doc, schema, answer, at, &mut errors);
        errors.truncate(3);
        self.errors.extend(errors);
    }
}

/// Real answers of the accounts', tokens', tables', rows', packages',
/// audit log's, jobs' and campaigns' operations hold what the document says
/// of them: each names its schema, and the answer fits it.
#[test]
fn real_answers_of_the_register_and_its_accounts_fit_their_schemas() {
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use serde_json::json;
    use tower::ServiceExt;

    let doc = weaver_server::openapi::document();
    on_each(envs, async |env| {
        let mut c = Checked {
            env,
            doc,
            errors: Vec::new(),
            operations: BTreeSet::new(),
        };
        // Accounts and tokens.
        c.call("admin", "GET", "/auth/me", "/auth/me", None, 200)
            .await;
        c.call("officer", "GET", "/auth/me", "/auth/me", None, 200)
            .await;
        c.call(
            "admin",
            "GET",
            "/auth/me/export",
            "/auth/me/export",
            None,
            200,
        )
        .await;
        c.call(
            "admin",
            "POST",
            "/auth/tokens",
            "/auth/tokens",
            Some(json!({"name": "ci"})),
            201,
        )
        .await;
        let tokens = c
            .call("admin", "GET", "/auth/tokens", "/auth/tokens", None, 200)
            .await;
        assert_eq!(tokens["api_tokens"].as_array().map(Vec::len), Some(2));
        c.call("admin", "GET", "/users", "/users", None, 200).await;
        let password = "a long enough password";
        let made = c
            .call(
                "admin",
                "POST",
                "/users",
                "/users",
                Some(json!({"email": "li@example.org", "role": "manager", "password": password})),
                201,
            )
            .await;
        let invited = c
            .call(
                "admin",
                "POST",
                "/users",
                "/users",
                Some(json!({"email": "zhao@example.org", "role": "member"})),
                201,
            )
            .await;
        assert!(invited["invitation_token"].is_string(), "{invited}");
        let id = made["user"]["id"].as_i64().expect("the new account's id");
        let user = format!("/users/{id}");
        c.call("admin", "GET", "/users/{id}", &user, None, 200)
            .await;
        c.call(
            "admin",
            "PATCH",
            "/users/{id}",
            &user,
            Some(json!({"disabled": false})),
            200,
        )
        .await;
        let assigned = c
            .call(
                "admin",
                "POST",
                "/users/{id}/scopes",
                &format!("{user}/scopes"),
                Some(json!({"kind": "cluster", "ref": "c1"})),
                200,
            )
            .await;
        assert_eq!(
            assigned["assignments"],
            json!([{"kind": "cluster", "ref": "c1"}])
        );
        c.call(
            "admin",
            "POST",
            "/users/{id}/reset",
            &format!("{user}/reset"),
            None,
            200,
        )
        .await;
        // The outbox holds the invitation and the reset link; a public
        // reset request answers the same whether or not the address exists.
        c.call(
            "public",
            "POST",
            "/auth/reset",
            "/auth/reset",
            Some(json!({"email": "nobody@example.org"})),
            202,
        )
        .await;
        let outbox = c
            .call("admin", "GET", "/outbox", "/outbox", None, 200)
            .await;
        let message = outbox["messages"][0]["id"]
            .as_i64()
            .expect("a message in the outbox");
        c.call(
            "admin",
            "POST",
            "/outbox/{id}/resend",
            &format!("/outbox/{message}/resend"),
            None,
            200,
        )
        .await;
        c.call(
            "admin",
            "GET",
            "/notifications",
            "/notifications",
            None,
            200,
        )
        .await;
        c.call(
            "admin",
            "GET",
            "/users/{id}/export",
            &format!("{user}/export"),
            None,
            200,
        )
        .await;
        let login = c
            .call(
                "public",
                "POST",
                "/auth/login",
                "/auth/login",
                Some(json!({"email": "li@example.org", "password": password})),
                200,
            )
            .await;
        assert_eq!(login["user"]["clusters"], json!(["c1"]));

        // The register's tables and rows: one keyed by id, one by a
        // natural key; a row added, changed, deleted and the deletion undone.
        c.call("public", "GET", "/tables", "/tables", None, 200)
            .await;
        c.call(
            "admin",
            "GET",
            "/organizations",
            "/organizations",
            None,
            200,
        )
        .await;
        c.call(
            "public",
            "GET",
            "/organizations/{key}",
            "/organizations/o1",
            None,
            200,
        )
        .await;
        let memberships = c
            .call(
                "admin",
                "GET",
                "/memberships",
                "/memberships?limit=2",
                None,
                200,
            )
            .await;
        let row = memberships["rows"][0]["row_id"].as_i64().expect("a row_id");
        c.call(
            "admin",
            "GET",
            "/memberships/{key}",
            &format!("/memberships/{row}"),
            None,
            200,
        )
        .await;
        c.call(
            "admin",
            "POST",
            "/organizations",
            "/organizations",
            Some(json!({"id": "o9", "name": "New Firm", "actor_type": "enterprise", "employees": 12})),
            201,
        )
        .await;
        c.call(
            "admin",
            "PATCH",
            "/organizations/{key}",
            "/organizations/o9",
            Some(json!({"name": "Newer Firm"})),
            200,
        )
        .await;
        let deleted = c
            .call(
                "admin",
                "DELETE",
                "/organizations/{key}",
                "/organizations/o9",
                None,
                200,
            )
            .await;
        let entry = deleted["audit_entry"]
            .as_i64()
            .expect("the deletion's entry");
        c.call("admin", "GET", "/audit", "/audit?limit=5", None, 200)
            .await;
        c.call(
            "admin",
            "POST",
            "/audit/{id}/undo",
            &format!("/audit/{entry}/undo"),
            None,
            200,
        )
        .await;

        // A package: the register's own export, imported as a dry run.
        let (status, _, zip) = env.bytes("admin", "/api/v1/packages/export").await;
        assert_eq!(status, 200);
        let schema = answer_schema(doc, "POST", "/packages", 200);
        let upload = Request::builder()
            .method("POST")
            .uri("/api/v1/packages?dry_run=true")
            .header("authorization", format!("Bearer {}", env.tokens["admin"]))
            .header("content-type", "application/zip")
            .body(Body::from(zip))
            .unwrap();
        let resp = env.app.clone().oneshot(upload).await.unwrap();
        assert_eq!(resp.status(), 200);
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let imported: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(imported["dry_run"], true);
        c.check(schema, &imported, "POST /packages?dry_run=true");
        c.operations.insert(("POST".into(), "/packages".into()));

        // A job: the exact path metrics of c1.
        let (status, job) = env
            .call("admin", "POST", "/api/v1/clusters/c1/paths", None)
            .await;
        assert_eq!(status, 202, "{job}");
        let n = job["id"].as_i64().expect("the job's number");
        c.call(
            "admin",
            "GET",
            "/jobs/{id}",
            &format!("/jobs/{n}"),
            None,
            200,
        )
        .await;

        // A campaign: opened, listed, reminded (no cost was observed in
        // 2021; c3 has no manager), its ties confirmed, closed.
        c.call(
            "admin",
            "POST",
            "/campaigns",
            "/campaigns",
            Some(json!({"id": "cm", "name": "Members 2021", "period": "2021",
                "deadline": "2099-12-31", "indicators": ["members", "cost"],
                "clusters": ["c1", "c3"]})),
            201,
        )
        .await;
        c.call("admin", "GET", "/campaigns", "/campaigns", None, 200)
            .await;
        let reminded = c
            .call(
                "admin",
                "POST",
                "/campaigns/{id}/remind",
                "/campaigns/cm/remind",
                None,
                200,
            )
            .await;
        assert_eq!(
            reminded["reminders"],
            json!([
                {"to": "li@example.org", "cluster": "c1"},
                {"to": "manager@example.org", "cluster": "c1"}
            ])
        );
        let ties = c
            .call(
                "member",
                "GET",
                "/campaigns/{id}/ties",
                "/campaigns/cm/ties",
                None,
                200,
            )
            .await;
        let tie = ties["ties"][0]["row_id"].as_i64().expect("a tie of o1");
        c.call(
            "member",
            "POST",
            "/campaigns/{id}/ties/{row}",
            &format!("/campaigns/cm/ties/{tie}"),
            Some(json!({"confirmed": true})),
            200,
        )
        .await;
        c.call(
            "admin",
            "GET",
            "/campaigns/{id}",
            "/campaigns/cm",
            None,
            200,
        )
        .await;
        c.call(
            "admin",
            "POST",
            "/campaigns/{id}/close",
            "/campaigns/cm/close",
            None,
            200,
        )
        .await;
        c.call(
            "admin",
            "GET",
            "/campaigns/{id}/results",
            "/campaigns/cm/results",
            None,
            200,
        )
        .await;
        c.call(
            "admin",
            "POST",
            "/campaigns/{id}/publish",
            "/campaigns/cm/publish",
            None,
            200,
        )
        .await;

        assert!(c.errors.is_empty(), "{:#?}", c.errors);
        assert_eq!(c.operations.len(), 37, "{:?}", c.operations);
    });
}

#[test]
fn the_validator_finds_what_does_not_fit() {
    // The check above is not vacuous: a wrong type, a missing required
    // field and a wrong nested type are each found.
    let doc = weaver_server::openapi::document();
    let schema = serde_json::json!({"$ref": "#/components/schemas/TrendsAnswer"});
    let mut errors = Vec::new();
    violations(
        doc,
        &schema,
        &serde_json::json!({"trends": 3}),
        "a",
        &mut errors,
    );
    violations(doc, &schema, &serde_json::json!({}), "b", &mut errors);
    violations(
        doc,
        &schema,
        &serde_json::json!({"trends": [{"cluster": 1}]}),
        "c",
        &mut errors,
    );
    assert!(
        errors.iter().any(|e| e.starts_with("a.trends")),
        "{errors:?}"
    );
    assert!(errors.iter().any(|e| e.starts_with("b:")), "{errors:?}");
    assert!(
        errors.iter().any(|e| e.starts_with("c.trends[0]")),
        "{errors:?}"
    );
}
