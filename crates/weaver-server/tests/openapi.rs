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

/// The analyses: a cluster's (`/clusters/…`), the evaluation's and the
/// mapping's operations.
fn is_analysis(path: &str) -> bool {
    // `/clusters/{key}` is the clusters table's row, not an analysis.
    [
        "/api/v1/clusters/{id}/",
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
    assert!(typed >= 25, "only {typed} analyses name their answer");
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
        &["source", "target", "kind", "start"],
        &[
            &["o1", "o2", "co_publication", "2020"],
            &["o2", "o3", "contract", "2021"],
            &["o1", "o4", "contract", "2023"],
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
        ("/clusters/{id}/brokerage", "/clusters/c1/brokerage"),
        (
            "/clusters/{id}/recommendations",
            "/clusters/c1/recommendations",
        ),
        ("/clusters/{id}/openness", "/clusters/c1/openness"),
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
