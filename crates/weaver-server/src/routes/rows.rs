//! The register's rows, table by table: `/{table}` and `/{table}/{key}`.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use weaver_core::schema::{self, TableSchema};
use weaver_store::{Bound, ListQuery, RowKey};

use crate::AppState;
use crate::answers::DeletedAnswer;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};

/// The routes of this resource.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_rows, create_row))
        .routes(routes!(get_row, update_row, delete_row))
}

pub(super) fn table(name: &str) -> ApiResult<&'static TableSchema> {
    schema::table(name).ok_or_else(|| {
        ApiError::not_found(format!(
            "there is no table '{name}'; the register's tables are: {}",
            schema::table_names().collect::<Vec<_>>().join(", ")
        ))
    })
}

/// A JSON object whose keys are each given once: a key given twice is
/// refused (JSON parsers disagree on which one counts, so a row would be
/// read one way here and another way by whatever checked it before).
#[derive(Debug, Default)]
pub(crate) struct UniqueObject(pub Map<String, Value>);

impl<'de> Deserialize<'de> for UniqueObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = UniqueObject;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<UniqueObject, A::Error> {
                let mut out = Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    if out.contains_key(&key) {
                        return Err(serde::de::Error::custom(format!(
                            "the key '{key}' is given twice"
                        )));
                    }
                    let value = map.next_value()?;
                    out.insert(key, value);
                }
                Ok(UniqueObject(out))
            }
        }
        d.deserialize_map(Visit)
    }
}

// ---------------------------------------------------------------- register rows

/// The query of a row's creation.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct WriteQuery {
    /// observations: write a value that jumps from the cluster's previous
    /// period beyond the indicator's factor.
    confirm: Option<bool>,
}

fn parse_int(name: &str, v: &str) -> ApiResult<i64> {
    v.trim()
        .parse()
        .map_err(|_| ApiError::bad_request(format!("{name} must be a whole number, not '{v}'")))
}

#[utoipa::path(
    get,
    path = "/{table}",
    tag = "rows",
    summary = "List the rows you may see",
    params(
        ("table" = String, Path, description = "a table of the register"),
        ("valid_at" = Option<String>, Query, description = "YYYY-MM-DD: only the rows valid that day \
            (since empty or <= the date, until empty or >= it, both ends inclusive; a year or month \
            covers all its days); for the tables with since and until columns"),
        ("until" = Option<String>, Query, description = "a column filter; `null` (or empty) lists \
            the open rows, those without an until. Any column can be filtered by as column=value. \
            On key, reference, code (country, region, parent, level, currency), enum, number, year, \
            date and period columns `column=a,b` asks for any of a and b; free-text columns (names, \
            text, lists, web addresses) are matched whole, a comma there being text. Ordered columns \
            (whole numbers, numbers, years, dates, periods) take ranges: `column>=v` and `column<=v` \
            (a date given as a year or month covers it: `founded<=2015` holds for 2015-06-01; a \
            period's bound is a year); a row without a value meets no range. A column the table lacks, \
            a range on an unordered column or a bad value is a 400 naming the parameter"),
    ),
    responses((status = 200, description = "success"))
)]
async fn list_rows(
    State(state): State<AppState>,
    caller: Option<Caller>,
    Path(name): Path<String>,
    Query(params): Query<BTreeMap<String, String>>,
) -> ApiResult<Response> {
    let t = table(&name)?;
    let mut query = ListQuery {
        limit: 50,
        ..ListQuery::default()
    };
    for (k, v) in params {
        match k.as_str() {
            "limit" => {
                query.limit = parse_int("limit", &v)?;
                if !(1..=weaver_store::MAX_PAGE).contains(&query.limit) {
                    return Err(ApiError::bad_request(format!(
                        "limit must be between 1 and {}",
                        weaver_store::MAX_PAGE
                    )));
                }
            }
            "offset" => {
                query.offset = parse_int("offset", &v)?;
                if query.offset < 0 {
                    return Err(ApiError::bad_request("offset must be 0 or more"));
                }
            }
            "sort" => query.sort = Some(v),
            "order" => {
                query.descending = match v.as_str() {
                    "asc" => false,
                    "desc" => true,
                    _ => return Err(ApiError::bad_request("order must be asc or desc")),
                }
            }
            "q" => query.search = Some(v),
            "valid_at" => query.valid_at = Some(v),
            // `col>=v` arrives as the key `col>` with the value `v`.
            _ => match (k.strip_suffix('>'), k.strip_suffix('<')) {
                (Some(col), _) => query.ranges.push((col.to_owned(), Bound::AtLeast, v)),
                (_, Some(col)) => query.ranges.push((col.to_owned(), Bound::AtMost, v)),
                _ => query.filters.push((k, v)),
            },
        }
    }
    let who = caller.as_ref().map(|c| &c.principal);
    let page = state.store.list(t, who, &query).await?;
    // The object `json!` would make (keys in its order), with the rows as the
    // page holds them written (once for all who read the same page).
    let body = format!(
        "{{\"limit\":{},\"offset\":{},\"rows\":[{}],\"table\":{},\"total\":{}}}",
        query.limit,
        query.offset,
        page.rows_json(t).join(","),
        Value::from(t.name),
        page.total
    );
    Ok(json_body(body))
}

/// A response of JSON text already written.
fn json_body(body: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

#[utoipa::path(
    get,
    path = "/{table}/{key}",
    tag = "rows",
    summary = "One row (by id, or row_id for tables keyed by a natural key)",
    params(("table" = String, Path, description = "a table of the register"), ("key" = String, Path, description = "the row's id or row_id")),
    responses((status = 200, description = "success"))
)]
async fn get_row(
    State(state): State<AppState>,
    caller: Option<Caller>,
    Path((name, key)): Path<(String, String)>,
) -> ApiResult<Response> {
    let t = table(&name)?;
    let key = RowKey::parse(t, &key)?;
    let who = caller.as_ref().map(|c| &c.principal);
    let page = state.store.get_shared(t, who, &key).await?;
    // A row's page holds that one row.
    let row = page
        .rows_json(t)
        .first()
        .cloned()
        .ok_or_else(|| ApiError::internal("keep the row it found; try again", "empty page"))?;
    Ok(json_body(row))
}

#[utoipa::path(
    post,
    path = "/{table}",
    tag = "rows",
    summary = "Add a row",
    description = "An observation's value must pass its indicator's checks (range, whole number; \
        a 422 names the indicator, the value and the rule); a value that jumps from the cluster's \
        last earlier period of the same granularity beyond the indicator's `jump_factor` is refused \
        with a 422 naming the jump unless `confirm=true`.",
    params(("table" = String, Path, description = "a table of the register"), WriteQuery),
    request_body(content = Object, description = "the row's fields"),
    responses((status = 201, description = "success"))
)]
async fn create_row(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
    Query(q): Query<WriteQuery>,
    Json(UniqueObject(body)): Json<UniqueObject>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let t = table(&name)?;
    let values = state
        .store
        .check_fields(t, &body, &caller.principal, None)
        .await?;
    let confirm = q.confirm.unwrap_or(false);
    let r = state
        .store
        .create(t, &caller.principal, values, confirm)
        .await?;
    Ok((StatusCode::CREATED, Json(Value::Object(r.to_json(t)))))
}

#[utoipa::path(
    patch,
    path = "/{table}/{key}",
    tag = "rows",
    summary = "Change some fields of a row",
    description = "A change of a membership's tier (the body gives `tier` and neither `since` \
        nor `until`) keeps the history: the membership is closed the day before `on` and a new one \
        with the new tier opens on `on`; the answer is the new row, with the closed one under `closed`. \
        An observation is checked as when it is added (a jump refused unless `confirm=true`).",
    params(
        ("table" = String, Path, description = "a table of the register"),
        ("key" = String, Path, description = "the row's id or row_id"),
        ("on" = Option<String>, Query, description = "memberships: the day (YYYY-MM-DD) a change \
            of tier takes effect; default today (UTC)"),
        ("confirm" = Option<bool>, Query, description = "observations: write a value that jumps \
            from the cluster's previous period beyond the indicator's factor"),
    ),
    request_body(content = Object, description = "the row's fields"),
    responses((status = 200, description = "success"))
)]
async fn update_row(
    State(state): State<AppState>,
    caller: Caller,
    Path((name, key)): Path<(String, String)>,
    Query(params): Query<BTreeMap<String, String>>,
    Json(UniqueObject(patch)): Json<UniqueObject>,
) -> ApiResult<Json<Value>> {
    let t = table(&name)?;
    let key = RowKey::parse(t, &key)?;
    if let Some(k) = params
        .keys()
        .find(|k| !matches!(k.as_str(), "on" | "confirm"))
    {
        return Err(ApiError::bad_request(format!(
            "'{k}' is not a parameter of a change; the ones there are: on (memberships), \
             confirm (observations)"
        )));
    }
    let confirm = match params.get("confirm").map(|v| v.trim()) {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "confirm must be true or false, not '{other}'"
            )));
        }
    };
    let current = state.store.get(t, Some(&caller.principal), &key).await?;
    // A change names only the fields it changes: merge it over the row.
    let before = current.to_json(t);
    // A membership's change of tier closes it and opens a new one.
    let tier_change = t.name == "memberships"
        && !patch.contains_key("since")
        && !patch.contains_key("until")
        && patch
            .get("tier")
            .and_then(Value::as_str)
            .is_some_and(|tier| before.get("tier").and_then(Value::as_str) != Some(tier.trim()));
    if params.contains_key("on") && !tier_change {
        return Err(ApiError::bad_request(
            "on: only a change of a membership's tier (without since or until) takes a date",
        ));
    }
    let mut merged = before.clone();
    merged.remove("row_id");
    for (k, v) in patch {
        if k == "row_id" {
            continue;
        }
        merged.insert(k, v);
    }
    let values = state
        .store
        .check_fields(t, &merged, &caller.principal, Some(&before))
        .await?;
    if tier_change {
        let today = weaver_store::today();
        let on = params
            .get("on")
            .map_or(today.as_str(), String::as_str)
            .trim()
            .to_owned();
        let (closed, opened) = state
            .store
            .change_tier(&caller.principal, &key, values, &on)
            .await?;
        let mut answer = opened.to_json(t);
        answer.insert("closed".into(), Value::Object(closed.to_json(t)));
        return Ok(Json(Value::Object(answer)));
    }
    let r = state
        .store
        .update(t, &caller.principal, &key, values, confirm)
        .await?;
    Ok(Json(Value::Object(r.to_json(t))))
}

#[utoipa::path(
    delete,
    path = "/{table}/{key}",
    tag = "rows",
    summary = "Delete a row (an admin can undo it)",
    params(("table" = String, Path, description = "a table of the register"), ("key" = String, Path, description = "the row's id or row_id")),
    responses((status = 200, description = "the row was deleted", body = DeletedAnswer))
)]
async fn delete_row(
    State(state): State<AppState>,
    caller: Caller,
    Path((name, key)): Path<(String, String)>,
) -> ApiResult<Json<DeletedAnswer>> {
    let t = table(&name)?;
    let key = RowKey::parse(t, &key)?;
    let audit_entry = state.store.delete(t, &caller.principal, &key).await?;
    Ok(Json(DeletedAnswer {
        deleted: true,
        audit_entry,
        note: "an admin can undo this with POST /api/v1/audit/{entry}/undo".to_owned(),
    }))
}
