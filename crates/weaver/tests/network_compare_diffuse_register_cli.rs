//! `weaver network compare --cluster ID --period-before P1 --period-after P2`
//! (and `--all-clusters`) and `weaver network diffuse --cluster ID --period
//! P`: the register forms give what the file forms give on the edge lists the
//! register holds in those periods, written out here by hand.

use std::path::Path;

mod common;
use common::{ok as stdout, text, weaver, write};

/// Cluster c1 = {o1, o2, o3} and, from 2022, o4; cluster c2 = {o3, o5}.
///
/// | tie | kind | valid | weight |
/// |---|---|---|---|
/// | o1–o2 | contract | 2019– | 2 |
/// | o1–o2 | supply | 2022– | 1 |
/// | o1–o3 | co_patent | 2023– | 1 |
/// | o2–o3 | contract | 2019–2021 | 1 |
/// | o3–o4 | supply | 2022– | 1 |
/// | o3–o5 | contract | 2019– | 1 |
///
/// So in 2020 c1 has the ties o1–o2 (2) and o2–o3 (1); in 2024 o1–o2 twice
/// (2 and 1, merged to 3), o1–o3 and o3–o4. The files below are those edge
/// lists, in the order the register gives them (by source, target, kind), so
/// that the nodes come in the same order (every member has a tie).
fn register(dir: &Path) {
    write(
        dir,
        "pkg/organizations.csv",
        "id,name,actor_type,region\n\
         o1,One,enterprise,R1\no2,Two,university,R1\no3,Three,research,R2\n\
         o4,Four,enterprise,R2\no5,Five,finance,R3\n",
    );
    write(
        dir,
        "pkg/clusters.csv",
        "id,name,region\nc2,Second,R2\nc1,First,R1\n",
    );
    write(
        dir,
        "pkg/memberships.csv",
        "cluster,org,tier,since\nc1,o1,core,\nc1,o2,core,\nc1,o3,partner,\n\
         c1,o4,core,2022\nc2,o3,core,\nc2,o5,core,\n",
    );
    write(
        dir,
        "pkg/ties.csv",
        "source,target,kind,start,end,weight\n\
         o1,o2,contract,2019,,2\no1,o2,supply,2022,,1\no1,o3,co_patent,2023,,1\n\
         o2,o3,contract,2019,2021,1\no3,o4,supply,2022,,1\no3,o5,contract,2019,,1\n",
    );
    let o = weaver(dir, &["import", "pkg"]);
    assert!(o.status.success(), "{}", text(&o));
    write(
        dir,
        "c1-2020.csv",
        "source,target,weight\no1,o2,2\no2,o3,1\n",
    );
    write(
        dir,
        "c1-2024.csv",
        "source,target,weight\no1,o2,2\no1,o2,1\no1,o3,1\no3,o4,1\n",
    );
    write(dir, "c2.csv", "source,target,weight\no3,o5,1\n");
}

#[test]
fn compare_on_the_register_is_compare_on_the_period_edge_lists() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    register(p);
    let reg = stdout(&weaver(
        p,
        &[
            "network",
            "compare",
            "--cluster",
            "c1",
            "--period-before",
            "2020",
            "--period-after",
            "2024",
            "--ties-out",
            "reg-ties.csv",
        ],
    ));
    let files = stdout(&weaver(
        p,
        &[
            "network",
            "compare",
            "--before",
            "c1-2020.csv",
            "--after",
            "c1-2024.csv",
            "--ties-out",
            "file-ties.csv",
        ],
    ));
    assert_eq!(reg, files);
    let ties = std::fs::read_to_string(p.join("reg-ties.csv")).unwrap();
    assert_eq!(
        ties,
        std::fs::read_to_string(p.join("file-ties.csv")).unwrap()
    );
    // The changes follow from the validity dates alone: o1–o2 goes from 2 to
    // 2 + 1, o2–o3 ends in 2021, o1–o3 and o3–o4 start after 2020.
    assert_eq!(
        ties,
        "source,target,change,weight_before,weight_after\n\
         o1,o2,strengthened,2,3\no1,o3,new,,1\no2,o3,dropped,1,\no3,o4,new,,1\n"
    );
    // o4 joins in 2022; degrees in 2020: o1 1, o2 2, o3 1; in 2024: 2, 1, 2, 1.
    let rows: Vec<Vec<&str>> = reg
        .lines()
        .skip(1)
        .map(|l| l.split(',').take(5).collect())
        .collect();
    assert_eq!(
        rows,
        [
            ["o1", "stayed", "1", "2", "1"],
            ["o2", "stayed", "2", "1", "-1"],
            ["o3", "stayed", "1", "2", "1"],
            ["o4", "entrant", "", "1", ""],
        ]
    );
}

#[test]
fn compare_all_clusters_stacks_the_one_cluster_tables() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    register(p);
    let periods = ["--period-before", "2020", "--period-after", "2024"];
    let mut args = vec![
        "network",
        "compare",
        "--all-clusters",
        "--ties-out",
        "all-ties.csv",
    ];
    args.extend(periods);
    let all = stdout(&weaver(p, &args));
    let all_ties = std::fs::read_to_string(p.join("all-ties.csv")).unwrap();
    // c2's only tie o3–o5 holds in both periods; the file form on it.
    let c2 = stdout(&weaver(
        p,
        &[
            "network",
            "compare",
            "--before",
            "c2.csv",
            "--after",
            "c2.csv",
            "--ties-out",
            "c2-ties.csv",
        ],
    ));
    let c2_ties = std::fs::read_to_string(p.join("c2-ties.csv")).unwrap();
    assert_eq!(c2_ties.lines().nth(1), Some("o3,o5,unchanged,1,1"));
    let mut expected = String::new();
    let mut expected_ties = String::new();
    for c in ["c1", "c2"] {
        let mut args = vec![
            "network",
            "compare",
            "--cluster",
            c,
            "--ties-out",
            "one-ties.csv",
        ];
        args.extend(periods);
        let one = stdout(&weaver(p, &args));
        let one_ties = std::fs::read_to_string(p.join("one-ties.csv")).unwrap();
        if c == "c2" {
            assert_eq!(one, c2);
            assert_eq!(one_ties, c2_ties);
        }
        for (acc, table) in [(&mut expected, &one), (&mut expected_ties, &one_ties)] {
            if acc.is_empty() {
                acc.push_str(&format!("cluster,{}\n", table.lines().next().unwrap()));
            }
            for line in table.lines().skip(1) {
                acc.push_str(&format!("{c},{line}\n"));
            }
        }
    }
    assert_eq!(all, expected);
    assert_eq!(all_ties, expected_ties);
    // JSON: one entry per cluster id, each the one-cluster JSON.
    let mut args = vec!["--json", "network", "compare", "--all-clusters"];
    args.extend(periods);
    let v: serde_json::Value = serde_json::from_str(&stdout(&weaver(p, &args))).unwrap();
    assert_eq!(
        v.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["c1", "c2"]
    );
    let mut args = vec!["--json", "network", "compare", "--cluster", "c2"];
    args.extend(periods);
    let one: serde_json::Value = serde_json::from_str(&stdout(&weaver(p, &args))).unwrap();
    assert_eq!(v["c2"], one);
}

#[test]
fn diffuse_on_the_register_is_diffuse_on_the_period_edge_list() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    register(p);
    for (period, file) in [("2020", "c1-2020.csv"), ("2024", "c1-2024.csv")] {
        let reg = stdout(&weaver(
            p,
            &[
                "network",
                "diffuse",
                "--cluster",
                "c1",
                "--period",
                period,
                "--seed",
                "7",
            ],
        ));
        let files = stdout(&weaver(
            p,
            &["network", "diffuse", "--edges", file, "--seed", "7"],
        ));
        assert_eq!(reg, files, "{period}");
        // Agents and distinct ties: 3 and 2 in 2020; 4 and 3 in 2024 (the
        // two o1–o2 ties are one edge). No rewiring on a given network.
        let row: Vec<&str> = reg.lines().nth(1).unwrap().split(',').collect();
        let expected = if period == "2020" {
            ["cowan-jonard", "3", "2", ""]
        } else {
            ["cowan-jonard", "4", "3", ""]
        };
        assert_eq!(row[..4], expected, "{period}");
        let cascade = |source: &[&str]| {
            let mut args = vec![
                "network", "diffuse", "--model", "cascade", "--runs", "200", "--seed", "7",
            ];
            args.extend_from_slice(source);
            stdout(&weaver(p, &args))
        };
        let reg = cascade(&["--cluster", "c1", "--period", period]);
        assert_eq!(reg, cascade(&["--edges", file]), "{period}");
        assert_eq!(reg.lines().count(), 1 + row[1].parse::<usize>().unwrap());
    }
}

#[test]
fn register_forms_of_compare_and_diffuse_refuse_bad_input() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    register(p);
    let fails = |args: &[&str], code: i32, says: &str| {
        let o = weaver(p, args);
        assert_eq!(o.status.code(), Some(code), "{args:?}: {}", text(&o));
        assert!(o.stdout.is_empty(), "{args:?}: {}", text(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    };
    let compare = ["network", "compare"];
    let both = ["--period-before", "2020", "--period-after", "2024"];
    // Unknown cluster, bad periods: errors naming the cluster or the flag.
    fails(
        &[&compare[..], &["--cluster", "nope"], &both[..]].concat(),
        1,
        "cannot read cluster nope from the register",
    );
    fails(
        &[
            &compare[..],
            &[
                "--cluster",
                "c1",
                "--period-before",
                "2020-13",
                "--period-after",
                "2024",
            ],
        ]
        .concat(),
        1,
        "--period-before: period must be a year (2024), a quarter (2024-Q3) or a month (2024-07), not '2020-13'",
    );
    fails(
        &[
            &compare[..],
            &[
                "--all-clusters",
                "--period-before",
                "2020",
                "--period-after",
                "later",
            ],
        ]
        .concat(),
        1,
        "--period-after: period must be a year (2024), a quarter (2024-Q3) or a month (2024-07), not 'later'",
    );
    fails(
        &[
            "network",
            "diffuse",
            "--cluster",
            "c1",
            "--period",
            "2024-Q5",
        ],
        1,
        "--period: period must be a year (2024), a quarter (2024-Q3) or a month (2024-07), not '2024-Q5'",
    );
    fails(
        &["network", "diffuse", "--cluster", "nope"],
        1,
        "cannot read cluster nope from the register",
    );
    // The other register forms check the period as well (it used to be
    // taken as no period at all).
    fails(
        &["network", "summary", "--cluster", "c1", "--period", "24"],
        1,
        "--period: period must be a year (2024), a quarter (2024-Q3) or a month (2024-07), not '24'",
    );
    fails(
        &["network", "summary", "--all-clusters", "--period", "2024-7"],
        1,
        "--period: period must be a year (2024), a quarter (2024-Q3) or a month (2024-07), not '2024-7'",
    );
    // Files and the register do not mix; the register form needs both periods.
    fails(
        &[
            &compare[..],
            &[
                "--cluster",
                "c1",
                "--before",
                "c1-2020.csv",
                "--after",
                "c1-2024.csv",
            ],
            &both[..],
        ]
        .concat(),
        2,
        "cannot be used with",
    );
    fails(
        &[
            &compare[..],
            &["--cluster", "c1", "--period-before", "2020"],
        ]
        .concat(),
        2,
        "--period-after",
    );
    fails(
        &[
            &compare[..],
            &["--before", "c1-2020.csv", "--after", "c1-2024.csv"],
            &both[..],
        ]
        .concat(),
        2,
        "--period-before",
    );
    fails(
        &[
            "network",
            "diffuse",
            "--cluster",
            "c1",
            "--edges",
            "c1-2024.csv",
        ],
        2,
        "cannot be used with",
    );
    fails(
        &["network", "diffuse", "--cluster", "c1", "--ring", "10"],
        2,
        "cannot be used with",
    );
    fails(
        &["network", "diffuse", "--ring", "10", "--period", "2024"],
        2,
        "cannot be used with",
    );
    fails(
        &[
            "network",
            "diffuse",
            "--edges",
            "c1-2024.csv",
            "--period",
            "2024",
        ],
        2,
        "cannot be used with",
    );
    fails(
        &[
            &compare[..],
            &[
                "--before",
                "c1-2020.csv",
                "--after",
                "c1-2024.csv",
                "--period-after",
                "2024",
            ],
        ]
        .concat(),
        2,
        "cannot be used with",
    );
}
