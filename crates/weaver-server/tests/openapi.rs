//! The OpenAPI document describes exactly the operations the router serves:
//! the router's list of operations ([`weaver_server::OPERATIONS`], built
//! from the same table as the router) against the document's paths and
//! methods, with the generic `/{table}` routes expanded to every table.

use std::collections::BTreeSet;

use weaver_core::schema::TABLES;

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
