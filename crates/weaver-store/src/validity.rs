//! Rules of the time-valid rows (issue 16): an organization holds at most
//! one membership of a cluster at a time.
//!
//! Dates are ISO text (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), both ends
//! inclusive; a `since` given as a year or month counts from its first day,
//! an `until` to its last day; an empty `since` or `until` is open.

use sqlx::AnyConnection;
use sqlx::SqliteConnection;

use crate::StoreError;
use crate::sql::assert_safe;

/// SQL: row `x` ends before row `y` starts. `x.until` is before `y.since`
/// as text, and is not a prefix of it (`until 2020` runs to the end of 2020,
/// so it reaches `since 2020-06`).
fn ends_before(x: &str, y: &str) -> String {
    format!(
        "(COALESCE({x}.until, '') <> '' AND COALESCE({y}.since, '') <> '' \
         AND {x}.until < {y}.since AND SUBSTR({y}.since, 1, LENGTH({x}.until)) <> {x}.until)"
    )
}

/// The statement finding two memberships of one organization in one cluster
/// whose validity overlaps (the first pair, by row number).
fn overlap_sql() -> String {
    format!(
        "SELECT a.row_id, b.row_id, a.cluster, a.org, a.tier, COALESCE(a.since, ''), \
         COALESCE(a.until, ''), b.tier, COALESCE(b.since, ''), COALESCE(b.until, '') \
         FROM memberships a JOIN memberships b \
         ON a.cluster = b.cluster AND a.org = b.org AND a.row_id < b.row_id \
         WHERE NOT {} AND NOT {} ORDER BY a.row_id, b.row_id LIMIT 1",
        ends_before("a", "b"),
        ends_before("b", "a")
    )
}

type Pair = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

fn refusal(p: Pair) -> StoreError {
    let (a, b, cluster, org, ta, sa, ua, tb, sb, ub) = p;
    let span = |s: &str, u: &str| {
        format!(
            "{} to {}",
            if s.is_empty() { "open" } else { s },
            if u.is_empty() { "open" } else { u }
        )
    };
    StoreError::Conflict(format!(
        "memberships: organization '{org}' would hold two memberships of cluster '{cluster}' \
         at once: row_id {a} (tier {ta}, {}) and row_id {b} (tier {tb}, {}); \
         close one (set its until before the other's since) instead",
        span(&sa, &ua),
        span(&sb, &ub)
    ))
}

/// Refuses (409 naming both rows) when memberships overlap, through sqlx's
/// `Any` driver.
pub(crate) async fn refuse_overlaps_any(conn: &mut AnyConnection) -> Result<(), StoreError> {
    let hit: Option<Pair> = sqlx::query_as(assert_safe(overlap_sql()))
        .fetch_optional(&mut *conn)
        .await?;
    hit.map_or(Ok(()), |p| Err(refusal(p)))
}

/// As [`refuse_overlaps_any`], on a typed SQLite connection.
pub(crate) async fn refuse_overlaps_sqlite(conn: &mut SqliteConnection) -> Result<(), StoreError> {
    let hit: Option<Pair> = sqlx::query_as(assert_safe(overlap_sql()))
        .fetch_optional(&mut *conn)
        .await?;
    hit.map_or(Ok(()), |p| Err(refusal(p)))
}

/// The day before the date `d` (`YYYY-MM-DD`, already checked).
pub(crate) fn day_before(d: &str) -> String {
    let n = |r: std::ops::Range<usize>| d.get(r).and_then(|s| s.parse::<u32>().ok()).unwrap_or(1);
    let (y, m, day) = (n(0..4), n(5..7), n(8..10));
    let (y, m, day) = if day > 1 {
        (y, m, day - 1)
    } else if m > 1 {
        (y, m - 1, days_in_month(y, m - 1))
    } else {
        (y - 1, 12, 31)
    };
    format!("{y:04}-{m:02}-{day:02}")
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::day_before;

    #[test]
    fn the_day_before_crosses_months_years_and_leap_days() {
        assert_eq!(day_before("2024-03-01"), "2024-02-29");
        assert_eq!(day_before("2023-03-01"), "2023-02-28");
        assert_eq!(day_before("2100-03-01"), "2100-02-28");
        assert_eq!(day_before("2000-03-01"), "2000-02-29");
        assert_eq!(day_before("2024-01-01"), "2023-12-31");
        assert_eq!(day_before("2024-05-01"), "2024-04-30");
        assert_eq!(day_before("2024-05-17"), "2024-05-16");
    }
}
