//! Benchmark driver (used by `bench/network/run.sh`): reads an edge list
//! `source,target,weight` (no quoting) and times one task.
//!
//! usage: bench_network EDGES.csv load|metrics|leiden|betweenness|closeness|
//!        betweenness-weighted|sampled|sampled-weighted
//!
//! Prints one JSON object: task, nodes, edges, seconds (of the task, loading
//! included for `load` and `metrics`), and a check value.

use std::time::Instant;

use weaver_network::*;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: bench_network EDGES.csv load|metrics|leiden|betweenness|closeness");
        std::process::exit(2);
    }
    let (path, task) = (&args[1], args[2].as_str());
    let t0 = Instant::now();
    let text = std::fs::read_to_string(path).expect("readable edge list");
    let mut edges = Vec::new();
    for line in text.lines().skip(1) {
        let mut it = line.split(',');
        let (Some(s), Some(t), Some(w)) = (it.next(), it.next(), it.next()) else {
            continue;
        };
        edges.push(EdgeRecord::new(s, t, w.parse().expect("numeric weight")));
    }
    let opts = GraphOptions {
        directed: false,
        weighted: true,
    };
    let (g, _) = Graph::from_edges(&[], &edges, opts).expect("valid graph");
    drop(edges);
    drop(text);
    let load = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    let check: f64 = match task {
        "load" => 0.0,
        "metrics" => {
            let d = degree(&g);
            let s = strength(&g);
            let e = eigenvector(&g, &EigenvectorOptions::default())
                .map(|x| x.iter().sum::<f64>())
                .unwrap_or(f64::NAN);
            let p = pagerank(&g, &PageRankOptions::default()).expect("pagerank converges");
            let c = clustering(&g);
            let k = core_number(&g);
            let comp = components(&g);
            let con = constraint(&g, &HolesOptions::default());
            let es = effective_size(&g, &HolesOptions::default());
            d.len() as f64
                + s.iter().sum::<f64>()
                + e
                + p.iter().sum::<f64>()
                + c.iter().sum::<f64>()
                + k.iter().sum::<usize>() as f64
                + comp.sizes.len() as f64
                + con.iter().filter(|x| x.is_finite()).sum::<f64>()
                + es.iter().filter(|x| x.is_finite()).sum::<f64>()
        }
        "leiden" => {
            communities(&g, &CommunityOptions::default())
                .expect("valid options")
                .modularity
        }
        "betweenness" => betweenness(&g, &BetweennessOptions::default()).iter().sum(),
        "closeness" => closeness(&g, &ClosenessOptions::default()).iter().sum(),
        "betweenness-weighted" => betweenness(
            &g,
            &BetweennessOptions {
                weighted_paths: true,
                ..Default::default()
            },
        )
        .iter()
        .sum(),
        // Riondato–Kornaropoulos with ε = 0.01, δ = 0.1; the check is the
        // sample size.
        "sampled" | "sampled-weighted" => {
            let opts = SampledBetweennessOptions {
                weighted_paths: task == "sampled-weighted",
                ..Default::default()
            };
            let est = betweenness_sampled(&g, &opts).expect("valid options");
            eprintln!(
                "vertex-diameter bound {}, {} samples",
                est.vertex_diameter_bound, est.samples
            );
            est.samples as f64
        }
        other => {
            eprintln!("unknown task {other}");
            std::process::exit(2);
        }
    };
    let task_s = t1.elapsed().as_secs_f64();
    let seconds = if task == "metrics" || task == "load" {
        load + task_s
    } else {
        task_s
    };
    println!(
        "{{\"tool\": \"weaver\", \"task\": \"{task}\", \"nodes\": {}, \"edges\": {}, \"seconds\": {seconds:.3}, \"load_seconds\": {load:.3}, \"check\": {check}}}",
        g.node_count(),
        g.edge_count()
    );
}
