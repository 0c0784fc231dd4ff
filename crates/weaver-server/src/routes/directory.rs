//! The cluster directory: `/directory` ([`weaver_service::directory`]).

use axum::extract::State;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use weaver_service::directory::{Directory, DirectoryQuery, MAX_LIMIT};

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};

/// The routes of this resource.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(directory))
}

/// The directory's query; each list is comma-separated and asks for any of
/// its values.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct DirectoryParams {
    /// countries (ISO codes), e.g. `CN,DE`.
    country: Option<String>,
    /// regions, each with every region under it.
    region: Option<String>,
    /// NACE codes or prefixes (`C`, `C26`), matched against each of a cluster's sectors.
    sector: Option<String>,
    /// programmes with a link to the cluster current today that you may read.
    programme: Option<String>,
    /// lifecycle stages: emergence, growth, sustainment, decline, renewal, undetermined, or
    /// `none` (no stage over the observations you read).
    stage: Option<String>,
    /// `true`: meets the ECCP profile criteria; `false`: fails them or is not known.
    eccp: Option<String>,
    /// text in the name or English name (case-insensitive).
    q: Option<String>,
    /// name (default), name_en, country, region, founded, members, stage.
    sort: Option<String>,
    /// asc (default) or desc.
    order: Option<String>,
    /// rows per page, 1–1,000 (default 50).
    limit: Option<String>,
    /// rows skipped (default 0).
    offset: Option<String>,
}

fn list(s: Option<String>) -> Vec<String> {
    s.map(|s| {
        s.split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
            .collect()
    })
    .unwrap_or_default()
}

fn number(name: &str, v: Option<String>, default: usize) -> ApiResult<usize> {
    match v {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|_| {
            ApiError::bad_request(format!(
                "{name} must be a whole number, 0 or more, not '{v}'"
            ))
        }),
    }
}

/// The clusters you may read, filtered by country, region (and the regions
/// under it), sector, programme, lifecycle stage and the ECCP profile
/// criteria, searched by name, sorted and paged; each row with its names,
/// region's names, country, sectors, founding, latest lifecycle stage,
/// ECCP outcome and current member count (the memberships you may read),
/// and every matching cluster counted by region for a map.
#[utoipa::path(
    get,
    path = "/directory",
    tag = "clusters",
    summary = "The cluster directory: the clusters you may read, filtered, searched, sorted and paged, with each one's region, sectors, stage, ECCP outcome and member count, and the matches counted by region",
    params(DirectoryParams),
    responses(
        (status = 200, description = "one page of the directory, its total and the matches by region; a bad parameter is a 400 naming it", body = Directory)
    )
)]
pub(crate) async fn directory(
    State(state): State<AppState>,
    caller: Option<Caller>,
    Query(p): Query<DirectoryParams>,
) -> ApiResult<Json<Directory>> {
    let descending = match p.order.as_deref() {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(o) => {
            return Err(ApiError::bad_request(format!(
                "order must be asc or desc, not '{o}'"
            )));
        }
    };
    let eccp = match p.eccp.as_deref() {
        None | Some("") => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(o) => {
            return Err(ApiError::bad_request(format!(
                "eccp must be true or false, not '{o}'"
            )));
        }
    };
    let limit = number("limit", p.limit, 50)?;
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::bad_request(format!(
            "limit must be between 1 and {MAX_LIMIT}"
        )));
    }
    let query = DirectoryQuery {
        country: list(p.country),
        region: list(p.region),
        sector: list(p.sector),
        programme: list(p.programme),
        stage: list(p.stage),
        eccp,
        q: p.q,
        sort: p.sort.filter(|s| !s.is_empty()),
        descending,
        limit,
        offset: number("offset", p.offset, 0)?,
    };
    let who = caller.as_ref().map(|c| &c.principal);
    let today = &weaver_store::today();
    Ok(Json(
        weaver_service::directory::directory(&state.store, who, &query, today).await?,
    ))
}
