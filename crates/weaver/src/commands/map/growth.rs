//! `weaver map growth`.

use weaver_mapping::panel::Panel;

use crate::output::Table;

/// The table of `weaver map growth`.
pub fn growth_table(panel: &Panel, start: Option<i32>, end: Option<i32>) -> anyhow::Result<Table> {
    let g = weaver_service::mapping::growth(panel, start, end)?;
    let mut t = Table::new(&[
        "region",
        "category",
        "start_year",
        "end_year",
        "start",
        "end",
        "change",
        "cagr",
        "expected",
        "national_share",
        "industry_mix",
        "job_creation",
    ]);
    for r in g.rows {
        t.push(vec![
            r.region.as_str().into(),
            r.category.as_str().into(),
            i64::from(g.start_year).into(),
            i64::from(g.end_year).into(),
            r.start.into(),
            r.end.into(),
            r.change.into(),
            r.cagr.into(),
            r.expected.into(),
            r.national_share.into(),
            r.industry_mix.into(),
            r.job_creation.into(),
        ]);
    }
    Ok(t)
}
