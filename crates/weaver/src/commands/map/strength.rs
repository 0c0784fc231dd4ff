//! `weaver map strength`: [`weaver_service::mapping::strength`] as a table.

use weaver_mapping::panel::Panel;

use crate::output::Table;

/// The table of `weaver map strength`, with the notices to print.
pub fn strength_table(panel: &Panel) -> anyhow::Result<(Table, Vec<String>)> {
    let s = weaver_service::mapping::strength(panel)?;
    let mut t = Table::new(&[
        "region",
        "year",
        "traded_employment",
        "strong_employment",
        "strength",
        "strong_clusters",
    ]);
    for r in s.rows {
        t.push(vec![
            r.region.into(),
            i64::from(r.year).into(),
            r.traded_employment.into(),
            r.strong_employment.into(),
            r.strength.into(),
            r.strong_clusters.into(),
        ]);
    }
    Ok((t, s.notices))
}
