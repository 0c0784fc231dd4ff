//! The CORDIS adapter against hand-written fixtures laid out as CORDIS
//! publishes them (`tests/fixtures/cordis/`, made by `make_fixtures.py`
//! there): every mapped value is checked exactly.

use std::path::{Path, PathBuf};

use weaver_core::{Package, Value};
use weaver_io::cordis::{CordisError, Layout, read_cordis};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cordis")
        .join(name)
}

fn good() -> Package {
    let dump = read_cordis(&fixture("h2020-horizon")).expect("readable");
    match dump.builder.finish(&|_, _| false) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    }
}

/// The row of `table` whose key columns (first `key.len()` key parts) are
/// `key`, as (column name → canonical text).
fn row(p: &Package, table: &str, key: &[&str]) -> Vec<(&'static str, String)> {
    let t = p.table(table).unwrap_or_else(|| panic!("no table {table}"));
    let positions: Vec<usize> = t.schema.key_positions();
    let r = t
        .rows
        .iter()
        .find(|r| {
            key.iter()
                .zip(&positions)
                .all(|(k, &pos)| r[pos].to_text() == *k)
        })
        .unwrap_or_else(|| panic!("no row {key:?} in {table}"));
    t.schema
        .columns
        .iter()
        .zip(r)
        .map(|(c, v)| (c.name, v.to_text()))
        .collect()
}

fn get<'a>(row: &'a [(&'static str, String)], column: &str) -> &'a str {
    &row.iter().find(|(c, _)| *c == column).unwrap().1
}

#[test]
fn counts_and_programmes() {
    let p = good();
    assert_eq!(
        p.counts(),
        vec![
            ("programmes", 2),
            ("organizations", 13),
            ("projects", 6),
            ("participations", 20),
            ("funding", 6),
        ]
    );
    let h2020 = row(&p, "programmes", &["H2020"]);
    assert_eq!(get(&h2020, "name"), "Horizon 2020");
    assert_eq!(get(&h2020, "level"), "supranational");
    assert_eq!(get(&h2020, "agency"), "European Commission");
    assert_eq!(get(&h2020, "start"), "2014");
    assert_eq!(get(&h2020, "end"), "2020");
    let horizon = row(&p, "programmes", &["HORIZON"]);
    assert_eq!(get(&horizon, "name"), "Horizon Europe");
    assert!(
        p.notices[0].contains("are of the Horizon Europe layout (project.csv, organization.csv)"),
        "{:?}",
        p.notices
    );
    assert!(
        p.notices[1].contains(
            "6 projects (6 with a funding row) and 21 participation rows of 13 organizations"
        ),
        "{:?}",
        p.notices
    );
}

#[test]
fn projects_and_their_funding() {
    let p = good();
    // Decimal comma, a ';' inside a quoted title, status in lower case.
    let smartfab = row(&p, "projects", &["cordis-825196"]);
    assert_eq!(
        get(&smartfab, "title"),
        "Smart fabrication of printed sensors; scaling up"
    );
    assert_eq!(get(&smartfab, "start"), "2019-01-01");
    assert_eq!(get(&smartfab, "end"), "2022-06-30");
    assert_eq!(get(&smartfab, "budget"), "4999812.5");
    assert_eq!(get(&smartfab, "currency"), "EUR");
    assert_eq!(get(&smartfab, "field"), "ICT-07-2018");
    assert_eq!(get(&smartfab, "status"), "closed");
    assert_eq!(get(&smartfab, "cluster"), "");
    let photon = row(&p, "projects", &["cordis-101058456"]);
    assert_eq!(get(&photon, "budget"), "6120000.5");
    assert_eq!(get(&photon, "status"), "signed");

    let f = row(&p, "funding", &["cordis-825196"]);
    assert_eq!(get(&f, "source_type"), "supranational");
    assert_eq!(get(&f, "programme"), "H2020");
    assert_eq!(get(&f, "amount"), "4999812.5");
    assert_eq!(get(&f, "currency"), "EUR");
    assert_eq!(get(&f, "year"), "2019");
    let f = row(&p, "funding", &["cordis-101091234"]);
    assert_eq!(get(&f, "programme"), "HORIZON");
    assert_eq!(get(&f, "amount"), "2450000");
    assert_eq!(get(&f, "year"), "2023");
    let f = row(&p, "funding", &["cordis-101058456"]);
    assert_eq!(get(&f, "amount"), "5850000");
    assert_eq!(get(&f, "year"), "2022");
}

#[test]
fn organizations_are_mapped_once_each() {
    let p = good();
    let sme = row(&p, "organizations", &["pic-999123457"]);
    assert_eq!(get(&sme, "name"), "SENSORDRUCK GMBH");
    assert_eq!(get(&sme, "actor_type"), "enterprise");
    assert_eq!(get(&sme, "size"), "sme");
    assert_eq!(get(&sme, "identifiers"), "pic:999123457;vat:DE298765432");
    assert_eq!(get(&sme, "region"), "DEA41");
    assert_eq!(get(&sme, "country"), "DE");
    let uni = row(&p, "organizations", &["pic-998765431"]);
    assert_eq!(get(&uni, "actor_type"), "university");
    assert_eq!(get(&uni, "size"), "");
    assert_eq!(get(&uni, "region"), "DEA45");
    assert_eq!(get(&uni, "website"), "http://www.th-owl.example");
    let zju = row(&p, "organizations", &["pic-989012345"]);
    assert_eq!(get(&zju, "identifiers"), "pic:989012345");
    assert_eq!(get(&zju, "region"), "");
    assert_eq!(get(&zju, "country"), "CN");
    // A placeholder VAT number (MISSING) is not an identifier.
    let pec = row(&p, "organizations", &["pic-923456781"]);
    assert_eq!(get(&pec, "identifiers"), "pic:923456781");
    let types = [
        ("pic-986543219", "research"),
        ("pic-978123456", "government"),
        ("pic-923456781", "intermediary"),
        ("pic-967812345", "enterprise"),
    ];
    for (id, actor) in types {
        assert_eq!(
            get(&row(&p, "organizations", &[id]), "actor_type"),
            actor,
            "{id}"
        );
    }
    // The organization is on the row where it first appears (BOM skipped,
    // header = row 1).
    let orgs = p.table("organizations").unwrap();
    let i = orgs
        .rows
        .iter()
        .position(|r| r[0] == Value::Text("pic-989012345".into()))
        .unwrap();
    assert_eq!(orgs.lines[i], 15);
    assert_eq!(orgs.origin, "organization.csv");
}

#[test]
fn participations_map_roles_and_contributions() {
    let p = good();
    let cases = [
        ("cordis-825196", "pic-998765431", "coordinator", "1250000.5"),
        ("cordis-825196", "pic-999123457", "partner", "850000"),
        ("cordis-825196", "pic-951234568", "associate", ""),
        ("cordis-825196", "pic-923456781", "associate", "900000"),
        ("cordis-101058456", "pic-989012345", "associate", ""),
        ("cordis-101091234", "pic-934567812", "partner", "450000"),
        ("cordis-952001", "pic-912345670", "coordinator", "1048600"),
    ];
    for (project, org, role, contribution) in cases {
        let r = row(&p, "participations", &[project, org]);
        assert_eq!(get(&r, "role"), role, "{project} {org}");
        assert_eq!(get(&r, "contribution"), contribution, "{project} {org}");
    }
    // Twice in one project (participant, then thirdParty): one row, the
    // stronger role, contributions summed (1399999.99 + 100000).
    let merged = row(&p, "participations", &["cordis-101112233", "pic-998765431"]);
    assert_eq!(get(&merged, "role"), "partner");
    let sum: f64 = get(&merged, "contribution").parse().unwrap();
    assert!((sum - 1_499_999.99).abs() < 1e-6, "{sum}");
}

#[test]
fn unreadable_cells_are_warnings_and_only_a_missing_project_refuses() {
    let dump = read_cordis(&fixture("broken")).expect("readable");
    let warnings: Vec<String> = dump.warnings.iter().map(ToString::to_string).collect();
    for expected in [
        "project.csv, column ecMaxContribution: not an amount (zero or more) and no participation has a contribution; the project has no funding row — 1 row, first at row 3",
        "project.csv, column startDate: not a date (YYYY-MM-DD or DD/MM/YYYY); the project has no start — 1 row, first at row 4",
        "project.csv, column startDate: no start date; the funding year is the year of ecSignatureDate — 1 row, first at row 4",
        "organization.csv, column activityType: not a CORDIS activity type (PRC, HES, REC, PUB, OTH); the cell is not used — 1 row, first at row 3",
        "organization.csv, column activityType: the organization has no activity type on any row; it is typed OTH (other): intermediary — 1 row, first at row 3",
        "organization.csv, column organisationID: the organisation id is empty; the participation is left out — 1 row, first at row 5",
        "organization.csv, column ecContribution: not an amount (zero or more); the participation has no contribution — 1 row, first at row 6",
    ] {
        assert!(
            warnings.iter().any(|w| w == expected),
            "missing «{expected}» in\n{warnings:#?}"
        );
    }
    assert_eq!(warnings.len(), 7, "{warnings:#?}");
    let err = dump.builder.finish(&|_, _| false).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("organization.csv, row 4, column project: 'cordis-999999' is not the id of any row of projects"),
        "{text}"
    );
    assert_eq!(err.0.total(), 1, "{text}");
}

#[test]
fn a_missing_column_or_file_is_an_error_that_names_it() {
    let err = read_cordis(&fixture("missing-column")).unwrap_err();
    assert!(matches!(
        err,
        CordisError::MissingColumn {
            file: "organization.csv",
            layout: Layout::HorizonEurope,
            column: "activityType"
        }
    ));
    assert_eq!(
        err.to_string(),
        "organization.csv, row 1, column activityType: required CORDIS column 'activityType' of the Horizon Europe layout is missing from the header"
    );
    let err = read_cordis(&fixture("")).unwrap_err();
    assert!(
        matches!(
            err,
            CordisError::MissingFile {
                file: "organization.csv",
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("no organization.csv here"));
}

#[test]
fn an_empty_file_is_an_error() {
    let dir = std::env::temp_dir().join(format!("weaver-cordis-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("project.csv"), "").unwrap();
    std::fs::write(dir.join("organization.csv"), "").unwrap();
    let err = read_cordis(&dir).unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        matches!(
            err,
            CordisError::Empty {
                file: "organization.csv"
            }
        ),
        "{err}"
    );
}

#[test]
fn the_csv_subfolder_of_an_unpacked_zip_is_found() {
    let dir = std::env::temp_dir().join(format!("weaver-cordis-sub-{}", std::process::id()));
    let sub = dir.join("csv");
    std::fs::create_dir_all(&sub).unwrap();
    for file in ["project.csv", "organization.csv"] {
        std::fs::copy(fixture("h2020-horizon").join(file), sub.join(file)).unwrap();
    }
    let result = read_cordis(&dir).map(|d| d.builder.finish(&|_, _| false));
    std::fs::remove_dir_all(&dir).unwrap();
    let package = result.unwrap().unwrap();
    assert_eq!(package.table("projects").unwrap().rows.len(), 6);
}
