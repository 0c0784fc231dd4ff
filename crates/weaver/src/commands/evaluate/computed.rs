//! `weaver evaluate computed`.

use anyhow::Context;

use crate::commands::{from_register, register};
use crate::output::Table;

/// Builds the `evaluate computed` table: the values of the computed codes
/// as [`weaver_service::observations::computed_values`] gives them to the
/// register's admin.
pub(super) fn computed_table(db: &str, period: Option<&str>) -> anyhow::Result<Table> {
    use weaver_service::observations::Origin;
    let (values, read) = register::block_on(async {
        let store = register::open(db).await?;
        let out = weaver_service::observations::computed_values(
            &store,
            Some(&weaver_service::admin()),
            period,
            false,
        )
        .await
        .context(
            "cannot read observations, memberships, ties, projects and funding from the register",
        );
        store.close().await;
        out
    })?;
    from_register::print_notes(&read);
    let mut table = Table::new(&["unit", "indicator", "period", "value", "origin"]);
    for v in values {
        table.push(vec![
            v.cluster.as_str().into(),
            v.indicator.as_str().into(),
            v.period.as_str().into(),
            v.value.into(),
            match v.origin {
                Origin::Entered => "entered",
                Origin::Computed => "computed",
            }
            .into(),
        ]);
    }
    Ok(table)
}
