//! No input makes the package reader panic: seeded random and mangled bytes,
//! as CSV files, zips and workbooks, are either read or refused with problems.

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;
use weaver_core::schema;

const TABLES: &[&str] = &["organizations", "ties", "clusters", "observations"];

fn mangle(rng: &mut Pcg64, base: &[u8]) -> Vec<u8> {
    let mut bytes = base.to_vec();
    for _ in 0..rng.random_range(1..8) {
        if bytes.is_empty() {
            break;
        }
        let i = rng.random_range(0..bytes.len());
        match rng.random_range(0..4) {
            0 => bytes[i] = rng.random(),
            1 => bytes.truncate(i),
            2 => bytes.insert(
                i,
                *b",\"\r\n;\xff\xfe\x00".get(rng.random_range(0..8)).unwrap(),
            ),
            _ => {
                bytes.remove(i);
            }
        }
    }
    bytes
}

#[test]
fn random_and_mangled_csv_files_never_panic() {
    let mut rng = Pcg64::seed_from_u64(2026);
    let base = b"id,name,actor_type,founded,employees\no1,A,enterprise,2001-02-03,10\no2,\"B, Ltd\",user,2020,\n";
    let ties = b"source,target,kind,start,weight\no1,o2,supply,2020,1.5\n";
    for round in 0..300 {
        let dir = tempfile::tempdir().unwrap();
        let table = TABLES[round % TABLES.len()];
        let bytes = if round % 3 == 0 {
            (0..rng.random_range(0..200))
                .map(|_| rng.random::<u8>())
                .collect()
        } else if table == "ties" {
            mangle(&mut rng, ties)
        } else {
            mangle(&mut rng, base)
        };
        std::fs::write(dir.path().join(format!("{table}.csv")), &bytes).unwrap();
        let pkg = weaver_io::read_package(dir.path(), 20).unwrap();
        // Either checked or refused with named problems; never a panic.
        if let Err(rejected) = pkg.finish(&|_, _| false) {
            assert!(rejected.0.total() > 0);
            for p in rejected.0.list() {
                assert!(!p.file.is_empty() && !p.message.is_empty());
            }
        }
    }
}

#[test]
fn mangled_zips_and_workbooks_never_panic() {
    let mut rng = Pcg64::seed_from_u64(7);
    let dir = tempfile::tempdir().unwrap();
    let table = weaver_core::TableData {
        schema: schema::table("organizations").unwrap(),
        present: vec![true; 14],
        rows: vec![vec![
            weaver_core::Value::Text("o1".into()),
            weaver_core::Value::Text("Acme".into()),
            weaver_core::Value::Null,
            weaver_core::Value::Text("enterprise".into()),
            weaver_core::Value::Null,
            weaver_core::Value::Null,
            weaver_core::Value::Null,
            weaver_core::Value::Null,
            weaver_core::Value::Null,
            weaver_core::Value::Null,
            weaver_core::Value::Int(12),
            weaver_core::Value::Null,
            weaver_core::Value::Text("public".into()),
            weaver_core::Value::Text("p".into()),
        ]],
        origin: String::new(),
        lines: vec![2],
    };
    for ext in ["zip", "xlsx"] {
        let good = dir.path().join(format!("good.{ext}"));
        weaver_io::write_package(&good, "p", std::slice::from_ref(&table)).unwrap();
        let bytes = std::fs::read(&good).unwrap();
        let back = weaver_io::read_package(&good, 20)
            .unwrap()
            .finish(&|_, _| false)
            .unwrap();
        assert_eq!(
            back.table("organizations").unwrap().rows,
            table.rows,
            "{ext}"
        );
        for round in 0..60 {
            let path = dir.path().join(format!("bad{round}.{ext}"));
            std::fs::write(&path, mangle(&mut rng, &bytes)).unwrap();
            let pkg = weaver_io::read_package(&path, 20).unwrap();
            let _ = pkg.finish(&|_, _| false);
        }
    }
}
