//! The package checks' tests: keys, references, folded text, parallel
//! checking and the problems each bad row gets.

use super::*;

fn header(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|s| s.to_string()).collect()
}

fn none(_: &str, _: &str) -> bool {
    false
}

/// Starts table `name` of `b`, read from `file`, with these columns.
fn table<'b>(b: &'b mut PackageBuilder, name: &str, file: &str, cols: &[&str]) -> TableBuilder<'b> {
    b.table(name, file, &header(cols)).unwrap()
}

#[test]
fn a_good_package_is_checked_and_defaults_applied() {
    let mut b = PackageBuilder::new("demo-pkg");
    {
        let mut t = table(
            &mut b,
            "organizations",
            "organizations.csv",
            &["id", "name", "actor_type"],
        );
        t.push_row(2, &["o1", "Acme", "Enterprise"]);
        t.push_row(3, &["o2", "Uni", "university"]);
    }
    {
        let mut t = table(
            &mut b,
            "ties",
            "ties.csv",
            &["source", "target", "kind", "weight"],
        );
        t.push_row(2, &["o1", "o2", "contract", "2.50"]);
    }
    let p = b.finish(&none).unwrap();
    let orgs = p.table("organizations").unwrap();
    assert_eq!(orgs.rows[0][3], Value::Text("enterprise".into()));
    let vis = orgs.schema.position("visibility").unwrap();
    assert_eq!(orgs.rows[0][vis], Value::Text("public".into()));
    let src = orgs.schema.position("source").unwrap();
    assert_eq!(orgs.rows[1][src], Value::Text("demo-pkg".into()));
    let ties = p.table("ties").unwrap();
    assert_eq!(ties.rows[0][5], Value::Float(2.5));
    assert!(!ties.present[3], "start was not given");
}

#[test]
fn every_problem_is_named_with_its_place() {
    let mut b = PackageBuilder::new("p");
    assert!(
        b.table("members", "members.csv", &header(&["id"]))
            .is_none()
    );
    assert!(
        b.table("projects", "projects.csv", &header(&["id", "colour"]))
            .is_none()
    );
    {
        let mut t = table(
            &mut b,
            "organizations",
            "organizations.csv",
            &["id", "name", "actor_type", "founded"],
        );
        t.push_row(2, &["o1", "A", "firm", "2020"]);
        t.push_row(3, &["o2", "B", "enterprise", "2020-02-30"]);
        t.push_row(4, &["o3", "", "enterprise", ""]);
        t.push_row(5, &["o4", "D", "enterprise", ""]);
        t.push_row(6, &["o4", "E", "enterprise", ""]);
        t.push_row(7, &["o5", "F"]);
    }
    {
        let mut t = table(
            &mut b,
            "memberships",
            "memberships.csv",
            &["cluster", "org", "tier"],
        );
        t.push_row(2, &["c9", "o4", "core"]);
    }
    let err = b.finish(&none).unwrap_err();
    let text = err.to_string();
    for expected in [
        "members.csv: unknown table 'members'",
        "projects.csv, row 1, column colour: unknown column",
        "projects.csv, row 1, column title: required column 'title' is missing",
        "organizations.csv, row 2, column actor_type: 'firm' is not one of: government",
        "organizations.csv, row 3, column founded: '2020-02-30' is not a valid date",
        "organizations.csv, row 4, column name: name is required here",
        "organizations.csv, row 6, column id: duplicate id 'o4'; it is already on row 5",
        "organizations.csv, row 7: the row has 2 cells; the header has 4",
        "memberships.csv, row 2, column cluster: 'c9' is not the id of any row of clusters",
    ] {
        assert!(text.contains(expected), "missing «{expected}» in\n{text}");
    }
    assert_eq!(err.0.total(), 9, "{text}");
}

#[test]
fn references_of_a_big_table_are_checked_in_row_order() {
    let mut b = PackageBuilder::new("p").with_problem_limit(100);
    {
        let mut t = table(
            &mut b,
            "organizations",
            "o.csv",
            &["id", "name", "actor_type"],
        );
        for i in 0..1_000 {
            t.push_row(i + 2, &[format!("o{i}"), format!("Org {i}"), "user".into()]);
        }
    }
    {
        let mut t = table(
            &mut b,
            "ties",
            "t.csv",
            &["source", "target", "kind", "start"],
        );
        for i in 0..PARALLEL_ROWS + 10_000 {
            // Every 7,919th tie comes from an organization of no package;
            // "r…" ones are in the register.
            let source = match i % 7_919 {
                0 => format!("ghost{i}"),
                1 => format!("r{i}"),
                _ => format!("o{}", i % 1_000),
            };
            // Never the source: 1 to 999 further on.
            let target = format!("o{}", (i % 1_000 + 1 + (i / 1_000) % 999) % 1_000);
            t.push_row(
                i + 2,
                &[
                    source,
                    target,
                    "supply".into(),
                    format!("{}", 1_000 + i % 9_000),
                ],
            );
        }
    }
    let in_register = |table: &str, id: &str| table == "organizations" && id.starts_with('r');
    let err = b.finish(&in_register).unwrap_err();
    let rows: Vec<Option<usize>> = err.0.list().iter().map(|p| p.row).collect();
    let expected: Vec<Option<usize>> = (0..PARALLEL_ROWS + 10_000)
        .filter(|i| i % 7_919 == 0)
        .map(|i| Some(i + 2))
        .collect();
    assert_eq!(rows, expected, "{err}");
    assert!(
        err.to_string().contains(
            "t.csv, row 7921, column source: 'ghost7919' is not the id of any row of organizations"
        ),
        "{err}"
    );
}

#[test]
fn references_to_the_register_are_accepted() {
    let mut b = PackageBuilder::new("p");
    {
        let mut t = table(&mut b, "memberships", "m.csv", &["cluster", "org", "tier"]);
        t.push_row(2, &["c1", "o1", "core"]);
    }
    let in_register = |table: &str, id: &str| {
        (table, id) == ("clusters", "c1") || (table, id) == ("organizations", "o1")
    };
    assert!(b.finish(&in_register).is_ok());
}

#[test]
fn breaks_in_short_text_become_spaces_other_controls_are_refused_at_their_place() {
    let mut b = PackageBuilder::new("p");
    {
        let mut t = table(
            &mut b,
            "organizations",
            "o.csv",
            &["id", "name", "actor_type", "website", "employees"],
        );
        t.push_row(2, &["a", "Acme\r\n\tMachines", "user", "", ""]);
        t.push_row(3, &["b", "B", "user", "https://b.example", "12"]);
        t.push_row(4, &["c", "C\tCo", "user", "", ""]);
    }
    let pkg = b.finish(&none).unwrap();
    let rows = &pkg.table("organizations").unwrap().rows;
    assert_eq!(rows[0][1], Value::Text("Acme Machines".into()));
    assert_eq!(rows[2][1], Value::Text("C Co".into()));
    assert_eq!(
        pkg.notices,
        [
            "o.csv: 2 short text cells held tabs or line breaks, now spaces \
          (the first: row 2, column name)"
        ]
    );

    let mut b = PackageBuilder::new("p");
    {
        let mut t = table(
            &mut b,
            "organizations",
            "o.csv",
            &["id", "name", "actor_type", "website", "employees"],
        );
        t.push_row(2, &["a", "Acme\u{0}", "user", "", ""]);
        t.push_row(
            3,
            &["b", "\u{1b}[31mB", "user", "javascript:alert(1)", "-1"],
        );
        t.push_row(4, &["c\u{202E}", "C", "user", "", ""]);
        t.push_row(5, &["d", "D", "user", "", ""]);
    }
    let text = b.finish(&none).unwrap_err().to_string();
    for expected in [
        "o.csv, row 2, column name: character 5 of the text is a control character (U+0000)",
        "o.csv, row 3, column name: character 1 of the text is a control character (U+001B)",
        "o.csv, row 3, column website: 'javascript:alert(1)' is not a web address",
        "o.csv, row 3, column employees: '-1' is not zero or more",
        "o.csv, row 4, column id: 'c\\u{202e}' is not a valid id: character 2 is a bidirectional control (U+202E)",
    ] {
        assert!(text.contains(expected), "missing «{expected}» in {text}");
    }

    // Rows entered one by one (the API) refuse breaks in short text too.
    let mut b = PackageBuilder::new("").refusing_breaks();
    {
        let mut t = table(
            &mut b,
            "organizations",
            "request body",
            &["id", "name", "actor_type"],
        );
        t.push_row(1, &["a", "A\tB", "user"]);
    }
    let text = b.finish(&none).unwrap_err().to_string();
    assert!(
        text.contains("column name: character 2 of the text is a control character (U+0009)"),
        "{text}"
    );
}

#[test]
fn natural_keys_with_empty_parts_are_duplicates_and_dates_are_ordered() {
    let mut b = PackageBuilder::new("p");
    {
        let mut t = table(
            &mut b,
            "organizations",
            "o.csv",
            &["id", "name", "actor_type"],
        );
        t.push_row(2, &["a", "A", "user"]);
        t.push_row(3, &["b", "B", "user"]);
    }
    {
        let mut t = table(
            &mut b,
            "ties",
            "ties.csv",
            &["source", "target", "kind", "start", "end"],
        );
        t.push_row(2, &["a", "b", "supply", "", ""]);
        t.push_row(3, &["a", "b", "supply", " ", ""]);
        t.push_row(4, &["a", "b", "license", "2022", "2021"]);
        t.push_row(5, &["a", "a", "other", "", ""]);
    }
    let text = b.finish(&none).unwrap_err().to_string();
    assert!(text.contains("ties.csv, row 3, column source: duplicate row: (source, target, kind, start) is already on row 2"), "{text}");
    assert!(
        text.contains("ties.csv, row 4, column end: end 2021 is before start 2022"),
        "{text}"
    );
    assert!(
        text.contains(
            "ties.csv, row 5, column target: a tie must join two different organizations"
        ),
        "{text}"
    );
}

#[test]
fn regions_classifications_and_boundaries_are_checked() {
    let mut b = PackageBuilder::new("p");
    {
        let mut t = table(
            &mut b,
            "regions",
            "regions.csv",
            &["id", "name", "level", "parent", "country", "lat", "lon"],
        );
        t.push_row(2, &["DE", "Deutschland", "country", "", "DE", "51", "10"]);
        t.push_row(
            3,
            &["DED2", "Dresden", "NUTS 2", "DE", "DE", "51.05", "13.74"],
        );
        t.push_row(4, &["DEX", "X", "NUTS 2", "DEZ", "de", "91", "-181"]);
        t.push_row(5, &["DEY", "Y", "NUTS 2", "DEY", "DEU", "", ""]);
        t.push_row(6, &["FRK2", "Rhône-Alpes", "NUTS 2", "FR", "FR", "", ""]);
    }
    {
        let mut t = table(
            &mut b,
            "regional_activity",
            "ra.csv",
            &[
                "region",
                "industry",
                "country",
                "classification",
                "year",
                "employment",
            ],
        );
        t.push_row(2, &["DED2", "C26", "DE", "nace rev 2", "2024", "10"]);
        t.push_row(3, &["DED2", "C27", "DE", "SITC", "2024", "10"]);
        t.push_row(4, &["DED2", "C28", "Germany", "", "2024", "10"]);
    }
    b.boundaries(Boundaries {
        origin: "regions.geojson".into(),
        document: "{}".into(),
        ids: vec!["DED2".into(), "XX1".into(), "DED2".into()],
    });
    let in_register = |table: &str, id: &str| (table, id) == ("regions", "FR");
    let text = b.finish(&in_register).unwrap_err().to_string();
    for expected in [
        "regions.csv, row 4, column country: 'de' is not an ISO 3166-1 alpha-2 country code",
        "regions.csv, row 4, column lat: lat 91 is not between -90 and 90",
        "regions.csv, row 4, column lon: lon -181 is not between -180 and 180",
        "regions.csv, row 5, column country: 'DEU' is not an ISO 3166-1 alpha-2",
        "ra.csv, row 3, column classification: 'SITC' is not a known industry classification; the classifications are: GB/T 4754-2017",
        "ra.csv, row 4, column country: 'Germany' is not an ISO 3166-1 alpha-2",
        "regions.geojson: region 'DED2' has two features",
        "regions.geojson: feature 'XX1': not the id of any row of regions",
    ] {
        assert!(text.contains(expected), "missing «{expected}» in\n{text}");
    }
    // Row 5 is its own parent (refused with its country, as one row);
    // FRK2's parent FR is in the register; DE is in the package.
    assert!(!text.contains("row 6"), "{text}");
    assert!(!text.contains("row 3, column parent"), "{text}");

    let mut b = PackageBuilder::new("p");
    {
        let mut t = table(
            &mut b,
            "regions",
            "regions.csv",
            &["id", "name", "level", "parent", "country"],
        );
        t.push_row(2, &["DEY", "Y", "NUTS 2", "DEY", "DE"]);
        t.push_row(3, &["DEZ", "Z", "NUTS 2", "DE0", "DE"]);
    }
    {
        let mut t = table(
            &mut b,
            "clusters",
            "clusters.csv",
            &["id", "name", "region", "sectors", "sector_classification"],
        );
        t.push_row(2, &["c1", "C", "DEZ", "C26;C27", "NACE"]);
    }
    let err = b.finish(&none).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("regions.csv, row 2, column parent: a region cannot be its own parent"),
        "{text}"
    );
    assert!(text.contains("regions.csv, row 3, column parent: 'DE0' is not the id of any row of regions in this package or in the register"), "{text}");
    assert_eq!(err.0.total(), 2, "{text}");

    let mut b = PackageBuilder::new("p");
    {
        let mut t = table(
            &mut b,
            "clusters",
            "clusters.csv",
            &["id", "name", "region", "sector_classification"],
        );
        t.push_row(2, &["c1", "C", "DEZ", "gb/t 4754"]);
    }
    let pkg = b.finish(&none).unwrap();
    let c = pkg.table("clusters").unwrap();
    let pos = c.schema.position("sector_classification").unwrap();
    assert_eq!(c.rows[0][pos], Value::Text("GB/T 4754-2017".into()));
}
