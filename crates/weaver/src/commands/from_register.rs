//! The register as input to the engine commands: the same in-memory values
//! the CSV readers produce, read from the store named by `--db`.

use anyhow::Context;
use weaver_core::period::Period;

use super::network::NetworkInput;
use super::register::{block_on, open};

/// The period given by `flag`, if any, parsed by
/// [`weaver_core::period::Period`]; its error names the flag.
pub fn period_of(flag: &str, period: Option<&str>) -> anyhow::Result<Option<Period>> {
    period
        .map(|p| p.parse::<Period>().with_context(|| flag.to_owned()))
        .transpose()
}

/// A cluster's network in a period, as `weaver network` reads it from files:
/// members as nodes (attributes `name`, `actor_type`, `region`, `industry`,
/// `size`), ties among them as edges (weighted when any tie has a weight;
/// ties of several kinds between one pair are merged with weights summed).
pub fn network_input(
    db: &str,
    cluster: &str,
    period: Option<&str>,
    directed: bool,
) -> anyhow::Result<NetworkInput> {
    period_of("--period", period)?;
    let view = block_on(async {
        let store = open(db).await?;
        let view = weaver_service::network::cluster_network(
            &store,
            &weaver_service::admin(),
            cluster,
            period,
        )
        .await;
        store.close().await;
        view.with_context(|| format!("cannot read cluster {cluster} from the register"))
    })?;
    Ok(to_input(&view, cluster, period, directed))
}

/// Every cluster's network in a period (`--all-clusters`), in id order, read
/// in one session of the store; each as [`network_input`] gives it.
pub fn all_network_inputs(
    db: &str,
    period: Option<&str>,
    directed: bool,
) -> anyhow::Result<Vec<(String, NetworkInput)>> {
    period_of("--period", period)?;
    let views = block_on(async {
        let store = open(db).await?;
        let read = async {
            let mut ids = store
                .cluster_ids()
                .await
                .context("cannot list the clusters of the register")?;
            // Byte order of the ids, whatever the database's collation.
            ids.sort();
            let mut views = Vec::with_capacity(ids.len());
            for id in ids {
                let view = store
                    .cluster_network(&id, period)
                    .await
                    .with_context(|| format!("cannot read cluster {id} from the register"))?;
                views.push((id, view));
            }
            anyhow::Ok(views)
        };
        let views = read.await;
        store.close().await;
        views
    })?;
    if views.is_empty() {
        anyhow::bail!(
            "--all-clusters: the register holds no clusters; import a clusters table first"
        );
    }
    Ok(views
        .into_iter()
        .map(|(id, view)| {
            let input = to_input(&view, &id, period, directed);
            (id, input)
        })
        .collect())
}

/// The engine input of one cluster's view.
fn to_input(
    view: &weaver_store::ClusterNetwork,
    cluster: &str,
    period: Option<&str>,
    directed: bool,
) -> NetworkInput {
    let origin = format!(
        "register › cluster {cluster}{}",
        period.map(|p| format!(", period {p}")).unwrap_or_default()
    );
    let graph = weaver_service::network::GraphInput::of(view);
    let column = |f: &dyn Fn(&weaver_store::OrgNode) -> Option<String>| -> Vec<Option<String>> {
        view.organizations.iter().map(f).collect()
    };
    let attributes = vec![
        ("name".to_owned(), column(&|o| Some(o.name.clone()))),
        (
            "actor_type".to_owned(),
            column(&|o| Some(o.actor_type.to_string())),
        ),
        ("region".to_owned(), column(&|o| o.region.clone())),
        ("industry".to_owned(), column(&|o| o.industry.clone())),
        (
            "size".to_owned(),
            column(&|o| o.size.map(|s| s.to_string())),
        ),
    ];
    let edge_origin = view
        .ties
        .iter()
        .map(|t| format!("{origin}, tie {} → {} ({})", t.source, t.target, t.kind))
        .collect();
    if graph.directed_ties() > 0 && !directed {
        eprintln!(
            "note: {} of the {} ties of {cluster} are directed: brokerage and the PageRank of \
             metrics and export follow them as arcs (an undirected tie an arc each way), the \
             other analyses read them undirected; --directed treats every tie as an arc",
            graph.directed_ties(),
            graph.edges.len()
        );
    }
    NetworkInput {
        node_ids: graph.nodes,
        attributes,
        edges: graph.edges,
        edge_origin,
        weighted: graph.weighted,
        directed,
        arcs: graph.directed,
    }
}

/// The register's regional activity split into sections, one per (country,
/// classification), each with its reference area
/// ([`weaver_service::mapping::split_sections`], `benchmark` a country code
/// or a region id).
pub fn activity_sections(
    db: &str,
    benchmark: Option<&str>,
) -> anyhow::Result<Vec<weaver_service::mapping::SectionRows>> {
    let rows = block_on(async {
        let store = open(db).await?;
        let rows = store.regional_activity().await;
        store.close().await;
        rows.context("cannot read regional activity from the register")
    })?;
    if rows.is_empty() {
        anyhow::bail!(
            "the register holds no regional activity: import a regional_activity table first"
        );
    }
    weaver_service::mapping::split_sections(&rows, benchmark).context("--benchmark")
}

/// The rows the computed indicators, profiles and programme groups come from.
pub fn evaluation_facts(db: &str) -> anyhow::Result<weaver_store::EvaluationFacts> {
    block_on(async {
        let store = open(db).await?;
        let facts = store.evaluation_facts().await;
        store.close().await;
        facts.context("cannot read memberships, ties, projects and funding from the register")
    })
}

/// Prints the notes of reading the register's observations: the periods
/// no indicator could be computed for and how many values were computed.
pub fn print_notes(read: &weaver_service::observations::ReadObservations) {
    for n in &read.notices {
        eprintln!("note: {n}");
    }
    if read.computed > 0 {
        eprintln!(
            "note: {} values computed from the register (auto.*){}",
            read.computed,
            if read.overridden > 0 {
                format!(
                    "; {} of them replaced by entered observations of the same code",
                    read.overridden
                )
            } else {
                String::new()
            }
        );
    }
}

/// The register's observations as [`weaver_service::observations::observations_for`]
/// gives them to the register's admin (with the computed ones when
/// `computed`), and the catalogue as the engine's indicators (with the
/// computed ones when `computed`).
fn read_observations(
    db: &str,
    period: Option<&str>,
    computed: bool,
) -> anyhow::Result<(
    Vec<weaver_evaluation::Observation>,
    Vec<weaver_evaluation::Indicator>,
)> {
    let (read, catalogue) = block_on(async {
        let store = open(db).await?;
        let read = async {
            let catalogue = weaver_service::observations::catalogue(
                &store,
                weaver_service::observations::CatalogueOf::Everything,
                computed,
            )
            .await
            .context("cannot read indicators from the register")?;
            let read = weaver_service::observations::observations_for(
                &store,
                Some(&weaver_service::admin()),
                period,
                computed,
                false,
            )
            .await
            .context("cannot read observations, memberships, ties, projects and funding from the register")?;
            anyhow::Ok((read, catalogue))
        };
        let out = read.await;
        store.close().await;
        out
    })?;
    print_notes(&read);
    Ok((read.observations, catalogue))
}

/// The register's indicator catalogue and observations, as the evaluation
/// engine reads them from files (units are cluster ids): the entered
/// observations joined by the computed `auto.*` indicators, which are added
/// to the catalogue (dimension `register`) unless it defines them.
pub fn evaluation_input(
    db: &str,
    period: Option<&str>,
) -> anyhow::Result<(
    Vec<weaver_evaluation::Indicator>,
    Vec<weaver_evaluation::Observation>,
)> {
    evaluation_input_with(db, period, true)
}

/// [`evaluation_input`] with or without (`computed` false: the entered
/// observations and the catalogue only) the computed indicators.
pub fn evaluation_input_with(
    db: &str,
    period: Option<&str>,
    computed: bool,
) -> anyhow::Result<(
    Vec<weaver_evaluation::Indicator>,
    Vec<weaver_evaluation::Observation>,
)> {
    let (observations, indicators) = read_observations(db, period, computed)?;
    if observations.is_empty() {
        anyhow::bail!(
            "the register holds no observations and computes no indicator (no memberships in the periods asked for): import an observations table or give --period"
        );
    }
    Ok((indicators, observations))
}
