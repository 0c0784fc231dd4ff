//! Times ECI/PCI (and the full set of complexity measures) on a dense matrix
//! read from a headerless CSV; writes the ECI for comparison. Used by
//! `bench/mapping/run.sh`:
//!
//! `cargo run --release -p weaver-mapping --example eci_bench -- matrix.csv eci.csv [--eci-only]`

use std::io::Write;
use std::time::Instant;

use weaver_mapping::complexity::{ComplexityOptions, complexity};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        return Err("usage: eci_bench MATRIX.csv OUT_ECI.csv".into());
    }
    let text = std::fs::read_to_string(&args[1])?;
    let mut values = Vec::new();
    let mut rows = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        for v in line.split(',') {
            values.push(v.trim().parse::<f64>()?);
        }
        rows += 1;
    }
    let cols = values.len() / rows.max(1);
    let t0 = Instant::now();
    let lean = complexity(
        &values,
        rows,
        cols,
        &ComplexityOptions {
            relatedness: false,
            ..Default::default()
        },
    )?;
    let t_eci = t0.elapsed().as_secs_f64();
    if args.get(3).map(String::as_str) != Some("--eci-only") {
        let t0 = Instant::now();
        let full = complexity(&values, rows, cols, &ComplexityOptions::default())?;
        let t_full = t0.elapsed().as_secs_f64();
        assert_eq!(lean.eci, full.eci);
        println!("weaver_full_seconds {t_full:.3}");
    }
    let mut out = std::io::BufWriter::new(std::fs::File::create(&args[2])?);
    writeln!(out, "region,eci")?;
    for (i, e) in lean.eci.iter().enumerate() {
        writeln!(out, "{i},{e}")?;
    }
    println!("weaver_eci_seconds {t_eci:.3}");
    Ok(())
}
