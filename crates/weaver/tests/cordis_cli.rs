//! `weaver import-cordis` as a user runs it on dumps with gaps
//! (`weaver-io/tests/fixtures/cordis/`, made by `make_gaps.py` there): the
//! dump imports whole, the warnings are printed (also on a dry run, which
//! writes nothing), and a dump with a participation in a missing project is
//! refused and changes nothing.

use std::path::{Path, PathBuf};

mod common;
use common::{arg, read_dir_sorted, text, weaver};

/// A CORDIS dump of `weaver-io`'s fixtures.
fn fixture(name: &str) -> PathBuf {
    weaver_testkit::fixture("weaver-io", &format!("cordis/{name}"))
}

fn stats(dir: &Path) -> serde_json::Value {
    let o = weaver(dir, &["stats", "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The exported CSV file `table` as lines.
fn exported(dir: &Path, table: &str) -> Vec<String> {
    std::fs::read_to_string(dir.join(format!("{table}.csv")))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

const START_EMPTY: &str = "warning: project.csv, column startDate: the start date is empty; the project has no start — 6 rows, first at rows 3, 4, 5, 21, 22, …";
const YEAR_FROM_SIGNATURE: &str = "warning: project.csv, column startDate: no start date; the funding year is the year of ecSignatureDate — 4 rows, first at rows 3, 6, 21, 24";
const NO_NUTS: &str = "warning: organization.csv, column nutsCode: the organization has no NUTS code on any row; its region is left empty — 2 rows, first at rows 13, 35";

#[test]
fn a_dump_with_gaps_imports_whole_and_prints_its_warnings() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let dump = fixture("gaps-horizon-europe");
    let o = weaver(p, &["import-cordis", arg(&dump)]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("are of the Horizon Europe layout"), "{out}");
    for w in [START_EMPTY, YEAR_FROM_SIGNATURE, NO_NUTS] {
        assert!(out.contains(w), "missing «{w}» in\n{out}");
    }
    assert_eq!(out.matches("warning: ").count(), 32, "{out}");
    let s = stats(p);
    assert_eq!(s["projects"], 32);
    assert_eq!(s["funding"], 28);
    assert_eq!(s["organizations"], 32);
    assert_eq!(s["participations"], 40);
    assert_eq!(s["programmes"], 2);
    // What was derived, as the register holds it.
    assert!(weaver(p, &["export", "out"]).status.success());
    let funding = exported(&p.join("out"), "funding");
    let header: Vec<&str> = funding[0].split(',').collect();
    let cell = |recipient: &str, column: &str| -> String {
        let i = header.iter().position(|c| *c == column).unwrap();
        let line = funding
            .iter()
            .find(|l| l.starts_with(&format!("{recipient},")))
            .unwrap_or_else(|| panic!("no funding of {recipient}"));
        line.split(',').nth(i).unwrap().to_owned()
    };
    assert_eq!(cell("cordis-100002", "year"), "2018");
    assert_eq!(cell("cordis-200003", "year"), "2022");
    assert_eq!(cell("cordis-100009", "amount"), "400000");
    assert_eq!(cell("cordis-200012", "programme"), "HORIZON");
    assert!(!funding.iter().any(|l| l.starts_with("cordis-100004,")));
    let orgs = exported(&p.join("out"), "organizations");
    assert!(
        orgs.iter()
            .any(|l| l.starts_with("pic-910010015,RHO FILLED LATER,,university,sme,")),
        "{orgs:#?}"
    );
}

#[test]
fn a_dry_run_prints_the_same_warnings_and_writes_nothing() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let dump = fixture("gaps-horizon-europe");
    let o = weaver(p, &["import-cordis", arg(&dump), "--dry-run"]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    for w in [START_EMPTY, YEAR_FROM_SIGNATURE, NO_NUTS] {
        assert!(out.contains(w), "missing «{w}» in\n{out}");
    }
    assert_eq!(out.matches("warning: ").count(), 32, "{out}");
    assert!(out.contains("Nothing was written."), "{out}");
    assert_eq!(stats(p)["projects"], 0);

    // The same in --json: the layout and every warning with its count and rows.
    let o = weaver(
        p,
        &[
            "--json",
            "import-cordis",
            arg(&fixture("gaps-h2020")),
            "--dry-run",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["dry_run"], true);
    assert_eq!(v["layout"], "Horizon 2020 layout (first edition)");
    let warnings = v["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 27);
    assert_eq!(warnings[0]["file"], "project.csv");
    assert_eq!(warnings[0]["column"], "startDate");
    assert_eq!(warnings[0]["count"], 6);
    assert_eq!(warnings[0]["rows"], serde_json::json!([3, 4, 5, 20, 21]));
    assert_eq!(stats(p)["projects"], 0);
}

#[test]
fn a_participation_in_a_missing_project_refuses_the_dump_and_changes_nothing() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let o = weaver(p, &["import-cordis", arg(&fixture("h2020-horizon"))]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(weaver(p, &["export", "before"]).status.success());
    let o = weaver(p, &["import-cordis", arg(&fixture("broken"))]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("nothing was changed"), "{out}");
    assert!(
        out.contains("organization.csv, row 4, column project: 'cordis-999999' is not the id of any row of projects"),
        "{out}"
    );
    // Its gaps are still reported.
    assert!(
        out.contains("warning: organization.csv, column organisationID: the organisation id is empty; the participation is left out — 1 row, first at row 5"),
        "{out}"
    );
    assert!(!out.contains("panicked"), "{out}");
    assert!(weaver(p, &["export", "after"]).status.success());
    assert_eq!(
        read_dir_sorted(&p.join("before")),
        read_dir_sorted(&p.join("after"))
    );
}

#[test]
fn an_unknown_layout_is_a_clear_error() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    common::write(p, "dump/project.csv", "id;title\n\"1\";\"x\"\n");
    common::write(p, "dump/organization.csv", "a;b\n\"1\";\"2\"\n");
    let o = weaver(p, &["import-cordis", "dump"]);
    let out = text(&o);
    assert!(!o.status.success(), "{out}");
    assert!(
        out.contains("the header is of no CORDIS layout this reader knows; expected the Horizon Europe layout (columns projectID, organisationID, name, activityType, role)"),
        "{out}"
    );
    assert!(!out.contains("panicked"), "{out}");
    assert_eq!(stats(p)["projects"], 0);
}
