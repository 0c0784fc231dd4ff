//! `weaver evaluate …` end to end: the binary on small files in a temp dir.

mod common;
use common::{ok as stdout, run as weaver, write};

const INDICATORS: &str = "\
id,name,direction,dimension,weight
members,Members,higher_better,size,
density,Density,higher_better,network,
cost,Cost,lower_better,network,
";

// 2023 by hand (min-max to [0, 100], lower-is-better mirrored):
//   members a 10 → 0, b 30 → 100, c 20 → 50
//   density a .2 → 50, b .1 → 0, c .3 → 100
//   cost    a 5 → 0, b 4 → 100, c missing
//   size = members; network = mean of the available: a 25, b 50, c 100
//   index: a 12.5, b 75, c 75 → ranks 3, 1, 1; coverage c = 2/3.
const OBSERVATIONS: &str = "\
cluster,indicator,period,value,source
a,members,2023,10,survey
a,density,2023,0.2,
a,cost,2023,5,
b,members,2023,30,
b,density,2023,0.1,
b,cost,2023,4,
c,members,2023,20,
c,density,2023,0.3,
c,cost,2023,,
a,members,2024,12,
b,members,2024,25,
c,members,2024,30,
";

fn files() -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let o = write(dir.path(), "obs.csv", OBSERVATIONS);
    let i = write(dir.path(), "ind.csv", INDICATORS);
    (
        dir,
        o.to_str().unwrap().to_owned(),
        i.to_str().unwrap().to_owned(),
    )
}

fn score(line: &str) -> f64 {
    line.split(',').nth(2).unwrap().parse().unwrap()
}

#[test]
fn index_default_method_matches_hand_computation() {
    let (_d, o, i) = files();
    let text = stdout(&weaver(&[
        "evaluate",
        "index",
        "--observations",
        &o,
        "--indicators",
        &i,
    ]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "unit,period,score,rank,coverage");
    assert!(lines[1].starts_with("a,2023,"));
    assert!((score(lines[1]) - 12.5).abs() < 1e-9);
    assert!(lines[1].ends_with(",3,1"));
    assert_eq!(lines[2], "b,2023,75,1,1");
    assert_eq!(lines[3], "c,2023,75,1,0.6666666666666666");
    // 2024: only members; a 12 → 0, b 25 → 72.2…, c 30 → 100.
    assert_eq!(lines[4], "a,2024,0,3,0.3333333333333333");
    assert!((score(lines[5]) - 1300.0 / 18.0).abs() < 1e-9);
    assert_eq!(lines[6], "c,2024,100,1,0.3333333333333333");
    assert_eq!(lines.len(), 7);
}

#[test]
fn index_with_uncertainty_is_seeded_and_written_to_file() {
    let (d, o, i) = files();
    let out = d.path().join("s.csv");
    let rec = d.path().join("r.toml");
    let args = [
        "evaluate",
        "index",
        "--observations",
        &o,
        "--indicators",
        &i,
        "--period",
        "2023",
        "--uncertainty",
        "100",
        "--seed",
        "9",
        "--out",
        out.to_str().unwrap(),
        "--record",
        rec.to_str().unwrap(),
    ];
    stdout(&weaver(&args));
    let first = std::fs::read_to_string(&out).unwrap();
    stdout(&weaver(&args));
    assert_eq!(first, std::fs::read_to_string(&out).unwrap());
    let lines: Vec<&str> = first.lines().collect();
    assert_eq!(
        lines[0],
        "unit,period,score,rank,rank_median,rank_p5,rank_p95,coverage"
    );
    assert_eq!(lines.len(), 4);
    for l in &lines[1..] {
        let f: Vec<f64> = l.split(',').skip(3).map(|v| v.parse().unwrap()).collect();
        assert!(f[2] <= f[1] && f[1] <= f[3], "{l}");
        assert!(f[2] >= 1.0 && f[3] <= 3.0, "{l}");
    }
    let record = std::fs::read_to_string(&rec).unwrap();
    assert!(record.contains("normalisation = \"minmax\""));
    assert!(record.contains("seed = 9"));
    assert!(record.contains("runs = 100"));
}

#[test]
fn method_file_and_json() {
    let (d, o, i) = files();
    let m = write(
        d.path(),
        "m.toml",
        "[method]\nnormalisation = \"rank\"\nweighting = \"equal\"\naggregation = \"arithmetic\"\n",
    );
    let text = stdout(&weaver(&[
        "--json",
        "evaluate",
        "index",
        "--observations",
        &o,
        "--indicators",
        &i,
        "--method",
        m.to_str().unwrap(),
        "--period",
        "2023",
    ]));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    // Ranks (1 worst): members a1 b3 c2; density a2 b1 c3; cost a1 b2.
    // a = (1 + (2+1)/2)/2 = 1.25; b = (3 + 1.5)/2 = 2.25; c = (2 + 3)/2 = 2.5
    assert_eq!(v[0]["unit"], "a");
    assert_eq!(v[0]["score"], 1.25);
    assert_eq!(v[1]["score"], 2.25);
    assert_eq!(v[2]["score"], 2.5);
    assert_eq!(v[2]["rank"], 1);
}

#[test]
fn built_in_framework_runs() {
    let (d, _, _) = files();
    let o = write(
        d.path(),
        "o.csv",
        "unit,indicator,period,value\nx,auto.density,2024,0.2\ny,auto.density,2024,0.4\nx,auto.public_funding_share,2024,0.5\ny,auto.public_funding_share,2024,0.1\n",
    );
    let text = stdout(&weaver(&[
        "evaluate",
        "index",
        "--observations",
        o.to_str().unwrap(),
        "--framework",
        "world_class_cluster",
    ]));
    assert_eq!(text.lines().nth(1).unwrap().split(',').nth(3), Some("2"));
    assert_eq!(text.lines().nth(2).unwrap().split(',').nth(3), Some("1"));
}

#[test]
fn sensitivity_and_leave_one_out() {
    let (_d, o, i) = files();
    let text = stdout(&weaver(&[
        "evaluate",
        "sensitivity",
        "--observations",
        &o,
        "--indicators",
        &i,
        "--period",
        "2023",
        "--runs",
        "16",
    ]));
    assert_eq!(
        text.lines().next(),
        Some(
            "period,factor,first_order,first_order_low,first_order_high,total,total_low,total_high"
        )
    );
    assert_eq!(text.lines().count(), 5);
    for line in text.lines().skip(1) {
        // Each index lies within its bootstrap interval (empty when the
        // output does not vary).
        let f: Vec<&str> = line.split(',').collect();
        if f[2].is_empty() {
            continue;
        }
        let v: Vec<f64> = f[2..].iter().map(|x| x.parse().unwrap()).collect();
        assert!(v[1] <= v[0] && v[0] <= v[2], "{line}");
        assert!(v[4] <= v[3] && v[3] <= v[5], "{line}");
    }
    let text = stdout(&weaver(&[
        "evaluate",
        "sensitivity",
        "--observations",
        &o,
        "--indicators",
        &i,
        "--period",
        "2023",
        "--leave-one-out",
    ]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "period,indicator,mean_rank_shift");
    // Without members: a = 25, b = 50, c = 100 → ranks 3, 2, 1; shifts 0, 1, 0.
    assert_eq!(lines[1], "2023,members,0.3333333333333333");
}

fn error_of(args: &[&str]) -> String {
    let out = weaver(args);
    assert!(!out.status.success());
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn bad_input_names_file_line_and_column() {
    let (d, o, i) = files();
    let bad_value = write(
        d.path(),
        "bad.csv",
        "unit,indicator,period,value\na,members,2023,ten\n",
    );
    let e = error_of(&[
        "evaluate",
        "index",
        "--observations",
        bad_value.to_str().unwrap(),
        "--indicators",
        &i,
    ]);
    assert!(
        e.contains("bad.csv: line 2, column value: expected a finite number"),
        "{e}"
    );
    let unknown = write(
        d.path(),
        "unknown.csv",
        "unit,indicator,period,value\na,members,2023,1\na,nope,2023,1\n",
    );
    let e = error_of(&[
        "evaluate",
        "index",
        "--observations",
        unknown.to_str().unwrap(),
        "--indicators",
        &i,
    ]);
    assert!(
        e.contains("line 3, column indicator: unknown indicator \"nope\""),
        "{e}"
    );
    let dup = write(
        d.path(),
        "dup.csv",
        "unit,indicator,period,value\na,members,2023,1\na,members,2023,2\n",
    );
    let e = error_of(&[
        "evaluate",
        "index",
        "--observations",
        dup.to_str().unwrap(),
        "--indicators",
        &i,
    ]);
    assert!(e.contains("line 3") && e.contains("first on line 2"), "{e}");
    let bad_dir = write(d.path(), "i2.csv", "id,name,direction\nx,X,up\n");
    let e = error_of(&[
        "evaluate",
        "index",
        "--observations",
        &o,
        "--indicators",
        bad_dir.to_str().unwrap(),
    ]);
    assert!(e.contains("i2.csv: line 2, column direction: "), "{e}");
    let no_col = write(d.path(), "i3.csv", "id,name\nx,X\n");
    let e = error_of(&[
        "evaluate",
        "index",
        "--observations",
        &o,
        "--indicators",
        no_col.to_str().unwrap(),
    ]);
    assert!(e.contains("missing column direction (header: "), "{e}");
    let empty = write(d.path(), "empty.csv", "");
    let e = error_of(&[
        "evaluate",
        "index",
        "--observations",
        empty.to_str().unwrap(),
        "--indicators",
        &i,
    ]);
    assert!(e.contains("empty.csv"), "{e}");
    let m = write(
        d.path(),
        "m.toml",
        "[method]\nnormalisation = \"softmax\"\n",
    );
    let e = error_of(&[
        "evaluate",
        "index",
        "--observations",
        &o,
        "--indicators",
        &i,
        "--method",
        m.to_str().unwrap(),
    ]);
    assert!(e.contains("m.toml") && e.contains("softmax"), "{e}");
    let e = error_of(&[
        "evaluate",
        "index",
        "--observations",
        &o,
        "--indicators",
        &i,
        "--period",
        "1999",
    ]);
    assert!(e.contains("period `1999`"), "{e}");
    // A geometric mean of a min-max zero names the unit and the indicator.
    let g = write(
        d.path(),
        "g.toml",
        "[method]\naggregation = \"geometric\"\n",
    );
    let e = error_of(&[
        "evaluate",
        "index",
        "--observations",
        &o,
        "--indicators",
        &i,
        "--method",
        g.to_str().unwrap(),
    ]);
    assert!(e.contains("unit `a`") && e.contains("members"), "{e}");
}

#[test]
fn lifecycle_classifies_and_lists_rules() {
    let d = tempfile::tempdir().unwrap();
    let mut text = String::from("cluster,indicator,period,value\n");
    for (t, year) in (2016..2024).enumerate() {
        // x shrinks 12% a year with little public money; y has one year only.
        let members = 150.0 * 0.88f64.powi(t as i32);
        text.push_str(&format!("x,members,{year},{members}\n"));
        text.push_str(&format!("x,public_funding_share,{year},0.1\n"));
        text.push_str(&format!("x,website_visits,{year},5\n"));
    }
    text.push_str("y,members,2023,10\n");
    let o = write(d.path(), "o.csv", &text);
    let out = stdout(&weaver(&[
        "evaluate",
        "lifecycle",
        "--observations",
        o.to_str().unwrap(),
    ]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "unit,period,granularity,policy_stage,lifecycle_stage,policy_verdict,lifecycle_verdict,rules,reasons_en,reasons_zh"
    );
    assert!(
        lines[1].starts_with("x,2016,year,mature,undetermined,mature,undetermined,"),
        "{}",
        lines[1]
    );
    let last_x = lines.iter().find(|l| l.starts_with("x,2023")).unwrap();
    assert!(
        last_x.starts_with("x,2023,year,mature,decline,mature,decline,"),
        "{last_x}"
    );
    assert!(last_x.contains("shrinking(members.trend=-0.1"), "{last_x}");
    assert!(
        last_x.contains(
            "lifecycle stage decline, rule shrinking: the number of members changed by -12."
        ),
        "{last_x}"
    );
    assert!(
        last_x.contains("生命周期阶段“衰退期”，规则 shrinking"),
        "{last_x}"
    );
    assert_eq!(
        lines.last().unwrap(),
        &"y,2023,year,undetermined,undetermined,undetermined,undetermined,,,"
    );
    let bad = write(
        d.path(),
        "r.toml",
        "[settings]\nwindow = 1\nmin_signals = 1\n",
    );
    let e = error_of(&[
        "evaluate",
        "lifecycle",
        "--observations",
        o.to_str().unwrap(),
        "--rules",
        bad.to_str().unwrap(),
    ]);
    assert!(e.contains("r.toml"), "{e}");
}

#[test]
fn benchmark_profiles_and_trends() {
    let (d, o, i) = files();
    let text = stdout(&weaver(&[
        "evaluate",
        "benchmark",
        "--observations",
        &o,
        "--indicators",
        &i,
        "--period",
        "2023",
    ]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "unit,period,dimension,score,peer_median,best,distance_to_frontier"
    );
    // size: a 0, b 100, c 50; network: a 25, b 50, c 100.
    assert_eq!(lines[1], "a,2023,size,0,50,100,100");
    let f: Vec<f64> = lines[2]
        .split(',')
        .skip(3)
        .map(|v| v.parse().unwrap())
        .collect();
    assert!(lines[2].starts_with("a,2023,network,"));
    for (got, want) in f.iter().zip([25.0, 50.0, 100.0, 75.0]) {
        assert!((got - want).abs() < 1e-9, "{}", lines[2]);
    }
    assert_eq!(lines.len(), 7);
    // Peer groups: a and c together.
    let g = write(d.path(), "g.csv", "cluster,group\na,east\nb,west\nc,east\n");
    let text = stdout(&weaver(&[
        "evaluate",
        "benchmark",
        "--observations",
        &o,
        "--indicators",
        &i,
        "--period",
        "2023",
        "--peers",
        g.to_str().unwrap(),
    ]));
    assert_eq!(text.lines().nth(1), Some("a,2023,size,0,25,50,50"));
    let text = stdout(&weaver(&[
        "evaluate",
        "benchmark",
        "--observations",
        &o,
        "--indicators",
        &i,
        "--trends",
    ]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "unit,indicator,from,to,change,cagr");
    assert!(
        lines[1].starts_with("a,members,2023,2024,2,0.19999999"),
        "{}",
        lines[1]
    );
}

#[test]
fn labels_eccp_and_esca_style() {
    let d = tempfile::tempdir().unwrap();
    let p = write(
        d.path(),
        "p.csv",
        "cluster,members,member_types,management_fte,website_en\nx,22,3,1.5,true\ny,12,2,0.5,true\nz,30,,0.8,false\n",
    );
    let text = stdout(&weaver(&[
        "evaluate",
        "label",
        "--profiles",
        p.to_str().unwrap(),
    ]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "unit,committed_members,member_types,management_fte,english_website,eligible"
    );
    assert_eq!(lines[1], "x,pass,pass,pass,pass,pass");
    assert_eq!(lines[2], "y,fail,pass,pass,pass,fail");
    assert_eq!(lines[3], "z,pass,unknown,pass,fail,fail");
    let s = write(
        d.path(),
        "s.csv",
        "unit,indicator,score\nx,structure_members,5\nx,governance_strategy,5\nx,financing_mix,4\nx,services_portfolio,4\nx,interaction_intensity,4\nx,achievements,4\n",
    );
    let out = weaver(&[
        "evaluate",
        "label",
        "--scores",
        s.to_str().unwrap(),
        "--year",
        "2025",
    ]);
    let text = stdout(&out);
    // 26/30 = 0.8667 with every threshold met: gold, valid to 2027.
    let row = text.lines().nth(1).unwrap();
    assert!(row.starts_with("x,gold,0.866666"), "{row}");
    assert!(row.contains(",2027,"), "{row}");
    assert!(row.contains("not public"), "{row}");
}

#[test]
fn policy_did_and_public_share() {
    let d = tempfile::tempdir().unwrap();
    let o = write(
        d.path(),
        "o.csv",
        "unit,indicator,period,value\na,patents,2020,1\na,patents,2022,5\nb,patents,2020,1\nb,patents,2022,2\nc,patents,2020,2\nc,patents,2022,6\nd,patents,2020,2\nd,patents,2022,3\n",
    );
    let t = write(d.path(), "t.csv", "cluster\na\nc\n");
    let text = stdout(&weaver(&[
        "evaluate",
        "policy",
        "--observations",
        o.to_str().unwrap(),
        "--indicator",
        "patents",
        "--treated",
        t.to_str().unwrap(),
        "--start",
        "2021",
    ]));
    let row: Vec<&str> = text.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(row[0], "patents");
    // (5.5 − 1.5) − (2.5 − 1.5) = 3
    assert!((row[1].parse::<f64>().unwrap() - 3.0).abs() < 1e-12);
    assert_eq!(&row[4..7], &["8", "4", "3"]);
    let f = write(
        d.path(),
        "f.csv",
        "recipient,source_type,programme,amount,currency,year\nx,central_gov,p,30,CNY,2024\nx,bank,,50,CNY,2024\nx,local_gov,,20,CNY,2024\n",
    );
    let text = stdout(&weaver(&[
        "evaluate",
        "policy",
        "--funding",
        f.to_str().unwrap(),
    ]));
    assert_eq!(text, "recipient,year,public_share\nx,2024,0.5\n");
}

#[test]
fn checks_report_availability_and_alpha() {
    let (_d, o, i) = files();
    let text = stdout(&weaver(&[
        "evaluate",
        "checks",
        "--observations",
        &o,
        "--indicators",
        &i,
        "--period",
        "2023",
    ]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "period,indicator,dimension,availability,skew,kurtosis,outlier,dimension_alpha,negative_correlations"
    );
    // members: 3 values, skew of (10, 30, 20) = 0, kurtosis needs 4 values.
    assert_eq!(lines[1], "2023,members,size,1,0,,false,,0");
    // cost has 2 of 3 units.
    assert!(
        lines[3].starts_with("2023,cost,network,0.6666666666666666,"),
        "{}",
        lines[3]
    );
    assert_eq!(lines.len(), 4);
}

#[test]
fn index_topsis_ranking_matches_hand_computation() {
    let (_d, o, i) = files();
    let text = stdout(&weaver(&[
        "evaluate",
        "index",
        "--observations",
        &o,
        "--indicators",
        &i,
        "--period",
        "2023",
        "--ranking",
        "topsis",
    ]));
    // Normalised 2023 values (see OBSERVATIONS): members a 0, b 100, c 50;
    // density a 50, b 0, c 100; cost a 0, b 100, c missing. Weights: members
    // 1/2 (its dimension's 1/2), density and cost 1/4 each. Column norms
    // √12500, √12500, 100, so v = members (0, √.2, √.05), density
    // (√.0125, 0, √.05), cost (0, .25, –); ideal (√.2, √.05, .25), anti-ideal 0.
    // a: D+ = √(.2 + .0125 + .0625), D− = √.0125
    // b: D+ = √.05, D− = √(.2 + .0625)
    // c: D+ = √.05 (cost left out), D− = √(.05 + .05)
    let c = |dp: f64, dm: f64| 100.0 * dm.sqrt() / (dp.sqrt() + dm.sqrt());
    let want = [
        ("a", c(0.275, 0.0125), 3),
        ("b", c(0.05, 0.2625), 1),
        ("c", c(0.05, 0.1), 2),
    ];
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "unit,period,score,rank,coverage");
    assert_eq!(lines.len(), 4);
    for (line, (u, s, r)) in lines[1..].iter().zip(want) {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(f[0], u, "{line}");
        assert!((score(line) - s).abs() < 1e-9, "{line} vs {s}");
        assert_eq!(f[3], r.to_string(), "{line}");
    }
    // Not together with --uncertainty, which varies the index.
    let e = error_of(&[
        "evaluate",
        "index",
        "--observations",
        &o,
        "--indicators",
        &i,
        "--ranking",
        "topsis",
        "--uncertainty",
        "10",
    ]);
    assert!(e.contains("--uncertainty"), "{e}");
}

#[test]
fn index_group_mean_imputation_from_groups_file() {
    let (d, o, i) = files();
    let m = write(
        d.path(),
        "m.toml",
        "[method]\nimputation = \"group_mean\"\n",
    );
    let g = write(
        d.path(),
        "g.csv",
        "cluster,group\na,north\nb,south\nc,north\n",
    );
    let m = m.to_str().unwrap();
    let text = stdout(&weaver(&[
        "evaluate",
        "index",
        "--observations",
        &o,
        "--indicators",
        &i,
        "--method",
        m,
        "--groups",
        g.to_str().unwrap(),
        "--period",
        "2023",
    ]));
    // c's missing cost takes the mean of its group (a: 5). Cost a 5, b 4,
    // c 5 → lower is better: a 0, b 100, c 0; network c = (100 + 0)/2 = 50;
    // index: a 12.5, b 75, c 50; c now has every indicator.
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "unit,period,score,rank,coverage");
    assert!((score(lines[1]) - 12.5).abs() < 1e-9, "{}", lines[1]);
    assert_eq!(lines[2], "b,2023,75,1,1");
    assert_eq!(lines[3], "c,2023,50,2,1");
    // The method needs groups: a clear message without --groups.
    let e = error_of(&[
        "evaluate",
        "index",
        "--observations",
        &o,
        "--indicators",
        &i,
        "--method",
        m,
    ]);
    assert!(e.contains("--groups"), "{e}");
}
