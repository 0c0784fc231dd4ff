//! `weaver network …` run as a program on small files.

mod common;
use common::{input as write, run as weaver, stderr, stdout};

/// A triangle a–b–c with a tail c–d, a repeated row and a self-loop.
const EDGES: &str = "source,target,weight,kind\n\
a,b,1,x\n\
b,c,2,x\n\
c,a,1,x\n\
c,d,1,x\n\
b,a,1,y\n\
d,d,5,x\n";

#[test]
fn metrics_follow_the_conventions() {
    let dir = tempfile::tempdir().unwrap();
    let e = write(dir.path(), "e.csv", EDGES);
    let n = write(
        dir.path(),
        "n.csv",
        "id,actor_type\nz,university\nd,enterprise\n",
    );
    let o = weaver(&["network", "metrics", "--edges", &e, "--nodes", &n]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("dropped 1 self-loop"));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "node,degree,strength,betweenness,closeness,eigenvector,pagerank,clustering,\
         core_number,component,constraint,effective_size"
    );
    // Node order: nodes file first (z, d), then edges (a, b, c).
    let ids: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(ids, ["z", "d", "a", "b", "c"]);
    // z is isolated: degree 0, closeness 0, clustering 0, undefined holes,
    // component 1 (the other component has 4 nodes).
    let z: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(z[1], "0");
    assert_eq!(z[2], "0");
    assert_eq!(z[9], "1");
    assert_eq!(z[10], "");
    assert_eq!(z[11], "");
    // a–b merged (1 + 1 = 2) plus a–c 1: strength 3. c lies on every path to d:
    // betweenness of c = 2 pairs × 2 (ordered) / ((5−1)(5−2)) = 1/3.
    let a: Vec<&str> = lines[3].split(',').collect();
    assert_eq!(a[1], "2");
    assert_eq!(a[2], "3");
    let c: Vec<&str> = lines[5].split(',').collect();
    assert_eq!(c[3].parse::<f64>().unwrap(), 1.0 / 3.0);
    assert_eq!(c[7].parse::<f64>().unwrap(), 1.0 / 3.0); // clustering
}

#[test]
fn metrics_subset_json_and_out_file() {
    let dir = tempfile::tempdir().unwrap();
    let e = write(dir.path(), "e.csv", EDGES);
    let out = dir.path().join("m.json");
    let o = weaver(&[
        "--json",
        "network",
        "metrics",
        "--edges",
        &e,
        "--metrics",
        "core_number,degree",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(
        v[0],
        serde_json::json!({"node": "a", "degree": 2, "core_number": 2})
    );
    assert_eq!(v[3]["core_number"], 1);
    let keys: Vec<&String> = v[0].as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 3);
}

#[test]
fn directed_metrics() {
    let dir = tempfile::tempdir().unwrap();
    let e = write(dir.path(), "e.csv", "source,target\na,b\nb,c\n");
    let o = weaver(&[
        "network",
        "metrics",
        "--edges",
        &e,
        "--directed",
        "--metrics",
        "degree,betweenness,closeness",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // NetworkX DiGraph a→b→c: betweenness b = 1/2, closeness (incoming) c = 2/3 · (2/2)… = 2/3.
    assert_eq!(
        stdout(&o),
        "node,degree,betweenness,closeness\na,1,0,0\nb,2,0.5,0.5\nc,1,0,0.6666666666666666\n"
    );
}

#[test]
fn bad_input_names_file_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let e = write(
        dir.path(),
        "e.csv",
        "source,target,weight\na,b,1\nb,c,heavy\n",
    );
    let o = weaver(&["network", "metrics", "--edges", &e]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("e.csv: line 3, column weight: expected a number > 0")
            && err.contains("heavy"),
        "{err}"
    );

    let e = write(dir.path(), "e2.csv", "from,to\na,b\n");
    let o = weaver(&["network", "metrics", "--edges", &e]);
    assert!(
        stderr(&o).contains("e2.csv: missing column source (header: from,to)"),
        "{}",
        stderr(&o)
    );

    let e = write(dir.path(), "e3.csv", "source,target\na,\n");
    let o = weaver(&["network", "summary", "--edges", &e]);
    assert!(
        stderr(&o).contains("e3.csv: line 2, column target: "),
        "{}",
        stderr(&o)
    );

    let e = write(dir.path(), "e4.csv", "source,target\na,b\n");
    let n = write(dir.path(), "n.csv", "id\na\na\n");
    let o = weaver(&["network", "metrics", "--edges", &e, "--nodes", &n]);
    assert!(
        stderr(&o).contains("n.csv: line 3, column id: "),
        "{}",
        stderr(&o)
    );

    // A usage error of clap's (exit code 2) naming the flag, the value and
    // the metrics there are.
    let o = weaver(&["network", "metrics", "--edges", &e, "--metrics", "fame"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--metrics fame: expected degree, strength,"),
        "{}",
        stderr(&o)
    );

    let o = weaver(&["network", "metrics", "--edges", "/nonexistent/e.csv"]);
    assert!(stderr(&o).contains("/nonexistent/e.csv"), "{}", stderr(&o));

    // An empty file (not even a header) is refused, not a crash.
    let e = write(dir.path(), "empty.csv", "");
    let o = weaver(&["network", "metrics", "--edges", &e]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn summary_with_attribute_assortativity() {
    let dir = tempfile::tempdir().unwrap();
    let e = write(dir.path(), "e.csv", "source,target\na,b\nc,d\nb,c\n");
    let n = write(
        dir.path(),
        "n.csv",
        "id,actor_type\na,university\nb,university\nc,enterprise\nd,enterprise\n",
    );
    let o = weaver(&["network", "summary", "--edges", &e, "--nodes", &n]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let mut lines = out.lines();
    assert_eq!(
        lines.next().unwrap(),
        "nodes,edges,directed,density,components,giant_size,average_clustering,transitivity,\
         average_path_length_giant,degree_assortativity,attribute_assortativity_actor_type"
    );
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(&row[..6], ["4", "3", "false", "0.5", "1", "4"]);
    // Path of 4: mean distance (1+2+3+1+2+1)·2 / 12 = 5/3.
    assert_eq!(row[8].parse::<f64>().unwrap(), 5.0 / 3.0);
    // Newman's r for this split: 1/3 (worked in the engine's docs).
    assert!((row[10].parse::<f64>().unwrap() - 1.0 / 3.0).abs() < 1e-12);

    let o = weaver(&["--json", "network", "summary", "--edges", &e]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v[0]["nodes"], 4);
    assert_eq!(v[0]["transitivity"], 0.0);
}

#[test]
fn large_graph_asks_before_exact_betweenness() {
    let dir = tempfile::tempdir().unwrap();
    // A path of 20,001 edges: above the limit of 20,000 nodes.
    let mut text = String::from("source,target\n");
    for i in 0..20_001 {
        text.push_str(&format!("{i},{}\n", i + 1));
    }
    let e = write(dir.path(), "big.csv", &text);
    let o = weaver(&[
        "network",
        "metrics",
        "--edges",
        &e,
        "--metrics",
        "betweenness",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--sample-epsilon"), "{}", stderr(&o));
    // Degree alone is fine.
    let o = weaver(&["network", "metrics", "--edges", &e, "--metrics", "degree"]);
    assert!(o.status.success());
}

#[test]
fn sampled_betweenness_reports_its_guarantee() {
    let dir = tempfile::tempdir().unwrap();
    let e = write(dir.path(), "e.csv", "source,target\na,b\nb,c\nc,d\nd,e\n");
    let o = weaver(&[
        "network",
        "metrics",
        "--edges",
        &e,
        "--metrics",
        "betweenness",
        "--sample-epsilon",
        "0.1",
        "--sample-delta",
        "0.1",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("ε = 0.1") && err.contains("δ = 0.1") && err.contains("sample size"));
    // Exact values on the path: 0, 1/2, 2/3, 1/2, 0; the estimate is within
    // ε·n/(n−2) = 1/6 with probability 0.9 (seed 0 is one such draw).
    let exact = [0.0, 0.5, 2.0 / 3.0, 0.5, 0.0];
    for (line, x) in stdout(&o).lines().skip(1).zip(exact) {
        let v: f64 = line.split(',').nth(1).unwrap().parse().unwrap();
        assert!((v - x).abs() <= 1.0 / 6.0, "{line}");
    }
}

#[test]
fn weighted_sampled_betweenness_follows_strong_ties() {
    // A square a–b–c–d–a with strong ties a–b and b–c (length 1/4) and weak
    // ties c–d and d–a (length 1). Weighted, a–c goes only through b and
    // b–d through a or c (1.25 both ways); d is on no shortest path between
    // others. Normalized (÷ 3): b = 1/3, a = c = 1/6, d = 0; unweighted all
    // four would be 1/6.
    let dir = tempfile::tempdir().unwrap();
    let e = write(
        dir.path(),
        "e.csv",
        "source,target,weight\na,b,4\nb,c,4\nc,d,1\nd,a,1\n",
    );
    let o = weaver(&[
        "network",
        "metrics",
        "--edges",
        &e,
        "--metrics",
        "betweenness",
        "--weighted-paths",
        "--sample-epsilon",
        "0.05",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("weighted (length 1/weight)") && err.contains("ε = 0.05"),
        "{err}"
    );
    let values: Vec<f64> = stdout(&o)
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    // ε · n/(n−2) = 0.1 on the normalized scale.
    let exact = [1.0 / 6.0, 1.0 / 3.0, 1.0 / 6.0, 0.0];
    for (v, x) in values.iter().zip(exact) {
        assert!((v - x).abs() <= 0.1, "{values:?}");
    }
    assert_eq!(values[3], 0.0);
}

/// Two triangles joined by one edge (c–d), with groups.
const TWO_TRIANGLES: &str = "source,target\na,b\nb,c\nc,a\nd,e\ne,f\nf,d\nc,d\n";
const GROUPS: &str = "id,actor_type,region,field\n\
a,university,north,robotics\n\
b,university,north,robotics\n\
c,enterprise,north,robotics\n\
d,enterprise,south,textiles\n\
e,research,south,textiles\n\
f,research,south,textiles\n";

#[test]
fn communities_number_by_size_and_report_modularity() {
    let dir = tempfile::tempdir().unwrap();
    let e = write(dir.path(), "e.csv", TWO_TRIANGLES);
    for method in ["leiden", "louvain"] {
        let o = weaver(&["network", "communities", "--edges", &e, "--method", method]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(
            stdout(&o),
            "node,community\na,0\nb,0\nc,0\nd,1\ne,1\nf,1\n",
            "{method}"
        );
        // Q = 2·(3/7 − (7/14)²) = 5/14.
        let err = stderr(&o);
        let q: f64 = err
            .split("modularity = ")
            .nth(1)
            .and_then(|r| r.split([';', ' ']).next())
            .and_then(|x| x.parse().ok())
            .unwrap_or_else(|| panic!("{err}"));
        assert!((q - 5.0 / 14.0).abs() < 1e-12, "{err}");
    }
    let o = weaver(&["network", "communities", "--edges", &e, "--method", "magic"]);
    assert!(stderr(&o).contains("expected leiden or louvain"));
    // CPM with γ = 1: cliques only, each triangle stays (quality 0).
    let o = weaver(&[
        "network",
        "communities",
        "--edges",
        &e,
        "--quality",
        "cpm",
        "--seed",
        "3",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cpm at resolution 1 = 0"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn brokerage_columns_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let e = write(dir.path(), "e.csv", "source,target\na,b\nb,c\n");
    let n = write(dir.path(), "n.csv", "id,type\na,A\nb,B\nc,A\n");
    let o = weaver(&[
        "network",
        "brokerage",
        "--edges",
        &e,
        "--nodes",
        &n,
        "--group",
        "type",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let mut lines = out.lines();
    assert_eq!(
        lines.next().unwrap(),
        "node,coordinator,itinerant,representative,gatekeeper,liaison,total,\
         coordinator_z,itinerant_z,representative_z,gatekeeper_z,liaison_z,total_z"
    );
    lines.next();
    let b: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(&b[..7], ["b", "0", "2", "0", "0", "0", "2"]);
    // z of the itinerant count: 46/√184 (worked in the engine's tests).
    let z: f64 = b[8].parse().unwrap();
    assert!((z - 46.0 / 184f64.sqrt()).abs() < 1e-12);
    // A node without a group is refused with its id.
    let n2 = write(dir.path(), "n2.csv", "id,type\na,A\nb,\nc,A\n");
    let o = weaver(&[
        "network",
        "brokerage",
        "--edges",
        &e,
        "--nodes",
        &n2,
        "--group",
        "type",
    ]);
    assert!(
        stderr(&o).contains("--group type: node 'b' has no type"),
        "{}",
        stderr(&o)
    );
    let o = weaver(&[
        "network",
        "brokerage",
        "--edges",
        &e,
        "--nodes",
        &n,
        "--group",
        "sector",
    ]);
    assert!(
        stderr(&o).contains("no column \"sector\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn openness_and_synergy() {
    let dir = tempfile::tempdir().unwrap();
    let e = write(dir.path(), "e.csv", TWO_TRIANGLES);
    let n = write(dir.path(), "n.csv", GROUPS);
    let o = weaver(&["network", "openness", "--edges", &e, "--nodes", &n]);
    assert!(o.status.success(), "{}", stderr(&o));
    // actor_type: a–b internal, b–c, c–a external, d–e, d–f external, e–f
    // internal, c–d internal (enterprise): E = 4, I = 3.
    // region: only c–d crosses: E = 1, I = 6.
    assert_eq!(
        stdout(&o),
        format!(
            "attribute,external,internal,ei_index,cross_share,groups\n\
             actor_type,4,3,{},{},3\nregion,1,6,{},{},2\n",
            1.0f64 / 7.0,
            4.0f64 / 7.0,
            -5.0f64 / 7.0,
            1.0f64 / 7.0
        )
    );
    // region and field coincide: T = H = 1 bit.
    let o = weaver(&[
        "network",
        "synergy",
        "--nodes",
        &n,
        "--columns",
        "region,field",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "dimensions,columns,rows,mutual_information_bits\n2,region;field,6,1\n"
    );
    let o = weaver(&["network", "synergy", "--nodes", &n, "--columns", "region"]);
    assert!(stderr(&o).contains("expected 2 to 4"), "{}", stderr(&o));
}

#[test]
fn recommend_lists_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let e = write(dir.path(), "e.csv", TWO_TRIANGLES);
    let n = write(dir.path(), "n.csv", GROUPS);
    let o = weaver(&[
        "network",
        "recommend",
        "--edges",
        &e,
        "--nodes",
        &n,
        "--for",
        "a",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let mut lines = out.lines();
    assert_eq!(
        lines.next().unwrap(),
        "source,target,score,structural,complementarity,bridging,common_neighbors,reasons"
    );
    // a's only candidate at distance 2 is d (through c): different actor
    // types (university, enterprise), different fields, other community.
    let row = lines.next().unwrap();
    // score = 0.5·1 + 0.3·0.5 + 0.2·1 = 0.85.
    let f: Vec<&str> = row.split(',').collect();
    assert_eq!(&f[..2], ["a", "d"]);
    assert!((f[2].parse::<f64>().unwrap() - 0.85).abs() < 1e-12, "{row}");
    assert_eq!(&f[3..7], ["1", "0.5", "1", "1"]);
    assert!(row.contains("complementary actor types (university and enterprise)"));
    assert!(row.contains("bridges communities"));
    assert!(lines.next().is_none());
    let o = weaver(&["network", "recommend", "--edges", &e, "--for", "zz"]);
    assert!(stderr(&o).contains("--for zz"), "{}", stderr(&o));
}

#[test]
fn diffuse_reports_the_steady_state() {
    let dir = tempfile::tempdir().unwrap();
    // A small world of 40 agents: the run reaches a steady state (no lead
    // left in both directions between neighbours) and is reproducible.
    let args = [
        "--json",
        "network",
        "diffuse",
        "--ring",
        "40",
        "--neighbours",
        "4",
        "--rewire",
        "0.1",
        "--seed",
        "2",
    ];
    let a = weaver(&args);
    assert!(a.status.success(), "{}", stderr(&a));
    let b = weaver(&args);
    assert_eq!(stdout(&a), stdout(&b));
    let v: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
    assert_eq!(v[0]["agents"], 40);
    assert_eq!(v[0]["edges"], 80);
    assert_eq!(v[0]["steady"], true);
    let mean = v[0]["mean"].as_f64().unwrap();
    assert!(mean > 0.5 && mean <= 1.0, "{mean}");

    // On an edge list (levels drawn at random): the shape of the table, and
    // the model name is validated.
    let e = write(dir.path(), "e.csv", "source,target\na,b\nb,c\n");
    let o = weaver(&["network", "diffuse", "--edges", &e, "--seed", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("model,agents,edges,rewire,alpha,categories,seed,steps"));
    let o = weaver(&["network", "diffuse", "--edges", &e, "--model", "sir"]);
    assert!(stderr(&o).contains("expected cowan-jonard"));
    let o = weaver(&["network", "diffuse", "--ring", "10", "--neighbours", "3"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn export_gexf_and_graphml() {
    let dir = tempfile::tempdir().unwrap();
    let e = write(dir.path(), "e.csv", TWO_TRIANGLES);
    let n = write(dir.path(), "n.csv", GROUPS);
    for format in ["gexf", "graphml"] {
        let out = dir.path().join(format!("g.{format}"));
        let o = weaver(&[
            "network",
            "export",
            "--edges",
            &e,
            "--nodes",
            &n,
            "--format",
            format,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let xml = std::fs::read_to_string(&out).unwrap();
        assert_eq!(xml.matches("<node ").count(), 6, "{format}");
        assert_eq!(xml.matches("<edge ").count(), 7, "{format}");
        assert!(xml.contains("university"), "{format}");
        assert!(xml.contains("core_number"), "{format}");
    }
    let o = weaver(&[
        "network",
        "export",
        "--edges",
        &e,
        "--format",
        "dot",
        "--out",
        "/tmp/x.dot",
    ]);
    assert!(stderr(&o).contains("expected gexf or graphml"));
}

#[test]
fn compare_two_periods() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.csv", "source,target,weight\nx,y,1\ny,z,2\n");
    let b = write(dir.path(), "b.csv", "source,target,weight\ny,x,3\ny,w,1\n");
    let t = dir.path().join("t.csv");
    let o = weaver(&[
        "network",
        "compare",
        "--before",
        &a,
        "--after",
        &b,
        "--ties-out",
        t.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("1 entrants, 1 exits; ties: 1 new, 1 dropped, 1 strengthened"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(&t).unwrap(),
        "source,target,change,weight_before,weight_after\n\
         x,y,strengthened,1,3\ny,z,dropped,2,\ny,w,new,,1\n"
    );
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("node,status,degree_before,degree_after,degree_delta,"));
    // y: degree 2 → 2, strength 3 → 4; z exits; w enters.
    assert!(
        lines[2].starts_with("y,stayed,2,2,0,3,4,1,"),
        "{}",
        lines[2]
    );
    assert!(lines[3].starts_with("z,exit,1,,,2,,,"), "{}", lines[3]);
    assert!(lines[4].starts_with("w,entrant,,1,,,1,,"), "{}", lines[4]);
}

#[test]
fn evaluate_links_on_a_time_split() {
    let dir = tempfile::tempdir().unwrap();
    // Train (≤ 2020): star h–a, h–b, h–c, h–d. Test (2021): a–b (a probe),
    // h–a again (repeat, left out), a–z (new node, left out).
    let e = write(
        dir.path(),
        "e.csv",
        "source,target,year\nh,a,2019\nh,b,2019\nh,c,2020\nh,d,2020\n\
         a,b,2021\nh,a,2021\na,z,2021\n",
    );
    let o = weaver(&[
        "network",
        "evaluate-links",
        "--edges",
        &e,
        "--split",
        "2020",
        "--score",
        "common_neighbors",
        "--k",
        "2",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Every leaf pair has one common neighbour: AUC 0.5 over the 5 non-edges;
    // top-2 by node order: a–b, a–c, so precision 1/2.
    assert_eq!(
        stdout(&o),
        "score,split,probes,auc,comparisons,exact,k,precision_at_k\n\
         common_neighbors,2020,1,0.5,5,true,2,0.5\n"
    );
    assert!(stderr(&o).contains("1 with a new node"), "{}", stderr(&o));
    let bad = write(dir.path(), "bad.csv", "source,target,year\na,b,soon\n");
    let o = weaver(&[
        "network",
        "evaluate-links",
        "--edges",
        &bad,
        "--split",
        "2020",
    ]);
    assert!(
        stderr(&o).contains("bad.csv: line 2, column year: expected a number (year)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn project_participations_to_an_edge_list() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "p.csv",
        "project,org,role,budget\nP1,a,coordinator,10\nP1,b,partner,\nP1,c,partner,\n\
         P2,a,coordinator,4\nP2,b,partner,\nP3,d,coordinator,1\n",
    );
    let o = weaver(&["network", "project", "--participations", &p]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "source,target,weight\na,b,2\na,c,1\nb,c,1\n");
    assert!(stderr(&o).contains("1 organization(s) share no project"));
    let o = weaver(&[
        "network",
        "project",
        "--participations",
        &p,
        "--weight",
        "newman",
    ]);
    assert_eq!(
        stdout(&o),
        "source,target,weight\na,b,1.5\na,c,0.5\nb,c,0.5\n"
    );
    let o = weaver(&[
        "network",
        "project",
        "--participations",
        &p,
        "--weight",
        "value",
        "--value-column",
        "budget",
    ]);
    assert_eq!(stdout(&o), "source,target,weight\na,b,14\na,c,10\nb,c,10\n");
    let bad = write(dir.path(), "bad.csv", "project,org,budget\nP1,a,lots\n");
    let o = weaver(&[
        "network",
        "project",
        "--participations",
        &bad,
        "--weight",
        "value",
        "--value-column",
        "budget",
    ]);
    assert!(
        stderr(&o).contains("bad.csv: line 2, column budget: expected a number"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn cascade_ranks_spreaders_and_what_if() {
    let dir = tempfile::tempdir().unwrap();
    // A star: the hub reaches 1 + 3p on average, a leaf 1 + p + 2p².
    let e = write(dir.path(), "e.csv", "source,target\nh,a\nh,b\nh,c\n");
    let o = weaver(&[
        "network",
        "diffuse",
        "--model",
        "cascade",
        "--edges",
        &e,
        "--probability",
        "1",
        "--runs",
        "5",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "node,expected_spread,rank\nh,4,1\na,4,1\nb,4,1\nc,4,1\n"
    );
    let o = weaver(&[
        "network",
        "diffuse",
        "--model",
        "cascade",
        "--edges",
        &e,
        "--probability",
        "0.5",
        "--runs",
        "4000",
        "--what-if",
        "1",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let rows: Vec<Vec<f64>> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').skip(1).map(|x| x.parse().unwrap()).collect())
        .collect();
    // Hub: 1 + 3·0.5 = 2.5; leaf: 1 + 0.5 + 2·0.25 = 2 (Monte Carlo ± 0.1).
    assert!((rows[0][0] - 2.5).abs() < 0.1, "{out}");
    assert!((rows[1][0] - 2.0).abs() < 0.1, "{out}");
    assert_eq!(rows[0][1], 1.0); // the hub ranks first
    // One recommended leaf–leaf tie raises the mean spread.
    assert!(
        stderr(&o).contains("1 recommended ties added"),
        "{}",
        stderr(&o)
    );
    let before: f64 = rows.iter().map(|r| r[0]).sum();
    let after: f64 = rows.iter().map(|r| r[2]).sum();
    assert!(after > before, "{out}");
    let o = weaver(&["network", "diffuse", "--model", "cascade", "--ring", "10"]);
    assert!(stderr(&o).contains("needs --edges"), "{}", stderr(&o));
}

#[test]
fn gexf_and_graphml_are_inputs_too() {
    let dir = tempfile::tempdir().unwrap();
    let e = write(dir.path(), "e.csv", TWO_TRIANGLES);
    let n = write(dir.path(), "n.csv", GROUPS);
    let csv = weaver(&["network", "metrics", "--edges", &e, "--nodes", &n]);
    for format in ["gexf", "graphml"] {
        let out = dir.path().join(format!("g.{format}"));
        let o = weaver(&[
            "network",
            "export",
            "--edges",
            &e,
            "--nodes",
            &n,
            "--format",
            format,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        // The same metrics from the exported file.
        let o = weaver(&["network", "metrics", "--edges", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(stdout(&o), stdout(&csv), "{format}");
        // Its attributes serve brokerage.
        let o = weaver(&[
            "network",
            "brokerage",
            "--edges",
            out.to_str().unwrap(),
            "--group",
            "region",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let bad = write(
        dir.path(),
        "bad.graphml",
        "<graphml><graph><edge source=\"a\"/></graph></graphml>",
    );
    let o = weaver(&["network", "summary", "--edges", &bad]);
    assert!(stderr(&o).contains("bad.graphml"), "{}", stderr(&o));
}
