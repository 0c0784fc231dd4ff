//! The OpenAPI 3.1 document of `/api/v1`, generated: every operation from
//! its handler's `#[utoipa::path]` annotation, collected by the same
//! `utoipa_axum` routers the server routes with (`crate::routes`), so the
//! document lists exactly the routed operations. The generic table routes
//! (`/{table}`, `/{table}/{key}`) are then written out once per table, with
//! each table's row schemas, from the register's schema
//! ([`weaver_core::schema::TABLES`]); every operation gets the one error
//! shape as its `4XX` answer.

use serde_json::{Map, Value, json};
use weaver_core::schema::{
    self, Column, ColumnType, MAX_ID_LEN, MAX_LONG_TEXT_LEN, MAX_TEXT_LEN, TableSchema,
};

fn column_schema(c: &Column) -> Value {
    let mut s = match c.ty {
        ColumnType::Int => json!({"type": "integer"}),
        ColumnType::Count => json!({"type": "integer", "minimum": 0}),
        ColumnType::Year => json!({"type": "integer", "minimum": 1000, "maximum": 9999}),
        ColumnType::Float => json!({"type": "number"}),
        ColumnType::NonNegative => json!({"type": "number", "minimum": 0}),
        ColumnType::Positive => json!({"type": "number", "exclusiveMinimum": 0}),
        ColumnType::Bool => json!({"type": "boolean"}),
        ColumnType::Enum(names) => json!({"type": "string", "enum": names}),
        ColumnType::Id | ColumnType::Ref(_) => json!({"type": "string", "maxLength": MAX_ID_LEN}),
        ColumnType::LongText => json!({"type": "string", "maxLength": MAX_LONG_TEXT_LEN}),
        _ => json!({"type": "string", "maxLength": MAX_TEXT_LEN}),
    };
    s["description"] = json!(c.ty.expected());
    if !c.required {
        // Optional columns may be null (no value).
        let ty = s["type"].clone();
        s["type"] = json!([ty, "null"]);
        // (`get_mut`: indexing would add `"enum": null` to every other
        // column, which no JSON Schema reader accepts.)
        if let Some(names) = s.get_mut("enum").and_then(|e| e.as_array_mut()) {
            names.push(Value::Null);
        }
    }
    s
}

fn row_schema(t: &TableSchema, for_create: bool) -> Value {
    let mut props = Map::new();
    for c in t.columns {
        props.insert(c.name.to_owned(), column_schema(c));
    }
    let mut s = json!({"type": "object", "properties": props, "additionalProperties": false});
    if for_create {
        let required: Vec<&str> = t
            .columns
            .iter()
            .filter(|c| c.required)
            .map(|c| c.name)
            .collect();
        s["required"] = json!(required);
    } else if !t.has_id() {
        s["properties"]["row_id"] = json!({"type": "integer"});
    }
    s
}

fn error_responses(codes: &[&str]) -> Map<String, Value> {
    let mut m = Map::new();
    for code in codes {
        m.insert(
            (*code).to_owned(),
            json!({"description": "an error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}),
        );
    }
    m
}

/// The schema of a row as the API answers it: every column (`null` where
/// the row has no value), and `row_id` for tables keyed by a natural key.
fn answer_row_schema(t: &TableSchema) -> Value {
    let mut s = row_schema(t, false);
    let mut required: Vec<&str> = t.columns.iter().map(|c| c.name).collect();
    if !t.has_id() {
        required.insert(0, "row_id");
    }
    s["required"] = json!(required);
    s
}

/// A reference to the schema `name` of the components.
fn schema_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn op(
    summary: &str,
    (ok, answer): (&str, Value),
    body: Option<Value>,
    params: Vec<Value>,
    errors: &[&str],
) -> Value {
    let mut responses = error_responses(errors);
    responses.insert(
        ok.to_owned(),
        json!({"description": "success", "content": {"application/json": {"schema": answer}}}),
    );
    let mut o = json!({"summary": summary, "parameters": params, "responses": responses});
    if let Some(schema) = body {
        o["requestBody"] =
            json!({"required": true, "content": {"application/json": {"schema": schema}}});
    }
    o
}

fn query(name: &str, schema: Value, description: &str) -> Value {
    json!({"name": name, "in": "query", "required": false, "schema": schema, "description": description})
}

fn path_param(name: &str, schema: Value) -> Value {
    json!({"name": name, "in": "path", "required": true, "schema": schema})
}

const READ_ERRORS: &[&str] = &["400", "401", "404"];
const WRITE_ERRORS: &[&str] = &["400", "401", "403", "404", "409", "413", "415", "422"];

/// The document (made once).
pub fn document() -> &'static Value {
    static DOC: std::sync::LazyLock<Value> = std::sync::LazyLock::new(generate);
    &DOC
}

fn generate() -> Value {
    let generated = crate::routes::api(0).into_openapi();
    let generated = serde_json::to_value(&generated).unwrap_or_else(|e| {
        // The document is plain data: failing to write it is a bug here.
        unreachable!("the OpenAPI document cannot be written: {e}")
    });
    let mut paths = Map::new();
    let mut schemas = generated["components"]["schemas"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let error = json!({"description": "an error, in the one error shape",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let binary = json!({"type": "string", "format": "binary"});
    for (path, item) in generated["paths"].as_object().into_iter().flatten() {
        if path.starts_with("/{table}") {
            continue;
        }
        let mut item = item.clone();
        for op in item
            .as_object_mut()
            .into_iter()
            .flat_map(|m| m.values_mut())
        {
            op["responses"]["4XX"] = error.clone();
            // A file sent as the body: its bytes, whatever they are.
            if let Some(content) = op.pointer_mut("/requestBody/content/application~1octet-stream")
            {
                content["schema"] = binary.clone();
            }
            // A file answered (a package, a template): its bytes too.
            for response in op["responses"]
                .as_object_mut()
                .into_iter()
                .flat_map(|m| m.values_mut())
            {
                // (`get_mut`: indexing would add `"content": null` to an
                // answer without a body, which is not OpenAPI.)
                let contents = response
                    .get_mut("content")
                    .and_then(|c| c.as_object_mut())
                    .into_iter()
                    .flatten();
                for (ty, content) in contents {
                    if ty != "application/json" {
                        content["schema"] = binary.clone();
                    }
                }
            }
        }
        paths.insert(format!("/api/v1{path}"), item);
    }
    schemas.insert(
        "Error".into(),
        json!({
            "type": "object",
            "properties": {"error": {"type": "object", "properties": {
                "status": {"type": "integer"}, "code": {"type": "string"},
                "message": {"type": "string"},
                "problems": {"type": "array", "items": {"type": "object", "properties": {
                    "file": {"type": "string"}, "row": {"type": ["integer", "null"]},
                    "column": {"type": ["string", "null"]}, "message": {"type": "string"}}}}
            }, "required": ["status", "code", "message"]}},
            "required": ["error"]
        }),
    );
    for t in schema::TABLES {
        let name = t.name;
        schemas.insert(format!("{name}_new"), row_schema(t, true));
        schemas.insert(format!("{name}_change"), row_schema(t, false));
        schemas.insert(format!("{name}_row"), answer_row_schema(t));
        schemas.insert(
            format!("{name}_page"),
            json!({
                "type": "object",
                "description": format!("a page of the {name} rows you may see"),
                "properties": {
                    "limit": {"type": "integer", "description": "rows per page"},
                    "offset": {"type": "integer", "description": "rows skipped"},
                    "rows": {"type": "array", "items": schema_ref(&format!("{name}_row"))},
                    "table": {"type": "string", "enum": [name]},
                    "total": {"type": "integer", "description": "rows you may see in all"},
                },
                "required": ["limit", "offset", "rows", "table", "total"],
            }),
        );
        let row = || ("200", schema_ref(&format!("{name}_row")));
        let mut params = vec![
            query(
                "limit",
                json!({"type": "integer", "minimum": 1, "maximum": weaver_store::MAX_PAGE}),
                "rows per page (default 50)",
            ),
            query(
                "offset",
                json!({"type": "integer", "minimum": 0}),
                "rows skipped",
            ),
            query(
                "sort",
                json!({"type": "string", "enum": t.columns.iter().map(|c| c.name).collect::<Vec<_>>()}),
                "column to sort by",
            ),
            query(
                "order",
                json!({"type": "string", "enum": ["asc", "desc"]}),
                "sort order",
            ),
        ];
        if t.column("name").is_some() || t.column("title").is_some() {
            params.push(query(
                "q",
                json!({"type": "string"}),
                "text searched in name, name_en or title",
            ));
        }
        for c in t.columns {
            params.push(query(
                c.name,
                json!({"type": "string"}),
                &format!("only rows whose {} is this ({})", c.name, c.ty.expected()),
            ));
        }
        paths.insert(
            format!("/api/v1/{name}"),
            json!({
                "get": op(&format!("List the {name} rows you may see"), ("200", schema_ref(&format!("{name}_page"))), None, params, READ_ERRORS),
                "post": op(&format!("Add a row to {name}"), ("201", schema_ref(&format!("{name}_row"))),
                    Some(json!({"$ref": format!("#/components/schemas/{name}_new")})), vec![], WRITE_ERRORS),
            }),
        );
        let key = if t.has_id() {
            path_param("key", json!({"type": "string"}))
        } else {
            path_param("key", json!({"type": "integer"}))
        };
        paths.insert(
            format!("/api/v1/{name}/{{key}}"),
            json!({
                "get": op(&format!("One {name} row (by id, or row_id for tables keyed by a natural key)"), row(), None, vec![key.clone()], READ_ERRORS),
                "patch": op(&format!("Change some fields of a {name} row"), row(),
                    Some(json!({"$ref": format!("#/components/schemas/{name}_change")})), vec![key.clone()], WRITE_ERRORS),
                "delete": op(&format!("Delete a {name} row (an admin can undo it)"), ("200", schema_ref("DeletedAnswer")), None, vec![key], WRITE_ERRORS),
            }),
        );
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Weaver API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The register of industrial clusters, with accounts, roles and an audit log. \
                Errors share one shape (components/schemas/Error). Sign in with a session cookie \
                (writes carry the X-CSRF-Token header) or an API token (Authorization: Bearer)."
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": crate::auth::SESSION_COOKIE},
            }
        },
        "security": [{}, {"token": []}, {"session": []}],
    })
}
