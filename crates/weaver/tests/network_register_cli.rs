//! `weaver network … --cluster ID` and `--all-clusters`: the network commands
//! reading the register, one cluster or every cluster at once.

use std::path::Path;

mod common;
use common::{ok as stdout, text, weaver, write};

/// Two clusters sharing o3. c1 = {o1, o2, o3} with the path o1–o2–o3;
/// c2 = {o3, o4, o5} with the path o3–o4–o5, whose tie o4–o5 starts in 2022.
/// The tie o1–o5 joins the clusters and belongs to neither network. The
/// clusters are listed out of id order on purpose.
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
        "cluster,org,tier\nc2,o3,core\nc2,o4,core\nc2,o5,partner\n\
         c1,o1,core\nc1,o2,core\nc1,o3,partner\n",
    );
    write(
        dir,
        "pkg/ties.csv",
        "source,target,kind,start\no1,o2,contract,2019\no2,o3,contract,2019\n\
         o3,o4,co_patent,2019\no4,o5,supply,2022\no1,o5,contract,2019\n",
    );
    let o = weaver(dir, &["import", "pkg"]);
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn all_clusters_stacks_the_one_cluster_tables_in_id_order() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    register(p);
    let metrics = |scope: &[&str]| {
        let mut args = vec!["network", "metrics", "--metrics", "degree,betweenness"];
        args.extend_from_slice(scope);
        stdout(&weaver(p, &args))
    };
    // A path of three: the middle node has degree 2 and lies on the only
    // path between the ends (normalized betweenness 1).
    let all = metrics(&["--all-clusters"]);
    assert_eq!(
        all,
        "cluster,node,degree,betweenness\n\
         c1,o1,1,0\nc1,o2,2,1\nc1,o3,1,0\n\
         c2,o3,1,0\nc2,o4,2,1\nc2,o5,1,0\n"
    );
    // Exactly the one-cluster outputs, each row led by the cluster's id.
    let mut expected = String::from("cluster,node,degree,betweenness\n");
    for c in ["c1", "c2"] {
        let one = metrics(&["--cluster", c]);
        for line in one.lines().skip(1) {
            expected.push_str(&format!("{c},{line}\n"));
        }
    }
    assert_eq!(all, expected);
}

#[test]
fn all_clusters_json_has_one_entry_per_cluster_and_honours_the_period() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    register(p);
    let summary = |extra: &[&str]| -> serde_json::Value {
        let mut args = vec!["--json", "network", "summary", "--all-clusters"];
        args.extend_from_slice(extra);
        serde_json::from_str(&stdout(&weaver(p, &args))).unwrap()
    };
    let v = summary(&[]);
    let obj = v.as_object().unwrap();
    assert_eq!(obj.keys().collect::<Vec<_>>(), ["c1", "c2"]);
    for c in ["c1", "c2"] {
        assert_eq!(v[c][0]["nodes"].as_i64(), Some(3), "{c}");
        assert_eq!(v[c][0]["edges"].as_i64(), Some(2), "{c}");
        // Three nodes and two of the three possible ties.
        assert_eq!(v[c][0]["density"].as_f64(), Some(2.0 / 3.0), "{c}");
        let one: serde_json::Value = serde_json::from_str(&stdout(&weaver(
            p,
            &["--json", "network", "summary", "--cluster", c],
        )))
        .unwrap();
        assert_eq!(v[c], one, "{c}");
    }
    // In 2020 the tie o4–o5 (from 2022) does not exist yet.
    let v = summary(&["--period", "2020"]);
    assert_eq!(v["c1"][0]["edges"].as_i64(), Some(2));
    assert_eq!(v["c2"][0]["edges"].as_i64(), Some(1));
    assert_eq!(v["c2"][0]["components"].as_i64(), Some(2));
}

#[test]
fn all_clusters_for_communities_openness_and_an_out_file() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    register(p);
    let o = weaver(
        p,
        &[
            "network",
            "openness",
            "--all-clusters",
            "--group",
            "actor_type",
            "--out",
            "open.csv",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let csv = std::fs::read_to_string(p.join("open.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "cluster,attribute,internal,external,unknown,ei_index,cross_share,partner_groups,\
         members_internal,members_external,members_ei_index"
    );
    // c1: o1–o2 (enterprise–university) and o2–o3 (university–research)
    // among members, o3–o4 (research–enterprise) and o1–o5
    // (enterprise–finance) to outside: all four across types, E-I = 1, the
    // partners of two types; among members only E = 2, I = 0.
    assert_eq!(lines[1], "c1,actor_type,0,4,0,1,1,2,0,2,1");
    // c2: o3–o4, o4–o5 among members, o2–o3 and o1–o5 to outside.
    assert_eq!(lines[2], "c2,actor_type,0,4,0,1,1,2,0,2,1");
    assert_eq!(lines.len(), 3);
    let o = weaver(p, &["network", "communities", "--all-clusters"]);
    let out = stdout(&o);
    assert!(out.starts_with("cluster,node,community\nc1,o1,"), "{out}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("cluster c1:") && err.contains("cluster c2:"),
        "{err}"
    );
}

#[test]
fn openness_counts_the_ties_beyond_the_cluster_by_the_partners_clusters() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    register(p);
    // c1's ties to outside: o3–o4 and o1–o5, both partners in c2.
    let out = stdout(&weaver(
        p,
        &[
            "network",
            "openness",
            "--cluster",
            "c1",
            "--group",
            "cluster",
            "--partners",
        ],
    ));
    assert_eq!(out, "attribute,value,ties,partners\ncluster,c2,2,2\n");
    // As JSON, the whole answer: E = 2, I = 2, E-I 0.
    let o = weaver(p, &["--json", "network", "openness", "--cluster", "c1"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["ties"]["internal"], 2);
    assert_eq!(v["ties"]["external"], 2);
    assert_eq!(v["ei_index"], 0.0);
    assert_eq!(
        v["groups"],
        serde_json::json!(["actor_type", "region", "country", "cluster"])
    );
    // A grouping the register does not have is refused with the choices.
    let o = weaver(
        p,
        &["network", "openness", "--cluster", "c1", "--group", "size"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("--group: 'size' is not one of"),
        "{}",
        text(&o)
    );
}

#[test]
fn the_network_of_clusters_and_of_two_clusters_members() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    register(p);
    // c1–c2: o2–o3, o3–o4 and o1–o5 have an end in each (o1–o2 and o4–o5
    // do not), and o3 is in both.
    let o = weaver(
        p,
        &["network", "clusters", "--clusters-out", "clusters.csv"],
    );
    assert_eq!(stdout(&o), "source,target,ties,shared_members\nc1,c2,3,1\n");
    let clusters = std::fs::read_to_string(p.join("clusters.csv")).unwrap();
    assert_eq!(
        clusters,
        "id,name,members,internal_ties,degree,external_ties\n\
         c1,First,3,2,1,3\nc2,Second,3,2,1,3\n"
    );
    // The members of both: the path o1–…–o5 closed by o1–o5, a ring of
    // five in which every member has degree 2.
    let out = stdout(&weaver(p, &["network", "multi", "--clusters", "c1,c2"]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "node,clusters,actor_type,degree,strength,pagerank,clustering,core_number,component,community"
    );
    assert_eq!(lines.len(), 6);
    let o3: Vec<&str> = lines[3].split(',').collect();
    assert_eq!(o3[..5], ["o3", "c1;c2", "research", "2", "2"], "{out}");
    assert!((o3[5].parse::<f64>().unwrap() - 0.2).abs() < 1e-9, "{out}");
    assert_eq!(o3[6..9], ["0", "2", "0"], "{out}");
    // An unknown cluster is named.
    let o = weaver(p, &["network", "multi", "--clusters", "c1,c9"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("c9"), "{}", text(&o));
}

#[test]
fn register_forms_refuse_what_they_cannot_do() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    register(p);
    // One graph per file.
    let o = weaver(
        p,
        &[
            "network",
            "export",
            "--all-clusters",
            "--format",
            "gexf",
            "--out",
            "x.gexf",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("use --cluster ID"), "{}", text(&o));
    assert!(!p.join("x.gexf").exists());
    // A period needs a register form; files and the register do not mix.
    let o = weaver(
        p,
        &["network", "summary", "--edges", "e.csv", "--period", "2020"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = weaver(
        p,
        &["network", "summary", "--edges", "e.csv", "--all-clusters"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = weaver(
        p,
        &["network", "summary", "--cluster", "c1", "--all-clusters"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    // A register without clusters says so.
    let e = tempfile::tempdir().unwrap();
    assert!(weaver(e.path(), &["init"]).status.success());
    let o = weaver(e.path(), &["network", "summary", "--all-clusters"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("the register holds no clusters"),
        "{}",
        text(&o)
    );
}

#[test]
fn synergy_of_a_cluster_is_synergy_of_its_members_table() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    register(p);
    // c1's members as a nodes table, written by hand.
    write(
        p,
        "c1.csv",
        "id,actor_type,region\no1,enterprise,R1\no2,university,R1\no3,research,R2\n",
    );
    let columns = ["--columns", "actor_type,region"];
    let from_register = stdout(&weaver(
        p,
        &[&["network", "synergy", "--cluster", "c1"], &columns[..]].concat(),
    ));
    let from_file = stdout(&weaver(
        p,
        &[&["network", "synergy", "--nodes", "c1.csv"], &columns[..]].concat(),
    ));
    assert_eq!(from_register, from_file);
    // Three actor types, regions 2:1: T = H(a) + H(r) − H(a, r) = H(r).
    let h = -(2.0f64 / 3.0) * (2.0f64 / 3.0).log2() - (1.0f64 / 3.0) * (1.0f64 / 3.0).log2();
    let row = from_register.lines().nth(1).unwrap().to_owned();
    let cells: Vec<&str> = row.split(',').collect();
    assert_eq!(cells[..3], ["2", "actor_type;region", "3"], "{row}");
    let t: f64 = cells[3].parse().unwrap();
    assert!((t - h).abs() < 1e-12, "{row}");
    // Every cluster, stacked in id order (c2: regions R2, R2, R3, the same
    // figure); without industries (the default columns) no member counts.
    let all = stdout(&weaver(
        p,
        &[&["network", "synergy", "--all-clusters"], &columns[..]].concat(),
    ));
    let lines: Vec<&str> = all.lines().collect();
    assert_eq!(
        lines[0],
        "cluster,dimensions,columns,rows,mutual_information_bits"
    );
    assert_eq!(lines[1], format!("c1,{row}"));
    assert!(lines[2].starts_with("c2,2,actor_type;region,3,"), "{all}");
    assert_eq!(lines.len(), 3);
    let v: serde_json::Value = serde_json::from_str(&stdout(&weaver(
        p,
        &[
            "--json",
            "network",
            "synergy",
            "--cluster",
            "c2",
            "--period",
            "2024",
        ],
    )))
    .unwrap();
    assert_eq!(v[0]["columns"], "actor_type;region;industry");
    assert_eq!(v[0]["rows"], 0);
    assert!(v[0]["mutual_information_bits"].is_null(), "{v}");
}

#[test]
fn synergy_on_the_register_refuses_bad_input() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    register(p);
    let fails = |args: &[&str], code: i32, says: &str| {
        let o = weaver(p, args);
        assert_eq!(o.status.code(), Some(code), "{args:?}: {}", text(&o));
        assert!(o.stdout.is_empty(), "{args:?}: {}", text(&o));
        assert!(text(&o).contains(says), "{args:?}: {}", text(&o));
    };
    let synergy = ["network", "synergy"];
    fails(
        &[
            &synergy[..],
            &["--cluster", "c1", "--columns", "actor_type,colour"],
        ]
        .concat(),
        1,
        "--columns: a cluster's members have no attribute 'colour'",
    );
    fails(
        &[&synergy[..], &["--cluster", "c1", "--columns", "region"]].concat(),
        1,
        "--columns: expected 2 to 4 columns, got 1",
    );
    fails(
        &[&synergy[..], &["--cluster", "nope"]].concat(),
        1,
        "cannot read cluster nope from the register",
    );
    fails(
        &[&synergy[..], &["--cluster", "c1", "--period", "24"]].concat(),
        1,
        "--period: period must be a year (2024), a quarter (2024-Q3) or a month (2024-07), not '24'",
    );
    // Files and the register do not mix; a period needs the register.
    fails(
        &[&synergy[..], &["--cluster", "c1", "--nodes", "n.csv"]].concat(),
        2,
        "cannot be used with",
    );
    fails(
        &[&synergy[..], &["--nodes", "n.csv", "--period", "2024"]].concat(),
        2,
        "--cluster",
    );
}
