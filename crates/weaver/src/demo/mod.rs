//! The demo register: a seeded, synthetic but realistic set of clusters.
//!
//! [`build`] writes 32 clusters — 14 in China, 9 in Germany, 9 in France —
//! with their organizations of every actor type, memberships,
//! governance bodies, programmes, projects and participations, funding by
//! source, collaboration ties, the 16 entered indicators of the built-in
//! framework `world_class_cluster` with yearly observations
//! 2015–2024, and employment, establishments and wages by region and industry
//! for every region of each country at one level (China's 31 provincial
//! divisions, Germany's 38 and France's 27 NUTS-2 regions: national totals
//! are complete, so location quotients within a country mean something), in
//! the classification each country uses; the `regions` table names those
//! regions, the levels above them and the cities and départements of the
//! clusters, with approximate centroids.
//! Every row goes through [`PackageBuilder`] as text, exactly as a user's file
//! would, so the demo is checked like any other package.
//!
//! **Everything is synthetic.** Cluster and programme names say so, and every
//! row's `source`/`citation` is `synthetic demo data (weaver demo, seed N)`.
//! Region codes (GB/T 2260, NUTS 2021) and industry codes (GB/T 4754-2017
//! divisions for China, NACE Rev. 2 divisions for Europe) are real codes, so
//! the mapping engine can work on the demo; the organizations, people's
//! institutions, amounts and ties are invented. Websites use the reserved
//! `.example` domain.
//!
//! The story the numbers tell follows the cluster lifecycle of cluster policy
//! (government-led start, multi-actor growth, market-driven maturity) and
//! decline: each cluster has a story (`Story` in the catalogue: young
//! government-led, growing multi-actor, mature market-driven, declining).
//! Its public share of funding (central + local government + supranational)
//! in a year is, times a ±10 % draw, with `age` the years since the cluster
//! was founded (2000 to 2020 across the 32): `0.55 + 0.35·exp(−age/8)`
//! government-led, `0.2 + 0.7·exp(−age/6)` multi-actor, `0.12 +
//! 0.78·exp(−age/5)` mature or declining. When members join follows it
//! (uniformly, later and later, or mostly early), declining clusters lose
//! half their members from 2017 on (and close their working groups in
//! 2020), employment grows by the story's rate
//! (+12 %, +8 %, +1.5 %, −8 % a year) plus the cluster's offset and yearly
//! noise, and government-led clusters have few ties beyond their office's.
//! The cluster office is tied to 85 % of the members, present and former, and
//! no other organization gets as many partners. Size classes follow
//! employees (EU SME thresholds). Governance rows are public, and 45 % of
//! memberships and projects (with their participations).
//!
//! The indicators are the built-in framework `world_class_cluster`'s that
//! the register does not compute, in its units and with ranges; their
//! observations are drawn from the stories or counted from the generated
//! rows (governance bodies, entry rate, leading firms and champions among
//! the member enterprises). What the register computes (members, density,
//! shares, projects per member) the demo does not enter, so nothing
//! disagrees with the register.
//!
//! ```
//! use weaver::demo::{DemoOptions, build};
//!
//! let options = DemoOptions { organizations: 300, ..DemoOptions::default() };
//! let package = build(&options).finish(&|_, _| false).unwrap();
//! assert_eq!(package.table("clusters").unwrap().rows.len(), 32);
//! assert_eq!(package.table("organizations").unwrap().rows.len(), 300);
//! assert_eq!(package.table("ties").unwrap().rows.len(), 1_200);
//! ```
//!
//! Notes: the same options give the same package, row for row. Fewer than
//! [`MIN_ORGANIZATIONS`] organizations are raised to that number (each cluster
//! needs a few). Memory and time are linear in `organizations` and `ties`:
//! rows go straight into the builder, ties are drawn in O(log n) each from
//! cumulative weights and kept distinct with one hash set of `u64`. With
//! 100,000 organizations and 1,000,000 ties, building and finishing the
//! package took 12 s of CPU in a release build on the 2-core development
//! machine, about a quarter of it the generator and the rest the builder's
//! checks, and peaked at 0.9 GB, nearly all of it the checked rows the
//! builder holds.

use weaver_core::PackageBuilder;

mod catalogue;
mod exchange;
mod indicators;
mod model;
mod names;
mod programmes;
mod regions;
mod tables;

use model::Generator;

/// The package's name.
pub const PACKAGE_NAME: &str = "weaver-demo (synthetic)";

/// The smallest number of organizations the demo makes.
pub const MIN_ORGANIZATIONS: usize = 192;

/// First and last year of projects, funding, observations and regional activity.
pub const FIRST_YEAR: i32 = 2015;
/// Last year of the demo's data.
pub const LAST_YEAR: i32 = 2024;
const YEARS: usize = (LAST_YEAR - FIRST_YEAR + 1) as usize;

/// How big a demo to build, and from which seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    /// Seed of the random generator; the same seed gives the same package.
    pub seed: u64,
    /// Number of organizations (at least [`MIN_ORGANIZATIONS`]); projects and
    /// memberships scale with it.
    pub organizations: usize,
    /// Number of ties; `None` gives four per organization (mean degree 8).
    /// Fewer are made only when the organizations cannot hold that many
    /// distinct ties (after 50 draws per tie asked for) while no
    /// organization has as many partners as the office of its cluster.
    pub ties: Option<usize>,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            seed: 42,
            organizations: 2_000,
            ties: None,
        }
    }
}

/// Builds the demo package (not yet finished: call
/// [`PackageBuilder::finish`] to check references and get the package).
///
/// Tables are written in import order. See the [module docs](self) for what
/// is in it.
pub fn build(options: &DemoOptions) -> PackageBuilder {
    let mut g = Generator::new(options);
    let mut pkg = PackageBuilder::new(PACKAGE_NAME);
    pkg.notice(format!(
        "the demo register is synthetic: invented organizations, amounts and ties \
         (seed {}, {} organizations)",
        options.seed, g.n
    ));
    g.regions(&mut pkg);
    pkg.boundaries(regions::schematic_boundaries());
    g.programmes(&mut pkg);
    g.organizations(&mut pkg);
    g.clusters(&mut pkg);
    g.programme_clusters(&mut pkg);
    g.memberships(&mut pkg);
    g.governance(&mut pkg);
    g.projects(&mut pkg);
    g.participations(&mut pkg);
    g.funding(&mut pkg);
    g.ties(&mut pkg);
    g.indicators(&mut pkg);
    exchange::exchange_rates(&mut pkg);
    g.observations(&mut pkg);
    g.regional_activity(&mut pkg);
    pkg
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use rand::SeedableRng;
    use rand_pcg::Pcg64;

    use super::catalogue::ENTERPRISE;
    use super::names::{USCC_CHARS, USCC_WEIGHTS, uscc};
    use super::*;
    use weaver_core::{Package, Value};

    fn small() -> DemoOptions {
        DemoOptions {
            organizations: 400,
            ..DemoOptions::default()
        }
    }

    fn finished(options: &DemoOptions) -> Package {
        match build(options).finish(&|_, _| false) {
            Ok(p) => p,
            Err(e) => panic!("{e}"),
        }
    }

    fn col(p: &Package, table: &str, column: &str) -> Vec<Value> {
        let t = p.table(table).unwrap();
        let pos = t.schema.position(column).unwrap();
        t.rows.iter().map(|r| r[pos].clone()).collect()
    }

    #[test]
    fn the_default_demo_is_a_valid_package_with_every_table() {
        let p = finished(&DemoOptions::default());
        for schema in weaver_core::schema::TABLES {
            let t = p
                .table(schema.name)
                .unwrap_or_else(|| panic!("{}", schema.name));
            assert!(!t.rows.is_empty(), "{} is empty", schema.name);
        }
        assert_eq!(p.table("organizations").unwrap().rows.len(), 2_000);
        assert_eq!(p.table("ties").unwrap().rows.len(), 8_000);
        assert_eq!(p.table("clusters").unwrap().rows.len(), 32);
        assert_eq!(p.table("indicators").unwrap().rows.len(), 16);
        // (31 + 38 + 27) regions × 30 industries × 10 years.
        assert_eq!(p.table("regional_activity").unwrap().rows.len(), 28_800);
        assert!(p.name.contains("synthetic"));
        let sources = col(&p, "organizations", "source");
        assert!(
            sources
                .iter()
                .all(|s| s.as_str().unwrap().contains("synthetic"))
        );
    }

    #[test]
    fn every_actor_type_tier_body_and_tie_kind_is_present() {
        let p = finished(&small());
        let has = |table: &str, column: &str, names: &[&str]| {
            let values = col(&p, table, column);
            for name in names {
                assert!(
                    values.iter().any(|v| v.as_str() == Some(name)),
                    "no {name} in {table}.{column}"
                );
            }
        };
        has(
            "organizations",
            "actor_type",
            weaver_core::enums::ActorType::NAMES,
        );
        has(
            "organizations",
            "size",
            weaver_core::enums::SizeClass::NAMES,
        );
        has("memberships", "tier", weaver_core::enums::Tier::NAMES);
        has("governance", "body", weaver_core::enums::Body::NAMES);
        has(
            "governance",
            "role",
            weaver_core::enums::GovernanceRole::NAMES,
        );
        has(
            "participations",
            "role",
            weaver_core::enums::ParticipationRole::NAMES,
        );
        has(
            "funding",
            "source_type",
            weaver_core::enums::SourceType::NAMES,
        );
        has("ties", "kind", weaver_core::enums::TieKind::NAMES);
        has(
            "programmes",
            "level",
            &["national", "provincial", "supranational"],
        );
        has(
            "indicators",
            "direction",
            weaver_core::enums::Direction::NAMES,
        );
    }

    /// Public share (central + local + supranational) of all money of a
    /// cluster (its own and its projects') over a range of years.
    fn public_share_of(p: &Package, cluster: &str, years: std::ops::RangeInclusive<i64>) -> f64 {
        let projects = p.table("projects").unwrap();
        let of_cluster: HashSet<&str> = projects
            .rows
            .iter()
            .filter(|r| r[2].as_str() == Some(cluster))
            .filter_map(|r| r[0].as_str())
            .collect();
        let (mut public, mut total) = (0.0, 0.0);
        for r in &p.table("funding").unwrap().rows {
            let recipient = r[0].as_str().unwrap();
            let Value::Int(year) = r[5] else { panic!() };
            if (recipient == cluster || of_cluster.contains(recipient)) && years.contains(&year) {
                let amount = r[3].as_f64().unwrap();
                total += amount;
                if matches!(
                    r[1].as_str(),
                    Some("central_gov" | "local_gov" | "supranational")
                ) {
                    public += amount;
                }
            }
        }
        public / total
    }

    #[test]
    fn public_share_falls_as_clusters_mature() {
        let p = finished(&DemoOptions::default());
        // Mature (founded 2005–2008) and one founded 2017.
        for cluster in [
            "demo-fr-toulouse-aero",
            "demo-de-stuttgart-mobility",
            "demo-cn-shenzhen-ict",
            "demo-cn-hefei-ai",
        ] {
            let early = public_share_of(&p, cluster, 2015..=2018);
            let late = public_share_of(&p, cluster, 2021..=2024);
            assert!(late < early, "{cluster}: {early} → {late}");
        }
        // A young cluster is government-led; a mature one is not.
        let young = public_share_of(&p, "demo-cn-xian-aero", 2019..=2020);
        let mature = public_share_of(&p, "demo-de-dresden-micro", 2019..=2020);
        assert!(young > 0.6 && mature < 0.25, "{young} {mature}");
        // The register computes the share from these rows: the demo enters
        // no observation of its own that could disagree.
        let obs = p.table("observations").unwrap();
        assert!(
            obs.rows
                .iter()
                .all(|r| r[1].as_str() != Some("public_funding_share"))
        );
    }

    #[test]
    fn ties_are_denser_within_clusters_and_degrees_are_heavy_tailed() {
        let p = finished(&DemoOptions::default());
        let orgs = p.table("organizations").unwrap();
        let region: std::collections::HashMap<&str, &str> = orgs
            .rows
            .iter()
            .map(|r| (r[0].as_str().unwrap(), r[6].as_str().unwrap()))
            .collect();
        let ties = p.table("ties").unwrap();
        let mut degree: std::collections::HashMap<&str, usize> = Default::default();
        let mut inside = 0;
        for r in &ties.rows {
            let (a, b) = (r[0].as_str().unwrap(), r[1].as_str().unwrap());
            *degree.entry(a).or_default() += 1;
            *degree.entry(b).or_default() += 1;
            if region[a] == region[b] {
                inside += 1;
            }
        }
        assert!(inside as f64 > 0.8 * ties.rows.len() as f64);
        let max = *degree.values().max().unwrap() as f64;
        let mean = 2.0 * ties.rows.len() as f64 / orgs.rows.len() as f64;
        assert!(max > 8.0 * mean, "max degree {max}, mean {mean}");
    }

    #[test]
    fn the_same_seed_gives_the_same_package_and_another_seed_another() {
        let a = finished(&small());
        let b = finished(&small());
        let c = finished(&DemoOptions { seed: 7, ..small() });
        for (x, y) in a.tables.iter().zip(&b.tables) {
            assert_eq!(x.rows, y.rows, "{}", x.schema.name);
        }
        assert_ne!(a.table("ties").unwrap().rows, c.table("ties").unwrap().rows);
        assert_ne!(
            a.table("organizations").unwrap().rows,
            c.table("organizations").unwrap().rows
        );
    }

    #[test]
    fn seats_go_to_members_who_had_joined_and_managers_are_as_old_as_their_cluster() {
        let p = finished(&small());
        let mut joined: std::collections::HashMap<(String, String), String> = Default::default();
        for r in &p.table("memberships").unwrap().rows {
            joined.insert((r[0].to_text(), r[1].to_text()), r[3].to_text());
        }
        let governance = p.table("governance").unwrap();
        let seat_since = governance.schema.position("since").unwrap();
        for r in &governance.rows {
            let key = (r[0].to_text(), r[2].to_text());
            let since = joined
                .get(&key)
                .unwrap_or_else(|| panic!("{key:?} is no member"));
            assert!(
                since[..4] <= r[seat_since].to_text()[..4],
                "{key:?} joined {since}, seat {r:?}"
            );
        }
        let orgs = p.table("organizations").unwrap();
        for c in &p.table("clusters").unwrap().rows {
            let manager = orgs.rows.iter().find(|o| o[0] == c[9]).unwrap();
            assert_eq!(manager[9].to_text(), c[8].to_text()[..4]);
            assert_eq!(manager[10].to_text(), c[10].to_text());
        }
    }

    #[test]
    fn the_tie_count_is_honoured_and_tiny_demos_are_raised() {
        let p = finished(&DemoOptions {
            organizations: 10,
            ties: Some(500),
            seed: 1,
        });
        assert_eq!(
            p.table("organizations").unwrap().rows.len(),
            MIN_ORGANIZATIONS
        );
        assert_eq!(p.table("ties").unwrap().rows.len(), 500);
    }

    #[test]
    fn unified_social_credit_codes_carry_a_valid_check_character() {
        // 91350100M000100Y43 is the worked example of GB 32100-2015's check.
        let code = b"91350100M000100Y4";
        let sum: usize = code
            .iter()
            .zip(USCC_WEIGHTS)
            .map(|(ch, w)| USCC_CHARS.iter().position(|x| x == ch).unwrap() * w)
            .sum();
        assert_eq!(USCC_CHARS[(31 - sum % 31) % 31], b'3');
        let mut rng = Pcg64::seed_from_u64(3);
        let generated = uscc(&mut rng, "440300", ENTERPRISE);
        assert_eq!(generated.len(), 18);
        assert!(generated.starts_with("91440300"));
    }

    #[test]
    fn at_least_thirty_clusters_each_in_a_known_region_of_its_country() {
        let p = finished(&small());
        let ids = col(&p, "regions", "id");
        let countries = col(&p, "regions", "country");
        let parents = col(&p, "regions", "parent");
        let country_of: std::collections::HashMap<String, String> = ids
            .iter()
            .zip(&countries)
            .map(|(i, c)| (i.to_text(), c.to_text()))
            .collect();
        for (id, parent) in ids.iter().zip(&parents) {
            let parent = parent.to_text();
            if !parent.is_empty() {
                assert_eq!(
                    country_of.get(&parent),
                    country_of.get(&id.to_text()),
                    "{} lies in {parent}, of another country or unknown",
                    id.to_text()
                );
            }
        }
        let regions = col(&p, "clusters", "region");
        let cluster_countries = col(&p, "clusters", "country");
        assert!(regions.len() >= 30, "{} clusters", regions.len());
        for code in ["CN", "DE", "FR"] {
            let n = cluster_countries
                .iter()
                .filter(|c| c.to_text() == code)
                .count();
            assert!(n >= 9, "{n} clusters in {code}");
        }
        for (r, c) in regions.iter().zip(&cluster_countries) {
            assert_eq!(
                country_of.get(&r.to_text()),
                Some(&c.to_text()),
                "{}",
                r.to_text()
            );
        }
    }

    #[test]
    fn activity_covers_every_region_of_a_country_and_concentrates_cluster_sectors() {
        let p = finished(&small());
        let t = p.table("regional_activity").unwrap();
        let at = |c: &str| t.schema.position(c).unwrap();
        let (region, industry, country, year, employment) = (
            at("region"),
            at("industry"),
            at("country"),
            at("year"),
            at("employment"),
        );
        // Employment of 2024 by (country, region, industry).
        let mut e: std::collections::HashMap<(String, String, String), f64> = Default::default();
        for r in t.rows.iter().filter(|r| r[year].to_text() == "2024") {
            let key = (
                r[country].to_text(),
                r[region].to_text(),
                r[industry].to_text(),
            );
            assert!(e.insert(key, r[employment].as_f64().unwrap()).is_none());
        }
        // Every region of the activity level of each country is there, with
        // all 30 industries of its classification.
        for r in regions::REGIONS.iter().filter(|r| r.jobs > 0.0) {
            let n = e.keys().filter(|k| k.0 == r.country && k.1 == r.id).count();
            assert_eq!(n, 30, "{} has {n} industries", r.id);
        }
        let regions_in = |c: &str| {
            regions::REGIONS
                .iter()
                .filter(|r| r.jobs > 0.0 && r.country == c)
                .count()
        };
        assert_eq!(
            (regions_in("CN"), regions_in("DE"), regions_in("FR")),
            (31, 38, 27)
        );
        // A mature cluster's sectors (founded 2012 or before) have a
        // location quotient above 1 in its region in 2024, against its own
        // country's totals (LQ = (e_ri / e_r) / (e_i / e), every sum within
        // one country). A young one's need not: its industries are spread
        // over the country's bigger clusters.
        let total = |f: &dyn Fn(&(String, String, String)) -> bool| -> f64 {
            e.iter().filter(|(k, _)| f(k)).map(|(_, v)| v).sum()
        };
        for spec in catalogue::CLUSTERS.iter().filter(|c| c.founded <= 2012) {
            let c = spec.country.code();
            let home = regions::activity_region(spec.region).unwrap().id;
            for s in spec.sectors {
                let e_ri = e[&(c.to_owned(), home.to_owned(), (*s).to_owned())];
                let e_r = total(&|k| k.0 == c && k.1 == home);
                let e_i = total(&|k| k.0 == c && k.2 == *s);
                let e_all = total(&|k| k.0 == c);
                let lq = (e_ri / e_r) / (e_i / e_all);
                assert!(lq > 1.0, "{} {s} in {home}: LQ {lq:.2}", spec.id);
            }
        }
    }

    #[test]
    fn schematic_boundaries_cover_the_activity_regions_and_say_so() {
        let p = finished(&small());
        let b = p.boundaries.as_ref().expect("the demo has boundaries");
        let checked = weaver_io::geojson::check_boundaries("regions.geojson", &b.document)
            .expect("valid GeoJSON");
        assert_eq!(checked.ids, b.ids);
        assert_eq!(b.ids.len(), 31 + 38 + 27);
        let doc: serde_json::Value = serde_json::from_str(&b.document).unwrap();
        for f in doc["features"].as_array().unwrap() {
            assert_eq!(f["properties"]["schematic"], true);
        }
    }
}
