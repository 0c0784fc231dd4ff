//! `weaver map related`.

use weaver_mapping::panel::Panel;

use crate::output::Table;

/// The table of `weaver map related`: for each cluster, the others by
/// decreasing correlation of LQs across regions (rank 1 = most related).
pub fn related_table(
    panel: &Panel,
    year: Option<i32>,
    kind: Option<&str>,
    top: Option<usize>,
) -> anyhow::Result<Table> {
    let r = weaver_service::mapping::related(panel, year, kind, top, "--kind")?;
    let mut t = Table::new(&["category", "related", "correlation", "rank"]);
    for row in r.rows {
        t.push(vec![
            row.category.as_str().into(),
            row.related.as_str().into(),
            row.correlation.into(),
            row.rank.into(),
        ]);
    }
    Ok(t)
}
