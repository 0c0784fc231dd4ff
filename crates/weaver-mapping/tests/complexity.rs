//! Complexity measures against Harvard Growth Lab's `ecomplexity` package
//! (fixtures made by `tests/fixtures/complexity_fixtures.py`), and
//! co-location against `numpy.corrcoef`.

use serde_json::Value;
use weaver_mapping::complexity::{ComplexityOptions, complexity, what_next};
use weaver_mapping::related::lq_correlations;
use weaver_testkit::assert_all_close;

fn fixture(name: &str) -> Value {
    weaver_testkit::json_fixture("weaver-mapping", name)
}

fn vec_of(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap_or(f64::NAN))
        .collect()
}

fn mat_of(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().flat_map(vec_of).collect()
}

fn check(name: &str) {
    let f = fixture(name);
    let n = f["regions"].as_array().unwrap().len();
    let m = f["industries"].as_array().unwrap().len();
    let x = mat_of(&f["values"]);
    let c = complexity(&x, n, m, &ComplexityOptions::default()).unwrap();
    assert_all_close("rca", &c.rca, &mat_of(&f["rca"]), 1e-12, 1e-12);
    assert_all_close("mcp", &c.mcp, &mat_of(&f["mcp"]), 0.0, 0.0);
    assert_all_close(
        "diversity",
        &c.diversity,
        &vec_of(&f["diversity"]),
        0.0,
        0.0,
    );
    assert_all_close("ubiquity", &c.ubiquity, &vec_of(&f["ubiquity"]), 0.0, 0.0);
    assert_all_close(
        "proximity",
        &c.proximity,
        &mat_of(&f["proximity"]),
        1e-12,
        1e-12,
    );
    assert_all_close("density", &c.density, &mat_of(&f["density"]), 1e-12, 1e-12);
    // Eigenvector results: numpy's LAPACK eig against our Jacobi.
    assert_all_close("eci", &c.eci, &vec_of(&f["eci"]), 1e-9, 1e-9);
    assert_all_close("pci", &c.pci, &vec_of(&f["pci"]), 1e-9, 1e-9);
    assert_all_close("coi", &c.coi, &vec_of(&f["coi"]), 1e-9, 1e-9);
    assert_all_close("cog", &c.cog, &mat_of(&f["cog"]), 1e-9, 1e-9);
}

#[test]
fn small_matrix_matches_ecomplexity() {
    check("complexity_small.json");
}

#[test]
fn realistic_matrix_matches_ecomplexity() {
    check("complexity_realistic.json");
}

#[test]
fn eci_without_relatedness_is_the_same() {
    let f = fixture("complexity_realistic.json");
    let x = mat_of(&f["values"]);
    let (n, m) = (80, 60);
    let full = complexity(&x, n, m, &ComplexityOptions::default()).unwrap();
    let lean = complexity(
        &x,
        n,
        m,
        &ComplexityOptions {
            relatedness: false,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(lean.eci, full.eci);
    assert!(lean.proximity.is_empty() && lean.cog.is_empty());
    // The transposed problem uses the other symmetric form: ECI and PCI swap roles
    // up to the standardisation; check the eigenvalue agrees.
    let mut xt = vec![0.0; n * m];
    for r in 0..n {
        for p in 0..m {
            xt[p * n + r] = x[r * m + p];
        }
    }
    let t = complexity(
        &xt,
        m,
        n,
        &ComplexityOptions {
            relatedness: false,
            ..Default::default()
        },
    )
    .unwrap();
    assert!((t.eigenvalue - full.eigenvalue).abs() < 1e-12);
}

#[test]
fn degenerate_matrices_do_not_panic() {
    let opts = ComplexityOptions::default();
    let z = complexity(&[0.0; 6], 2, 3, &opts).unwrap();
    assert!(z.eci.iter().all(|v| v.is_nan()));
    let e = complexity(&[], 0, 0, &opts).unwrap();
    assert!(e.eci.is_empty());
    let one = complexity(&[5.0], 1, 1, &opts).unwrap();
    assert_eq!(one.rca, vec![1.0]);
    assert!(one.eci[0].is_nan());
    assert!(complexity(&[1.0, 2.0], 2, 2, &opts).is_err());
    assert!(complexity(&[1.0, -2.0], 1, 2, &opts).is_err());
    assert!(complexity(&[1.0, f64::NAN], 1, 2, &opts).is_err());
}

#[test]
fn what_next_lists_absent_industries_by_density() {
    let f = fixture("complexity_realistic.json");
    let x = mat_of(&f["values"]);
    let c = complexity(&x, 80, 60, &ComplexityOptions::default()).unwrap();
    let next = what_next(&c, 3, 5);
    assert_eq!(next.len(), 5);
    let d: Vec<f64> = next.iter().map(|&p| c.density[3 * 60 + p]).collect();
    assert!(d.windows(2).all(|w| w[0] >= w[1]));
    // No absent industry outside the list is denser than the last listed one.
    let last = *d.last().unwrap();
    for p in 0..60 {
        if c.mcp[3 * 60 + p] == 0.0 && !next.contains(&p) {
            assert!(c.density[3 * 60 + p] <= last);
        }
    }
    assert!(what_next(&c, 999, 5).is_empty());
}

#[test]
fn colocation_matches_numpy_corrcoef() {
    let f = fixture("colocation.json");
    let rows = f["lq"].as_array().unwrap();
    let (n, m) = (rows.len(), rows[0].as_array().unwrap().len());
    let lq = mat_of(&f["lq"]);
    let corr = lq_correlations(&lq, n, m).unwrap();
    assert_all_close("corr", &corr, &mat_of(&f["corr"]), 1e-12, 1e-12);
}
