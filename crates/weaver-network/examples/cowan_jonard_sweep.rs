//! Sweep of the Cowan–Jonard model over the rewiring probability p (used for
//! `bench/RESULTS.md`): for each p, the mean over seeds of the steady-state
//! mean knowledge, of its variance across agents and of its coefficient of
//! variation. `bench/network/plot_sweep.py` draws the figure from the output.
//!
//! usage: cowan_jonard_sweep [AGENTS] [NEIGHBOURS] [ALPHA] [SEEDS]
//! (defaults 100 agents, 10 neighbours, α = 0.5, 10 seeds; K = 5, levels
//! uniform on [0, 1], lead threshold 1e-3)

use weaver_network::{CowanJonardOptions, cowan_jonard, watts_strogatz};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let get = |i: usize, d: f64| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(d);
    let agents = get(1, 100.0) as usize;
    let neighbours = get(2, 10.0) as usize;
    let alpha = get(3, 0.5);
    let seeds = get(4, 10.0) as u64;
    println!("p,mean_knowledge,variance,cv,steps,seeds");
    for p in [0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0] {
        let (mut mean, mut var, mut cv, mut steps) = (0.0, 0.0, 0.0, 0.0);
        for seed in 0..seeds {
            let g = watts_strogatz(agents, neighbours, p, seed).expect("valid lattice");
            let opts = CowanJonardOptions {
                alpha,
                seed,
                ..Default::default()
            };
            let r = cowan_jonard(&g, &opts).expect("valid options");
            mean += r.mean;
            var += r.variance;
            cv += r.cv;
            steps += r.steps as f64;
        }
        let s = seeds as f64;
        println!(
            "{p},{},{},{},{},{seeds}",
            mean / s,
            var / s,
            cv / s,
            steps / s
        );
    }
}
