//! The CORDIS adapter against hand-written fixtures laid out as CORDIS
//! publishes them (`tests/fixtures/cordis/`, made by `make_fixtures.py`
//! there): every mapped value is checked exactly.

use std::path::PathBuf;

use weaver_core::{Package, Value};
use weaver_io::cordis::{CordisError, Layout, read_cordis};

fn fixture(name: &str) -> PathBuf {
    weaver_testkit::fixture("weaver-io", &format!("cordis/{name}"))
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

/// The dump of `folder` (made by `make_gaps.py`): its layout, its warnings as
/// text and the package, which must be accepted.
fn gap_dump(folder: &str) -> (Layout, Vec<String>, Package) {
    let dump = read_cordis(&fixture(folder)).expect("readable");
    let warnings = dump.warnings.iter().map(ToString::to_string).collect();
    match dump.builder.finish(&|_, _| false) {
        Ok(p) => (dump.layout, warnings, p),
        Err(e) => panic!("{e}"),
    }
}

fn has_row(p: &Package, table: &str, key: &str) -> bool {
    let t = p.table(table).unwrap();
    let pos = t.schema.key_positions()[0];
    t.rows.iter().any(|r| r[pos].to_text() == key)
}

/// Asserts the warnings are exactly `expected`, in order.
fn assert_warnings(actual: &[String], expected: &[&str]) {
    for (i, e) in expected.iter().enumerate() {
        assert_eq!(
            actual.get(i).map(String::as_str),
            Some(*e),
            "warning {i} of\n{actual:#?}"
        );
    }
    assert_eq!(actual.len(), expected.len(), "{actual:#?}");
}

#[test]
fn a_horizon_europe_dump_with_every_gap_imports_whole_with_its_warnings() {
    let (layout, warnings, p) = gap_dump("gaps-horizon-europe");
    assert_eq!(layout, Layout::HorizonEurope);
    assert!(
        p.notices[0].contains("are of the Horizon Europe layout"),
        "{:?}",
        p.notices
    );
    // 18 project specs twice (one line, then a three-line objective); the
    // one without id and the repeated one are left out. 22 participation
    // rows twice, less the one without project id and the one without
    // organisation id.
    assert_eq!(
        p.counts(),
        vec![
            ("programmes", 2),
            ("organizations", 32),
            ("projects", 32),
            ("participations", 40),
            ("funding", 28),
        ]
    );
    assert_warnings(
        &warnings,
        &[
            "project.csv, column startDate: the start date is empty; the project has no start — 6 rows, first at rows 3, 4, 5, 21, 22, …",
            "project.csv, column startDate: no start date; the funding year is the year of ecSignatureDate — 4 rows, first at rows 3, 6, 21, 24",
            "project.csv, column startDate: no start or signature date; the funding year is the year of endDate — 2 rows, first at rows 4, 22",
            "project.csv, column endDate: the end date is empty; the project has no end — 2 rows, first at rows 5, 23",
            "project.csv, column startDate: no start, signature or end date, so no funding year; the project has no funding row — 2 rows, first at rows 5, 23",
            "project.csv, column startDate: not a date (YYYY-MM-DD or DD/MM/YYYY); the project has no start — 2 rows, first at rows 6, 24",
            "project.csv, column endDate: not a date (YYYY-MM-DD or DD/MM/YYYY); the project has no end — 2 rows, first at rows 7, 25",
            "project.csv, column totalCost: the total cost is empty; the project has no budget — 2 rows, first at rows 8, 26",
            "project.csv, column totalCost: not an amount (zero or more); the project has no budget — 2 rows, first at rows 9, 27",
            "project.csv, column ecMaxContribution: the EU contribution is empty; the sum of its participations' ecContribution is the funding amount — 2 rows, first at rows 10, 28",
            "project.csv, column ecMaxContribution: the EU contribution is empty and no participation has one; the project has no funding row — 2 rows, first at rows 11, 29",
            "project.csv, column ecMaxContribution: not an amount (zero or more); the sum of its participations' ecContribution is the funding amount — 2 rows, first at rows 12, 30",
            "project.csv, column frameworkProgramme: the framework programme is empty; it is read from the start of legalBasis, masterCall, subCall, call, topics or programme — 2 rows, first at rows 13, 31",
            "project.csv, column frameworkProgramme: the framework programme is empty and no code names one; the funding row has no programme — 2 rows, first at rows 14, 32",
            "project.csv, column title: the title is empty; the acronym, else 'CORDIS project <id>', is used — 4 rows, first at rows 15, 16, 33, 34",
            "project.csv, column id: the project id is empty; the project is left out — 2 rows, first at rows 17, 35",
            "project.csv, column id: the project id is on an earlier row too; this row is left out — 2 rows, first at rows 18, 36",
            "project.csv, column ecSignatureDate: not a date (YYYY-MM-DD or DD/MM/YYYY); the cell is not used — 2 rows, first at rows 19, 37",
            "organization.csv, column projectID: the project id is empty; the participation is left out — 2 rows, first at rows 7, 29",
            "organization.csv, column organisationID: the organisation id is empty; the participation is left out — 2 rows, first at rows 8, 30",
            "organization.csv, column activityType: the organization has no activity type on any row; it is typed OTH (other): intermediary — 4 rows, first at rows 9, 10, 31, 32",
            "organization.csv, column activityType: not a CORDIS activity type (PRC, HES, REC, PUB, OTH); the cell is not used — 2 rows, first at rows 10, 32",
            "organization.csv, column SME: the organization has no SME flag on any row; its size is left empty — 4 rows, first at rows 11, 12, 33, 34",
            "organization.csv, column SME: not true or false; the cell is not used — 2 rows, first at rows 12, 34",
            "organization.csv, column nutsCode: the organization has no NUTS code on any row; its region is left empty — 2 rows, first at rows 13, 35",
            "organization.csv, column country: the organization has no country on any row; its country is left empty — 2 rows, first at rows 14, 36",
            "organization.csv, column ecContribution: the EU contribution is empty; the participation has no contribution — 2 rows, first at rows 15, 37",
            "organization.csv, column ecContribution: not an amount (zero or more); the participation has no contribution — 2 rows, first at rows 16, 38",
            "organization.csv, column role: the role is empty; the participation is an associate's — 2 rows, first at rows 17, 39",
            "organization.csv, column name: the organization has no name on any row; its short name, else 'PIC <id>', is used — 4 rows, first at rows 18, 19, 40, 41",
            "organization.csv, column name: the organization has another name on an earlier row; the earlier name is kept — 2 rows, first at rows 20, 42",
            "organization.csv, column vatNumber: an organization of another organisation id has the same VAT number; the two are kept apart, not merged — 3 rows, first at rows 21, 24, 43",
        ],
    );
    for variant in [100_000, 200_000] {
        let project = |n: u32| format!("cordis-{}", variant + n);
        let funding = |n: u32| row(&p, "funding", &[&project(n)]);
        // Derived funding years: signature date, end date; none: no row.
        assert_eq!(get(&funding(1), "year"), "2019");
        assert_eq!(get(&funding(1), "amount"), "800000.5");
        assert_eq!(get(&funding(2), "year"), "2018");
        assert_eq!(get(&row(&p, "projects", &[&project(2)]), "start"), "");
        assert_eq!(get(&funding(3), "year"), "2022");
        assert_eq!(get(&funding(5), "year"), "2018");
        assert!(has_row(&p, "projects", &project(4)));
        assert!(!has_row(&p, "funding", &project(4)));
        assert_eq!(get(&row(&p, "projects", &[&project(4)]), "end"), "");
        assert_eq!(get(&row(&p, "projects", &[&project(6)]), "end"), "");
        assert_eq!(get(&row(&p, "projects", &[&project(7)]), "budget"), "");
        assert_eq!(get(&row(&p, "projects", &[&project(8)]), "budget"), "");
        // Derived amounts: the participations' sums.
        assert_eq!(get(&funding(9), "amount"), "400000");
        assert!(!has_row(&p, "funding", &project(10)));
        assert_eq!(get(&funding(11), "amount"), "123456.5");
        // Derived programme, or none.
        assert_eq!(get(&funding(12), "programme"), "HORIZON");
        assert_eq!(get(&funding(13), "programme"), "");
        assert_eq!(get(&funding(13), "amount"), "800000.5");
        // Derived titles.
        assert_eq!(get(&row(&p, "projects", &[&project(14)]), "title"), "P14");
        assert_eq!(
            get(&row(&p, "projects", &[&project(15)]), "title"),
            format!("CORDIS project {}", variant + 15)
        );
        assert_eq!(get(&funding(18), "year"), "2019");
        // The repeated id keeps its first row.
        assert_eq!(
            get(&row(&p, "projects", &[&project(1)]), "title"),
            format!("Project 1 of variant {}", variant / 100_000)
        );

        let pic = |k: u32| format!("pic-{}", 910_000_000 + variant / 10 + k);
        let org = |k: u32| row(&p, "organizations", &[&pic(k)]);
        // A: first name kept, VAT as identifier, SME.
        assert_eq!(get(&org(0), "name"), "ALPHA GMBH");
        assert_eq!(
            get(&org(0), "identifiers"),
            format!("pic:{};vat:DE811234567", 910_000_000 + variant / 10)
        );
        assert_eq!(get(&org(0), "size"), "sme");
        // D (no type) and E (bad type): OTH, intermediary.
        assert_eq!(get(&org(3), "actor_type"), "intermediary");
        assert_eq!(get(&org(4), "actor_type"), "intermediary");
        // F, G: no size; H: no region; I: no country.
        assert_eq!(get(&org(5), "size"), "");
        assert_eq!(get(&org(6), "size"), "");
        assert_eq!(get(&org(7), "region"), "");
        assert_eq!(get(&org(8), "country"), "");
        // M, N: names from the short name, else the PIC.
        assert_eq!(get(&org(12), "name"), "SHORTM");
        assert_eq!(
            get(&org(13), "name"),
            format!("PIC {}", 910_000_013 + variant / 10)
        );
        // P shares A's VAT number but stays its own organization.
        assert_eq!(get(&org(14), "name"), "PI SAME VAT");
        // Q: type, SME flag and NUTS code from its later row.
        assert_eq!(get(&org(15), "actor_type"), "university");
        assert_eq!(get(&org(15), "size"), "sme");
        assert_eq!(get(&org(15), "region"), "DEA45");

        let part = |n: u32, k: u32| row(&p, "participations", &[&project(n), &pic(k)]);
        assert_eq!(get(&part(1, 0), "role"), "coordinator");
        assert_eq!(get(&part(1, 9), "contribution"), "");
        assert_eq!(get(&part(1, 10), "contribution"), "");
        assert_eq!(get(&part(1, 11), "role"), "associate");
        assert_eq!(get(&part(7, 0), "contribution"), "100000");
    }
}

#[test]
fn a_first_edition_horizon_2020_dump_with_every_gap_imports_whole_with_its_warnings() {
    let (layout, warnings, p) = gap_dump("gaps-h2020");
    assert_eq!(layout, Layout::Horizon2020);
    assert!(
        p.notices[0].contains("are of the Horizon 2020 layout (first edition)"),
        "{:?}",
        p.notices
    );
    // No signature date: 17 project specs twice, less the two left out.
    assert_eq!(
        p.counts(),
        vec![
            ("programmes", 1),
            ("organizations", 32),
            ("projects", 30),
            ("participations", 40),
            ("funding", 26),
        ]
    );
    assert_warnings(
        &warnings,
        &[
            "project.csv, column startDate: the start date is empty; the project has no start — 6 rows, first at rows 3, 4, 5, 20, 21, …",
            "project.csv, column startDate: no start or signature date; the funding year is the year of endDate — 6 rows, first at rows 3, 4, 6, 20, 21, …",
            "project.csv, column endDate: the end date is empty; the project has no end — 2 rows, first at rows 5, 22",
            "project.csv, column startDate: no start, signature or end date, so no funding year; the project has no funding row — 2 rows, first at rows 5, 22",
            "project.csv, column startDate: not a date (YYYY-MM-DD or DD/MM/YYYY); the project has no start — 2 rows, first at rows 6, 23",
            "project.csv, column endDate: not a date (YYYY-MM-DD or DD/MM/YYYY); the project has no end — 2 rows, first at rows 7, 24",
            "project.csv, column totalCost: the total cost is empty; the project has no budget — 2 rows, first at rows 8, 25",
            "project.csv, column totalCost: not an amount (zero or more); the project has no budget — 2 rows, first at rows 9, 26",
            "project.csv, column ecMaxContribution: the EU contribution is empty; the sum of its participations' ecContribution is the funding amount — 2 rows, first at rows 10, 27",
            "project.csv, column ecMaxContribution: the EU contribution is empty and no participation has one; the project has no funding row — 2 rows, first at rows 11, 28",
            "project.csv, column ecMaxContribution: not an amount (zero or more); the sum of its participations' ecContribution is the funding amount — 2 rows, first at rows 12, 29",
            "project.csv, column frameworkProgramme: the framework programme is empty; it is read from the start of legalBasis, masterCall, subCall, call, topics or programme — 2 rows, first at rows 13, 30",
            "project.csv, column frameworkProgramme: the framework programme is empty and no code names one; the funding row has no programme — 2 rows, first at rows 14, 31",
            "project.csv, column title: the title is empty; the acronym, else 'CORDIS project <id>', is used — 4 rows, first at rows 15, 16, 32, 33",
            "project.csv, column id: the project id is empty; the project is left out — 2 rows, first at rows 17, 34",
            "project.csv, column id: the project id is on an earlier row too; this row is left out — 2 rows, first at rows 18, 35",
            "organization.csv, column projectID: the project id is empty; the participation is left out — 2 rows, first at rows 7, 29",
            "organization.csv, column organisationID: the organisation id is empty; the participation is left out — 2 rows, first at rows 8, 30",
            "organization.csv, column activityType: the organization has no activity type on any row; it is typed OTH (other): intermediary — 4 rows, first at rows 9, 10, 31, 32",
            "organization.csv, column activityType: not a CORDIS activity type (PRC, HES, REC, PUB, OTH); the cell is not used — 2 rows, first at rows 10, 32",
            "organization.csv, column country: the organization has no country on any row; its country is left empty — 2 rows, first at rows 14, 36",
            "organization.csv, column ecContribution: the EU contribution is empty; the participation has no contribution — 2 rows, first at rows 15, 37",
            "organization.csv, column ecContribution: not an amount (zero or more); the participation has no contribution — 2 rows, first at rows 16, 38",
            "organization.csv, column role: the role is empty; the participation is an associate's — 2 rows, first at rows 17, 39",
            "organization.csv, column name: the organization has no name on any row; its short name, else 'PIC <id>', is used — 4 rows, first at rows 18, 19, 40, 41",
            "organization.csv, column name: the organization has another name on an earlier row; the earlier name is kept — 2 rows, first at rows 20, 42",
            "organization.csv, column vatNumber: an organization of another organisation id has the same VAT number; the two are kept apart, not merged — 3 rows, first at rows 21, 24, 43",
        ],
    );
    for variant in [100_000, 200_000] {
        let project = |n: u32| format!("cordis-{}", variant + n);
        let funding = |n: u32| row(&p, "funding", &[&project(n)]);
        // No signature date in this layout: the end date's year.
        assert_eq!(get(&funding(2), "year"), "2021");
        assert_eq!(get(&funding(3), "year"), "2022");
        assert_eq!(get(&funding(5), "year"), "2021");
        assert!(!has_row(&p, "funding", &project(4)));
        assert_eq!(get(&funding(9), "amount"), "400000");
        assert_eq!(get(&funding(11), "amount"), "123456.5");
        // The call code names the programme.
        assert_eq!(get(&funding(12), "programme"), "H2020");
        assert_eq!(get(&funding(13), "programme"), "");
        let pic = |k: u32| format!("pic-{}", 910_000_000 + variant / 10 + k);
        let org = |k: u32| row(&p, "organizations", &[&pic(k)]);
        // The organisation id is read from `id`, the website from organizationUrl.
        assert_eq!(get(&org(0), "name"), "ALPHA GMBH");
        assert_eq!(get(&org(0), "website"), "http://example.org");
        // No SME flag or NUTS code in this layout.
        assert_eq!(get(&org(0), "size"), "");
        assert_eq!(get(&org(0), "region"), "");
        assert_eq!(get(&org(15), "actor_type"), "university");
        assert_eq!(get(&org(3), "actor_type"), "intermediary");
    }
}

#[test]
fn an_unknown_layout_lists_the_columns_expected() {
    let dir = std::env::temp_dir().join(format!("weaver-cordis-layout-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        fixture("h2020-horizon").join("project.csv"),
        dir.join("project.csv"),
    )
    .unwrap();
    std::fs::write(
        dir.join("organization.csv"),
        "project;org;role\n\"1\";\"2\";\"coordinator\"\n",
    )
    .unwrap();
    let err = read_cordis(&dir).unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        matches!(
            err,
            CordisError::UnknownLayout {
                file: "organization.csv",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "organization.csv, row 1: the header is of no CORDIS layout this reader knows; expected the Horizon Europe layout (columns projectID, organisationID, name, activityType, role) or the Horizon 2020 layout (first edition) (columns projectRcn, projectID, id, name, activityType, role); found project, org, role"
    );
}
