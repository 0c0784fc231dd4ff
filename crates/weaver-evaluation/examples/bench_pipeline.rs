//! Timing of the composite-index pipeline for `bench/evaluation/run.sh`.
//!
//! `cargo run --release -p weaver-evaluation --example bench_pipeline -- UNITS INDICATORS RUNS SEED OUT_DIR`
//! generates a seeded lognormal data set (10 indicators per dimension, every
//! fifth indicator lower-is-better), writes it to `OUT_DIR/data.csv` and
//! `OUT_DIR/nominal_rust.csv` for the numpy comparison, and prints the
//! timings as JSON.

use std::time::Instant;

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;
use weaver_evaluation::index::{Framework, PeriodInput, period_index};
use weaver_evaluation::uncertainty::{UncertaintyOptions, rank_uncertainty};
use weaver_evaluation::{Direction, IndexMethod, Indicator, Matrix};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |k: usize, d: u64| args.get(k).and_then(|s| s.parse().ok()).unwrap_or(d);
    let (n, k, runs, seed) = (
        arg(1, 1000) as usize,
        arg(2, 60) as usize,
        arg(3, 10_000) as usize,
        arg(4, 1),
    );
    let out = std::path::PathBuf::from(args.get(5).cloned().unwrap_or_else(|| ".".into()));
    let mut rng = Pcg64::seed_from_u64(seed);
    let mut raw = Matrix::missing(n, k);
    for r in 0..n {
        for c in 0..k {
            // lognormal(0, 1) by Box–Muller
            let (u1, u2): (f64, f64) = (rng.random::<f64>().max(1e-300), rng.random());
            let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
            raw.set(r, c, z.exp());
        }
    }
    let inds: Vec<Indicator> = (0..k)
        .map(|c| {
            let dir = if c % 5 == 4 {
                Direction::LowerBetter
            } else {
                Direction::HigherBetter
            };
            let mut i = Indicator::new(&format!("i{c}"), dir);
            i.dimension = Some(format!("d{}", c / 10));
            i
        })
        .collect();
    let method = IndexMethod::default();
    let fw = Framework::resolve(&inds, &method).expect("framework");
    let units: Vec<String> = (0..n).map(|u| format!("u{u}")).collect();
    let present = vec![true; n];
    let input = PeriodInput {
        period: "p",
        raw: &raw,
        present: &present,
        units: &units,
    };

    let mut text = String::from("unit");
    for i in &inds {
        text.push_str(&format!(
            ",{}:{}:{}",
            i.id,
            i.dimension.as_deref().unwrap_or(""),
            i.direction.as_str()
        ));
    }
    text.push('\n');
    for (r, unit) in units.iter().enumerate() {
        text.push_str(unit);
        for c in 0..k {
            text.push_str(&format!(",{}", raw.get(r, c)));
        }
        text.push('\n');
    }
    std::fs::write(out.join("data.csv"), text).expect("write data.csv");

    let mut times = Vec::new();
    let mut nominal = None;
    for _ in 0..21 {
        let t = Instant::now();
        let res = period_index(&input, &fw, &method, None, None).expect("index");
        times.push(t.elapsed().as_secs_f64());
        nominal = Some(res);
    }
    times.sort_by(f64::total_cmp);
    let nominal = nominal.expect("ran");
    let mut s = String::from("unit,score,rank\n");
    for (u, unit) in units.iter().enumerate() {
        s.push_str(&format!(
            "{},{},{}\n",
            unit,
            nominal.scores[u],
            nominal.ranks[u].unwrap_or(0)
        ));
    }
    std::fs::write(out.join("nominal_rust.csv"), s).expect("write nominal");

    let opts = UncertaintyOptions {
        runs,
        seed,
        ..UncertaintyOptions::default()
    };
    let t = Instant::now();
    let mc = rank_uncertainty(&input, &fw, &method, None, &opts).expect("mc");
    let mc_time = t.elapsed().as_secs_f64();
    println!(
        "{{\"units\": {n}, \"indicators\": {k}, \"nominal_median_s\": {}, \"mc_runs\": {runs}, \"mc_s\": {mc_time}, \"mc_failed\": {}, \"threads\": {}}}",
        times[times.len() / 2],
        mc.runs_failed,
        rayon::current_num_threads()
    );
}
