//! `weaver evaluate` on the register: the indicators it computes (`auto.*`)
//! against a small register worked by hand, labels and policy effect from
//! the register, and every command on the demo register.

use std::path::Path;

mod common;
use common::{text, weaver, write};

fn json(dir: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let o = weaver(dir, &all);
    assert!(o.status.success(), "{args:?}: {}", text(&o));
    serde_json::from_slice::<serde_json::Value>(&o.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// Cluster c1: o1, o2, o6 enterprises (o2 from March 2015, o6 from 2020),
/// o3 university (2016), o4 research (2021), o5 government (2015 to June
/// 2019); c2: o9. Ties, projects and funding as in the comments of the
/// tests below.
fn small_register(dir: &Path) {
    write(
        dir,
        "pkg/organizations.csv",
        "id,name,actor_type\no1,One,enterprise\no2,Two,enterprise\no3,Three,university\n\
         o4,Four,research\no5,Five,government\no6,Six,enterprise\no9,Nine,enterprise\n",
    );
    write(
        dir,
        "pkg/clusters.csv",
        "id,name,region,country,founded,website_en,management_fte\nc1,First,440300,CN,2010,true,1.5\n\
         c2,Second,320500,CN,2012,false,\nc3,Third,320500,CN,2014,,\nc4,Fourth,320500,CN,2001,,\n",
    );
    write(
        dir,
        "pkg/memberships.csv",
        "cluster,org,tier,since,until\nc1,o1,core,2015,\nc1,o2,core,2015-03-01,\n\
         c1,o3,partner,2016,\nc1,o4,partner,2021,\nc1,o5,partner,2015,2019-06-30\n\
         c1,o6,core,2020,\nc2,o9,core,2015,\n",
    );
    write(
        dir,
        "pkg/ties.csv",
        "source,target,kind,start,end\no1,o2,contract,2016,\no2,o3,co_patent,2017,\n\
         o3,o2,co_publication,2019,\no3,o4,contract,2021,\no1,o5,supply,2015,2019\n\
         o1,o4,contract,2015,2020\no1,o6,supply,2020,\no2,o9,supply,2015,\n",
    );
    write(
        dir,
        "pkg/projects.csv",
        "id,title,cluster,start,end\np1,P1,c1,2021,2023\np2,P2,c2,2021,\np3,P3,c1,2023,2024\np4,P4,c1,,\n",
    );
    write(
        dir,
        "pkg/funding.csv",
        "recipient,source_type,amount,year\nc1,central_gov,60,2022\np1,private,20,2022\n\
         p2,local_gov,1000,2022\nc1,bank,50,2021\nc1,local_gov,30,2018\np4,supranational,10,2018\n",
    );
    write(
        dir,
        "pkg/programmes.csv",
        "id,name,start\nprog1,Programme,2020-01-01\n",
    );
    write(
        dir,
        "pkg/programme_clusters.csv",
        "programme,cluster\nprog1,c1\n",
    );
    write(
        dir,
        "pkg/indicators.csv",
        "id,name,direction\nx,Outcome,higher_better\nauto.density,Density entered by hand,higher_better\n",
    );
    write(
        dir,
        "pkg/observations.csv",
        "cluster,indicator,period,value\nc1,x,2017,1\nc1,x,2018,1.5\nc1,x,2022,4\nc1,x,2023,4.5\n\
         c2,x,2017,1\nc2,x,2018,1.2\nc2,x,2022,2\nc2,x,2023,2.4\nc1,auto.density,2018,0.9\n\
         c3,x,2017,2\nc3,x,2018,2.3\nc3,x,2022,3.05\nc3,x,2023,3.65\nc4,x,2017,0\nc4,x,2023,100\n",
    );
    let o = weaver(dir, &["import", "pkg"]);
    assert!(o.status.success(), "{}", text(&o));
}

fn find<'a>(rows: &'a [serde_json::Value], keys: &[(&str, &str)]) -> &'a serde_json::Value {
    rows.iter()
        .find(|r| keys.iter().all(|(k, v)| r[*k] == *v))
        .unwrap_or_else(|| panic!("no row {keys:?}"))
}

#[test]
fn computed_indicators_match_hand_counts_and_entered_values_win() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    small_register(p);
    let rows = json(p, &["evaluate", "computed"]);
    let v = |unit: &str, ind: &str, period: &str| {
        find(
            &rows,
            &[("unit", unit), ("indicator", ind), ("period", period)],
        )["value"]
            .as_f64()
            .unwrap()
    };
    // 2022: members o1, o2, o6 (enterprise), o3 (university), o4 (research).
    assert_eq!(v("c1", "auto.members", "2022"), 5.0);
    assert_eq!(v("c1", "auto.members_enterprise", "2022"), 3.0);
    assert_eq!(v("c1", "auto.members_university", "2022"), 1.0);
    assert_eq!(v("c1", "auto.members_research", "2022"), 1.0);
    assert_eq!(v("c1", "auto.members_government", "2022"), 0.0);
    // Ties among them in 2022: o1-o2, o2-o3 (two kinds, counted once),
    // o3-o4, o1-o6 (o1-o4 ended in 2020; o2-o9 leaves the cluster):
    // density 2·4 / (5·4) = 0.4; across types o2-o3 and o3-o4: share 0.5,
    // E-I (2 − 2) / 4 = 0.
    assert_eq!(v("c1", "auto.density", "2022"), 0.4);
    assert_eq!(v("c1", "auto.cross_actor_share", "2022"), 0.5);
    assert_eq!(v("c1", "auto.ei_index", "2022"), 0.0);
    // o2 links o1 and o3 (enterprise–university), o3 links o2 and o4; o1
    // links only enterprises (o2, o6): 2 brokers between types.
    assert_eq!(v("c1", "auto.brokers", "2022"), 2.0);
    // 2022 funding of c1 and its projects: 60 central of 60 + 20 private
    // (p2 is c2's project).
    assert_eq!(v("c1", "auto.public_funding_share", "2022"), 0.75);
    // p1 (2021–2023) and the undated p4 run in 2022: 2 / 5.
    assert_eq!(v("c1", "auto.projects_per_member", "2022"), 0.4);
    assert_eq!(v("c2", "auto.public_funding_share", "2022"), 1.0);
    // 2018: o1, o2, o3, o5; ties o1-o2, o2-o3, o1-o5 (density 0.5) — but
    // density was entered by hand for 2018, and the entered value wins.
    assert_eq!(v("c1", "auto.members", "2018"), 4.0);
    assert_eq!(v("c1", "auto.density", "2018"), 0.9);
    assert_eq!(
        find(
            &rows,
            &[
                ("unit", "c1"),
                ("indicator", "auto.density"),
                ("period", "2018")
            ]
        )["origin"],
        "entered"
    );
    // 2017: o1, o2, o3, o5; ties o1-o2, o2-o3, o1-o5: 2·3 / (4·3).
    assert_eq!(v("c1", "auto.density", "2017"), 0.5);
    // c2 has a single member: no density, no tie shares.
    assert!(
        rows.iter()
            .all(|r| !(r["unit"] == "c2" && r["indicator"] == "auto.density"))
    );
    // --period computes a period no observation has: 2021 has a bank loan
    // only.
    let rows = json(p, &["evaluate", "computed", "--period", "2021"]);
    assert_eq!(
        find(
            &rows,
            &[("unit", "c1"), ("indicator", "auto.public_funding_share")]
        )["value"]
            .as_f64(),
        Some(0.0)
    );
    let rows = json(p, &["evaluate", "computed", "--period", "2024"]);
    assert!(rows.iter().all(|r| r["period"] == "2024"));
    // 2024: o1, o2, o3, o4, o6; p3 (2023–2024) and p4: 2 / 5.
    assert_eq!(
        find(
            &rows,
            &[("unit", "c1"), ("indicator", "auto.projects_per_member")]
        )["value"]
            .as_f64(),
        Some(0.4)
    );

    // The index on the register reads them (dimension `register`).
    let o = weaver(
        p,
        &[
            "--json",
            "evaluate",
            "checks",
            "--from-register",
            "--period",
            "2022",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let checks: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let brokers = checks
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["indicator"] == "auto.brokers")
        .expect("auto.brokers is an indicator of the index");
    assert_eq!(brokers["dimension"], "register");
    // Units observed in 2022: c1, c2 and c3 (x); c3 has no members, so no
    // brokers are computed for it: 2 of 3.
    assert_eq!(brokers["availability"].as_f64(), Some(2.0 / 3.0));
}

#[test]
fn lifecycle_reads_computed_signals() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    small_register(p);
    let rows = json(p, &["evaluate", "lifecycle", "--from-register"]);
    // `x` is no lifecycle signal: the rows come from the computed members,
    // density, cross-actor and public funding shares.
    for period in ["2017", "2018", "2022", "2023"] {
        find(&rows, &[("unit", "c1"), ("period", period)]);
    }
}

#[test]
fn label_from_register_uses_members_types_fte_and_website() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    small_register(p);
    let rows = json(
        p,
        &["evaluate", "label", "--from-register", "--period", "2022"],
    );
    // c1 in 2022: 5 members (< 15), ECCP types industry (o1, o2, o6) and
    // research (o3, o4): 2; 1.5 FTE; English website.
    let c1 = find(&rows, &[("unit", "c1")]);
    assert_eq!(c1["committed_members"], "fail");
    assert_eq!(c1["member_types"], "pass");
    assert_eq!(c1["management_fte"], "pass");
    assert_eq!(c1["english_website"], "pass");
    assert_eq!(c1["eligible"], "fail");
    // c2: one member, one type, FTE unknown, no English website.
    let c2 = find(&rows, &[("unit", "c2")]);
    assert_eq!(c2["member_types"], "fail");
    assert_eq!(c2["management_fte"], "unknown");
    assert_eq!(c2["english_website"], "fail");
    let o = weaver(
        p,
        &["evaluate", "label", "--from-register", "--period", "20x8"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains(
            "--period: period must be a year (2024), a quarter (2024-Q3) or a month (2024-07), not '20x8'"
        ),
        "{}",
        text(&o)
    );
    let o = weaver(p, &["evaluate", "label", "--from-register"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

#[test]
fn policy_from_register_did_and_public_shares() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    small_register(p);
    // prog1 funds c1 (CN, founded 2010) from 2020. The default controls:
    // CN, not funded, founded 2005–2015: c2 (2012) and c3 (2014), not c4
    // (2001). x before (2017, 2018) and after (2022, 2023): c1 1.25 →
    // 4.25 (+3); c2 and c3 pooled (1, 1.2, 2, 2.3) → (2, 2.4, 3.05, 3.65),
    // 1.625 → 2.775 (+1.15); DiD = 3 − 1.15 = 1.85. Before 2020 c1 rises
    // 0.5 a year, the controls' yearly means 1.5 → 1.75, 0.25 a year: the
    // slope difference is 0.25.
    let rows = json(
        p,
        &[
            "evaluate",
            "policy",
            "--from-register",
            "--indicator",
            "x",
            "--programme",
            "prog1",
        ],
    );
    let r = &rows[0];
    assert!(
        (r["estimate"].as_f64().unwrap() - 1.85).abs() < 1e-12,
        "{r}"
    );
    assert_eq!(
        (r["clusters"].as_i64(), r["n"].as_i64()),
        (Some(3), Some(12))
    );
    assert_eq!(
        (&r["treated"], &r["controls"]),
        (&"c1".into(), &"c2;c3".into())
    );
    assert_eq!(
        (&r["periods_before"], &r["periods_after"]),
        (&"2017;2018".into(), &"2022;2023".into())
    );
    // The 95 % interval: ± t(0.975, 2 df) = 4.302652730 standard errors.
    let (est, se) = (
        r["estimate"].as_f64().unwrap(),
        r["std_error"].as_f64().unwrap(),
    );
    assert!((r["ci_high"].as_f64().unwrap() - (est + 4.302_652_730 * se)).abs() < 1e-8);
    assert!((r["ci_low"].as_f64().unwrap() - (est - 4.302_652_730 * se)).abs() < 1e-8);
    assert!(
        (r["pre_trend_slope_difference"].as_f64().unwrap() - 0.25).abs() < 1e-12,
        "{r}"
    );
    assert!(r["control_rule"].as_str().unwrap().contains("(CN)"), "{r}");
    assert!(
        r["method"].as_str().unwrap().contains("clusters - 1"),
        "{r}"
    );
    // The same from files, the controls given.
    write(
        p,
        "obs.csv",
        "unit,indicator,period,value\nc1,x,2017,1\nc1,x,2018,1.5\nc1,x,2022,4\nc1,x,2023,4.5\n\
         c2,x,2017,1\nc2,x,2018,1.2\nc2,x,2022,2\nc2,x,2023,2.4\n\
         c3,x,2017,2\nc3,x,2018,2.3\nc3,x,2022,3.05\nc3,x,2023,3.65\nc4,x,2017,0\nc4,x,2023,100\n",
    );
    write(p, "treated.csv", "unit\nc1\n");
    let files = json(
        p,
        &[
            "evaluate",
            "policy",
            "--observations",
            "obs.csv",
            "--indicator",
            "x",
            "--treated",
            "treated.csv",
            "--control",
            "c2,c3",
            "--start",
            "2020",
        ],
    );
    let same = |a: &serde_json::Value, b: &serde_json::Value, skip: &[&str]| {
        for (k, v) in a.as_object().unwrap() {
            if !skip.contains(&k.as_str()) {
                assert_eq!(v, &b[k], "{k}");
            }
        }
    };
    same(&files[0], r, &["programme", "control_rule"]);
    // Explicit controls from the register; a funded or unknown one is refused.
    let given = json(
        p,
        &[
            "evaluate",
            "policy",
            "--from-register",
            "--indicator",
            "x",
            "--programme",
            "prog1",
            "--control",
            "c3,c2",
        ],
    );
    same(&given[0], r, &["controls", "control_rule"]);
    for (control, says) in [
        ("c2,c1", "'c1' is one of the funded clusters"),
        (
            "c2,c9",
            "control cluster 'c9' is not a cluster that you may see",
        ),
        ("c2", "1 cluster(s) given, at least 2"),
    ] {
        let o = weaver(
            p,
            &[
                "evaluate",
                "policy",
                "--from-register",
                "--indicator",
                "x",
                "--programme",
                "prog1",
                "--control",
                control,
            ],
        );
        assert_eq!(o.status.code(), Some(1));
        assert!(text(&o).contains(says), "{control}: {}", text(&o));
    }
    // A window of 1 year leaves c2 alone: too few, said so.
    let o = weaver(
        p,
        &[
            "evaluate",
            "policy",
            "--from-register",
            "--indicator",
            "x",
            "--programme",
            "prog1",
            "--founded-within",
            "2",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("too few control clusters: 1 match (c2)"),
        "{}",
        text(&o)
    );
    // Treated clusters from a file need a start.
    let o = weaver(
        p,
        &[
            "evaluate",
            "policy",
            "--from-register",
            "--indicator",
            "x",
            "--treated",
            "treated.csv",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("give --start P"), "{}", text(&o));
    let with_start = json(
        p,
        &[
            "evaluate",
            "policy",
            "--from-register",
            "--indicator",
            "x",
            "--treated",
            "treated.csv",
            "--start",
            "2020",
        ],
    );
    same(&with_start[0], r, &["programme"]);
    let o = weaver(
        p,
        &[
            "evaluate",
            "policy",
            "--from-register",
            "--indicator",
            "x",
            "--programme",
            "nope",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("--programme `nope`"), "{}", text(&o));
    // Public shares per cluster and year: c1 2018 all public (30 local +
    // 10 supranational to p4), 2021 a bank loan, 2022 60 of 80; c2 2022
    // 1000 local to p2.
    let rows = json(
        p,
        &["evaluate", "policy", "--from-register", "--public-share"],
    );
    let share = |c: &str, y: i64| {
        rows.iter()
            .find(|r| r["cluster"] == c && r["year"].as_i64() == Some(y))
            .unwrap()["public_share"]
            .as_f64()
            .unwrap()
    };
    assert_eq!(share("c1", 2018), 1.0);
    assert_eq!(share("c1", 2021), 0.0);
    assert_eq!(share("c1", 2022), 0.75);
    assert_eq!(share("c2", 2022), 1.0);
    let rows = json(
        p,
        &[
            "evaluate",
            "policy",
            "--from-register",
            "--public-share",
            "--period",
            "2022",
        ],
    );
    assert_eq!(rows.len(), 2);
}

#[test]
fn every_evaluate_command_runs_on_the_demo_register() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let o = weaver(p, &["demo", "--organizations", "150", "--no-serve"]);
    assert!(o.status.success(), "{}", text(&o));
    // The built-in framework names the computed indicators; on the demo
    // they are there for every cluster of 2024.
    let checks = json(
        p,
        &[
            "evaluate",
            "checks",
            "--from-register",
            "--framework",
            "world_class_cluster",
            "--period",
            "2024",
        ],
    );
    for code in [
        "auto.density",
        "auto.cross_actor_share",
        "auto.ei_index",
        "auto.brokers",
        "auto.members_enterprise",
        "auto.projects_per_member",
        "auto.public_funding_share",
    ] {
        let row = find(&checks, &[("indicator", code)]);
        assert_eq!(row["availability"].as_f64(), Some(1.0), "{code}");
    }
    // Without a method they form the dimension `register` of the index.
    let checks = json(
        p,
        &["evaluate", "checks", "--from-register", "--period", "2024"],
    );
    let row = find(&checks, &[("indicator", "auto.brokers")]);
    assert_eq!(row["dimension"], "register");
    let scores = json(
        p,
        &[
            "evaluate",
            "index",
            "--from-register",
            "--framework",
            "world_class_cluster",
            "--period",
            "2024",
        ],
    );
    let clusters = json(p, &["evaluate", "computed", "--period", "2024"]);
    let mut with_members: Vec<&str> = clusters
        .iter()
        .filter(|r| r["indicator"] == "auto.members")
        .map(|r| r["unit"].as_str().unwrap())
        .collect();
    with_members.sort_unstable();
    let mut ranked: Vec<&str> = scores.iter().map(|r| r["unit"].as_str().unwrap()).collect();
    ranked.sort_unstable();
    assert_eq!(ranked, with_members);
    // Members by type add up to the members.
    for unit in &with_members {
        let total: f64 = clusters
            .iter()
            .filter(|r| {
                r["unit"] == *unit
                    && r["indicator"]
                        .as_str()
                        .unwrap()
                        .starts_with("auto.members_")
            })
            .map(|r| r["value"].as_f64().unwrap())
            .sum();
        let members = find(&clusters, &[("unit", unit), ("indicator", "auto.members")])["value"]
            .as_f64()
            .unwrap();
        assert_eq!(total, members, "{unit}");
    }
    for args in [
        &["evaluate", "label", "--from-register", "--period", "2024"][..],
        &[
            "evaluate",
            "label",
            "--from-register",
            "--period",
            "2024",
            "--levels",
        ][..],
        &[
            "evaluate",
            "policy",
            "--from-register",
            "--public-share",
            "--period",
            "2024",
        ][..],
        &["evaluate", "lifecycle", "--from-register"][..],
        &[
            "evaluate",
            "policy",
            "--from-register",
            "--indicator",
            // A small demo's young control clusters have no density before
            // the programme's start; every cluster counts its members.
            "auto.members",
            "--programme",
            "demo-cn-amc",
            "--founded-within",
            "6",
        ][..],
        &[
            "evaluate",
            "benchmark",
            "--from-register",
            "--period",
            "2024",
        ][..],
        &[
            "evaluate",
            "sensitivity",
            "--from-register",
            "--period",
            "2024",
            "--runs",
            "16",
        ][..],
    ] {
        let rows = json(p, args);
        assert!(!rows.is_empty(), "{args:?}");
    }
}
