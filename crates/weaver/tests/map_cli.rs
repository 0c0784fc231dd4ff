//! `weaver map …` end to end: the binary on small files in a temp dir.
//! Expected values are worked by hand in the comments, or come from the
//! engine's `ecomplexity` fixture.

use std::path::{Path, PathBuf};

mod common;
use common::{ok, run as weaver, stderr, write};

/// Rows of a CSV text as vectors of strings, header first.
fn parse(text: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    r.records()
        .map(|x| x.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn f(s: &str) -> f64 {
    s.parse().unwrap()
}

/// Five regions, categories A and B; A = 10, 20, 30, 40, 50 of 100 jobs each.
fn five_regions(dir: &Path) -> PathBuf {
    let mut s = String::from("region,industry,year,employment\n");
    for (i, a) in [10, 20, 30, 40, 50].iter().enumerate() {
        s.push_str(&format!(
            "R{},A,2020,{a}\nR{},B,2020,{}\n",
            i + 1,
            i + 1,
            100 - a
        ));
    }
    write(dir, "activity.csv", &s)
}

#[test]
fn clusters_cmp_hand_worked() {
    let dir = tempfile::tempdir().unwrap();
    let a = five_regions(dir.path());
    let out = weaver(&["map", "clusters", "--activity", a.to_str().unwrap()]);
    let rows = parse(&ok(&out));
    assert!(stderr(&out).contains("establishments condition of cmp is dropped"));
    assert_eq!(
        rows[0],
        [
            "region",
            "category",
            "year",
            "employment",
            "establishments",
            "lq",
            "qualifying",
            "significant",
            "strong",
            "strong10"
        ]
    );
    assert_eq!(rows.len(), 11);
    // A: LQ = a/30; P25(E) = 20, so R1, R2 are in no class; LQ P25 = 2/3,
    // P50 = 1, P75 = 4/3, P90 = 23/15.
    // B: LQ = (100 - a)/70; P25(E) = 60, so R4, R5 are out; P75 = 8/7, P90 = 1.2286.
    let expect = [
        ("R1", "A", 1.0 / 3.0, [false, false, false, false]),
        ("R1", "B", 90.0 / 70.0, [true, true, true, true]),
        ("R2", "A", 2.0 / 3.0, [false, false, false, false]),
        ("R2", "B", 80.0 / 70.0, [true, true, true, false]),
        ("R3", "A", 1.0, [true, false, false, false]),
        ("R3", "B", 1.0, [true, false, false, false]),
        ("R4", "A", 4.0 / 3.0, [true, true, true, false]),
        ("R4", "B", 60.0 / 70.0, [false, false, false, false]),
        ("R5", "A", 5.0 / 3.0, [true, true, true, true]),
        ("R5", "B", 50.0 / 70.0, [false, false, false, false]),
    ];
    for (row, (r, c, lq, classes)) in rows[1..].iter().zip(expect) {
        assert_eq!(
            (row[0].as_str(), row[1].as_str(), row[2].as_str()),
            (r, c, "2020")
        );
        assert_eq!(row[4], "", "no establishments column: empty cell");
        assert!((f(&row[5]) - lq).abs() < 1e-12, "{r} {c}: {}", row[5]);
        let got: Vec<bool> = row[6..].iter().map(|x| x == "true").collect();
        assert_eq!(got, classes, "{r} {c}");
    }
}

#[test]
fn clusters_percentiles_hand_worked() {
    let dir = tempfile::tempdir().unwrap();
    // Five regions as in five_regions, and R6 with no A and 50 jobs in B.
    let mut s = String::from("region,industry,year,employment\n");
    for (i, a) in [10, 20, 30, 40, 50].iter().enumerate() {
        s.push_str(&format!(
            "R{0},A,2020,{a}\nR{0},B,2020,{1}\n",
            i + 1,
            100 - a
        ));
    }
    s.push_str("R6,A,2020,0\nR6,B,2020,50\n");
    let a = write(dir.path(), "activity.csv", &s);
    let out = weaver(&[
        "map",
        "clusters",
        "--activity",
        a.to_str().unwrap(),
        "--percentiles",
    ]);
    let rows = parse(&ok(&out));
    assert_eq!(rows[0][10..], ["lq_percentile", "employment_percentile"]);
    // Percentile ranks on numpy's scale, 100 (m - 1)/(n - 1) with m the
    // number of peers at or below, among regions with employment > 0:
    // A: five peers (R6 has none), LQ and employment both rise R1 → R5.
    // B: six peers; LQ = share of B in the region / 400/550, rising
    // R5 (0.5) < R4 < R3 < R2 < R1 (0.9) < R6 (1); employment 90, 80, 70,
    // 60, 50, 50: the tied 50s both get (2 - 1)/5 = 20.
    let expect = [
        ("R1", "A", "0", "0"),
        ("R1", "B", "80", "100"),
        ("R2", "A", "25", "25"),
        ("R2", "B", "60", "80"),
        ("R3", "A", "50", "50"),
        ("R3", "B", "40", "60"),
        ("R4", "A", "75", "75"),
        ("R4", "B", "20", "40"),
        ("R5", "A", "100", "100"),
        ("R5", "B", "0", "20"),
        ("R6", "A", "", ""),
        ("R6", "B", "100", "20"),
    ];
    assert_eq!(rows.len(), expect.len() + 1);
    for (row, (r, c, lq, emp)) in rows[1..].iter().zip(expect) {
        assert_eq!((row[0].as_str(), row[1].as_str()), (r, c));
        assert_eq!((row[10].as_str(), row[11].as_str()), (lq, emp), "{r} {c}");
        // Strong clusters are at or above the 75th percentile of LQ.
        if row[8] == "true" {
            assert!(f(&row[10]) >= 75.0, "{r} {c}");
        }
    }
    // Without the option the columns are not there.
    let out = weaver(&["map", "clusters", "--activity", a.to_str().unwrap()]);
    assert_eq!(parse(&ok(&out))[0].len(), 10);
}

#[test]
fn clusters_with_definitions_eco_quadrant_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "a.csv",
        "region,industry,year,employment,establishments\n\
         R1,a1,2020,30,3\nR1,a2,2020,30,3\nR1,b,2020,40,4\n\
         R2,a1,2020,5,1\nR2,b,2020,95,9\n\
         R1,a1,2021,40,3\nR1,a2,2021,30,3\nR1,b,2021,30,4\n\
         R2,a1,2021,5,1\nR2,b,2021,95,9\n",
    );
    let d = write(
        dir.path(),
        "d.csv",
        "industry,category,type\na1,Auto,traded\na2,Auto,traded\nb,Retail,local\n",
    );
    let (a, d) = (a.to_str().unwrap(), d.to_str().unwrap());
    // Auto is the only traded category: its same-type LQ is 1 everywhere
    // (R2's traded employment is all Auto); Retail likewise among local.
    let out = ok(&weaver(&[
        "map",
        "clusters",
        "--activity",
        a,
        "--definitions",
        d,
        "--method",
        "quadrant",
    ]));
    let rows = parse(&out);
    assert_eq!(rows[0].last().unwrap(), "quadrant");
    assert_eq!(rows[1][..4], ["R1", "Auto", "2020", "60"]);
    assert_eq!(rows[1][4], "6");
    assert_eq!(rows[1][5], "1");
    assert_eq!(rows[1][6], "", "first year has no quadrant");
    assert_eq!(rows[5][..2], ["R1", "Auto"]);
    assert_eq!(rows[5][6], "mature", "LQ 1, unchanged: not rising");
    // eco with --json: Auto in R1 2020 has 60 of R1's 100 jobs (focus top),
    // the largest employment (size); LQ 1 < 2.
    let out = ok(&weaver(&[
        "--json",
        "map",
        "clusters",
        "--activity",
        a,
        "--definitions",
        d,
        "--method",
        "eco",
    ]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["category"], "Auto");
    assert_eq!(v[0]["size_star"], true);
    assert_eq!(v[0]["specialisation_star"], false);
    assert_eq!(v[0]["focus_star"], true);
    assert_eq!(v[0]["stars"], 2);
    assert_eq!(v[0]["establishments"], 6.0);
}

#[test]
fn strength_growth_and_related() {
    let dir = tempfile::tempdir().unwrap();
    let a = five_regions(dir.path());
    let a = a.to_str().unwrap();
    let out = weaver(&["map", "strength", "--activity", a]);
    let rows = parse(&ok(&out));
    assert!(stderr(&out).contains("no category is typed traded"));
    assert_eq!(
        rows[0],
        [
            "region",
            "year",
            "traded_employment",
            "strong_employment",
            "strength",
            "strong_clusters"
        ]
    );
    // R1: B (90 jobs) strong → 0.9; R3: none → 0; R4: A (40) → 0.4.
    assert_eq!(rows[1], ["R1", "2020", "100", "90", "0.9", "1"]);
    assert_eq!(rows[3], ["R3", "2020", "100", "0", "0", "0"]);
    assert_eq!(rows[4], ["R4", "2020", "100", "40", "0.4", "1"]);
    // Related: with two categories A and B are perfectly anti-correlated.
    let rows = parse(&ok(&weaver(&["map", "related", "--activity", a])));
    assert_eq!(rows[0], ["category", "related", "correlation", "rank"]);
    assert_eq!(rows[1][..2], ["A", "B"]);
    assert!((f(&rows[1][2]) + 1.0).abs() < 1e-12);
    // Growth between two years.
    let g = write(
        dir.path(),
        "g.csv",
        "region,industry,year,employment\nR1,A,2010,60\nR2,A,2010,40\nR1,B,2010,100\nR1,A,2015,100\nR2,A,2015,50\nR1,B,2015,110\n",
    );
    let rows = parse(&ok(&weaver(&[
        "map",
        "growth",
        "--activity",
        g.to_str().unwrap(),
    ])));
    assert_eq!(rows[1][..7], ["R1", "A", "2010", "2015", "60", "100", "40"]);
    // Nation's A grew 50%: expected 30, job creation 10.
    assert!((f(&rows[1][8]) - 30.0).abs() < 1e-9);
    assert!((f(&rows[1][11]) - 10.0).abs() < 1e-9);
}

#[test]
fn complexity_writes_every_table_and_matches_ecomplexity() {
    let fixture = weaver_testkit::json_fixture("weaver-mapping", "complexity_small.json");
    let regions = fixture["regions"].as_array().unwrap();
    let industries = fixture["industries"].as_array().unwrap();
    let mut s = String::from("region,industry,year,employment\n");
    for (i, r) in regions.iter().enumerate() {
        for (j, p) in industries.iter().enumerate() {
            let v = fixture["values"][i][j].as_f64().unwrap();
            s.push_str(&format!(
                "{},{},2020,{v}\n",
                r.as_str().unwrap(),
                p.as_str().unwrap()
            ));
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.csv", &s);
    let out_dir = dir.path().join("cx");
    ok(&weaver(&[
        "map",
        "complexity",
        "--activity",
        a.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--top",
        "3",
    ]));
    for name in [
        "rca",
        "proximity",
        "density",
        "eci",
        "pci",
        "coi",
        "cog",
        "next",
    ] {
        assert!(out_dir.join(format!("{name}.csv")).exists(), "{name}.csv");
    }
    let eci = parse(&std::fs::read_to_string(out_dir.join("eci.csv")).unwrap());
    assert_eq!(eci[0], ["region", "eci", "diversity"]);
    for (i, row) in eci[1..].iter().enumerate() {
        match fixture["eci"][i].as_f64() {
            Some(want) => assert!(
                (f(&row[1]) - want).abs() < 1e-9,
                "{}: {} vs {want}",
                row[0],
                row[1]
            ),
            None => assert_eq!(row[1], "", "dropped region has no ECI"),
        }
    }
    let next = parse(&std::fs::read_to_string(out_dir.join("next.csv")).unwrap());
    assert_eq!(
        next[0],
        ["region", "rank", "industry", "density", "pci", "cog"]
    );
    assert!(next.len() > 1);
}

#[test]
fn suppressed_cells_are_filled_from_parents() {
    let dir = tempfile::tempdir().unwrap();
    // 31 = 100 in R1; 311 = 40; 312 and 313 suppressed → 30 each.
    let a = write(
        dir.path(),
        "a.csv",
        "region,industry,year,employment\nR1,31,2020,100\nR1,311,2020,40\nR1,312,2020,\nR1,313,2020,\nR2,311,2020,10\n",
    );
    let d = write(
        dir.path(),
        "d.csv",
        "industry,cluster,type\n311,X,traded\n312,Y,traded\n313,Y,traded\n",
    );
    let out = weaver(&[
        "map",
        "clusters",
        "--activity",
        a.to_str().unwrap(),
        "--definitions",
        d.to_str().unwrap(),
    ]);
    let rows = parse(&ok(&out));
    assert!(stderr(&out).contains("filled 2 suppressed"));
    assert!(stderr(&out).contains("1 activity row(s) with an industry in no cluster definition"));
    // The definitions' former column name is read, with a notice.
    assert!(
        stderr(&out).contains("the column 'cluster' is read as 'category'"),
        "{}",
        stderr(&out)
    );
    assert_eq!(rows[1][..4], ["R1", "X", "2020", "40"]);
    assert_eq!(rows[2][..4], ["R1", "Y", "2020", "60"]);
}

#[test]
fn bad_input_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "bad.csv",
        "region,industry,year,employment\nR1,A,2020,5\nR1,B,2020,abc\n",
    );
    let out = weaver(&["map", "clusters", "--activity", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let e = stderr(&out);
    assert!(
        e.contains("bad.csv: line 3, column employment") && e.contains("\"abc\""),
        "{e}"
    );

    let missing = write(dir.path(), "m.csv", "region,industry,employment\nR1,A,5\n");
    let e = stderr(&weaver(&[
        "map",
        "clusters",
        "--activity",
        missing.to_str().unwrap(),
    ]));
    assert!(e.contains("m.csv: missing column year"), "{e}");

    let dup = write(
        dir.path(),
        "dup.csv",
        "region,industry,year,employment\nR1,A,2020,5\nR1,A,2020,6\n",
    );
    let e = stderr(&weaver(&[
        "map",
        "clusters",
        "--activity",
        dup.to_str().unwrap(),
    ]));
    assert!(
        e.contains("dup.csv: line 3") && e.contains("appears twice"),
        "{e}"
    );

    let a = five_regions(dir.path());
    let d = write(
        dir.path(),
        "d.csv",
        "industry,category,type\nA,X,traded\nB,Y,tradable\n",
    );
    let e = stderr(&weaver(&[
        "map",
        "clusters",
        "--activity",
        a.to_str().unwrap(),
        "--definitions",
        d.to_str().unwrap(),
    ]));
    assert!(
        e.contains("d.csv: line 3, column type: expected traded or local"),
        "{e}"
    );

    let empty = write(dir.path(), "e.csv", "");
    let out = weaver(&["map", "clusters", "--activity", empty.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("e.csv"));

    let kinds = write(
        dir.path(),
        "k.csv",
        "region,industry,year,employment,kind\nR1,A,2020,5,state\nC1,A,2020,5,county\n",
    );
    let e = stderr(&weaver(&[
        "map",
        "related",
        "--activity",
        kinds.to_str().unwrap(),
    ]));
    assert!(e.contains("choose one with --kind"), "{e}");
}

#[test]
fn hierarchy_and_benchmark_files() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "a.csv",
        "region,industry,year,employment,kind\nc1,A,2020,10,county\nc1,B,2020,10,county\nc2,A,2020,30,county\nc2,B,2020,50,county\n",
    );
    let h = write(
        dir.path(),
        "h.csv",
        "region,parent,kind\nc1,S,state\nc2,S,state\n",
    );
    let b = write(
        dir.path(),
        "b.csv",
        "industry,year,employment\nA,2020,100\nB,2020,300\n",
    );
    let out = weaver(&[
        "map",
        "clusters",
        "--activity",
        a.to_str().unwrap(),
        "--hierarchy",
        h.to_str().unwrap(),
        "--benchmark",
        b.to_str().unwrap(),
    ]);
    let rows = parse(&ok(&out));
    assert_eq!(rows.len(), 7);
    // c1/A: (10/20) / (100/400) = 2; the state S sums its counties: A = 40 of 100,
    // LQ (40/100) / (100/400) = 1.6.
    assert_eq!(rows[1][..4], ["c1", "A", "2020", "10"]);
    assert!((f(&rows[1][5]) - 2.0).abs() < 1e-12);
    assert_eq!(rows[5][..4], ["S", "A", "2020", "40"]);
    assert!((f(&rows[5][5]) - 1.6).abs() < 1e-12);
    // A hierarchy whose parent also has rows is refused with its place.
    let bad = write(dir.path(), "h2.csv", "region,parent\nc1,c2\n");
    let e = stderr(&weaver(&[
        "map",
        "clusters",
        "--activity",
        a.to_str().unwrap(),
        "--hierarchy",
        bad.to_str().unwrap(),
    ]));
    assert!(e.contains("a.csv: line 4") && e.contains("parent"), "{e}");
    // A benchmark with a bad number names its file.
    let bb = write(
        dir.path(),
        "bb.csv",
        "industry,year,employment\nA,2020,-5\n",
    );
    let e = stderr(&weaver(&[
        "map",
        "clusters",
        "--activity",
        a.to_str().unwrap(),
        "--benchmark",
        bb.to_str().unwrap(),
    ]));
    assert!(e.contains("bb.csv: line 2, column employment"), "{e}");
}
