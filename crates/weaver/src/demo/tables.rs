//! The generator's tables: each method draws one table's rows from the
//! model and writes them to the package as text, in import order.

use std::collections::HashSet;
use std::fmt::Write as _;

use rand::RngExt;
use weaver_core::PackageBuilder;
use weaver_core::package::TableBuilder;

use super::catalogue::{
    ACTOR_NAMES, CLUSTERS, ClusterSpec, Country, ENTERPRISE, FINANCE, GOVERNMENT, INTERMEDIARY,
    NO_SIZE, RESEARCH, SIZE_NAMES, Story, UNIVERSITY, USER,
};
use super::indicators::INDICATORS;
use super::model::{
    Generator, Org, Project, cumulative, distinct, firmographics, fitness_of, industry_of,
    management_fte, maturity, pick, provincial_start, sample_cum, size_of, split_money, tie_kind,
};
use super::names::{identifiers, org_name, project_title};
use super::programmes::PROGRAMMES;
use super::regions::{REGIONS, activity_region};
use super::{FIRST_YEAR, LAST_YEAR, YEARS};

/// Share of memberships and projects (with their participations) that are
/// public; governance is public throughout, so that the public portal and
/// anonymous API callers see each cluster's bodies and some of its members
/// and projects.
pub(super) const PUBLIC_SHARE: f64 = 0.45;

/// First year in which members of a declining cluster leave.
pub(super) const DECLINE_FROM: i32 = 2017;

pub(super) fn header(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|s| (*s).to_owned()).collect()
}

/// Rounds to `digits` decimals and prints without trailing noise.
pub(super) fn num(x: f64, digits: i32) -> String {
    let p = 10f64.powi(digits);
    weaver_core::value::format_float((x * p).round() / p)
}

pub(super) fn date(y: i32, m: u32, d: u32) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

impl Generator {
    pub(super) fn programmes(&self, pkg: &mut PackageBuilder) {
        let mut t = pkg
            .table(
                "programmes",
                "demo › programmes",
                &header(&[
                    "id",
                    "name",
                    "name_en",
                    "agency",
                    "level",
                    "start",
                    "end",
                    "description",
                    "source",
                ]),
            )
            .expect("programmes header");
        for (i, p) in PROGRAMMES.iter().enumerate() {
            t.push_row(
                i + 2,
                &[
                    p.0,
                    p.1,
                    p.2,
                    p.3,
                    p.4,
                    p.5,
                    p.6,
                    "Synthetic programme of the Weaver demo; modelled on real cluster policy, \
                     not a record of it.",
                    &self.source,
                ],
            );
        }
    }

    pub(super) fn organizations(&mut self, pkg: &mut PackageBuilder) {
        let mut rng = self.rng(1);
        // Organizations per cluster, proportional to weight, at least 6 each.
        let total_w: f64 = CLUSTERS.iter().map(|c| c.weight).sum();
        let mut counts: Vec<usize> = CLUSTERS
            .iter()
            .map(|c| ((self.n as f64 * c.weight / total_w) as usize).max(6))
            .collect();
        let sum: usize = counts.iter().sum();
        if sum < self.n {
            counts[0] += self.n - sum;
        } else {
            let mut extra = sum - self.n;
            while extra > 0 {
                let big = (0..counts.len()).max_by_key(|&i| counts[i]).unwrap_or(0);
                counts[big] -= 1;
                extra -= 1;
            }
        }
        let mut t = pkg
            .table(
                "organizations",
                "demo › organizations",
                &header(&[
                    "id",
                    "name",
                    "name_en",
                    "actor_type",
                    "size",
                    "identifiers",
                    "region",
                    "country",
                    "industry",
                    "founded",
                    "employees",
                    "website",
                    "source",
                ]),
            )
            .expect("organizations header");
        let mut cum = 0.0;
        for (c, spec) in CLUSTERS.iter().enumerate() {
            let start = self.orgs.len();
            for k in 0..counts[c] {
                let i = self.orgs.len();
                // The first six of each cluster cover every kind of actor; the
                // first is the cluster's manager.
                let actor = match k {
                    0 => INTERMEDIARY,
                    1 => GOVERNMENT,
                    2 => UNIVERSITY,
                    3 => RESEARCH,
                    4 => FINANCE,
                    5 => USER,
                    _ => pick(
                        &mut rng,
                        &[
                            (GOVERNMENT, 0.03),
                            (ENTERPRISE, 0.68),
                            (UNIVERSITY, 0.04),
                            (RESEARCH, 0.06),
                            (FINANCE, 0.05),
                            (INTERMEDIARY, 0.08),
                            (USER, 0.06),
                        ],
                    ),
                };
                let (mut size, mut employees, mut founded) = firmographics(&mut rng, actor);
                if k == 0 {
                    // The cluster management organization: founded with the
                    // cluster, staffed by its management team.
                    self.fte[c] = management_fte(counts[c], spec.founded);
                    founded = spec.founded as i16;
                    employees = self.fte[c] as u32;
                    size = size_of(employees);
                }
                let org = Org {
                    cluster: c as u16,
                    actor,
                    size,
                    founded,
                    employees,
                };
                let (name, name_en) = org_name(&mut rng, spec, actor, k == 0);
                let ids = identifiers(&mut rng, spec, actor, i, self.seed);
                let industry = industry_of(&mut rng, spec, actor);
                let website = format!(
                    "https://org{i}.{}.example",
                    spec.country.code().to_lowercase()
                );
                let f = fitness_of(&mut rng, &org);
                cum += f;
                self.fitness.push(cum);
                t.push_row(
                    i + 2,
                    &[
                        Self::org_id(i),
                        name,
                        name_en,
                        ACTOR_NAMES[actor as usize].to_owned(),
                        if size == NO_SIZE {
                            String::new()
                        } else {
                            SIZE_NAMES[size as usize].to_owned()
                        },
                        ids,
                        spec.region.to_owned(),
                        spec.country.code().to_owned(),
                        industry.to_owned(),
                        founded.to_string(),
                        employees.to_string(),
                        website,
                        self.source.clone(),
                    ],
                );
                self.orgs.push(org);
            }
            self.ranges.push((start, self.orgs.len()));
        }
    }

    pub(super) fn clusters(&self, pkg: &mut PackageBuilder) {
        let mut rng = self.rng(2);
        let mut t = pkg
            .table(
                "clusters",
                "demo › clusters",
                &header(&[
                    "id",
                    "name",
                    "name_en",
                    "region",
                    "country",
                    "sectors",
                    "sector_classification",
                    "form",
                    "founded",
                    "manager_org",
                    "management_fte",
                    "website",
                    "website_en",
                    "description",
                    "source",
                ]),
            )
            .expect("clusters header");
        for (c, spec) in CLUSTERS.iter().enumerate() {
            let fte = self.fte[c];
            let description = format!(
                "Synthetic cluster of the Weaver demo (not a real organization), modelled on \
                 cluster policy in {}: founded {}, sectors {}.",
                spec.city_en,
                spec.founded,
                spec.sectors.join(", ")
            );
            t.push_row(
                c + 2,
                &[
                    spec.id.to_owned(),
                    spec.name.to_owned(),
                    spec.name_en.to_owned(),
                    spec.region.to_owned(),
                    spec.country.code().to_owned(),
                    spec.sectors.join(";"),
                    spec.country.classification().to_owned(),
                    spec.form.to_owned(),
                    // January 1: every membership, seat and tie of the
                    // founding year is on or after it.
                    date(spec.founded, 1, 1),
                    Self::org_id(self.ranges[c].0),
                    num(fte, 0),
                    format!("https://{}.example", spec.id),
                    (spec.country != Country::China || rng.random_bool(0.5)).to_string(),
                    description,
                    self.source.clone(),
                ],
            );
        }
    }

    pub(super) fn programme_clusters(&self, pkg: &mut PackageBuilder) {
        let mut t = pkg
            .table(
                "programme_clusters",
                "demo › programme_clusters",
                &header(&["programme", "cluster", "since", "until", "source"]),
            )
            .expect("programme_clusters header");
        let mut line = 2;
        let mut push = |t: &mut TableBuilder<'_>, p: &str, c: &str, since: i32, until: &str| {
            t.push_row(line, &[p, c, &since.to_string(), until, &self.source]);
            line += 1;
        };
        for spec in CLUSTERS {
            let f = spec.founded;
            push(&mut t, spec.country.national_programme(), spec.id, f, "");
            push(
                &mut t,
                spec.provincial,
                spec.id,
                f.max(provincial_start(spec)),
                "",
            );
            match spec.country {
                Country::China => {
                    if f <= 2013 {
                        push(&mut t, "demo-cn-amc", spec.id, 2020, "");
                    }
                }
                _ => {
                    push(&mut t, "demo-eu-h2020", spec.id, f.max(2014), "2020");
                    push(&mut t, "demo-eu-horizon", spec.id, 2021, "");
                }
            }
        }
    }

    pub(super) fn memberships(&mut self, pkg: &mut PackageBuilder) {
        let mut rng = self.rng(3);
        let mut t = pkg
            .table(
                "memberships",
                "demo › memberships",
                &header(&[
                    "cluster",
                    "org",
                    "tier",
                    "since",
                    "until",
                    "visibility",
                    "source",
                ]),
            )
            .expect("memberships header");
        let tiers = ["core", "partner", "regional", "associate"];
        let mut line = 2;
        for i in 0..self.orgs.len() {
            let org = self.orgs[i];
            let c = org.cluster as usize;
            let manager = self.ranges[c].0 == i;
            let p_member = match org.actor {
                ENTERPRISE => 0.7,
                GOVERNMENT => 0.5,
                USER => 0.4,
                _ => 0.8,
            };
            // The first six of a cluster (one of each actor type) are nearly always members.
            let p_member = if i < self.ranges[c].0 + 6 {
                0.95
            } else if org.founded as i32 > CLUSTERS[c].founded + 3 {
                // A mature cluster's members are mostly established firms,
                // and few young firms join a declining one.
                match CLUSTERS[c].story {
                    Story::MarketDriven => p_member * 0.35,
                    Story::Declining => p_member * 0.15,
                    _ => p_member,
                }
            } else {
                p_member
            };
            if !manager && !rng.random_bool(p_member) {
                continue;
            }
            let mut clusters = vec![c];
            if !manager && rng.random_bool(0.04) {
                let other = rng.random_range(0..CLUSTERS.len());
                if other != c {
                    clusters.push(other);
                }
            }
            for (n, &k) in clusters.iter().enumerate() {
                let spec = &CLUSTERS[k];
                let tier: u8 = if manager {
                    0
                } else if n > 0 {
                    3
                } else {
                    match (org.actor, org.size) {
                        (ENTERPRISE, 0) => pick(&mut rng, &[(0, 0.6), (1, 0.4)]),
                        (UNIVERSITY | RESEARCH, _) => pick(&mut rng, &[(0, 0.5), (1, 0.5)]),
                        (GOVERNMENT, _) => pick(&mut rng, &[(1, 0.5), (3, 0.5)]),
                        _ => pick(&mut rng, &[(0, 0.08), (1, 0.27), (2, 0.45), (3, 0.2)]),
                    }
                };
                let first = spec.founded.max(org.founded as i32);
                let since_year = if manager {
                    spec.founded
                } else if n == 0 && i < self.ranges[c].0 + 6 {
                    // The first six (one of each actor type) found the
                    // cluster with its office, or join when they are founded.
                    first
                } else {
                    // When members join follows the story: a young or
                    // growing cluster's members keep joining (more of them
                    // in later years), a mature or declining one's joined
                    // mostly in its first years.
                    let span = (LAST_YEAR - first).max(0);
                    let u: f64 = rng.random();
                    let x = match spec.story {
                        Story::GovernmentLed => u,
                        Story::MultiActor => u.sqrt(),
                        Story::MarketDriven | Story::Declining => u * u * u,
                    };
                    first + (x * (span + 1) as f64) as i32
                }
                .min(LAST_YEAR);
                // A few members leave; in a mature one some more from
                // FIRST_YEAR on (its turnover), in a declining cluster half
                // of them from DECLINE_FROM on.
                let until_year = if manager || since_year >= LAST_YEAR {
                    None
                } else if spec.story == Story::Declining && rng.random_bool(0.5) {
                    Some(rng.random_range(since_year.max(DECLINE_FROM - 1) + 1..=LAST_YEAR))
                } else if spec.story == Story::MarketDriven && rng.random_bool(0.12) {
                    Some(rng.random_range(since_year.max(FIRST_YEAR - 1) + 1..=LAST_YEAR))
                } else if rng.random_bool(0.06) {
                    Some(rng.random_range(since_year + 1..=LAST_YEAR))
                } else {
                    None
                };
                let since = date(since_year, rng.random_range(1..=12), 1);
                let until = until_year.map(|y| date(y, 12, 31)).unwrap_or_default();
                // The cluster management organization's membership and
                // a share of the others' are public.
                let visibility = if manager || rng.random_bool(PUBLIC_SHARE) {
                    "public"
                } else {
                    "cluster"
                };
                t.push_row(
                    line,
                    &[
                        spec.id,
                        &Self::org_id(i),
                        tiers[tier as usize],
                        &since,
                        &until,
                        visibility,
                        &self.source,
                    ],
                );
                line += 1;
                if let Some(until) = until_year {
                    self.former[k].push((i as u32, since_year, until));
                } else {
                    self.members[k].push((i as u32, tier, since_year));
                }
                let tally = &mut self.tally[k];
                for y in FIRST_YEAR..=LAST_YEAR {
                    if since_year <= y && until_year.is_none_or(|u| u > y) {
                        let yi = (y - FIRST_YEAR) as usize;
                        tally.members[yi] += 1.0;
                        if y == since_year {
                            tally.joined[yi] += 1.0;
                        }
                        if org.actor == ENTERPRISE {
                            if org.size == 0 {
                                tally.large_enterprises[yi] += 1.0;
                            } else {
                                tally.sme_enterprises[yi] += 1.0;
                            }
                        }
                    }
                }
            }
        }
    }

    pub(super) fn governance(&mut self, pkg: &mut PackageBuilder) {
        let mut rng = self.rng(4);
        let mut t = pkg
            .table(
                "governance",
                "demo › governance",
                &header(&[
                    "cluster",
                    "body",
                    "org",
                    "role",
                    "note",
                    "since",
                    "until",
                    "visibility",
                    "source",
                ]),
            )
            .expect("governance header");
        let mut line = 2;
        // Bodies (board, executive, advisory, working groups) with a seat
        // in each year, per cluster.
        let mut active = vec![[[false; YEARS]; 4]; CLUSTERS.len()];
        for (c, spec) in CLUSTERS.iter().enumerate() {
            let members = &self.members[c];
            if members.is_empty() {
                continue;
            }
            let active = &mut active[c];
            // Members that had joined by a year, of some kind.
            let joined = |year: i32, keep: &dyn Fn(u32, u8) -> bool| -> Vec<u32> {
                members
                    .iter()
                    .filter(|m| m.2 <= year && keep(m.0, m.1))
                    .map(|m| m.0)
                    .collect()
            };
            let mut row = |t: &mut TableBuilder<'_>,
                           body: &str,
                           org: u32,
                           role: &str,
                           note: &str,
                           since: &str,
                           until: &str| {
                let k = ["board", "executive", "advisory", "working_group"]
                    .iter()
                    .position(|b| *b == body)
                    .unwrap_or(0);
                let year = |d: &str| d.get(..4).and_then(|y| y.parse::<i32>().ok());
                let from = year(since).unwrap_or(LAST_YEAR);
                let to = year(until).unwrap_or(LAST_YEAR);
                for y in from.max(FIRST_YEAR)..=to.min(LAST_YEAR) {
                    active[k][(y - FIRST_YEAR) as usize] = true;
                }
                t.push_row(
                    line,
                    &[
                        spec.id,
                        body,
                        &Self::org_id(org as usize),
                        role,
                        note,
                        since,
                        until,
                        "public",
                        &self.source,
                    ],
                );
                line += 1;
            };
            // Board: four-year terms from the founding year.
            let mut term = spec.founded;
            while term <= LAST_YEAR {
                // Seats go to core members and partners who had joined by then.
                let mut pool = joined(term, &|_, tier| tier <= 1);
                if pool.len() < 3 {
                    pool = joined(term, &|_, _| true);
                }
                let seats = rng.random_range(7..=13).min(pool.len());
                let since = date(term, 3, 1);
                let until = if term + 4 <= LAST_YEAR {
                    date(term + 3, 12, 31)
                } else {
                    String::new()
                };
                for (s, org) in distinct(&mut rng, &pool, seats).into_iter().enumerate() {
                    let role = match s {
                        0 => "chair",
                        1 => "vice_chair",
                        _ => "member",
                    };
                    row(&mut t, "board", org, role, "", &since, &until);
                }
                term += 4;
            }
            // Executive: the cluster management organization and its office.
            let manager = self.ranges[c].0 as u32;
            row(
                &mut t,
                "executive",
                manager,
                "chair",
                "cluster management",
                &date(spec.founded, 1, 1),
                "",
            );
            let intermediaries = joined(LAST_YEAR, &|o, _| {
                o != manager && self.orgs[o as usize].actor == INTERMEDIARY
            });
            for org in distinct(&mut rng, &intermediaries, 2) {
                let since = members
                    .iter()
                    .find(|m| m.0 == org)
                    .map_or(LAST_YEAR, |m| m.2);
                let y = rng.random_range(since..=LAST_YEAR);
                row(
                    &mut t,
                    "executive",
                    org,
                    "secretary",
                    "secretariat",
                    &date(y, 1, 1),
                    "",
                );
            }
            // Advisory board: universities and research institutes.
            let year = (spec.founded + 1).min(LAST_YEAR);
            let academic = joined(year, &|o, _| {
                matches!(self.orgs[o as usize].actor, UNIVERSITY | RESEARCH)
            });
            let since = date(year, 6, 1);
            let seats = rng.random_range(5..=9);
            for (s, org) in distinct(&mut rng, &academic, seats).into_iter().enumerate() {
                let (role, note) = if s == 0 {
                    ("chair", "")
                } else {
                    ("member", "scientific adviser")
                };
                row(&mut t, "advisory", org, role, note, &since, "");
            }
            // A government member sits on the advisory board as an observer.
            let government = joined(year, &|o, _| self.orgs[o as usize].actor == GOVERNMENT);
            if let Some(&org) = government.first() {
                row(&mut t, "advisory", org, "observer", "", &since, "");
            }
            // Working groups, one per topic, each started in its own month;
            // a declining cluster closed them at the end of 2020.
            let until = if spec.story == Story::Declining {
                date(DECLINE_FROM + 3, 12, 31)
            } else {
                String::new()
            };
            for (w, topic) in spec.topics.iter().enumerate() {
                let y = (spec.founded + 1 + w as i32).min(LAST_YEAR);
                let all = joined(y, &|_, _| true);
                let since = date(y, w as u32 + 1, 15);
                let seats = rng.random_range(4..=10);
                for (s, org) in distinct(&mut rng, &all, seats).into_iter().enumerate() {
                    // The working groups are one body of the cluster, with one
                    // chair at a time: a topic's lead is noted, not a chair.
                    let note = if s == 0 {
                        format!("{topic}: lead")
                    } else {
                        format!("{topic}: member")
                    };
                    row(
                        &mut t,
                        "working_group",
                        org,
                        "member",
                        &note,
                        &since,
                        &until,
                    );
                }
            }
        }
        self.bodies = active
            .iter()
            .map(|bodies| {
                let mut n = [0u8; YEARS];
                for (y, count) in n.iter_mut().enumerate() {
                    *count = bodies.iter().filter(|b| b[y]).count() as u8;
                }
                n
            })
            .collect();
    }

    pub(super) fn projects(&mut self, pkg: &mut PackageBuilder) {
        let mut rng = self.rng(5);
        let count = (self.n / 4).max(CLUSTERS.len());
        // Weight of a cluster: its organizations times its active years.
        let weights: Vec<f64> = CLUSTERS
            .iter()
            .enumerate()
            .map(|(c, s)| {
                let years = (LAST_YEAR - s.founded.max(FIRST_YEAR) + 1) as f64;
                (self.ranges[c].1 - self.ranges[c].0) as f64 * years
            })
            .collect();
        let cum = cumulative(&weights);
        let mut t = pkg
            .table(
                "projects",
                "demo › projects",
                &header(&[
                    "id",
                    "title",
                    "cluster",
                    "start",
                    "end",
                    "budget",
                    "currency",
                    "field",
                    "status",
                    "visibility",
                    "source",
                ]),
            )
            .expect("projects header");
        for p in 0..count {
            let c = if p < CLUSTERS.len() {
                p
            } else {
                sample_cum(&mut rng, &cum, 0, cum.len())
            };
            let spec = &CLUSTERS[c];
            let first = spec.founded.max(FIRST_YEAR);
            // Later years see more projects as the cluster grows.
            let u: f64 = rng.random();
            let sy = first + ((u.sqrt()) * (LAST_YEAR - first + 1) as f64) as i32;
            let sy = sy.min(LAST_YEAR);
            let sm = rng.random_range(1..=12);
            let months = rng.random_range(18..=48);
            let em_total = sy * 12 + sm as i32 - 1 + months;
            let (ey, em) = (em_total / 12, (em_total % 12) as u32 + 1);
            let budget_eur = (0.25e6 * (rng.random::<f64>() * 3.2).exp()).round();
            let budget = (budget_eur * spec.country.per_eur() / 1000.0).round() * 1000.0;
            let k = 2 + (rng.random::<f64>().powi(2) * 12.0) as usize;
            let (lo, hi) = self.ranges[c];
            let mut parts: Vec<(u32, u8, f64)> = Vec::with_capacity(k);
            let mut tries = 0;
            while parts.len() < k && tries < 20 * k {
                tries += 1;
                let o = if parts.is_empty() || rng.random_bool(0.88) {
                    sample_cum(&mut rng, &self.fitness, lo, hi)
                } else {
                    sample_cum(&mut rng, &self.fitness, 0, self.fitness.len())
                };
                if parts.iter().any(|q| q.0 == o as u32) {
                    continue;
                }
                let role = if parts.is_empty() {
                    0
                } else if rng.random_bool(0.8) {
                    1
                } else {
                    2
                };
                parts.push((o as u32, role, 0.0));
            }
            let shares: Vec<f64> = parts
                .iter()
                .map(|q| match q.1 {
                    0 => 2.0 + rng.random::<f64>(),
                    1 => 0.5 + rng.random::<f64>(),
                    _ => 0.1 + 0.3 * rng.random::<f64>(),
                })
                .collect();
            let total: f64 = shares.iter().sum();
            for (q, s) in parts.iter_mut().zip(&shares) {
                q.2 = (budget * 0.95 * s / total / 100.0).round() * 100.0;
            }
            let topic = spec.topics[rng.random_range(0..spec.topics.len())];
            let title = project_title(&mut rng, spec, topic, p);
            let status = if ey < 2025 { "closed" } else { "ongoing" };
            let public = rng.random_bool(PUBLIC_SHARE);
            t.push_row(
                p + 2,
                &[
                    format!("demo-prj-{p:06}"),
                    title,
                    spec.id.to_owned(),
                    date(sy, sm, 1),
                    date(ey, em, 1),
                    num(budget, 0),
                    spec.country.currency().to_owned(),
                    topic.to_owned(),
                    status.to_owned(),
                    if public { "public" } else { "cluster" }.to_owned(),
                    self.source.clone(),
                ],
            );
            self.projects.push(Project {
                cluster: c as u16,
                start_year: sy,
                budget,
                participants: parts,
                public,
            });
        }
    }

    pub(super) fn participations(&self, pkg: &mut PackageBuilder) {
        let mut t = pkg
            .table(
                "participations",
                "demo › participations",
                &header(&[
                    "project",
                    "org",
                    "role",
                    "contribution",
                    "visibility",
                    "source",
                ]),
            )
            .expect("participations header");
        let roles = ["coordinator", "partner", "associate"];
        let mut line = 2;
        for (p, project) in self.projects.iter().enumerate() {
            let id = format!("demo-prj-{p:06}");
            for &(o, role, contribution) in &project.participants {
                t.push_row(
                    line,
                    &[
                        id.as_str(),
                        &Self::org_id(o as usize),
                        roles[role as usize],
                        &num(contribution, 0),
                        if project.public { "public" } else { "cluster" },
                        &self.source,
                    ],
                );
                line += 1;
            }
        }
    }

    pub(super) fn funding(&mut self, pkg: &mut PackageBuilder) {
        let mut rng = self.rng(6);
        let mut t = pkg
            .table(
                "funding",
                "demo › funding",
                &header(&[
                    "recipient",
                    "source_type",
                    "programme",
                    "amount",
                    "currency",
                    "year",
                    "source",
                ]),
            )
            .expect("funding header");
        let mut line = 2;
        let mut rows: Vec<(&str, &str, f64)> = Vec::with_capacity(7);
        // Projects: the budget, in the start year, split by source.
        for (p, project) in self.projects.iter().enumerate() {
            let c = project.cluster as usize;
            let spec = &CLUSTERS[c];
            let year = project.start_year;
            split_money(&mut rng, spec, year, project.budget, true, &mut rows);
            let id = format!("demo-prj-{p:06}");
            for &(source, programme, amount) in &rows {
                if amount <= 0.0 {
                    continue;
                }
                t.push_row(
                    line,
                    &[
                        id.as_str(),
                        source,
                        programme,
                        &num(amount, 0),
                        spec.country.currency(),
                        &year.to_string(),
                        &self.source,
                    ],
                );
                line += 1;
            }
        }
        // Cluster management: yearly, scaled by its staff.
        for (c, spec) in CLUSTERS.iter().enumerate() {
            for year in spec.founded.max(FIRST_YEAR)..=LAST_YEAR {
                let staff = self.fte[c] * (0.5 + 0.5 * maturity(year - spec.founded));
                let amount = staff * 95_000.0 * spec.country.per_eur() * rng.random_range(0.9..1.1);
                split_money(&mut rng, spec, year, amount, false, &mut rows);
                for &(source, programme, amount) in &rows {
                    if amount <= 0.0 {
                        continue;
                    }
                    t.push_row(
                        line,
                        &[
                            spec.id,
                            source,
                            programme,
                            &num(amount, 0),
                            spec.country.currency(),
                            &year.to_string(),
                            &self.source,
                        ],
                    );
                    line += 1;
                }
            }
        }
    }

    pub(super) fn ties(&mut self, pkg: &mut PackageBuilder) {
        let mut rng = self.rng(7);
        let mut t = pkg
            .table(
                "ties",
                "demo › ties",
                &header(&[
                    "source", "target", "kind", "start", "end", "weight", "directed", "citation",
                ]),
            )
            .expect("ties header");
        let kinds = [
            "contract",
            "license",
            "co_patent",
            "co_publication",
            "supply",
            "tech_transfer",
            "other",
        ];
        let n = self.orgs.len() as u64;
        let mut seen: HashSet<u64> = HashSet::with_capacity(self.n_ties);
        // Distinct partners of each organization, and the pairs already tied.
        let mut partners = vec![0u32; self.orgs.len()];
        let mut pairs: HashSet<u64> = HashSet::with_capacity(self.n_ties);
        let pair = |a: usize, b: usize| a.min(b) as u64 * n + a.max(b) as u64;
        // Ids and cells written once and reused: this loop makes up to millions of rows.
        let ids: Vec<String> = (0..self.orgs.len()).map(Self::org_id).collect();
        let (mut start, mut weight_text) = (String::new(), String::new());
        let mut made = 0;

        // The cluster office is the hub of its cluster: it is tied to most
        // of its members, present and former (85 %, within half of the
        // ties asked for), from the year each joined to the year each left
        // ("other": membership services).
        let offered: usize = self.members.iter().map(|m| m.len()).sum::<usize>()
            + self.former.iter().map(|m| m.len()).sum::<usize>();
        let keep = (self.n_ties as f64 / 2.0 / offered.max(1) as f64).min(0.85);
        // Partners of each office among the current members.
        let mut hub = vec![0u32; CLUSTERS.len()];
        for (c, spec) in CLUSTERS.iter().enumerate() {
            let office = self.ranges[c].0;
            let all: Vec<(usize, i32, Option<i32>)> = self.members[c]
                .iter()
                .map(|m| (m.0 as usize, m.2, None))
                .chain(
                    self.former[c]
                        .iter()
                        .map(|m| (m.0 as usize, m.1, Some(m.2))),
                )
                .filter(|m| m.0 != office)
                .collect();
            let k = (keep * all.len() as f64).ceil() as usize;
            let chosen = distinct(&mut rng, &(0..all.len() as u32).collect::<Vec<_>>(), k);
            for j in chosen {
                let (m, since, until) = all[j as usize];
                if made >= self.n_ties {
                    break;
                }
                let sy = since.max(spec.founded);
                let (sm, sd) = (rng.random_range(1..=12), rng.random_range(1..=28));
                start.clear();
                let _ = write!(start, "{sy:04}-{sm:02}-{sd:02}");
                let end = until.map(|u| date(u, 12, 31)).unwrap_or_default();
                let weight = rng.random_range(1..=3);
                t.push_row(
                    made + 2,
                    &[
                        ids[office].as_str(),
                        &ids[m],
                        "other",
                        &start,
                        &end,
                        &weight.to_string(),
                        "false",
                        &self.source,
                    ],
                );
                made += 1;
                seen.insert((office as u64 * n + m as u64) * 8 + 6);
                if pairs.insert(pair(office, m)) {
                    partners[office] += 1;
                    partners[m] += 1;
                }
                if until.is_none() {
                    hub[c] += 1;
                }
            }
        }
        // No other organization has as many partners as the office of any
        // cluster it belongs to: cap[i] is one less than the smallest.
        let office_of = |c: usize| hub[c];
        let mut cap: Vec<u32> = self
            .orgs
            .iter()
            .map(|o| office_of(o.cluster as usize))
            .collect();
        for (c, members) in self.members.iter().enumerate() {
            for &(m, _, _) in members {
                cap[m as usize] = cap[m as usize].min(office_of(c));
            }
        }
        for x in &mut cap {
            *x = x.saturating_sub(1);
        }
        for r in &self.ranges {
            cap[r.0] = u32::MAX;
        }

        // The other ties: mostly within a cluster, drawn by propensity; a
        // young government-led cluster has few beyond its office's. They
        // start from 2010 on, most of them lately in a young or growing
        // cluster, most of them early in a mature or declining one.
        let cluster_sizes: Vec<f64> = self
            .ranges
            .iter()
            .zip(CLUSTERS)
            .map(|(r, spec)| (r.1 - r.0) as f64 * spec.story.tie_factor())
            .collect();
        let cluster_cum = cumulative(&cluster_sizes);
        let mut tries = 0usize;
        let max_tries = 50 * self.n_ties + 1_000;
        while made < self.n_ties && tries < max_tries {
            tries += 1;
            let c = sample_cum(&mut rng, &cluster_cum, 0, cluster_cum.len());
            let (lo, hi) = self.ranges[c];
            let a = sample_cum(&mut rng, &self.fitness, lo, hi);
            let b = if rng.random_bool(0.85) {
                sample_cum(&mut rng, &self.fitness, lo, hi)
            } else {
                sample_cum(&mut rng, &self.fitness, 0, self.fitness.len())
            };
            if a == b {
                continue;
            }
            let (oa, ob) = (self.orgs[a], self.orgs[b]);
            let kind = tie_kind(&mut rng, oa.actor, ob.actor);
            let key = (a as u64 * n + b as u64) * 8 + kind as u64;
            let new_pair = !pairs.contains(&pair(a, b));
            if seen.contains(&key) || (new_pair && (partners[a] >= cap[a] || partners[b] >= cap[b]))
            {
                continue;
            }
            seen.insert(key);
            if new_pair {
                pairs.insert(pair(a, b));
                partners[a] += 1;
                partners[b] += 1;
            }
            let first = CLUSTERS[oa.cluster as usize]
                .founded
                .max(CLUSTERS[ob.cluster as usize].founded)
                .max(oa.founded as i32)
                .max(ob.founded as i32)
                .max(2010);
            let u: f64 = rng.random();
            let x = match CLUSTERS[c].story {
                Story::GovernmentLed | Story::MultiActor => u.sqrt(),
                Story::MarketDriven | Story::Declining => u * u,
            };
            let sy = (first + (x * (LAST_YEAR - first + 1) as f64) as i32).min(LAST_YEAR);
            let sm = rng.random_range(1..=12);
            let sd = rng.random_range(1..=28);
            let end = if kind == 0 && rng.random_bool(0.5) {
                date((sy + rng.random_range(1..=4)).min(LAST_YEAR + 2), sm, sd)
            } else {
                String::new()
            };
            let weight = (1.0 / (1.0 - rng.random::<f64>() * 0.95)).min(20.0);
            let directed = matches!(kind, 1 | 4 | 5);
            start.clear();
            let _ = write!(start, "{sy:04}-{sm:02}-{sd:02}");
            weight_text.clear();
            let _ = write!(weight_text, "{}", (weight * 10.0).round() / 10.0);
            t.push_row(
                made + 2,
                &[
                    ids[a].as_str(),
                    &ids[b],
                    kinds[kind],
                    &start,
                    &end,
                    &weight_text,
                    if directed { "true" } else { "false" },
                    &self.source,
                ],
            );
            made += 1;
        }
    }

    pub(super) fn indicators(&self, pkg: &mut PackageBuilder) {
        let mut t = pkg
            .table(
                "indicators",
                "demo › indicators",
                &header(&[
                    "id",
                    "name",
                    "name_en",
                    "unit",
                    "dimension",
                    "direction",
                    "weight",
                    "description",
                    "min_value",
                    "max_value",
                    "integer_only",
                    "jump_factor",
                    "source",
                ]),
            )
            .expect("indicators header");
        let opt = |x: Option<f64>| x.map(|v| num(v, 6)).unwrap_or_default();
        for (i, ind) in INDICATORS.iter().enumerate() {
            t.push_row(
                i + 2,
                &[
                    ind.id.to_owned(),
                    ind.name.to_owned(),
                    ind.name_en.to_owned(),
                    ind.unit.to_owned(),
                    ind.dimension.to_owned(),
                    ind.direction.to_owned(),
                    "1".to_owned(),
                    "Indicator of the synthetic Weaver demo, as the built-in framework \
                     world_class_cluster defines it."
                        .to_owned(),
                    opt(ind.min),
                    opt(ind.max),
                    ind.integer.to_string(),
                    opt(ind.jump),
                    self.source.clone(),
                ],
            );
        }
    }

    /// Observations of every indicator of [`INDICATORS`] for each cluster
    /// and year from its founding (2015 at the earliest): the counts come
    /// from the generated rows (governance bodies, entry rate, leading firms
    /// and champions among the member enterprises), employment follows the
    /// cluster's story, the rest grow with its maturity.
    pub(super) fn observations(&self, pkg: &mut PackageBuilder) {
        let mut rng = self.rng(8);
        let mut t = pkg
            .table(
                "observations",
                "demo › observations",
                &header(&["cluster", "indicator", "period", "value", "source"]),
            )
            .expect("observations header");
        let mut line = 2;
        for (c, spec) in CLUSTERS.iter().enumerate() {
            let tally = &self.tally[c];
            let (lo, hi) = self.ranges[c];
            // Employment: the staff of the cluster's organizations in the
            // last year, and before it a path of the story's growth rate,
            // the cluster's own offset and a yearly draw.
            let mut employment = [0f64; YEARS];
            employment[YEARS - 1] = self.orgs[lo..hi].iter().map(|o| o.employees as f64).sum();
            let growth = spec.story.employment_growth() + rng.random_range(-0.01..0.01);
            for y in (1..YEARS).rev() {
                employment[y - 1] = employment[y] / (1.0 + growth + rng.random_range(-0.01..0.01));
            }
            let m_last = maturity(LAST_YEAR - spec.founded);
            for year in spec.founded.max(FIRST_YEAR)..=LAST_YEAR {
                let y = (year - FIRST_YEAR) as usize;
                let dy = (year - FIRST_YEAR) as f64;
                let m = maturity(year - spec.founded);
                let mut noise = || rng.random_range(0.95..1.05);
                let entry_rate = (y > 0 && tally.members[y - 1] > 0.0)
                    .then(|| tally.joined[y] / tally.members[y - 1]);
                let energy = match spec.country {
                    Country::China => 95.0,
                    _ => 60.0,
                } * (1.0 - 0.025 * dy);
                let values: [Option<f64>; 16] = [
                    Some((1.5 + 3.5 * m) * noise()),
                    Some((2.0 + 18.0 * m) * noise()),
                    Some((0.05 + 0.25 * m) * noise()),
                    Some((0.2 + 0.4 * m) * noise()),
                    Some((0.03 + 0.025 * dy + 0.1 * m) * noise()),
                    Some(energy * noise()),
                    Some((tally.large_enterprises[y] * (0.2 + 0.4 * m)).round()),
                    Some((tally.sme_enterprises[y] * (0.02 + 0.06 * m)).round()),
                    Some((0.15 + 0.35 * m) * noise()),
                    entry_rate,
                    Some((0.1 + 0.25 * m) * noise()),
                    Some(self.bodies[c][y] as f64),
                    Some((self.fte[c] * (0.5 + 0.5 * m) / (0.5 + 0.5 * m_last)).round()),
                    Some((4.0 + 14.0 * m).round()),
                    Some(((3.0 + 1.4 * m) * noise()).clamp(1.0, 5.0)),
                    Some(employment[y].round()),
                ];
                let period = year.to_string();
                for (ind, value) in INDICATORS.iter().zip(values) {
                    let Some(v) = value else { continue };
                    t.push_row(
                        line,
                        &[spec.id, ind.id, &period, &num(v, ind.digits), &self.source],
                    );
                    line += 1;
                }
            }
        }
    }

    /// Every region of the demo, with its level, parent, country and
    /// approximate centroid.
    pub(super) fn regions(&self, pkg: &mut PackageBuilder) {
        let mut t = pkg
            .table(
                "regions",
                "demo › regions",
                &header(&[
                    "id", "name", "name_en", "level", "parent", "country", "lat", "lon", "source",
                ]),
            )
            .expect("regions header");
        for (k, r) in REGIONS.iter().enumerate() {
            t.push_row(
                k + 2,
                &[
                    r.id.to_owned(),
                    r.name.to_owned(),
                    r.name_en.to_owned(),
                    r.level.to_owned(),
                    r.parent.to_owned(),
                    r.country.to_owned(),
                    num(r.lat, 2),
                    num(r.lon, 2),
                    format!(
                        "{}; approximate centroid (the region's capital)",
                        self.source
                    ),
                ],
            );
        }
    }

    /// Employment, establishments and wages of every industry in every
    /// region of each country at the level its activity is written (see
    /// [`REGIONS`]), 2015–2024: a national structure per country, a local
    /// draw per region and industry, and the industries of each cluster
    /// concentrated in the region that holds it, more so as it matures.
    pub(super) fn regional_activity(&self, pkg: &mut PackageBuilder) {
        let mut rng = self.rng(9);
        let mut t = pkg
            .table(
                "regional_activity",
                "demo › regional_activity",
                &header(&[
                    "region",
                    "industry",
                    "country",
                    "classification",
                    "year",
                    "employment",
                    "establishments",
                    "wages",
                    "source",
                ]),
            )
            .expect("regional_activity header");
        let mut line = 2;
        for country in [Country::China, Country::Germany, Country::France] {
            let industries = country.industries();
            // National structure: one share per industry.
            let w: Vec<f64> = industries
                .iter()
                .map(|_| (rng.random::<f64>() * 2.0).exp())
                .collect();
            let s: f64 = w.iter().sum();
            let share: Vec<f64> = w.into_iter().map(|x| x / s).collect();
            let wage = match country {
                Country::China => 92_000.0,
                Country::Germany => 48_000.0,
                Country::France => 41_000.0,
            };
            for region in REGIONS
                .iter()
                .filter(|r| r.jobs > 0.0 && r.country == country.code())
            {
                // The clusters whose region is this one or lies within it.
                let here: Vec<&ClusterSpec> = CLUSTERS
                    .iter()
                    .filter(|c| activity_region(c.region).is_some_and(|a| a.id == region.id))
                    .collect();
                for (k, industry) in industries.iter().enumerate() {
                    let mut local: f64 = rng.random_range(0.6..1.4);
                    if here.iter().any(|c| c.sectors.contains(industry)) {
                        // A cluster's region is at least average in its
                        // industries before the cluster adds to them.
                        local = local.max(1.0);
                    }
                    let firm_size = rng.random_range(8.0..60.0);
                    let premium = rng.random_range(0.8..1.3);
                    let trend: f64 = rng.random_range(-0.02..0.04);
                    for year in FIRST_YEAR..=LAST_YEAR {
                        let dy = (year - FIRST_YEAR) as f64;
                        let mut e = region.jobs * share[k] * local * (1.0 + trend).powf(dy);
                        for spec in here.iter().filter(|c| c.sectors.contains(industry)) {
                            // The cluster's industries are concentrated here,
                            // more so as it matures.
                            e *= 2.0 + 2.5 * maturity(year - spec.founded);
                        }
                        e *= rng.random_range(0.98..1.02);
                        let est = (e / firm_size).max(1.0);
                        let w = e * wage * premium * 1.03f64.powf(dy);
                        t.push_row(
                            line,
                            &[
                                region.id.to_owned(),
                                (*industry).to_owned(),
                                country.code().to_owned(),
                                country.classification().to_owned(),
                                year.to_string(),
                                num(e, 0),
                                num(est, 0),
                                num(w, 0),
                                self.source.clone(),
                            ],
                        );
                        line += 1;
                    }
                }
            }
        }
    }
}
