//! The register commands as a user runs them: import, export, stats, and
//! every class of bad input refused whole with its place named.

use std::path::{Path, PathBuf};

mod common;
use common::{binary, read_dir_sorted, text, weaver, write};

/// A valid package folder `pkg/` under `dir`.
fn good_package(dir: &Path) -> PathBuf {
    write(
        dir,
        "pkg/organizations.csv",
        "id,name,name_en,actor_type,size,identifiers,region,employees\n\
         o1,华为,Huawei,enterprise,large,uscc:914403001922038216,440300,207000\n\
         o2,清华大学,Tsinghua University,university,,,110000,\n\
         o3,\"Fraunhofer IPT, Aachen\",,research,,pic:999984059,DEA2D,500\n"
            .as_bytes(),
    );
    write(dir, "pkg/clusters.csv", "id,name,name_en,region,sectors,website_en,management_fte\nc1,深圳集群,Shenzhen cluster,440300,C39;I65,true,12.5\n".as_bytes());
    write(
        dir,
        "pkg/memberships.csv",
        b"cluster,org,tier,since\nc1,o1,core,2019-01-01\nc1,o2,partner,\n",
    );
    write(dir, "pkg/ties.csv", b"source,target,kind,start,weight,directed\no1,o2,contract,2020,2,false\no2,o3,co_publication,,0.1,\n");
    write(
        dir,
        "pkg/observations.csv",
        b"cluster,indicator,period,value\nc1,members,2024-Q3,2\n",
    );
    write(
        dir,
        "pkg/indicators.csv",
        b"id,name,direction\nmembers,Members,higher_better\n",
    );
    dir.join("pkg")
}

#[test]
fn folder_round_trip_is_byte_identical_and_reimport_changes_nothing() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    good_package(p);
    let o = weaver(p, &["import", "pkg"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("added 10"), "{}", text(&o));
    let o = weaver(p, &["import", "pkg"]);
    assert!(
        text(&o).contains("added 0, changed 0, left 10 alone"),
        "{}",
        text(&o)
    );
    assert!(weaver(p, &["export", "out1"]).status.success());
    let o = weaver(p, &["--db", "sqlite://second.db", "import", "out1"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        weaver(p, &["--db", "sqlite://second.db", "export", "out2"])
            .status
            .success()
    );
    let a = read_dir_sorted(&p.join("out1"));
    assert_eq!(a.len(), 16, "15 tables and datapackage.json");
    assert_eq!(a, read_dir_sorted(&p.join("out2")));
    let ties = String::from_utf8(std::fs::read(p.join("out1/ties.csv")).unwrap()).unwrap();
    assert_eq!(
        ties,
        "source,target,kind,start,end,weight,directed,visibility,citation\n\
         o1,o2,contract,2020,,2,false,cluster,pkg\n\
         o2,o3,co_publication,,,0.1,,cluster,pkg\n"
    );
    let dp: serde_json::Value =
        serde_json::from_slice(&std::fs::read(p.join("out1/datapackage.json")).unwrap()).unwrap();
    assert_eq!(dp["resources"].as_array().unwrap().len(), 15);
}

#[test]
fn zip_and_xlsx_round_trips_keep_their_contents() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    good_package(p);
    assert!(weaver(p, &["import", "pkg"]).status.success());
    assert!(weaver(p, &["export", "out.zip"]).status.success());
    assert!(weaver(p, &["export", "out.xlsx"]).status.success());
    assert!(weaver(p, &["export", "ref"]).status.success());
    for (i, file) in ["out.zip", "out.xlsx"].iter().enumerate() {
        let db = format!("sqlite://rt{i}.db");
        let o = weaver(p, &["--db", &db, "import", file]);
        assert!(o.status.success(), "{file}: {}", text(&o));
        let folder = format!("back{i}");
        assert!(
            weaver(p, &["--db", &db, "export", &folder])
                .status
                .success()
        );
        let (mut a, mut b) = (
            read_dir_sorted(&p.join("ref")),
            read_dir_sorted(&p.join(&folder)),
        );
        // The package name in datapackage.json is the export's, not the file's.
        a.retain(|(n, _)| n != "datapackage.json");
        b.retain(|(n, _)| n != "datapackage.json");
        assert_eq!(a, b, "{file}");
    }
    // A zip of the same register is the same bytes.
    assert!(weaver(p, &["export", "again.zip"]).status.success());
    assert_eq!(
        std::fs::read(p.join("out.zip")).unwrap(),
        std::fs::read(p.join("again.zip")).unwrap()
    );
}

#[test]
fn dry_run_reports_and_writes_nothing() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    good_package(p);
    let o = weaver(p, &["import", "pkg", "--dry-run", "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["dry_run"], true);
    assert_eq!(v["tables"][0]["table"], "organizations");
    assert_eq!(v["tables"][0]["added"], 3);
    let o = weaver(p, &["stats", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["organizations"], 0);
}

/// Imports `pkg/` after `setup` broke it; asserts the refusal names every
/// expected problem and the register is unchanged.
fn refused(setup: impl FnOnce(&Path), expected: &[&str]) {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    good_package(p);
    assert!(weaver(p, &["import", "pkg"]).status.success());
    assert!(weaver(p, &["export", "before"]).status.success());
    setup(&p.join("pkg"));
    let o = weaver(p, &["import", "pkg"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("nothing was changed"), "{out}");
    for e in expected {
        assert!(out.contains(e), "missing «{e}» in:\n{out}");
    }
    assert!(!out.contains("panicked"), "{out}");
    assert!(weaver(p, &["export", "after"]).status.success());
    assert_eq!(
        read_dir_sorted(&p.join("before")),
        read_dir_sorted(&p.join("after"))
    );
}

#[test]
fn unknown_table_and_column_and_missing_required_column() {
    refused(
        |pkg| {
            write(pkg, "members.csv", b"id\nx\n");
            write(pkg, "projects.csv", b"id,colour\npr1,red\n");
        },
        &[
            "members.csv: unknown table 'members'",
            "projects.csv, row 1, column colour: unknown column",
            "projects.csv, row 1, column title: required column 'title' is missing",
        ],
    );
}

#[test]
fn duplicate_id_bad_enum_date_number_and_every_problem_together() {
    refused(
        |pkg| {
            write(
                pkg,
                "organizations.csv",
                b"id,name,actor_type,founded,employees\n\
                  o1,A,enterprise,2001,10\n\
                  o1,B,enterprise,2002,10\n\
                  o5,C,firm,2003,10\n\
                  o6,D,user,2023-02-30,10\n\
                  o7,E,user,2001,ten\n",
            );
        },
        &[
            "the package was refused with 4 problems",
            "organizations.csv, row 3, column id: duplicate id 'o1'; it is already on row 2",
            "organizations.csv, row 4, column actor_type: 'firm' is not one of: government, enterprise",
            "organizations.csv, row 5, column founded: '2023-02-30' is not a valid date",
            "organizations.csv, row 6, column employees: 'ten' is not a whole number",
        ],
    );
}

#[test]
fn control_characters_bidi_ids_bad_addresses_and_negative_counts_are_refused_at_their_place() {
    refused(
        |pkg| {
            write(
                pkg,
                "organizations.csv",
                "id,name,actor_type,website,employees\n\
                 o1,\"A\u{1b}[31m\",enterprise,,\n\
                 o2,B\u{0},university,javascript:alert(1),-1\n\
                 o3\u{202E},C,research,,\n"
                    .as_bytes(),
            );
        },
        &[
            "organizations.csv, row 2, column name: character 2 of the text is a control character (U+001B)",
            "organizations.csv, row 3, column name: character 2 of the text is a control character (U+0000)",
            "organizations.csv, row 3, column website: 'javascript:alert(1)' is not a web address",
            "organizations.csv, row 3, column employees: '-1' is not zero or more",
            "organizations.csv, row 4, column id: 'o3\\u{202e}' is not a valid id: character 3 is a bidirectional control (U+202E)",
        ],
    );
}

#[test]
fn a_descriptor_giving_a_key_twice_is_refused() {
    refused(
        |pkg| {
            write(
                pkg,
                "datapackage.json",
                br#"{"name": "p", "resources": [{"name": "organizations", "path": "organizations.csv", "path": "ties.csv"}]}"#,
            );
        },
        &["datapackage.json: is not valid JSON: the key \"path\" is given twice"],
    );
}

#[test]
fn tabs_and_line_breaks_in_short_text_become_spaces_with_a_note() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    write(
        p,
        "pkg/organizations.csv",
        b"id,name,actor_type,website\nx1,\"Two\r\nlines\",user,www.x1.example\nx2,Tab\there,user,\n",
    );
    let o = weaver(p, &["import", "pkg"]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(
        out.contains(
            "organizations.csv: 2 short text cells held tabs or line breaks, now spaces \
             (the first: row 2, column name)"
        ),
        "{out}"
    );
    assert!(weaver(p, &["export", "out"]).status.success());
    let csv = std::fs::read_to_string(p.join("out/organizations.csv")).unwrap();
    assert!(csv.contains("x1,Two lines,,user,"), "{csv}");
    assert!(csv.contains("x2,Tab here,,user,"), "{csv}");
}

#[test]
fn a_value_its_indicator_does_not_accept_is_refused_at_its_place() {
    refused(
        |pkg| {
            write(
                pkg,
                "indicators.csv",
                b"id,name,direction,min_value,integer_only\nmembers,Members,higher_better,0,true\n",
            );
            write(
                pkg,
                "observations.csv",
                b"cluster,indicator,period,value\nc1,members,2024-Q3,2\nc1,members,2024-Q4,-1\n\
                  c1,members,2025-Q1,2.5\n",
            );
        },
        &[
            "observations.csv, row 3, column value: members: -1 is below the indicator's minimum 0 \
             (it accepts 0 or more)",
            "observations.csv, row 4, column value: members: 2.5 is not a whole number (the \
             indicator counts whole units)",
        ],
    );
}

#[test]
fn a_jump_from_the_previous_period_is_imported_with_a_warning() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    good_package(p);
    assert!(weaver(p, &["import", "pkg"]).status.success());
    write(
        &p.join("pkg"),
        "observations.csv",
        b"cluster,indicator,period,value\nc1,members,2024-Q3,2\nc1,members,2024-Q4,20\n",
    );
    let o = weaver(p, &["import", "pkg"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains(
            "warning: observations.csv, row 3: c1: members: 20 is more than 3 times 2 in 2024-Q3 \
             (×10.00, a jump to confirm); imported as given"
        ),
        "{}",
        text(&o)
    );
    let o = weaver(p, &["import", "pkg", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["warnings"], serde_json::json!([]), "judged once: {v}");
}

#[test]
fn reference_to_an_unknown_id() {
    refused(
        |pkg| {
            write(pkg, "ties.csv", b"source,target,kind\no1,o404,supply\n");
        },
        &[
            "ties.csv, row 2, column target: 'o404' is not the id of any row of organizations in this package or in the register",
        ],
    );
}

#[test]
fn references_to_the_register_are_enough() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    good_package(p);
    assert!(weaver(p, &["import", "pkg"]).status.success());
    write(p, "more/ties.csv", b"source,target,kind\no1,o3,license\n");
    let o = weaver(p, &["import", "more"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("added 1"), "{}", text(&o));
}

#[test]
fn empty_file_and_too_long_cell() {
    refused(
        |pkg| {
            write(pkg, "projects.csv", b"");
            let long = "x".repeat(1001);
            write(
                pkg,
                "clusters.csv",
                format!("id,name,region\nc1,{long},440300\n").as_bytes(),
            );
        },
        &[
            "projects.csv: the file is empty; expected a header row with the columns of projects",
            "clusters.csv, row 2, column name: the text is 1001 characters long; at most 1000 are allowed here",
        ],
    );
}

#[test]
fn truncated_zip_and_damaged_workbook() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    good_package(p);
    assert!(weaver(p, &["import", "pkg"]).status.success());
    assert!(weaver(p, &["export", "full.zip"]).status.success());
    assert!(weaver(p, &["export", "full.xlsx"]).status.success());
    for (src, dst) in [("full.zip", "cut.zip"), ("full.xlsx", "cut.xlsx")] {
        let bytes = std::fs::read(p.join(src)).unwrap();
        std::fs::write(p.join(dst), &bytes[..bytes.len() / 2]).unwrap();
        let o = weaver(p, &["--db", "sqlite://fresh.db", "import", dst]);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        assert!(
            text(&o).contains(&format!("{dst}: is not a readable")),
            "{}",
            text(&o)
        );
    }
    let o = weaver(p, &["--db", "sqlite://fresh.db", "stats", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["organizations"], 0);
}

#[test]
fn unusual_but_valid_files_are_read() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    // CR-only line ends, a UTF-8 byte order mark, CRLF, and GB18030 as Excel in China writes it.
    write(
        p,
        "pkg/organizations.csv",
        b"\xEF\xBB\xBFid,name,actor_type\ro1,Acme,enterprise\ro2,Beta,user\r",
    );
    write(
        p,
        "pkg/clusters.csv",
        b"id,name,region\r\nc1,Cluster,440300\r\n",
    );
    let (gbk, _, _) = encoding_rs::GB18030.encode("cluster,org,tier\nc1,o1,core\n");
    write(p, "pkg/memberships.csv", &gbk);
    let (gbk_orgs, _, _) =
        encoding_rs::GB18030.encode("id,name,actor_type\no3,深圳市人民政府,government\n");
    write(p, "gbk/organizations.csv", &gbk_orgs);
    let o = weaver(p, &["import", "pkg"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("added 4"), "{}", text(&o));
    let o = weaver(p, &["import", "gbk"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("decoded as GB18030 (GBK)"),
        "{}",
        text(&o)
    );
    assert!(weaver(p, &["export", "out"]).status.success());
    let orgs = std::fs::read_to_string(p.join("out/organizations.csv")).unwrap();
    assert!(orgs.contains("o3,深圳市人民政府,,government"), "{orgs}");
}

#[test]
fn the_problem_list_is_capped_and_the_rest_counted() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let mut csv = String::from("id,name,actor_type\n");
    for i in 0..250 {
        csv.push_str(&format!("o{i},N,robot\n"));
    }
    write(p, "pkg/organizations.csv", csv.as_bytes());
    let o = weaver(p, &["import", "pkg", "--max-problems", "5"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(out.contains("250 problems"), "{out}");
    assert!(out.contains("… and 245 more"), "{out}");
}

#[test]
fn usage_errors_exit_with_2_and_help_has_examples() {
    let d = tempfile::tempdir().unwrap();
    let o = weaver(d.path(), &["import"]);
    assert_eq!(o.status.code(), Some(2));
    for sub in ["init", "import", "export", "stats"] {
        let o = weaver(d.path(), &[sub, "--help"]);
        assert!(o.status.success());
        assert!(
            text(&o).contains("Example"),
            "{sub} --help has no example:\n{}",
            text(&o)
        );
    }
    let o = weaver(d.path(), &["import", "no/such/place"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("cannot read no/such/place"),
        "{}",
        text(&o)
    );
}

#[test]
fn engines_read_the_register() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    good_package(p);
    write(
        p,
        "pkg/clusters.csv",
        "id,name,region\nc1,深圳集群,440300\nc2,Second,320500\n".as_bytes(),
    );
    write(
        p,
        "pkg/observations.csv",
        b"cluster,indicator,period,value\nc1,members,2024,10\nc2,members,2024,20\n",
    );
    write(
        p,
        "pkg/regional_activity.csv",
        b"region,industry,year,employment\nA,X,2023,30\nA,Y,2023,70\nB,X,2023,10\nB,Y,2023,90\n",
    );
    assert!(weaver(p, &["import", "pkg"]).status.success());
    // LQ of A in X = (30 / 100) / (40 / 200) = 1.5; of B in X = 0.5.
    let o = weaver(p, &["--json", "map", "clusters", "--from-register"]);
    assert!(o.status.success(), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let lq = |r: &str, c: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|x| x["region"] == r && x["category"] == c && x["classification"] == "unstated")
            .unwrap()["lq"]
            .as_f64()
    };
    assert!((lq("A", "X").unwrap() - 1.5).abs() < 1e-12);
    assert!((lq("B", "X").unwrap() - 0.5).abs() < 1e-12);
    // c1: o1 (member since 2019-01-01) and o2 (no date); tie o1-o2 from 2020.
    let o = weaver(p, &["--json", "network", "summary", "--cluster", "c1"]);
    assert!(o.status.success(), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (v[0]["nodes"].as_i64(), v[0]["edges"].as_i64()),
        (Some(2), Some(1))
    );
    let o = weaver(
        p,
        &[
            "--json",
            "network",
            "summary",
            "--cluster",
            "c1",
            "--period",
            "2018",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (v[0]["nodes"].as_i64(), v[0]["edges"].as_i64()),
        (Some(1), Some(0))
    );
    let o = weaver(p, &["network", "metrics", "--cluster", "nope"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("there is no clusters row with id 'nope'"),
        "{}",
        text(&o)
    );
    // Min-max to [0, 100] of 10 and 20: c2 scores 100 (rank 1), c1 scores 0.
    let o = weaver(
        p,
        &[
            "--json",
            "evaluate",
            "index",
            "--from-register",
            "--period",
            "2024",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let row = |u: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|r| r["unit"] == u)
            .unwrap()
            .clone()
    };
    assert_eq!(
        (row("c2")["score"].as_f64(), row("c2")["rank"].as_i64()),
        (Some(100.0), Some(1))
    );
    assert_eq!(
        (row("c1")["score"].as_f64(), row("c1")["rank"].as_i64()),
        (Some(0.0), Some(2))
    );

    // One signal of one period is too little to call a stage.
    let o = weaver(p, &["--json", "evaluate", "lifecycle", "--from-register"]);
    assert!(o.status.success(), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let units: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["unit"].as_str().unwrap())
        .collect();
    assert_eq!(units, ["c1", "c2"]);
    assert_eq!(v[0]["policy_stage"], "undetermined");
}

#[test]
fn utf16_and_semicolon_and_tab_separated_files_are_read() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    // UTF-16LE with a byte order mark, as Excel's "Unicode text" saves it.
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "id,name,actor_type\no1,苏州大学,university\n".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    write(p, "pkg/organizations.csv", &utf16);
    write(
        p,
        "pkg/clusters.csv",
        b"id;name;region\nc1;Cluster;440300\n",
    );
    write(
        p,
        "pkg/memberships.csv",
        b"cluster\torg\ttier\nc1\to1\tcore\n",
    );
    let o = weaver(p, &["import", "pkg"]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("added 3"), "{out}");
    assert!(out.contains("decoded from UTF-16LE"), "{out}");
    assert!(out.contains("read as ;-separated"), "{out}");
    assert!(out.contains("read as tab-separated"), "{out}");
    assert!(weaver(p, &["export", "out"]).status.success());
    let orgs = std::fs::read_to_string(p.join("out/organizations.csv")).unwrap();
    assert!(orgs.contains("o1,苏州大学,,university"), "{orgs}");
}

#[test]
fn demo_makes_the_number_of_ties_asked_for() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let ties = |db: &str, extra: &[&str]| {
        let url = format!("sqlite://{db}");
        let mut args = vec![
            "--db",
            url.as_str(),
            "demo",
            "--organizations",
            "200",
            "--no-serve",
        ];
        args.extend_from_slice(extra);
        let o = weaver(p, &args);
        assert!(o.status.success(), "{}", text(&o));
        let o = weaver(p, &["--db", url.as_str(), "--json", "stats"]);
        assert!(o.status.success(), "{}", text(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["ties"].as_i64()
    };
    // The default is four ties per organization; --ties overrides it.
    assert_eq!(ties("default.db", &[]), Some(800));
    assert_eq!(ties("asked.db", &["--ties", "650"]), Some(650));
    let o = weaver(p, &["demo", "--ties", "many", "--no-serve"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("--ties"), "{}", text(&o));
}

#[test]
fn the_demo_imported_again_is_left_alone_and_one_changed_cell_is_found() {
    // Every table and every kind of value (booleans, numbers, dates, empty
    // key parts) read back from the register and matched to a package.
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let o = weaver(p, &["demo", "--organizations", "100", "--no-serve"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = weaver(p, &["--json", "stats"]);
    let stats: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let total: i64 = stats
        .as_object()
        .unwrap()
        .values()
        .filter_map(|n| n.as_i64())
        .sum();
    assert!(weaver(p, &["export", "out"]).status.success());
    let o = weaver(p, &["import", "out"]);
    // The rows of every table, and the demo's one boundaries document.
    let total = total + 1;
    assert!(
        text(&o).contains(&format!("added 0, changed 0, left {total} alone")),
        "{}",
        text(&o)
    );
    let ties = std::fs::read_to_string(p.join("out/ties.csv")).unwrap();
    let mut lines: Vec<&str> = ties.lines().collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let weight = header.iter().position(|c| *c == "weight").unwrap();
    let mut cells: Vec<String> = lines[1].split(',').map(str::to_owned).collect();
    cells[weight] = "123.25".into();
    let changed = cells.join(",");
    lines[1] = &changed;
    write(p, "out/ties.csv", (lines.join("\n") + "\n").as_bytes());
    let o = weaver(p, &["import", "out", "--dry-run"]);
    assert!(
        text(&o).contains(&format!("would change 1, leave {} alone", total - 1)),
        "{}",
        text(&o)
    );
}

#[test]
fn archives_past_the_caps_are_refused_whole() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    good_package(p);
    assert!(
        weaver(p, &["--db", "sqlite://src.db", "import", "pkg"])
            .status
            .success()
    );
    assert!(
        weaver(p, &["--db", "sqlite://src.db", "export", "out.zip"])
            .status
            .success()
    );
    assert!(
        weaver(p, &["--db", "sqlite://src.db", "export", "out.xlsx"])
            .status
            .success()
    );
    for file in ["out.zip", "out.xlsx"] {
        let o = weaver(p, &["import", file, "--max-entries", "2"]);
        assert!(!o.status.success(), "{file}: {}", text(&o));
        let t = text(&o);
        assert!(
            t.contains(file) && t.contains("more than the cap of 2"),
            "{t}"
        );
        let o = binary()
            .current_dir(p)
            .env("WEAVER_MAX_ENTRIES", "2")
            .args(["import", file])
            .output()
            .unwrap();
        assert!(!o.status.success(), "{file}: {}", text(&o));
        // Refused before the register was even opened.
        if file == "out.zip" {
            assert!(!p.join("weaver.db").exists());
        }
        let o = weaver(p, &["import", file]);
        assert!(o.status.success(), "{file}: {}", text(&o));
    }
}

/// Regions and their boundaries travel with the package: imported, exported
/// back as written (folder and zip), imported again unchanged; a feature
/// of no known region is refused with the file named.
#[test]
fn regions_and_boundaries_round_trip() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    write(
        p,
        "pkg/regions.csv",
        "id,name,level,parent,country,lat,lon\nDE,Deutschland,country,,DE,,\nDED2,Dresden,NUTS 2,DE,DE,51.05,13.74\n"
            .as_bytes(),
    );
    let geojson = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\
                   \"properties\":{\"id\":\"DED2\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[13.74,51.05]}}]}\n";
    write(p, "pkg/regions.geojson", geojson.as_bytes());
    let o = weaver(p, &["import", "pkg"]);
    assert!(o.status.success(), "{}", text(&o));
    for out in ["out", "out.zip"] {
        assert!(weaver(p, &["export", out]).status.success());
    }
    assert_eq!(
        std::fs::read_to_string(p.join("out/regions.geojson")).unwrap(),
        geojson
    );
    let o = weaver(p, &["--db", "sqlite://second.db", "import", "out.zip"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        weaver(p, &["--db", "sqlite://second.db", "export", "out2"])
            .status
            .success()
    );
    assert_eq!(
        read_dir_sorted(&p.join("out")),
        read_dir_sorted(&p.join("out2"))
    );
    let o = weaver(p, &["import", "out"]);
    assert!(text(&o).contains("changed 0"), "{}", text(&o));

    write(
        p,
        "bad/regions.geojson",
        b"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"id\":\"FR10\"},\"geometry\":null}]}",
    );
    write(
        p,
        "bad/regions.csv",
        b"id,name,level,country\nDEA1,X,NUTS 2,DE\n",
    );
    let o = weaver(p, &["import", "bad"]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("regions.geojson: feature 'FR10': not the id of any row of regions"),
        "{}",
        text(&o)
    );
}

/// `map … --from-register` maps each country and classification on its
/// own (rows start with their section), `--benchmark` names the reference
/// area, and `map profile` gives a register cluster's own sectors. Worked
/// by hand: DE (NACE) DED2 C26 30 of 40, DE C26 60 of 100: LQ 1.25; CN
/// (GB/T) 320500 C26 100 of 200, CN C26 400 of 1000: LQ 1.25 too, but
/// pooled both would be 0.75/(460/1100) = 1.79 and 0.5/0.418 = 1.20.
#[test]
fn the_register_is_mapped_per_country_and_classification() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    write(
        p,
        "pkg/regions.csv",
        "id,name,level,parent,country\nDE,Deutschland,country,,DE\nDED2,Dresden,NUTS 2,DE,DE\nDEA1,Düsseldorf,NUTS 2,DE,DE\n"
            .as_bytes(),
    );
    write(
        p,
        "pkg/clusters.csv",
        b"id,name,region,sectors,sector_classification\nc1,Silicon Saxony,DED2,C26;G47,NACE\n",
    );
    write(
        p,
        "pkg/regional_activity.csv",
        b"region,industry,country,classification,year,employment\n\
          DED2,C26,,NACE Rev. 2,2024,30\nDED2,G47,,NACE Rev. 2,2024,10\n\
          DEA1,C26,,NACE Rev. 2,2024,30\nDEA1,G47,,NACE Rev. 2,2024,30\n\
          320500,C26,CN,GB/T 4754-2017,2024,100\n320500,C27,CN,GB/T 4754-2017,2024,100\n\
          440300,C26,CN,GB/T 4754-2017,2024,300\n440300,C27,CN,GB/T 4754-2017,2024,500\n",
    );
    let o = weaver(p, &["import", "pkg"]);
    assert!(o.status.success(), "{}", text(&o));
    let json = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let o = weaver(p, &all);
        assert!(o.status.success(), "{}", text(&o));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let v = json(&["map", "clusters", "--from-register"]);
    let lq = |v: &serde_json::Value, r: &str, c: &str| {
        let row = v
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["region"] == r && x["category"] == c)
            .unwrap_or_else(|| panic!("no {r} {c} in {v}"));
        (
            row["country"].as_str().unwrap().to_owned(),
            row["classification"].as_str().unwrap().to_owned(),
            (row["lq"].as_f64().unwrap() * 1e9).round() / 1e9,
        )
    };
    assert_eq!(
        lq(&v, "DED2", "C26"),
        ("DE".into(), "NACE Rev. 2".into(), 1.25)
    );
    assert_eq!(
        lq(&v, "320500", "C26"),
        ("CN".into(), "GB/T 4754-2017".into(), 1.25)
    );
    assert_eq!(lq(&v, "440300", "C26").2, 0.9375);
    assert_eq!(
        v[0]["reference_area"],
        "CN: the sum of its 2 regions in the register"
    );
    // Against Dresden's own activity: Düsseldorf's G47 (30/60)/(10/40) = 2.
    let v = json(&["map", "clusters", "--from-register", "--benchmark", "DED2"]);
    assert_eq!(lq(&v, "DEA1", "G47").2, 2.0);
    assert!(v.as_array().unwrap().iter().all(|r| r["region"] != "DED2"));
    // The cluster's own sectors in its region, against Germany.
    let v = json(&["map", "profile", "--cluster", "c1"]);
    let sectors: Vec<(&str, f64)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["sector"].as_str().unwrap(), r["lq"].as_f64().unwrap()))
        .collect();
    assert_eq!(sectors, [("C26", 1.25), ("G47", 0.625)]);
    let o = weaver(
        p,
        &["map", "clusters", "--from-register", "--benchmark", "ZZ"],
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("--benchmark"), "{}", text(&o));
    assert!(
        text(&o).contains("neither a country nor a region"),
        "{}",
        text(&o)
    );
}
