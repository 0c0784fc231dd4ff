//! The demo tells a consistent story (issue 16): each cluster's series
//! follow its story, the register and the entered observations agree, the
//! cluster office is the hub of its network, public rows exist for the
//! portal, and the demo's indicators are those of the built-in framework.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use serde_json::Value as Json;
use weaver::demo::{DemoOptions, build};
use weaver_core::Package;
use weaver_evaluation::IndexMethod;
use weaver_evaluation::frameworks::WORLD_CLASS_CLUSTER;

mod common;
use common::{http, serve, text, weaver};

const GOVERNMENT_LED: [&str; 4] = [
    "demo-cn-xian-aero",
    "demo-cn-beijing-ai",
    "demo-cn-ningde-battery",
    "demo-de-berlin-digital",
];
const MULTI_ACTOR: [&str; 7] = [
    "demo-cn-hefei-ai",
    "demo-cn-chengdu-software",
    "demo-de-owl-its",
    "demo-cn-suzhou-nano",
    "demo-cn-wuhan-optics",
    "demo-de-kiel-wind",
    "demo-cn-hangzhou-security",
];
const DECLINING: [&str; 3] = [
    "demo-cn-anshan-steel",
    "demo-fr-lille-textile",
    "demo-de-ruhr-energy",
];
const MARKET_DRIVEN: [&str; 3] = [
    "demo-de-dresden-micro",
    "demo-fr-toulouse-aero",
    "demo-cn-shenzhen-ict",
];

fn package(options: &DemoOptions) -> Package {
    build(options)
        .finish(&|_, _| false)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn default_demo() -> Package {
    package(&DemoOptions::default())
}

/// The rows of a table as maps from column name to the cell's text.
fn rows(p: &Package, table: &str) -> Vec<HashMap<&'static str, String>> {
    let t = p.table(table).unwrap();
    t.rows
        .iter()
        .map(|r| {
            t.schema
                .columns
                .iter()
                .zip(r)
                .map(|(c, v)| (c.name, v.to_text()))
                .collect()
        })
        .collect()
}

/// Observations of one indicator: cluster → year → value.
fn series(p: &Package, indicator: &str) -> BTreeMap<String, BTreeMap<i32, f64>> {
    let mut out: BTreeMap<String, BTreeMap<i32, f64>> = BTreeMap::new();
    for r in rows(p, "observations") {
        if r["indicator"] == indicator {
            out.entry(r["cluster"].clone())
                .or_default()
                .insert(r["period"].parse().unwrap(), r["value"].parse().unwrap());
        }
    }
    out
}

#[test]
fn employment_follows_each_clusters_story_not_one_shared_path() {
    let p = default_demo();
    let employment = series(&p, "employment");
    assert_eq!(employment.len(), 32);
    // Year-on-year growth of 2024, to 0.1 %: no two clusters share a path.
    let growth = |s: &BTreeMap<i32, f64>, y: i32| s[&y] / s[&(y - 1)] - 1.0;
    let paths: HashSet<Vec<i64>> = employment
        .values()
        .map(|s| {
            s.keys()
                .filter(|y| s.contains_key(&(**y - 1)))
                .map(|y| (growth(s, *y) * 1000.0).round() as i64)
                .collect()
        })
        .collect();
    assert!(paths.len() >= 30, "{} distinct paths", paths.len());
    // Growth over 2020–2024 by story: the young government-led clusters
    // grow fastest, the mature ones barely, the declining ones shrink.
    let cagr = |c: &str| (employment[c][&2024] / employment[c][&2020]).powf(0.25) - 1.0;
    for c in GOVERNMENT_LED {
        assert!(cagr(c) > 0.09, "{c}: {}", cagr(c));
    }
    for c in MARKET_DRIVEN {
        assert!(cagr(c).abs() < 0.035, "{c}: {}", cagr(c));
    }
    for c in DECLINING {
        assert!(cagr(c) < -0.05, "{c}: {}", cagr(c));
        // It shrinks every year.
        let s = &employment[c];
        assert!(s.keys().skip(1).all(|y| growth(s, *y) < 0.0), "{c}: {s:?}");
    }
}

#[test]
fn size_classes_follow_employees_by_the_eu_thresholds() {
    let p = default_demo();
    let mut seen = BTreeSet::new();
    for r in rows(&p, "organizations") {
        let employees: u32 = r["employees"].parse().unwrap();
        let expected = match employees {
            0..10 => "micro",
            10..50 => "small",
            50..250 => "medium",
            _ => "large",
        };
        let size = r["size"].as_str();
        match size {
            // Government bodies have no size class.
            "" => assert_eq!(r["actor_type"], "government", "{r:?}"),
            // Known only as a small or medium-sized enterprise.
            "sme" => assert!(employees < 250, "{r:?}"),
            _ => assert_eq!(size, expected, "{} with {employees} employees", r["id"]),
        }
        seen.insert((r["actor_type"].clone(), size.to_owned()));
    }
    // Research institutes come in several sizes (not all "small").
    let research: Vec<_> = seen.iter().filter(|(a, _)| a == "research").collect();
    assert!(research.len() >= 3, "{research:?}");
}

/// Members of each cluster in `year` and their partners in the ties valid
/// in it (several ties of a pair count once).
fn networks(p: &Package, year: &str) -> HashMap<String, HashMap<String, HashSet<String>>> {
    let valid = |since: &str, until: &str| {
        since.get(..4).is_none_or(|s| s <= year) && until.get(..4).is_none_or(|u| u >= year)
    };
    let mut members: HashMap<String, HashSet<String>> = HashMap::new();
    for r in rows(p, "memberships") {
        if valid(&r["since"], &r["until"]) {
            members
                .entry(r["cluster"].clone())
                .or_default()
                .insert(r["org"].clone());
        }
    }
    let ties: Vec<_> = rows(p, "ties")
        .into_iter()
        .filter(|r| valid(&r["start"], &r["end"]))
        .collect();
    members
        .into_iter()
        .map(|(cluster, members)| {
            let mut partners: HashMap<String, HashSet<String>> = members
                .iter()
                .map(|m| (m.clone(), HashSet::new()))
                .collect();
            for t in &ties {
                let (a, b) = (&t["source"], &t["target"]);
                if a != b && members.contains(a) && members.contains(b) {
                    partners.get_mut(a).unwrap().insert(b.clone());
                    partners.get_mut(b).unwrap().insert(a.clone());
                }
            }
            (cluster, partners)
        })
        .collect()
}

#[test]
fn the_cluster_office_is_the_hub_of_its_network() {
    for options in [
        DemoOptions::default(),
        DemoOptions {
            organizations: 400,
            seed: 7,
            ties: None,
        },
    ] {
        let p = package(&options);
        let nets = networks(&p, "2024");
        for c in rows(&p, "clusters") {
            let net = &nets[&c["id"]];
            let office = &c["manager_org"];
            let degree = net[office].len();
            let (best, most) = net
                .iter()
                .filter(|(o, _)| *o != office)
                .map(|(o, p)| (o, p.len()))
                .max_by_key(|(_, d)| *d)
                .unwrap();
            assert!(
                degree > most,
                "{}: the office {office} has {degree} partners, {best} {most}",
                c["id"]
            );
            // Tied with most members.
            assert!(
                2 * degree > net.len() - 1,
                "{}: {degree} of {} members",
                c["id"],
                net.len()
            );
        }
    }
}

#[test]
fn memberships_seats_and_ties_of_a_cluster_start_on_or_after_its_founding() {
    let p = default_demo();
    let founded: HashMap<String, String> = rows(&p, "clusters")
        .into_iter()
        .map(|c| (c["id"].clone(), c["founded"].clone()))
        .collect();
    for table in ["memberships", "governance"] {
        for r in rows(&p, table) {
            assert!(r["since"] >= founded[&r["cluster"]], "{table}: {r:?}");
        }
    }
}

#[test]
fn governance_and_a_share_of_memberships_and_projects_are_public() {
    let p = default_demo();
    let share = |table: &str| {
        let all = rows(&p, table);
        let public = all.iter().filter(|r| r["visibility"] == "public").count();
        public as f64 / all.len() as f64
    };
    assert_eq!(share("governance"), 1.0);
    for table in ["memberships", "projects"] {
        let s = share(table);
        assert!((0.3..=0.6).contains(&s), "{table}: {s}");
    }
    // A project's participations are as visible as the project.
    let public: HashSet<String> = rows(&p, "projects")
        .into_iter()
        .filter(|r| r["visibility"] == "public")
        .map(|r| r["id"].clone())
        .collect();
    for r in rows(&p, "participations") {
        assert_eq!(r["visibility"] == "public", public.contains(&r["project"]));
    }
    // Every cluster shows some public members and its office's membership.
    let managers: HashSet<String> = rows(&p, "clusters")
        .into_iter()
        .map(|c| c["manager_org"].clone())
        .collect();
    for r in rows(&p, "memberships") {
        if managers.contains(&r["org"]) {
            assert_eq!(r["visibility"], "public", "{r:?}");
        }
    }
}

#[test]
fn anonymous_callers_see_the_demos_public_rows() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let o = weaver(
        p,
        &[
            "--db",
            "sqlite://demo.db",
            "demo",
            "--organizations",
            "300",
            "--no-serve",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let (_server, addr) = serve(p, "sqlite://demo.db");
    let get = |path: &str| -> Json {
        let (status, body) = http(&addr, "GET", path, None, "");
        assert_eq!(status, 200, "{path}: {body}");
        serde_json::from_str(&body).unwrap()
    };
    let cluster = get("/api/v1/clusters/demo-cn-xian-aero");
    assert_eq!(cluster["id"], "demo-cn-xian-aero");
    for table in ["governance", "memberships", "projects"] {
        let page = get(&format!(
            "/api/v1/{table}?cluster=demo-cn-shenzhen-ict&limit=500"
        ));
        let rows = page["rows"].as_array().unwrap();
        assert!(!rows.is_empty(), "{table}: nothing public");
        assert!(rows.iter().all(|r| r["visibility"] == "public"), "{table}");
    }
}

fn framework() -> IndexMethod {
    IndexMethod::from_toml(WORLD_CLASS_CLUSTER).unwrap()
}

#[test]
fn the_demos_indicators_are_the_frameworks_in_its_units() {
    let p = default_demo();
    let method = framework();
    // Every indicator of the framework states its unit.
    for i in &method.indicators {
        assert!(
            i.unit.as_deref().is_some_and(|u| !u.is_empty()),
            "{} has no unit",
            i.id
        );
    }
    let entered: BTreeMap<String, String> = method
        .indicators
        .iter()
        .filter(|i| !i.id.starts_with("auto."))
        .map(|i| (i.id.clone(), i.unit.clone().unwrap()))
        .collect();
    let demo: BTreeMap<String, String> = rows(&p, "indicators")
        .into_iter()
        .map(|r| (r["id"].clone(), r["unit"].clone()))
        .collect();
    assert_eq!(demo, entered);
    // Every framework indicator is in one of its dimensions.
    let in_dimensions: BTreeSet<&str> = method
        .dimensions
        .iter()
        .flat_map(|d| d.indicators.iter().map(String::as_str))
        .collect();
    let all: BTreeSet<&str> = method.indicators.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(in_dimensions, all);
    // The register computes these: the demo does not enter them.
    for code in [
        "members",
        "density",
        "cross_actor_share",
        "public_funding_share",
    ] {
        assert!(!demo.contains_key(code), "{code}");
    }
}

#[test]
fn observations_respect_their_indicators_ranges_and_jumps() {
    let p = default_demo();
    let indicators = rows(&p, "indicators");
    let number = |s: &str| (!s.is_empty()).then(|| s.parse::<f64>().unwrap());
    for ind in &indicators {
        let (min, max) = (number(&ind["min_value"]), number(&ind["max_value"]));
        let integer = ind["integer_only"] == "true";
        let jump = number(&ind["jump_factor"]).unwrap_or(3.0);
        assert!(min.is_some(), "{} has no minimum", ind["id"]);
        let all = series(&p, &ind["id"]);
        assert!(all.len() == 32, "{}: {} clusters", ind["id"], all.len());
        for (cluster, s) in &all {
            let mut previous: Option<f64> = None;
            for (year, &v) in s {
                let at = format!("{} {cluster} {year}: {v}", ind["id"]);
                assert!(min.is_none_or(|m| v >= m), "{at} below {min:?}");
                assert!(max.is_none_or(|m| v <= m), "{at} above {max:?}");
                assert!(!integer || v.fract() == 0.0, "{at} not whole");
                if let Some(prev) = previous
                    && jump > 1.0
                    && prev != 0.0
                {
                    assert!(
                        v / prev <= jump && v / prev >= 1.0 / jump,
                        "{at} after {prev}"
                    );
                }
                previous = Some(v);
            }
        }
    }
    // Member satisfaction is a 1–5 survey mean everywhere.
    let satisfaction = indicators
        .iter()
        .find(|i| i["id"] == "member_satisfaction")
        .unwrap();
    assert_eq!(
        (
            satisfaction["min_value"].as_str(),
            satisfaction["max_value"].as_str()
        ),
        ("1", "5")
    );
}

fn json(dir: &Path, args: &[&str]) -> (Vec<Json>, String) {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let o = weaver(dir, &all);
    assert!(o.status.success(), "{args:?}: {}", text(&o));
    let rows = serde_json::from_slice::<Json>(&o.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    (rows, String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn the_register_reads_the_stories_back_and_the_index_covers_the_framework() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let o = weaver(p, &["demo", "--no-serve"]);
    assert!(o.status.success(), "{}", text(&o));

    // The index over the built-in framework: no indicator left out, every
    // cluster with every indicator of 2024.
    let (scores, notes) = json(
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
    assert!(!notes.contains("left out"), "{notes}");
    assert_eq!(scores.len(), 32);
    for s in &scores {
        assert_eq!(s["coverage"].as_f64(), Some(1.0), "{s}");
    }

    // The lifecycle diagnosis of 2024 reads each story back: the policy
    // stage of every cluster, the lifecycle stage of the young, the mature
    // and the declining ones; a growing cluster is still emerging while it
    // has fewer than 30 members (the rules' threshold).
    let (stages, _) = json(p, &["evaluate", "lifecycle", "--from-register"]);
    let stage = |unit: &str| {
        let r = stages
            .iter()
            .find(|r| r["unit"] == unit && r["period"] == "2024")
            .unwrap_or_else(|| panic!("no 2024 stage of {unit}"));
        (
            r["policy_stage"].as_str().unwrap().to_owned(),
            r["lifecycle_stage"].as_str().unwrap().to_owned(),
        )
    };
    let clusters: BTreeSet<String> = stages
        .iter()
        .map(|r| r["unit"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(clusters.len(), 32);
    for c in &clusters {
        let (policy, lifecycle) = stage(c);
        let c = c.as_str();
        if GOVERNMENT_LED.contains(&c) {
            assert_eq!(
                (policy.as_str(), lifecycle.as_str()),
                ("initial", "emergence"),
                "{c}"
            );
        } else if MULTI_ACTOR.contains(&c) {
            assert_eq!(policy, "growth", "{c}");
            assert!(
                ["growth", "emergence"].contains(&lifecycle.as_str()),
                "{c}: {lifecycle}"
            );
        } else if DECLINING.contains(&c) {
            assert_eq!(lifecycle, "decline", "{c}");
        } else {
            // Mature and market-driven.
            assert_eq!(
                (policy.as_str(), lifecycle.as_str()),
                ("mature", "sustainment"),
                "{c}"
            );
        }
    }
}
