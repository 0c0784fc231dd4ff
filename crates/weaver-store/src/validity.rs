//! Rules of the time-valid rows (issue 16): an organization holds at most
//! one membership of a cluster at a time, and a governance body of a
//! cluster has at most one chair at a time.
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

/// The condition keeping the pairs of which row `row` is one (an integer,
/// written into the statement), or nothing: all pairs.
fn only(row: Option<i64>) -> String {
    row.map_or_else(String::new, |r| {
        format!(" AND (a.row_id = {r} OR b.row_id = {r})")
    })
}

/// The statement finding two memberships of one organization in one cluster
/// whose validity overlaps (the first pair, by row number).
fn overlap_sql(row: Option<i64>) -> String {
    format!(
        "SELECT a.row_id, b.row_id, a.cluster, a.org, a.tier, COALESCE(a.since, ''), \
         COALESCE(a.until, ''), b.tier, COALESCE(b.since, ''), COALESCE(b.until, '') \
         FROM memberships a JOIN memberships b \
         ON a.cluster = b.cluster AND a.org = b.org AND a.row_id < b.row_id \
         WHERE NOT {} AND NOT {}{} ORDER BY a.row_id, b.row_id LIMIT 1",
        ends_before("a", "b"),
        ends_before("b", "a"),
        only(row)
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

/// Refuses (409 naming both rows) when memberships overlap — those of row
/// `row` only, or all — through sqlx's `Any` driver.
pub(crate) async fn refuse_overlaps_any(
    conn: &mut AnyConnection,
    row: Option<i64>,
) -> Result<(), StoreError> {
    let hit: Option<Pair> = sqlx::query_as(assert_safe(overlap_sql(row)))
        .fetch_optional(&mut *conn)
        .await?;
    hit.map_or(Ok(()), |p| Err(refusal(p)))
}

/// As [`refuse_overlaps_any`], on a typed SQLite connection.
pub(crate) async fn refuse_overlaps_sqlite(conn: &mut SqliteConnection) -> Result<(), StoreError> {
    let hit: Option<Pair> = sqlx::query_as(assert_safe(overlap_sql(None)))
        .fetch_optional(&mut *conn)
        .await?;
    hit.map_or(Ok(()), |p| Err(refusal(p)))
}

/// The statement finding two chairs of one body of one cluster whose terms
/// overlap (the first pair, by row number).
fn chairs_sql(row: Option<i64>) -> String {
    format!(
        "SELECT a.row_id, b.row_id, a.cluster, a.body, a.org, COALESCE(a.since, ''), \
         COALESCE(a.until, ''), b.org, COALESCE(b.since, ''), COALESCE(b.until, '') \
         FROM governance a JOIN governance b \
         ON a.cluster = b.cluster AND a.body = b.body AND a.row_id < b.row_id \
         WHERE a.role = 'chair' AND b.role = 'chair' AND NOT {} AND NOT {}{} \
         ORDER BY a.row_id, b.row_id LIMIT 1",
        ends_before("a", "b"),
        ends_before("b", "a"),
        only(row)
    )
}

fn chairs_refusal(p: Pair) -> StoreError {
    let (a, b, cluster, body, oa, sa, ua, ob, sb, ub) = p;
    let span = |s: &str, u: &str| {
        format!(
            "{} to {}",
            if s.is_empty() { "open" } else { s },
            if u.is_empty() { "open" } else { u }
        )
    };
    StoreError::Conflict(format!(
        "governance: the {body} of cluster '{cluster}' would have two chairs at once: \
         row_id {a} (org '{oa}', {}) and row_id {b} (org '{ob}', {}); \
         end one chair's term (its until) before the other's begins",
        span(&sa, &ua),
        span(&sb, &ub)
    ))
}

/// Refuses (409 naming both rows) two chairs of one body at once — row
/// `row` and another, or any — through sqlx's `Any` driver.
pub(crate) async fn refuse_two_chairs_any(
    conn: &mut AnyConnection,
    row: Option<i64>,
) -> Result<(), StoreError> {
    let hit: Option<Pair> = sqlx::query_as(assert_safe(chairs_sql(row)))
        .fetch_optional(&mut *conn)
        .await?;
    hit.map_or(Ok(()), |p| Err(chairs_refusal(p)))
}

/// As [`refuse_two_chairs_any`], on a typed SQLite connection.
pub(crate) async fn refuse_two_chairs_sqlite(
    conn: &mut SqliteConnection,
) -> Result<(), StoreError> {
    let hit: Option<Pair> = sqlx::query_as(assert_safe(chairs_sql(None)))
        .fetch_optional(&mut *conn)
        .await?;
    hit.map_or(Ok(()), |p| Err(chairs_refusal(p)))
}

/// The seats of governance held by an organization without a membership of
/// the cluster at any time of the seat (the condition, over `g`).
fn non_member_condition() -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM memberships m WHERE m.cluster = g.cluster \
         AND m.org = g.org AND NOT {} AND NOT {})",
        ends_before("m", "g"),
        ends_before("g", "m")
    )
}

/// How many seats of governance are held by non-members, and the first ten
/// (row_id, cluster, body, org).
fn non_member_sql() -> (String, String) {
    let cond = non_member_condition();
    (
        format!("SELECT COUNT(*) FROM governance g WHERE {cond}"),
        format!(
            "SELECT g.row_id, g.cluster, g.body, g.org FROM governance g WHERE {cond} \
             ORDER BY g.row_id LIMIT 10"
        ),
    )
}

/// The warning of seats held by non-members, if any.
fn non_member_warning(count: i64, first: &[(i64, String, String, String)]) -> Option<String> {
    if count == 0 {
        return None;
    }
    let listed: Vec<String> = first
        .iter()
        .map(|(row, cluster, body, org)| {
            format!("row_id {row} (org '{org}', {body} of '{cluster}')")
        })
        .collect();
    Some(format!(
        "governance: {count} seat(s) held by an organization without a membership of the \
         cluster at any time of the seat (kept, flagged): {}{}",
        listed.join(", "),
        if count > 10 { ", …" } else { "" }
    ))
}

/// The warning of seats of governance held by non-members, through sqlx's
/// `Any` driver.
pub(crate) async fn non_member_seats_any(
    conn: &mut AnyConnection,
) -> Result<Option<String>, StoreError> {
    let (count, list) = non_member_sql();
    let count: i64 = sqlx::query_scalar(assert_safe(count))
        .fetch_one(&mut *conn)
        .await?;
    let first: Vec<(i64, String, String, String)> = if count > 0 {
        sqlx::query_as(assert_safe(list))
            .fetch_all(&mut *conn)
            .await?
    } else {
        Vec::new()
    };
    Ok(non_member_warning(count, &first))
}

/// As [`non_member_seats_any`], on a typed SQLite connection.
pub(crate) async fn non_member_seats_sqlite(
    conn: &mut SqliteConnection,
) -> Result<Option<String>, StoreError> {
    let (count, list) = non_member_sql();
    let count: i64 = sqlx::query_scalar(assert_safe(count))
        .fetch_one(&mut *conn)
        .await?;
    let first: Vec<(i64, String, String, String)> = if count > 0 {
        sqlx::query_as(assert_safe(list))
            .fetch_all(&mut *conn)
            .await?
    } else {
        Vec::new()
    };
    Ok(non_member_warning(count, &first))
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
