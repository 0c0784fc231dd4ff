//! The OpenAPI 3.1 document of `/api/v1`. The tables' paths and row schemas
//! are generated from the register's schema ([`weaver_core::schema::TABLES`]);
//! the other paths are written out by hand below and can drift from the
//! router (issue "one application layer" generates them from the routes).

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

fn op(summary: &str, ok: &str, body: Option<Value>, params: Vec<Value>, errors: &[&str]) -> Value {
    let mut responses = error_responses(errors);
    responses.insert(ok.to_owned(), json!({"description": "success"}));
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

fn binary_upload(summary: &str, params: Vec<Value>) -> Value {
    let mut responses = error_responses(&["400", "401", "403", "404", "409", "413", "415", "422"]);
    responses.insert("200".into(), json!({"description": "success"}));
    json!({
        "summary": summary,
        "parameters": params,
        "requestBody": {"required": true, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
        "responses": responses,
    })
}

/// Packages, engines and campaigns.
fn engine_and_campaign_paths() -> Vec<(&'static str, Value)> {
    let obj = |props: Value, required: &[&str]| json!({"type": "object", "properties": props, "required": required, "additionalProperties": false});
    let cid = || path_param("id", json!({"type": "string"}));
    let strings = json!({"type": "array", "items": {"type": "string"}});
    vec![
        (
            "/api/v1/packages",
            json!({"post": binary_upload(
            "Import a data package (.zip of CSV files or .xlsx workbook) in one transaction (admins)",
            vec![
                query("dry_run", json!({"type": "boolean"}), "report what would change, change nothing"),
                query("format", json!({"type": "string", "enum": ["zip", "xlsx"]}), "the body's format (default: from Content-Type, else sniffed)"),
            ])}),
        ),
        (
            "/api/v1/packages/export",
            json!({"get": op("The whole register as a data package (admins and officers)", "200", None,
            vec![query("format", json!({"type": "string", "enum": ["zip", "xlsx"]}), "zip (default) or xlsx")], &["400", "401", "403"])}),
        ),
        (
            "/api/v1/clusters/{id}/{analysis}",
            json!({"get": op(
            "A cluster's network in a period: network (degree, strength, PageRank, clustering, core number, component, Leiden communities, summary), brokerage (Gould–Fernandez roles by actor type) or recommendations (who should meet whom, with reasons); cached until the register changes",
            "200", None,
            vec![cid(),
                 path_param("analysis", json!({"type": "string", "enum": ["network", "brokerage", "recommendations"]})),
                 query("period", json!({"type": "string"}), "2024, 2024-Q3 or 2024-07 (default: all time)")],
            &["400", "401", "403", "404"])}),
        ),
        (
            "/api/v1/clusters/{id}/paths",
            json!({
                "get": op(
                    "Betweenness of a cluster's network in a period, estimated from sampled shortest paths (Riondato–Kornaropoulos): every value within epsilon of the exact one with probability 1 − delta, both stated in the answer",
                    "200", None,
                    vec![cid(),
                         query("period", json!({"type": "string"}), "2024, 2024-Q3 or 2024-07 (default: all time)"),
                         query("epsilon", json!({"type": "number", "minimum": 0.02, "maximum": 0.5}), "error bound (default 0.05)"),
                         query("delta", json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1}), "failure probability (default 0.1)"),
                         query("seed", json!({"type": "integer", "minimum": 0}), "seed of the sample (default 0)")],
                    &["400", "401", "403", "404"]),
                "post": ({
                    let mut o = op(
                        "Exact betweenness and closeness of a cluster's network in a period, as a background job: 202 with the job (poll its url), or 200 with the finished job and its result",
                        "202", None,
                        vec![cid(), query("period", json!({"type": "string"}), "2024, 2024-Q3 or 2024-07 (default: all time)")],
                        &["400", "401", "403", "404"]);
                    o["responses"]["200"] = json!({"description": "the job is done: its result is in `result`"});
                    o
                }),
            }),
        ),
        (
            "/api/v1/jobs/{id}",
            json!({"get": op(
                "A background job: status (queued, running, done, failed), progress, and its result once done",
                "200", None,
                vec![path_param("id", json!({"type": "integer", "minimum": 1}))],
                &["400", "401", "404"])}),
        ),
        (
            "/api/v1/clusters/{id}/diffusion",
            json!({"get": op(
            "Knowledge spillover as an independent cascade: each member's expected spread as a seed, ranked; with what_if K, the spread after the K best recommended ties (the cluster's readers); cached until the register changes",
            "200", None,
            vec![cid(),
                 query("period", json!({"type": "string"}), "2024, 2024-Q3 or 2024-07 (default: all time)"),
                 query("runs", json!({"type": "integer", "minimum": 1, "maximum": crate::analyses::MAX_CASCADE_RUNS}), "Monte Carlo runs (default 1000)"),
                 query("probability", json!({"type": "number", "minimum": 0, "maximum": 1}), "transmission probability of a tie (default 0.1)"),
                 query("seed", json!({"type": "integer", "minimum": 0}), "seed of the runs (default 0)"),
                 query("what_if", json!({"type": "integer", "minimum": 0, "maximum": crate::analyses::MAX_WHAT_IF}), "add the K best recommended ties and report the spread after"),
                 query("weighted", json!({"type": "boolean"}), "a tie of weight w transmits with 1 − (1 − p)^w")],
            &["400", "401", "403", "404"])}),
        ),
        (
            "/api/v1/clusters/{id}/labels",
            json!({"get": op(
            "The ECCP cluster-profile criteria checked on the cluster's register in a period (the cluster's readers)",
            "200", None,
            vec![cid(), query("period", json!({"type": "string"}), "2024, 2024-Q3 or 2024-07 (default: all time)")],
            &["400", "401", "403", "404"])}),
        ),
        ("/api/v1/evaluation/ranking", {
            let params = || {
                vec![
                    json!({"name": "period", "in": "query", "required": true, "schema": {"type": "string"}}),
                    query(
                        "framework",
                        json!({"type": "string"}),
                        "default, or a built-in framework (world_class_cluster)",
                    ),
                    query(
                        "runs",
                        json!({"type": "integer", "minimum": 1, "maximum": crate::analyses::MAX_UNCERTAINTY_RUNS}),
                        "Monte Carlo runs of the uncertainty analysis: adds rank_median, rank_p5, rank_p95",
                    ),
                    query(
                        "seed",
                        json!({"type": "integer", "minimum": 0}),
                        "seed of the runs (default 0)",
                    ),
                    query(
                        "ranking",
                        json!({"type": "string", "enum": ["index", "topsis"]}),
                        "the composite index (default) or TOPSIS closeness",
                    ),
                    query(
                        "computed",
                        json!({"type": "boolean"}),
                        "include the indicators the register computes (auto.*) for the clusters you read (default true)",
                    ),
                ]
            };
            let mut post = op(
                "The composite index by a TOML method file (the body), with rank intervals; over the observations you may see",
                "200",
                None,
                params(),
                &["400", "404", "413"],
            );
            post["requestBody"] = json!({"required": true, "content": {"text/plain": {"schema": {"type": "string"}}}});
            json!({
                "get": op("The composite index of the clusters whose observations you may see, by the default method or a built-in framework, with rank intervals from the uncertainty analysis (runs)",
                    "200", None, params(), &["400", "404"]),
                "post": post,
            })
        }),
        (
            "/api/v1/evaluation/computed",
            json!({"get": op(
            "The indicators the register computes (auto.*) for the clusters you read, from the rows you may read, or entered for the same code (which wins), with their origin (entered or computed); the public gets entered values only",
            "200", None,
            vec![query("period", json!({"type": "string"}), "2024, 2024-Q3 or 2024-07 (default: every period of the observations you read)"),
                 query("cluster", json!({"type": "string"}), "only this cluster")],
            &["400"])}),
        ),
        (
            "/api/v1/evaluation/sensitivity",
            json!({"get": op(
            "How much the method's uncertain choices move the ranks in a period (first- and total-order Sobol indices of the mean rank shift, with 95% intervals), or with leave_one_out=true the mean rank shift when each indicator is left out, over the observations you may see",
            "200", None,
            vec![json!({"name": "period", "in": "query", "required": true, "schema": {"type": "string"}}),
                 query("framework", json!({"type": "string"}), "default, or a built-in framework (world_class_cluster)"),
                 query("runs", json!({"type": "integer", "minimum": 1, "maximum": crate::analyses::MAX_SENSITIVITY_RUNS}), "Monte Carlo runs (default 256)"),
                 query("seed", json!({"type": "integer", "minimum": 0}), "seed of the runs (default 0)"),
                 query("leave_one_out", json!({"type": "boolean"}), "the mean rank shift of leaving each indicator out instead"),
                 query("computed", json!({"type": "boolean"}), "include the indicators the register computes (auto.*) (default true)")],
            &["400", "404"])}),
        ),
        (
            "/api/v1/evaluation/checks",
            json!({"get": op(
            "Statistical checks of every indicator of the method (availability, skew, kurtosis, outlier flag, Cronbach's alpha of its dimension, negative within-dimension correlations) over the observations you may see",
            "200", None,
            vec![query("period", json!({"type": "string"}), "only this period (default: every period)"),
                 query("framework", json!({"type": "string"}), "default, or a built-in framework (world_class_cluster)"),
                 query("computed", json!({"type": "boolean"}), "include the indicators the register computes (auto.*) (default true)")],
            &["400", "404"])}),
        ),
        (
            "/api/v1/evaluation/trends",
            json!({"get": op(
            "The trend (change and CAGR) of every cluster and indicator between its first and last period with a value, over the observations you may see (with the computed indicators unless computed=false)",
            "200", None,
            vec![query("cluster", json!({"type": "string"}), "only this cluster"),
                 query("computed", json!({"type": "boolean"}), "include the indicators the register computes (auto.*) (default true)")],
            &["400", "404"])}),
        ),
        (
            "/api/v1/evaluation/levels",
            json!({"get": op(
            "The ESCA-style level model (not the official ESCA label) assessed on each cluster you read, its scores your observations of the period (computed indicators joined)",
            "200", None,
            vec![json!({"name": "period", "in": "query", "required": true, "schema": {"type": "string"}}),
                 query("year", json!({"type": "integer", "minimum": 1000, "maximum": 9999}), "year of the assessment; validity runs from it (default 2025)")],
            &["400", "404"])}),
        ),
        (
            "/api/v1/clusters/{id}/compare",
            json!({"get": op(
            "A cluster's network in two periods compared: entrants and exits, each member's degree, strength, PageRank and betweenness (up to 2,000 members) before and after, each tie's change (the cluster's readers); cached until the register changes",
            "200", None,
            vec![cid(),
                 json!({"name": "before", "in": "query", "required": true, "schema": {"type": "string"}, "description": "the first period: 2024, 2024-Q3 or 2024-07"}),
                 json!({"name": "after", "in": "query", "required": true, "schema": {"type": "string"}, "description": "the second period"})],
            &["400", "401", "403", "404"])}),
        ),
        (
            "/api/v1/clusters/{id}/openness",
            json!({"get": op(
            "The openness of a cluster's network in a period by actor type and by region: external and internal ties, E-I index, share of ties across groups (the cluster's readers); cached until the register changes",
            "200", None,
            vec![cid(), query("period", json!({"type": "string"}), "2024, 2024-Q3 or 2024-07 (default: all time)")],
            &["400", "401", "403", "404"])}),
        ),
        (
            "/api/v1/clusters/{id}/synergy",
            json!({"get": op(
            "The triple-helix synergy of a cluster's members in a period: the mutual information in bits (Leydesdorff) among two to four of their attributes, with the members that have every attribute (the cluster's readers)",
            "200", None,
            vec![cid(), query("period", json!({"type": "string"}), "2024, 2024-Q3 or 2024-07 (default: all time)"),
                 query("columns", json!({"type": "string"}), "two to four of actor_type, region, industry, size, comma-separated (default: actor_type,region,industry)")],
            &["400", "401", "403", "404"])}),
        ),
        (
            "/api/v1/evaluation/lifecycle",
            json!({"get": op(
            "Lifecycle and policy stage per cluster and period by the shipped rules, over the observations you may see",
            "200", None,
            vec![query("period", json!({"type": "string"}), "only this period"),
                 query("cluster", json!({"type": "string"}), "only this cluster")],
            &["400", "404"])}),
        ),
        (
            "/api/v1/mapping/growth",
            json!({"get": op(
            "Change, CAGR and shift-share (national share, industry mix, job creation) of every region and industry between two years of the regional activity you may read (the public: public rows); cached until the register changes",
            "200", None,
            vec![query("start", json!({"type": "integer", "minimum": 1000, "maximum": 9999}), "start year (default: the first)"),
                 query("end", json!({"type": "integer", "minimum": 1000, "maximum": 9999}), "end year (default: the last)")],
            &["400", "404"])}),
        ),
        (
            "/api/v1/mapping/related",
            json!({"get": op(
            "Related clusters by co-location: the correlation of location quotients across regions in a year of the regional activity you may read (the public: public rows), each cluster's most related first; cached until the register changes",
            "200", None,
            vec![query("year", json!({"type": "integer", "minimum": 1000, "maximum": 9999}), "the year (default: the last)"),
                 query("kind", json!({"type": "string"}), "the kind of region, when the regions are of several"),
                 query("top", json!({"type": "integer", "minimum": 0}), "keep each cluster's top most related (default: all)")],
            &["400", "404"])}),
        ),
        (
            "/api/v1/evaluation/policy",
            json!({"get": op(
            "The effect of a programme on an indicator: the difference in differences between the clusters it funds (or the treated ones) and the others, before and from its start, standard errors clustered by cluster, over the observations, programmes and clusters you may see",
            "200", None,
            vec![json!({"name": "indicator", "in": "query", "required": true, "schema": {"type": "string"}, "description": "the outcome indicator"}),
                 query("programme", json!({"type": "string"}), "the programme whose clusters (programme_clusters) are the funded ones; its start year is the default start"),
                 query("treated", json!({"type": "string"}), "the funded clusters, comma-separated, instead of a programme"),
                 query("start", json!({"type": "string"}), "the first period of the programme (2021, 2021-Q3); default: the programme's start year"),
                 query("computed", json!({"type": "boolean"}), "include the indicators the register computes (auto.*) (default true)")],
            &["400", "404"])}),
        ),
        (
            "/api/v1/evaluation/public-share",
            json!({"get": op(
            "The public share of the funding of each cluster (its own and its projects') per year, over the funding you may see",
            "200", None,
            vec![query("period", json!({"type": "string"}), "only the year of this period (2024, 2024-Q3 or 2024-07)")],
            &["400", "404"])}),
        ),
        (
            "/api/v1/evaluation/benchmark",
            json!({"get": op(
            "Each cluster's dimension scores of the composite index against the median and the best of the clusters you may see, and its distance to that frontier, over the observations you may see",
            "200", None,
            vec![query("period", json!({"type": "string"}), "only this period (default: every period)"),
                 query("framework", json!({"type": "string"}), "default, or a built-in framework (world_class_cluster)"),
                 query("cluster", json!({"type": "string"}), "only this cluster"),
                 query("computed", json!({"type": "boolean"}), "include the indicators the register computes (auto.*) (default true)")],
            &["400", "404"])}),
        ),
        (
            "/api/v1/mapping/strength",
            json!({"get": op(
            "Cluster strength (US Cluster Mapping): the share of each region's traded employment in strong clusters per year, in the regional activity you may read (the public: public rows); cached until the register changes",
            "200", None,
            vec![],
            &["400", "404"])}),
        ),
        (
            "/api/v1/mapping/complexity",
            json!({"get": op(
            "Economic complexity in a year of the regional activity you may read (the public: public rows): RCA and presence, proximity, density, ECI, PCI, COI, COG and each region's what-next list; cached until the register changes",
            "200", None,
            vec![query("year", json!({"type": "integer", "minimum": 1000, "maximum": 9999}), "the year (default: the last)"),
                 query("kind", json!({"type": "string"}), "the kind of region, when the regions are of several"),
                 query("rca_threshold", json!({"type": "number", "exclusiveMinimum": 0}), "RCA at or above which an industry is present (default 1)"),
                 query("top", json!({"type": "integer", "minimum": 0, "maximum": crate::more_analyses::MAX_COMPLEXITY_TOP}), "length of each region's what-next list (default 10)")],
            &["400", "404"])}),
        ),
        (
            "/api/v1/mapping/clusters",
            json!({"get": op(
            "Location quotients and strong clusters (cmp), stars (eco) or quadrants of the register's regional activity in a year (public)",
            "200", None,
            vec![query("year", json!({"type": "integer", "minimum": 1000, "maximum": 9999}), "the year (default: the last)"),
                 query("method", json!({"type": "string", "enum": ["cmp", "eco", "quadrant"]}), "US Cluster Mapping (default), European Cluster Observatory stars, or the quadrant"),
                 query("region", json!({"type": "string"}), "only this region"),
                 query("cluster", json!({"type": "string"}), "only this category (industry)"),
                 query("percentiles", json!({"type": "boolean"}), "add lq_percentile and employment_percentile")],
            &["400", "404"])}),
        ),
        (
            "/api/v1/evaluation/index",
            json!({"get": op(
            "League table of the clusters whose observations you may see, for a period (min-max, equal weights, arithmetic mean)",
            "200", None, vec![json!({"name": "period", "in": "query", "required": true, "schema": {"type": "string"}})],
            &["400", "404"])}),
        ),
        (
            "/api/v1/campaigns",
            json!({
                "get": op("Monitoring campaigns you take part in", "200", None, vec![], &["401"]),
                "post": op("Open a campaign (officers for their programmes' clusters, admins)", "201",
                    Some(obj(json!({"id": {"type": "string"}, "name": {"type": "string"}, "period": {"type": "string"},
                        "deadline": {"type": "string"}, "indicators": strings, "clusters": strings}),
                        &["id", "name", "period", "deadline", "indicators"])),
                    vec![], &["400", "401", "403", "409", "415", "422"]),
            }),
        ),
        (
            "/api/v1/campaigns/{id}",
            json!({"get": op("A campaign and its status board (submitted, missing, overdue; ties confirmed)", "200", None, vec![cid()], &["401", "404"])}),
        ),
        (
            "/api/v1/campaigns/{id}/observations",
            json!({"post": op("Submit a cluster's observations (managers)", "200",
            Some(obj(json!({"cluster": {"type": "string"}, "values": {"type": "object", "additionalProperties": {"type": "number"}}}), &["cluster", "values"])),
            vec![cid()], &["400", "401", "403", "404", "409", "415", "422"])}),
        ),
        (
            "/api/v1/campaigns/{id}/template",
            json!({"get": op("The campaign's .xlsx template for your clusters", "200", None, vec![cid()], &["401", "404"])}),
        ),
        (
            "/api/v1/campaigns/{id}/submission",
            json!({"post": binary_upload("Submit the filled-in .xlsx template, whole or not at all (managers)", vec![cid()])}),
        ),
        (
            "/api/v1/campaigns/{id}/ties",
            json!({"get": op("The ties of your organization the campaign asks you to confirm (members)", "200", None, vec![cid()], &["401", "404"])}),
        ),
        (
            "/api/v1/campaigns/{id}/ties/{row}",
            json!({"post": op("Confirm (true) or dispute (false) a tie (members)", "200",
            Some(obj(json!({"confirmed": {"type": "boolean"}}), &["confirmed"])),
            vec![cid(), path_param("row", json!({"type": "integer"}))], &["400", "401", "404", "409", "415", "422"])}),
        ),
        (
            "/api/v1/campaigns/{id}/remind",
            json!({"post": op("Remind the managers of clusters still missing (officers, admins)", "200", None, vec![cid()], &["401", "403", "404"])}),
        ),
        (
            "/api/v1/campaigns/{id}/close",
            json!({"post": op("Close: freeze the observations, keep the results (officers, admins)", "200", None, vec![cid()], &["400", "401", "403", "404", "409"])}),
        ),
        (
            "/api/v1/campaigns/{id}/results",
            json!({"get": op("The results kept when the campaign closed", "200", None, vec![cid()], &["401", "404"])}),
        ),
    ]
}

/// The document.
pub fn document() -> Value {
    let mut paths = Map::new();
    let mut schemas = Map::new();
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
                "get": op(&format!("List the {name} rows you may see"), "200", None, params, READ_ERRORS),
                "post": op(&format!("Add a row to {name}"), "201",
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
                "get": op(&format!("One {name} row (by id, or row_id for tables keyed by a natural key)"), "200", None, vec![key.clone()], READ_ERRORS),
                "patch": op(&format!("Change some fields of a {name} row"), "200",
                    Some(json!({"$ref": format!("#/components/schemas/{name}_change")})), vec![key.clone()], WRITE_ERRORS),
                "delete": op(&format!("Delete a {name} row (an admin can undo it)"), "200", None, vec![key], WRITE_ERRORS),
            }),
        );
    }
    let s = |props: Value, required: &[&str]| json!({"type": "object", "properties": props, "required": required, "additionalProperties": false});
    let email = json!({"type": "string"});
    let roles = json!({"type": "string", "enum": weaver_core::enums::Role::NAMES});
    let id = path_param("id", json!({"type": "integer"}));
    let more = [
        (
            "/api/v1/tables",
            json!({"get": op("The register's tables and columns", "200", None, vec![], &[])}),
        ),
        (
            "/api/v1/openapi.json",
            json!({"get": op("This document", "200", None, vec![], &[])}),
        ),
        (
            "/api/v1/auth/login",
            json!({"post": op("Sign in: sets a session cookie, returns the CSRF token", "200",
            Some(s(json!({"email": email, "password": {"type": "string"}}), &["email", "password"])), vec![], &["400", "401", "415", "422", "429"])}),
        ),
        (
            "/api/v1/auth/logout",
            json!({"post": op("Sign out", "204", None, vec![], &["401", "403"])}),
        ),
        (
            "/api/v1/auth/me",
            json!({
                "get": op("Who you are, your assignments and (for a session) the CSRF token", "200", None, vec![], &["401"]),
                "delete": op("Erase your account (the audit log keeps changes without your name)", "204", None, vec![], &["401", "403"]),
            }),
        ),
        (
            "/api/v1/auth/me/export",
            json!({"get": op("Your personal data", "200", None, vec![], &["401"])}),
        ),
        (
            "/api/v1/auth/tokens",
            json!({
                "get": op("Your API tokens", "200", None, vec![], &["401"]),
                "post": op("Make an API token (shown once)", "201", Some(s(json!({"name": {"type": "string"}}), &["name"])), vec![], &["400", "401", "403", "415", "422"]),
            }),
        ),
        (
            "/api/v1/auth/tokens/{id}",
            json!({"delete": op("Revoke an API token", "204", None, vec![id.clone()], &["400", "401", "403", "404"])}),
        ),
        (
            "/api/v1/auth/accept",
            json!({"post": op("Set a password with an invitation or reset token", "204",
            Some(s(json!({"token": {"type": "string"}, "password": {"type": "string"}}), &["token", "password"])), vec![], &["400", "410", "415", "422"])}),
        ),
        (
            "/api/v1/users",
            json!({
                "get": op("Accounts (admins)", "200", None, vec![], &["401", "403"]),
                "post": op("Create an account; without a password an invitation is sent (admins)", "201",
                    Some(s(json!({"email": email, "name": {"type": ["string", "null"]}, "role": roles, "password": {"type": ["string", "null"]}}), &["email", "role"])),
                    vec![], &["400", "401", "403", "409", "415", "422"]),
            }),
        ),
        (
            "/api/v1/users/{id}",
            json!({
                "get": op("An account and its assignments (admins)", "200", None, vec![id.clone()], &["400", "401", "403", "404"]),
                "patch": op("Change an account's role or disable it (admins)", "200",
                    Some(s(json!({"role": roles, "disabled": {"type": "boolean"}}), &[])), vec![id.clone()], &["400", "401", "403", "404", "415", "422"]),
                "delete": op("Erase an account (admins)", "204", None, vec![id.clone()], &["400", "401", "403", "404"]),
            }),
        ),
        (
            "/api/v1/users/{id}/scopes",
            json!({"post": op("Assign an account to a cluster, programme or organization (admins)", "200",
            Some(s(json!({"kind": {"type": "string", "enum": ["cluster", "programme", "organization"]}, "ref": {"type": "string"}}), &["kind", "ref"])),
            vec![id.clone()], &["400", "401", "403", "404", "415", "422"])}),
        ),
        (
            "/api/v1/users/{id}/scopes/{kind}/{reference}",
            json!({"delete": op("Remove an assignment (admins)", "204", None,
            vec![id.clone(), path_param("kind", json!({"type": "string", "enum": ["cluster", "programme", "organization"]})), path_param("reference", json!({"type": "string"}))],
            &["400", "401", "403", "404"])}),
        ),
        (
            "/api/v1/users/{id}/reset",
            json!({"post": op("Send a password-reset link (admins)", "200", None, vec![id.clone()], &["400", "401", "403", "404"])}),
        ),
        (
            "/api/v1/users/{id}/export",
            json!({"get": op("An account's personal data (admins)", "200", None, vec![id.clone()], &["400", "401", "403", "404"])}),
        ),
        (
            "/api/v1/audit",
            json!({"get": op("The audit log, newest first (admins and officers)", "200", None, vec![
            query("table", json!({"type": "string"}), "only changes to this table"),
            query("key", json!({"type": "string"}), "only changes to the row with this id or row_id"),
            query("limit", json!({"type": "integer", "minimum": 0}), "entries per page (default 100)"),
            query("offset", json!({"type": "integer", "minimum": 0}), "entries skipped"),
        ], &["400", "401", "403"])}),
        ),
        (
            "/api/v1/audit/{id}/undo",
            json!({"post": op("Undo a change (admins)", "200", None, vec![id], &["400", "401", "403", "404", "409"])}),
        ),
    ];
    for (p, v) in more.into_iter().chain(engine_and_campaign_paths()) {
        paths.insert(p.to_owned(), v);
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
