//! The demo register: a seeded, synthetic but realistic set of clusters.
//!
//! [`build`] writes twelve clusters — six in China, three in Germany, three in
//! France — with their organizations of every actor type, memberships,
//! governance bodies, programmes, projects and participations, funding by
//! source, collaboration ties, ~20 indicators with yearly observations
//! 2015–2024, and employment, establishments and wages by region and industry.
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
//! (government-led start, multi-actor growth, market-driven maturity): each
//! cluster's public share of funding (central + local government +
//! supranational) is `0.12 + 0.78·exp(−age/5)` of its money in a year, times a
//! ±10 % draw, where `age` is years since the cluster was founded (2000 to
//! 2019 across the twelve). Observations of members, projects, startups,
//! network density, cross-actor share and public funding share are counted
//! from the generated rows themselves, so they agree with the register.
//!
//! ```
//! use weaver::demo::{DemoOptions, build};
//!
//! let options = DemoOptions { organizations: 300, ..DemoOptions::default() };
//! let package = build(&options).finish(&|_, _| false).unwrap();
//! assert_eq!(package.table("clusters").unwrap().rows.len(), 12);
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

use std::collections::HashSet;
use std::fmt::Write as _;

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;
use weaver_core::PackageBuilder;
use weaver_core::package::TableBuilder;

/// The package's name.
pub const PACKAGE_NAME: &str = "weaver-demo (synthetic)";

/// The smallest number of organizations the demo makes.
pub const MIN_ORGANIZATIONS: usize = 72;

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
    /// distinct ties (after 50 draws per tie asked for).
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
    g.observations(&mut pkg);
    g.regional_activity(&mut pkg);
    pkg
}

// ---------------------------------------------------------------------------
// Fixed data: countries, clusters, programmes, indicators.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Country {
    China,
    Germany,
    France,
}

impl Country {
    fn code(self) -> &'static str {
        match self {
            Country::China => "CN",
            Country::Germany => "DE",
            Country::France => "FR",
        }
    }
    fn currency(self) -> &'static str {
        match self {
            Country::China => "CNY",
            _ => "EUR",
        }
    }
    /// Money in the demo is drawn in EUR and converted at a round rate.
    fn per_eur(self) -> f64 {
        match self {
            Country::China => 7.8,
            _ => 1.0,
        }
    }
    fn national_programme(self) -> &'static str {
        match self {
            Country::China => "demo-cn-torch",
            Country::Germany => "demo-de-gocluster",
            Country::France => "demo-fr-poles",
        }
    }
    fn industries(self) -> &'static [&'static str] {
        match self {
            Country::China => GBT4754,
            _ => NACE,
        }
    }
}

struct ClusterSpec {
    id: &'static str,
    name: &'static str,
    name_en: &'static str,
    region: &'static str,
    country: Country,
    sectors: &'static [&'static str],
    founded: i32,
    form: &'static str,
    weight: f64,
    /// City in the local language and in English (for Chinese names).
    city: &'static str,
    city_en: &'static str,
    /// Towns of the region (European organization names).
    places: &'static [&'static str],
    /// Project fields (topics).
    topics: &'static [&'static str],
    provincial: &'static str,
    /// Region size: jobs in the 30 industries in 2015.
    jobs: f64,
}

const CLUSTERS: &[ClusterSpec] = &[
    ClusterSpec {
        id: "demo-cn-shenzhen-ict",
        name: "深圳新一代信息通信产业集群（合成示例）",
        name_en: "Shenzhen Next-Generation ICT Cluster (synthetic demo)",
        region: "440300",
        country: Country::China,
        sectors: &["C39", "I65"],
        founded: 2008,
        form: "association",
        weight: 1.6,
        city: "深圳",
        city_en: "Shenzhen",
        places: &[],
        topics: &[
            "5G通信",
            "智能终端",
            "集成电路设计",
            "工业互联网",
            "新型显示",
        ],
        provincial: "demo-cn-gd",
        jobs: 6.5e6,
    },
    ClusterSpec {
        id: "demo-cn-suzhou-nano",
        name: "苏州纳米新材料产业集群（合成示例）",
        name_en: "Suzhou Nano New Materials Cluster (synthetic demo)",
        region: "320500",
        country: Country::China,
        sectors: &["C26", "C39"],
        founded: 2011,
        form: "association",
        weight: 1.1,
        city: "苏州",
        city_en: "Suzhou",
        places: &[],
        topics: &[
            "纳米材料",
            "微纳制造",
            "第三代半导体",
            "柔性电子",
            "纳米检测",
        ],
        provincial: "demo-cn-js",
        jobs: 4.8e6,
    },
    ClusterSpec {
        id: "demo-cn-hefei-ai",
        name: "合肥智能语音产业集群（合成示例）",
        name_en: "Hefei Intelligent Speech Cluster (synthetic demo)",
        region: "340100",
        country: Country::China,
        sectors: &["I65", "C39"],
        founded: 2017,
        form: "association",
        weight: 0.8,
        city: "合肥",
        city_en: "Hefei",
        places: &[],
        topics: &[
            "语音识别",
            "自然语言处理",
            "智能硬件",
            "人工智能芯片",
            "智慧教育",
        ],
        provincial: "demo-cn-ah",
        jobs: 3.1e6,
    },
    ClusterSpec {
        id: "demo-cn-chengdu-software",
        name: "成都软件和信息服务产业集群（合成示例）",
        name_en: "Chengdu Software and Information Services Cluster (synthetic demo)",
        region: "510100",
        country: Country::China,
        sectors: &["I65", "I64"],
        founded: 2013,
        form: "company",
        weight: 1.0,
        city: "成都",
        city_en: "Chengdu",
        places: &[],
        topics: &["工业软件", "信息安全", "数字文创", "云计算", "大数据"],
        provincial: "demo-cn-sc",
        jobs: 5.2e6,
    },
    ClusterSpec {
        id: "demo-cn-wuhan-optics",
        name: "武汉光电子信息产业集群（合成示例）",
        name_en: "Wuhan Optoelectronics Cluster (synthetic demo)",
        region: "420100",
        country: Country::China,
        sectors: &["C39", "C38"],
        founded: 2010,
        form: "association",
        weight: 1.2,
        city: "武汉",
        city_en: "Wuhan",
        places: &[],
        topics: &["光纤光缆", "激光器", "光通信器件", "存储芯片", "光电显示"],
        provincial: "demo-cn-hb",
        jobs: 4.5e6,
    },
    ClusterSpec {
        id: "demo-cn-xian-aero",
        name: "西安航空产业集群（合成示例）",
        name_en: "Xi'an Aviation Cluster (synthetic demo)",
        region: "610100",
        country: Country::China,
        sectors: &["C37", "C34"],
        founded: 2019,
        form: "public",
        weight: 0.6,
        city: "西安",
        city_en: "Xi'an",
        places: &[],
        topics: &["航空发动机", "无人机", "航空材料", "机载系统", "增材制造"],
        provincial: "demo-cn-sn",
        jobs: 3.6e6,
    },
    ClusterSpec {
        id: "demo-de-owl-its",
        name: "OWL Intelligente Technische Systeme (synthetisches Beispiel)",
        name_en: "OWL Intelligent Technical Systems (synthetic demo)",
        region: "DEA4",
        country: Country::Germany,
        sectors: &["C28", "C27", "J62"],
        founded: 2012,
        form: "association",
        weight: 1.0,
        city: "Ostwestfalen-Lippe",
        city_en: "Ostwestfalen-Lippe",
        places: &[
            "Bielefeld",
            "Paderborn",
            "Detmold",
            "Lemgo",
            "Gütersloh",
            "Herford",
            "Minden",
            "Höxter",
        ],
        topics: &[
            "Selbstoptimierende Systeme",
            "Industrie 4.0",
            "Mensch-Maschine-Interaktion",
            "Intelligente Vernetzung",
            "Energieeffizienz",
        ],
        provincial: "demo-de-nrw",
        jobs: 0.9e6,
    },
    ClusterSpec {
        id: "demo-de-stuttgart-mobility",
        name: "Mobilitätscluster Region Stuttgart (synthetisches Beispiel)",
        name_en: "Stuttgart Region Mobility Cluster (synthetic demo)",
        region: "DE11",
        country: Country::Germany,
        sectors: &["C29", "C28"],
        founded: 2006,
        form: "company",
        weight: 1.3,
        city: "Stuttgart",
        city_en: "Stuttgart",
        places: &[
            "Stuttgart",
            "Esslingen",
            "Ludwigsburg",
            "Böblingen",
            "Sindelfingen",
            "Waiblingen",
            "Göppingen",
            "Heilbronn",
        ],
        topics: &[
            "Elektromobilität",
            "Brennstoffzelle",
            "Autonomes Fahren",
            "Leichtbau",
            "Batterietechnik",
        ],
        provincial: "demo-de-bw",
        jobs: 1.6e6,
    },
    ClusterSpec {
        id: "demo-de-dresden-micro",
        name: "Mikroelektronik Sachsen (synthetisches Beispiel)",
        name_en: "Saxony Microelectronics (synthetic demo)",
        region: "DED2",
        country: Country::Germany,
        sectors: &["C26", "J62"],
        founded: 2000,
        form: "association",
        weight: 1.0,
        city: "Dresden",
        city_en: "Dresden",
        places: &[
            "Dresden", "Freiberg", "Meißen", "Pirna", "Radebeul", "Riesa", "Freital",
        ],
        topics: &[
            "Halbleiterfertigung",
            "Sensorik",
            "Leistungselektronik",
            "Organische Elektronik",
            "Chipdesign",
        ],
        provincial: "demo-de-sn",
        jobs: 0.8e6,
    },
    ClusterSpec {
        id: "demo-fr-toulouse-aero",
        name: "Pôle Aéronautique et Spatial Occitanie (exemple synthétique)",
        name_en: "Occitanie Aerospace Cluster (synthetic demo)",
        region: "FRJ23",
        country: Country::France,
        sectors: &["C30", "C26"],
        founded: 2005,
        form: "association",
        weight: 1.2,
        city: "Toulouse",
        city_en: "Toulouse",
        places: &[
            "Toulouse",
            "Blagnac",
            "Colomiers",
            "Labège",
            "Muret",
            "Castanet-Tolosan",
        ],
        topics: &[
            "Systèmes embarqués",
            "Matériaux composites",
            "Observation de la Terre",
            "Avion plus électrique",
            "Drones",
        ],
        provincial: "demo-fr-occ",
        jobs: 0.7e6,
    },
    ClusterSpec {
        id: "demo-fr-grenoble-micro",
        name: "Pôle Micro-nanotechnologies Grenoble (exemple synthétique)",
        name_en: "Grenoble Micro- and Nanotechnology Cluster (synthetic demo)",
        region: "FRK24",
        country: Country::France,
        sectors: &["C26", "J62"],
        founded: 2005,
        form: "association",
        weight: 0.9,
        city: "Grenoble",
        city_en: "Grenoble",
        places: &[
            "Grenoble",
            "Meylan",
            "Échirolles",
            "Crolles",
            "Voiron",
            "Saint-Égrève",
        ],
        topics: &[
            "Microélectronique",
            "Photonique",
            "Logiciel embarqué",
            "Capteurs",
            "Objets connectés",
        ],
        provincial: "demo-fr-aura",
        jobs: 0.55e6,
    },
    ClusterSpec {
        id: "demo-fr-lyon-health",
        name: "Pôle Santé Lyon (exemple synthétique)",
        name_en: "Lyon Health Cluster (synthetic demo)",
        region: "FRK26",
        country: Country::France,
        sectors: &["C21", "M72"],
        founded: 2005,
        form: "association",
        weight: 0.8,
        city: "Lyon",
        city_en: "Lyon",
        places: &[
            "Lyon",
            "Villeurbanne",
            "Vénissieux",
            "Bron",
            "Écully",
            "Vaulx-en-Velin",
        ],
        topics: &[
            "Vaccins",
            "Diagnostic in vitro",
            "Maladies infectieuses",
            "Dispositifs médicaux",
            "Santé numérique",
        ],
        provincial: "demo-fr-aura",
        jobs: 1.0e6,
    },
];

/// (id, name, name_en, agency, level, start, end).
type ProgrammeSpec = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const PROGRAMMES: &[ProgrammeSpec] = &[
    (
        "demo-cn-torch",
        "国家火炬特色产业基地计划（合成示例）",
        "National Torch Programme, characteristic industry bases (synthetic demo)",
        "科学技术部火炬高技术产业开发中心",
        "national",
        "1995",
        "",
    ),
    (
        "demo-cn-amc",
        "先进制造业集群发展专项（合成示例）",
        "Advanced Manufacturing Cluster Programme (synthetic demo)",
        "工业和信息化部",
        "national",
        "2019",
        "",
    ),
    (
        "demo-cn-gd",
        "广东省战略性产业集群专项（合成示例）",
        "Guangdong Strategic Industry Clusters (synthetic demo)",
        "广东省工业和信息化厅",
        "provincial",
        "2005",
        "",
    ),
    (
        "demo-cn-js",
        "江苏省先进制造业集群培育专项（合成示例）",
        "Jiangsu Advanced Manufacturing Clusters (synthetic demo)",
        "江苏省工业和信息化厅",
        "provincial",
        "2008",
        "",
    ),
    (
        "demo-cn-ah",
        "安徽省战略性新兴产业集聚发展基地（合成示例）",
        "Anhui Strategic Emerging Industry Bases (synthetic demo)",
        "安徽省发展和改革委员会",
        "provincial",
        "2015",
        "",
    ),
    (
        "demo-cn-sc",
        "四川省产业集群培育计划（合成示例）",
        "Sichuan Industry Cluster Programme (synthetic demo)",
        "四川省经济和信息化厅",
        "provincial",
        "2010",
        "",
    ),
    (
        "demo-cn-hb",
        "湖北省重点产业集群专项（合成示例）",
        "Hubei Key Industry Clusters (synthetic demo)",
        "湖北省经济和信息化厅",
        "provincial",
        "2008",
        "",
    ),
    (
        "demo-cn-sn",
        "陕西省重点产业链集群计划（合成示例）",
        "Shaanxi Key Industry Chain Clusters (synthetic demo)",
        "陕西省工业和信息化厅",
        "provincial",
        "2018",
        "",
    ),
    (
        "demo-de-gocluster",
        "Clusterförderung des Bundes (synthetisches Beispiel)",
        "Federal cluster support (synthetic demo)",
        "Bundesministerium für Wirtschaft",
        "national",
        "2000",
        "",
    ),
    (
        "demo-de-nrw",
        "Cluster- und Netzwerkförderung NRW (synthetisches Beispiel)",
        "North Rhine-Westphalia cluster support (synthetic demo)",
        "Wirtschaftsministerium Nordrhein-Westfalen",
        "provincial",
        "2008",
        "",
    ),
    (
        "demo-de-bw",
        "Clusterinitiativen Baden-Württemberg (synthetisches Beispiel)",
        "Baden-Württemberg cluster initiatives (synthetic demo)",
        "Wirtschaftsministerium Baden-Württemberg",
        "provincial",
        "2005",
        "",
    ),
    (
        "demo-de-sn",
        "Technologieförderung Sachsen (synthetisches Beispiel)",
        "Saxony technology support (synthetic demo)",
        "Sächsisches Staatsministerium für Wirtschaft",
        "provincial",
        "2000",
        "",
    ),
    (
        "demo-fr-poles",
        "Pôles de compétitivité (exemple synthétique)",
        "Competitiveness clusters (synthetic demo)",
        "Direction générale des Entreprises",
        "national",
        "2005",
        "",
    ),
    (
        "demo-fr-occ",
        "Région Occitanie – soutien aux pôles (exemple synthétique)",
        "Occitanie region cluster support (synthetic demo)",
        "Région Occitanie",
        "provincial",
        "2005",
        "",
    ),
    (
        "demo-fr-aura",
        "Région Auvergne-Rhône-Alpes – soutien aux pôles (exemple synthétique)",
        "Auvergne-Rhône-Alpes region cluster support (synthetic demo)",
        "Région Auvergne-Rhône-Alpes",
        "provincial",
        "2005",
        "",
    ),
    (
        "demo-eu-h2020",
        "Horizon 2020 (synthetic demo funding)",
        "Horizon 2020 (synthetic demo funding)",
        "European Commission",
        "supranational",
        "2014",
        "2020",
    ),
    (
        "demo-eu-horizon",
        "Horizon Europe (synthetic demo funding)",
        "Horizon Europe (synthetic demo funding)",
        "European Commission",
        "supranational",
        "2021",
        "2027",
    ),
];

/// (id, name, name_en, unit, dimension, direction).
type IndicatorSpec = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const INDICATORS: &[IndicatorSpec] = &[
    (
        "members",
        "成员数量",
        "Members",
        "count",
        "scale",
        "higher_better",
    ),
    (
        "employment",
        "从业人员",
        "Employment",
        "persons",
        "scale",
        "higher_better",
    ),
    (
        "revenue",
        "营业收入",
        "Revenue",
        "million EUR",
        "economic",
        "higher_better",
    ),
    (
        "revenue_growth",
        "营业收入增长率",
        "Revenue growth",
        "%",
        "economic",
        "higher_better",
    ),
    (
        "export_share",
        "出口占比",
        "Export share",
        "share",
        "openness",
        "higher_better",
    ),
    (
        "patents",
        "发明专利授权",
        "Patents granted",
        "count",
        "innovation",
        "higher_better",
    ),
    (
        "patents_per_10k",
        "万人发明专利",
        "Patents per 10,000 employees",
        "count",
        "innovation",
        "higher_better",
    ),
    (
        "rd_intensity",
        "研发投入强度",
        "R&D intensity",
        "% of revenue",
        "innovation",
        "higher_better",
    ),
    (
        "startups",
        "新设企业",
        "Start-ups",
        "count",
        "dynamism",
        "higher_better",
    ),
    (
        "projects",
        "合作项目",
        "Collaborative projects",
        "count",
        "collaboration",
        "higher_better",
    ),
    (
        "density",
        "网络密度",
        "Network density",
        "ratio",
        "network",
        "higher_better",
    ),
    (
        "cross_actor_share",
        "跨主体合作占比",
        "Cross-actor share of ties",
        "share",
        "network",
        "higher_better",
    ),
    (
        "cross_cluster_share",
        "跨集群合作占比",
        "Cross-cluster share of ties",
        "share",
        "network",
        "higher_better",
    ),
    (
        "tech_transfer_deals",
        "技术转移合同",
        "Technology transfer deals",
        "count",
        "innovation",
        "higher_better",
    ),
    (
        "public_funding_share",
        "公共资金占比",
        "Public share of funding",
        "share",
        "governance",
        "lower_better",
    ),
    (
        "management_fte",
        "集群管理人员",
        "Cluster management staff",
        "FTE",
        "governance",
        "higher_better",
    ),
    (
        "member_satisfaction",
        "成员满意度",
        "Member satisfaction",
        "score 1-5",
        "governance",
        "higher_better",
    ),
    (
        "sme_share",
        "中小企业占比",
        "SME share of members",
        "share",
        "structure",
        "higher_better",
    ),
    (
        "venture_investment",
        "风险投资",
        "Venture investment",
        "million EUR",
        "finance",
        "higher_better",
    ),
    (
        "international_projects",
        "国际合作项目",
        "International projects",
        "count",
        "openness",
        "higher_better",
    ),
    (
        "energy_intensity",
        "单位产值能耗",
        "Energy intensity",
        "MWh per million EUR",
        "sustainability",
        "lower_better",
    ),
];

/// 30 divisions of GB/T 4754-2017 (China's industrial classification).
const GBT4754: &[&str] = &[
    "C13", "C14", "C15", "C17", "C18", "C22", "C26", "C27", "C29", "C30", "C31", "C33", "C34",
    "C35", "C36", "C37", "C38", "C39", "C40", "D44", "E47", "F51", "F52", "G54", "I63", "I64",
    "I65", "J66", "L72", "M73",
];

/// 30 divisions of NACE Rev. 2 (the EU's industrial classification).
const NACE: &[&str] = &[
    "C10", "C13", "C17", "C20", "C21", "C22", "C23", "C24", "C25", "C26", "C27", "C28", "C29",
    "C30", "C32", "C33", "D35", "F41", "G46", "G47", "H49", "H52", "J58", "J61", "J62", "K64",
    "M70", "M71", "M72", "N82",
];

// ---------------------------------------------------------------------------
// The generator.

const ENTERPRISE: u8 = 1;
const UNIVERSITY: u8 = 2;
const RESEARCH: u8 = 3;
const FINANCE: u8 = 4;
const INTERMEDIARY: u8 = 5;
const GOVERNMENT: u8 = 0;
const USER: u8 = 6;
const ACTOR_NAMES: [&str; 7] = [
    "government",
    "enterprise",
    "university",
    "research",
    "finance",
    "intermediary",
    "user",
];
const SIZE_NAMES: [&str; 5] = ["large", "medium", "small", "micro", "sme"];
const NO_SIZE: u8 = 255;

#[derive(Debug, Clone, Copy)]
struct Org {
    cluster: u16,
    actor: u8,
    size: u8,
    founded: i16,
    employees: u32,
}

#[derive(Debug)]
struct Project {
    cluster: u16,
    start_year: i32,
    budget: f64,
    /// (org, role 0 coordinator / 1 partner / 2 associate, contribution).
    participants: Vec<(u32, u8, f64)>,
}

/// Per cluster and year (FIRST_YEAR..=LAST_YEAR) counts gathered while
/// generating, for the observations.
#[derive(Debug, Clone, Default)]
struct Tally {
    members: [f64; YEARS],
    member_smes: [f64; YEARS],
    member_enterprises: [f64; YEARS],
    projects: [f64; YEARS],
    international: [f64; YEARS],
    startups: [f64; YEARS],
    public: [f64; YEARS],
    total: [f64; YEARS],
    venture: [f64; YEARS],
    /// Ties started by the end of the year, within the cluster.
    inner_ties: [f64; YEARS],
    cross_actor: [f64; YEARS],
    /// Ties started by the end of the year with one end outside the cluster.
    outer_ties: [f64; YEARS],
    tech_transfer: [f64; YEARS],
}

struct Generator {
    seed: u64,
    n: usize,
    n_ties: usize,
    source: String,
    orgs: Vec<Org>,
    /// Organizations of cluster c are `ranges[c].0 .. ranges[c].1`.
    ranges: Vec<(usize, usize)>,
    /// Cumulative tie propensity over all organizations (heavy-tailed).
    fitness: Vec<f64>,
    /// Current members of each cluster (org index, tier 0 core .. 3
    /// associate, year joined).
    members: Vec<Vec<(u32, u8, i32)>>,
    projects: Vec<Project>,
    tally: Vec<Tally>,
    fte: Vec<f64>,
}

fn year_index(y: i32) -> Option<usize> {
    (FIRST_YEAR..=LAST_YEAR)
        .contains(&y)
        .then(|| (y - FIRST_YEAR) as usize)
}

/// The public share of a cluster's money at this age (see the module docs).
fn public_share(age: i32) -> f64 {
    0.12 + 0.78 * (-(age.max(0) as f64) / 5.0).exp()
}

/// Lifecycle maturity in [0, 1): a logistic curve of age, midpoint 8 years.
fn maturity(age: i32) -> f64 {
    1.0 / (1.0 + (-(age as f64 - 8.0) / 3.0).exp())
}

fn header(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|s| (*s).to_owned()).collect()
}

/// Rounds to `digits` decimals and prints without trailing noise.
fn num(x: f64, digits: i32) -> String {
    let p = 10f64.powi(digits);
    weaver_core::value::format_float((x * p).round() / p)
}

fn date(y: i32, m: u32, d: u32) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

impl Generator {
    fn new(options: &DemoOptions) -> Self {
        let n = options.organizations.max(MIN_ORGANIZATIONS);
        Generator {
            seed: options.seed,
            n,
            n_ties: options.ties.unwrap_or(4 * n),
            source: format!("synthetic demo data (weaver demo, seed {})", options.seed),
            orgs: Vec::with_capacity(n),
            ranges: Vec::new(),
            fitness: Vec::with_capacity(n),
            members: vec![Vec::new(); CLUSTERS.len()],
            projects: Vec::new(),
            tally: vec![Tally::default(); CLUSTERS.len()],
            fte: vec![0.0; CLUSTERS.len()],
        }
    }

    /// A generator for one table, independent of the others' draws.
    fn rng(&self, table: u64) -> Pcg64 {
        Pcg64::seed_from_u64(
            self.seed
                .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                .wrapping_add(table),
        )
    }

    fn org_id(i: usize) -> String {
        format!("demo-org-{i:06}")
    }

    fn programmes(&self, pkg: &mut PackageBuilder) {
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

    fn organizations(&mut self, pkg: &mut PackageBuilder) {
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
                    size = if employees < 10 { 3 } else { 2 };
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
                if actor == ENTERPRISE
                    && let Some(y) = year_index(founded as i32)
                {
                    self.tally[c].startups[y] += 1.0;
                }
                self.orgs.push(org);
            }
            self.ranges.push((start, self.orgs.len()));
        }
    }

    fn clusters(&self, pkg: &mut PackageBuilder) {
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
                    spec.form.to_owned(),
                    date(spec.founded, rng.random_range(1..=12), 1),
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

    fn programme_clusters(&self, pkg: &mut PackageBuilder) {
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

    fn memberships(&mut self, pkg: &mut PackageBuilder) {
        let mut rng = self.rng(3);
        let mut t = pkg
            .table(
                "memberships",
                "demo › memberships",
                &header(&["cluster", "org", "tier", "since", "until", "source"]),
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
                } else {
                    // Most join in the cluster's first years; some later.
                    let span = (LAST_YEAR - first).max(0);
                    let u: f64 = rng.random();
                    first + (u * u * (span + 1) as f64) as i32
                }
                .min(LAST_YEAR);
                let until_year = (!manager && rng.random_bool(0.06) && since_year < LAST_YEAR)
                    .then(|| rng.random_range(since_year + 1..=LAST_YEAR));
                let since = date(since_year, rng.random_range(1..=12), 1);
                let until = until_year.map(|y| date(y, 12, 31)).unwrap_or_default();
                t.push_row(
                    line,
                    &[
                        spec.id,
                        &Self::org_id(i),
                        tiers[tier as usize],
                        &since,
                        &until,
                        &self.source,
                    ],
                );
                line += 1;
                if until_year.is_none() {
                    self.members[k].push((i as u32, tier, since_year));
                }
                let tally = &mut self.tally[k];
                for y in FIRST_YEAR..=LAST_YEAR {
                    if since_year <= y && until_year.is_none_or(|u| u > y) {
                        let yi = (y - FIRST_YEAR) as usize;
                        tally.members[yi] += 1.0;
                        if org.actor == ENTERPRISE {
                            tally.member_enterprises[yi] += 1.0;
                            if org.size >= 1 && org.size != NO_SIZE {
                                tally.member_smes[yi] += 1.0;
                            }
                        }
                    }
                }
            }
        }
    }

    fn governance(&self, pkg: &mut PackageBuilder) {
        let mut rng = self.rng(4);
        let mut t = pkg
            .table(
                "governance",
                "demo › governance",
                &header(&["cluster", "body", "org", "role", "since", "until", "source"]),
            )
            .expect("governance header");
        let mut line = 2;
        for (c, spec) in CLUSTERS.iter().enumerate() {
            let members = &self.members[c];
            if members.is_empty() {
                continue;
            }
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
                           since: &str,
                           until: &str| {
                t.push_row(
                    line,
                    &[
                        spec.id,
                        body,
                        &Self::org_id(org as usize),
                        role,
                        since,
                        until,
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
                        1 => "vice chair",
                        _ => "member",
                    };
                    row(&mut t, "board", org, role, &since, &until);
                }
                term += 4;
            }
            // Executive: the cluster management organization and its office.
            let manager = self.ranges[c].0 as u32;
            row(
                &mut t,
                "executive",
                manager,
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
                row(&mut t, "executive", org, "secretariat", &date(y, 1, 1), "");
            }
            // Advisory board: universities and research institutes.
            let year = (spec.founded + 1).min(LAST_YEAR);
            let academic = joined(year, &|o, _| {
                matches!(self.orgs[o as usize].actor, UNIVERSITY | RESEARCH)
            });
            let since = date(year, 6, 1);
            let seats = rng.random_range(5..=9);
            for (s, org) in distinct(&mut rng, &academic, seats).into_iter().enumerate() {
                let role = if s == 0 {
                    "chair"
                } else {
                    "scientific adviser"
                };
                row(&mut t, "advisory", org, role, &since, "");
            }
            // Working groups, one per topic, each started in its own month.
            for (w, topic) in spec.topics.iter().enumerate() {
                let y = (spec.founded + 1 + w as i32).min(LAST_YEAR);
                let all = joined(y, &|_, _| true);
                let since = date(y, w as u32 + 1, 15);
                let seats = rng.random_range(4..=10);
                for (s, org) in distinct(&mut rng, &all, seats).into_iter().enumerate() {
                    let role = if s == 0 {
                        format!("{topic}: lead")
                    } else {
                        format!("{topic}: member")
                    };
                    row(&mut t, "working_group", org, &role, &since, "");
                }
            }
        }
    }

    fn projects(&mut self, pkg: &mut PackageBuilder) {
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
                    "id", "title", "cluster", "start", "end", "budget", "currency", "field",
                    "status", "source",
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
            let mut international = false;
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
                if CLUSTERS[self.orgs[o].cluster as usize].country != spec.country {
                    international = true;
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
                    self.source.clone(),
                ],
            );
            if let Some(y) = year_index(sy) {
                self.tally[c].projects[y] += 1.0;
                if international {
                    self.tally[c].international[y] += 1.0;
                }
            }
            self.projects.push(Project {
                cluster: c as u16,
                start_year: sy,
                budget,
                participants: parts,
            });
        }
    }

    fn participations(&self, pkg: &mut PackageBuilder) {
        let mut t = pkg
            .table(
                "participations",
                "demo › participations",
                &header(&["project", "org", "role", "contribution", "source"]),
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
                        &self.source,
                    ],
                );
                line += 1;
            }
        }
    }

    fn funding(&mut self, pkg: &mut PackageBuilder) {
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
                record_money(&mut self.tally[c], year, source, amount);
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
                    record_money(&mut self.tally[c], year, source, amount);
                }
            }
        }
    }

    fn ties(&mut self, pkg: &mut PackageBuilder) {
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
        let cluster_sizes: Vec<f64> = self.ranges.iter().map(|r| (r.1 - r.0) as f64).collect();
        let cluster_cum = cumulative(&cluster_sizes);
        let mut seen: HashSet<u64> = HashSet::with_capacity(self.n_ties);
        // Ids and cells written once and reused: this loop makes up to millions of rows.
        let ids: Vec<String> = (0..self.orgs.len()).map(Self::org_id).collect();
        let (mut start, mut weight_text) = (String::new(), String::new());
        let mut made = 0;
        let mut tries = 0usize;
        let max_tries = 50 * self.n_ties + 1_000;
        let mut inner_start = vec![[0f64; YEARS]; CLUSTERS.len()];
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
            if !seen.insert(key) {
                continue;
            }
            let first = CLUSTERS[oa.cluster as usize]
                .founded
                .max(CLUSTERS[ob.cluster as usize].founded)
                .max(oa.founded as i32)
                .max(ob.founded as i32)
                .max(2010);
            let u: f64 = rng.random();
            let sy = (first + (u.sqrt() * (LAST_YEAR - first + 1) as f64) as i32).min(LAST_YEAR);
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
            let (ca, cb) = (oa.cluster as usize, ob.cluster as usize);
            let from = year_index(sy).unwrap_or(0);
            if ca == cb {
                inner_start[ca][from] += 1.0;
                if oa.actor != ob.actor {
                    self.tally[ca].cross_actor[from] += 1.0;
                }
            } else {
                self.tally[ca].outer_ties[from] += 1.0;
                self.tally[cb].outer_ties[from] += 1.0;
            }
            if kind == 5
                && let Some(y) = year_index(sy)
            {
                self.tally[ca].tech_transfer[y] += 1.0;
            }
        }
        // Cumulate ties started by the end of each year.
        for (c, starts) in inner_start.iter().enumerate() {
            let tally = &mut self.tally[c];
            let (mut inner, mut cross, mut outer) = (0.0, 0.0, 0.0);
            for (y, started) in starts.iter().enumerate() {
                inner += started;
                cross += tally.cross_actor[y];
                outer += tally.outer_ties[y];
                tally.inner_ties[y] = inner;
                tally.cross_actor[y] = cross;
                tally.outer_ties[y] = outer;
            }
        }
    }

    fn indicators(&self, pkg: &mut PackageBuilder) {
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
                    "source",
                ]),
            )
            .expect("indicators header");
        for (i, ind) in INDICATORS.iter().enumerate() {
            t.push_row(
                i + 2,
                &[
                    ind.0,
                    ind.1,
                    ind.2,
                    ind.3,
                    ind.4,
                    ind.5,
                    "1",
                    "Indicator of the synthetic Weaver demo.",
                    &self.source,
                ],
            );
        }
    }

    fn observations(&self, pkg: &mut PackageBuilder) {
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
            let staff_2024: f64 = self.orgs[lo..hi].iter().map(|o| o.employees as f64).sum();
            let mut previous_revenue: Option<f64> = None;
            for year in spec.founded.max(FIRST_YEAR)..=LAST_YEAR {
                let y = (year - FIRST_YEAR) as usize;
                let age = year - spec.founded;
                let m = maturity(age);
                let noise = |rng: &mut Pcg64| rng.random_range(0.95..1.05);
                let members = tally.members[y];
                let employment =
                    (staff_2024 * (0.55 + 0.45 * (year - FIRST_YEAR) as f64 / 9.0)).round();
                let productivity = match spec.country {
                    Country::China => 0.09,
                    _ => 0.2,
                } * (0.8 + 0.4 * m);
                let revenue = employment * productivity * noise(&mut rng);
                let growth = previous_revenue.map(|r| 100.0 * (revenue / r - 1.0));
                previous_revenue = Some(revenue);
                let rd = (1.5 + 3.5 * m) * noise(&mut rng);
                let patents = (employment / 1e4 * (2.0 + 18.0 * m) * noise(&mut rng)).round();
                let inner = tally.inner_ties[y];
                let size = (hi - lo) as f64;
                let density = if size > 1.0 {
                    2.0 * inner / (size * (size - 1.0))
                } else {
                    0.0
                };
                let all_ties = inner + tally.outer_ties[y];
                let share = |a: f64, b: f64| if b > 0.0 { Some(a / b) } else { None };
                let values: [(&str, Option<f64>, i32); 21] = [
                    ("members", Some(members), 0),
                    ("employment", Some(employment), 0),
                    ("revenue", Some(revenue), 1),
                    ("revenue_growth", growth, 2),
                    ("export_share", Some((0.15 + 0.35 * m) * noise(&mut rng)), 3),
                    ("patents", Some(patents), 0),
                    ("patents_per_10k", share(patents * 1e4, employment), 2),
                    ("rd_intensity", Some(rd), 2),
                    ("startups", Some(tally.startups[y]), 0),
                    ("projects", Some(tally.projects[y]), 0),
                    ("density", Some(density), 5),
                    ("cross_actor_share", share(tally.cross_actor[y], inner), 4),
                    (
                        "cross_cluster_share",
                        share(tally.outer_ties[y], all_ties),
                        4,
                    ),
                    ("tech_transfer_deals", Some(tally.tech_transfer[y]), 0),
                    (
                        "public_funding_share",
                        share(tally.public[y], tally.total[y]),
                        4,
                    ),
                    (
                        "management_fte",
                        Some((self.fte[c] * (0.5 + 0.5 * m)).round()),
                        0,
                    ),
                    (
                        "member_satisfaction",
                        Some((3.0 + 1.4 * m) * noise(&mut rng)),
                        2,
                    ),
                    (
                        "sme_share",
                        share(tally.member_smes[y], tally.member_enterprises[y]),
                        4,
                    ),
                    (
                        "venture_investment",
                        Some(tally.venture[y] / spec.country.per_eur() / 1e6),
                        3,
                    ),
                    ("international_projects", Some(tally.international[y]), 0),
                    (
                        "energy_intensity",
                        Some(
                            match spec.country {
                                Country::China => 95.0,
                                _ => 60.0,
                            } * (1.0 - 0.025 * (year - FIRST_YEAR) as f64)
                                * noise(&mut rng),
                        ),
                        1,
                    ),
                ];
                let period = year.to_string();
                for (indicator, value, digits) in values {
                    let Some(v) = value else { continue };
                    t.push_row(
                        line,
                        &[spec.id, indicator, &period, &num(v, digits), &self.source],
                    );
                    line += 1;
                }
            }
        }
    }

    fn regional_activity(&self, pkg: &mut PackageBuilder) {
        let mut rng = self.rng(9);
        let mut t = pkg
            .table(
                "regional_activity",
                "demo › regional_activity",
                &header(&[
                    "region",
                    "industry",
                    "year",
                    "employment",
                    "establishments",
                    "wages",
                    "source",
                ]),
            )
            .expect("regional_activity header");
        // National structure: one share per industry and country.
        let mut shares = Vec::new();
        for country in [Country::China, Country::Germany] {
            let w: Vec<f64> = country
                .industries()
                .iter()
                .map(|_| (rng.random::<f64>() * 2.0).exp())
                .collect();
            let s: f64 = w.iter().sum();
            shares.push(w.into_iter().map(|x| x / s).collect::<Vec<f64>>());
        }
        let mut line = 2;
        let mut done: Vec<&str> = Vec::new();
        for spec in CLUSTERS {
            if done.contains(&spec.region) {
                continue;
            }
            done.push(spec.region);
            let industries = spec.country.industries();
            let share = &shares[usize::from(spec.country != Country::China)];
            let wage = match spec.country {
                Country::China => 92_000.0,
                Country::Germany => 48_000.0,
                Country::France => 41_000.0,
            };
            for (k, industry) in industries.iter().enumerate() {
                let local = rng.random_range(0.6..1.4);
                let firm_size = rng.random_range(8.0..60.0);
                let premium = rng.random_range(0.8..1.3);
                let trend: f64 = rng.random_range(-0.02..0.04);
                for year in FIRST_YEAR..=LAST_YEAR {
                    let dy = (year - FIRST_YEAR) as f64;
                    let mut e = spec.jobs * share[k] * local * (1.0 + trend).powf(dy);
                    if spec.sectors.contains(industry) {
                        // The cluster's industries are concentrated here, more so as it matures.
                        e *= 2.5 + 3.0 * maturity(year - spec.founded);
                    }
                    e *= rng.random_range(0.98..1.02);
                    let est = (e / firm_size).max(1.0);
                    let w = e * wage * premium * 1.03f64.powf(dy);
                    t.push_row(
                        line,
                        &[
                            spec.region.to_owned(),
                            (*industry).to_owned(),
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

/// Staff of a cluster's management in the last year: grows with the square
/// root of its organizations and with maturity.
fn management_fte(organizations: usize, founded: i32) -> f64 {
    let size = organizations as f64;
    (2.0 + size.sqrt() * 0.6 * (0.5 + maturity(LAST_YEAR - founded)))
        .round()
        .max(2.0)
}

fn provincial_start(spec: &ClusterSpec) -> i32 {
    PROGRAMMES
        .iter()
        .find(|p| p.0 == spec.provincial)
        .and_then(|p| p.5.parse().ok())
        .unwrap_or(spec.founded)
}

/// Splits `amount` of a cluster's money in `year` by source: the public part
/// by [`public_share`], the rest private, own and (for projects) venture.
fn split_money(
    rng: &mut Pcg64,
    spec: &ClusterSpec,
    year: i32,
    amount: f64,
    project: bool,
    out: &mut Vec<(&'static str, &'static str, f64)>,
) {
    out.clear();
    let share = (public_share(year - spec.founded) * rng.random_range(0.9..1.1)).min(0.97);
    let public = amount * share;
    let private = amount - public;
    let national = match spec.country {
        Country::China if year >= 2020 && spec.founded <= 2013 => "demo-cn-amc",
        c => c.national_programme(),
    };
    match spec.country {
        Country::China => {
            out.push(("central_gov", national, public * 0.4));
            out.push(("local_gov", spec.provincial, public * 0.6));
        }
        _ => {
            let eu = if year <= 2020 {
                "demo-eu-h2020"
            } else {
                "demo-eu-horizon"
            };
            let supra = if project { 0.35 } else { 0.15 };
            out.push(("central_gov", national, public * (1.0 - supra) * 0.5));
            out.push(("local_gov", spec.provincial, public * (1.0 - supra) * 0.5));
            out.push(("supranational", eu, public * supra));
        }
    }
    if project {
        let venture = private * rng.random_range(0.0..0.3) * maturity(year - spec.founded);
        let bank = private * rng.random_range(0.0..0.15);
        let rest = private - venture - bank;
        out.push(("own", "", rest * 0.7));
        out.push(("private", "", rest * 0.3));
        out.push(("venture", "", venture));
        out.push(("bank", "", bank));
    } else {
        out.push(("private", "", private * 0.6));
        out.push(("own", "", private * 0.4));
    }
    for entry in out.iter_mut() {
        entry.2 = entry.2.max(0.0).round();
    }
}

fn record_money(tally: &mut Tally, year: i32, source: &str, amount: f64) {
    if let Some(y) = year_index(year) {
        tally.total[y] += amount;
        if matches!(source, "central_gov" | "local_gov" | "supranational") {
            tally.public[y] += amount;
        }
        if source == "venture" {
            tally.venture[y] += amount;
        }
    }
}

fn pick<T: Copy>(rng: &mut Pcg64, choices: &[(T, f64)]) -> T {
    let total: f64 = choices.iter().map(|c| c.1).sum();
    let mut u = rng.random::<f64>() * total;
    for &(v, w) in choices {
        if u < w {
            return v;
        }
        u -= w;
    }
    choices[choices.len() - 1].0
}

fn cumulative(weights: &[f64]) -> Vec<f64> {
    let mut acc = 0.0;
    weights
        .iter()
        .map(|w| {
            acc += w;
            acc
        })
        .collect()
}

/// Draws an index in `lo..hi` with probability proportional to its weight,
/// given the cumulative weights `cum` (O(log n)).
fn sample_cum(rng: &mut Pcg64, cum: &[f64], lo: usize, hi: usize) -> usize {
    let base = if lo == 0 { 0.0 } else { cum[lo - 1] };
    let top = cum[hi - 1];
    let x = base + rng.random::<f64>() * (top - base);
    let i = lo + cum[lo..hi].partition_point(|&c| c <= x);
    i.min(hi - 1)
}

/// Up to `k` distinct items of `pool`, drawn at random.
fn distinct(rng: &mut Pcg64, pool: &[u32], k: usize) -> Vec<u32> {
    let k = k.min(pool.len());
    let mut out: Vec<u32> = Vec::with_capacity(k);
    if k * 2 >= pool.len() {
        let mut all = pool.to_vec();
        for i in 0..k {
            let j = rng.random_range(i..all.len());
            all.swap(i, j);
        }
        all.truncate(k);
        return all;
    }
    while out.len() < k {
        let x = pool[rng.random_range(0..pool.len())];
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

/// Size class, employees and founding year by actor type.
fn firmographics(rng: &mut Pcg64, actor: u8) -> (u8, u32, i16) {
    match actor {
        ENTERPRISE => {
            let size = pick(
                rng,
                &[(0u8, 0.04), (1, 0.14), (2, 0.34), (3, 0.46), (4, 0.02)],
            );
            let employees = match size {
                0 => rng.random_range(250..20_000),
                1 => rng.random_range(50..250),
                2 => rng.random_range(10..50),
                3 => rng.random_range(1..10),
                _ => rng.random_range(5..250),
            };
            let founded = if size == 3 || rng.random_bool(0.25) {
                rng.random_range(2008..=LAST_YEAR as i16)
            } else {
                rng.random_range(1950..2015)
            };
            (size, employees, founded)
        }
        UNIVERSITY => (
            0,
            rng.random_range(800..12_000),
            rng.random_range(1900..2005),
        ),
        RESEARCH => (
            pick(rng, &[(1u8, 0.5), (2, 0.3), (0, 0.2)]),
            rng.random_range(30..2_500),
            rng.random_range(1950..2018),
        ),
        GOVERNMENT => (
            NO_SIZE,
            rng.random_range(20..600),
            rng.random_range(1949..2010),
        ),
        FINANCE => (
            pick(rng, &[(0u8, 0.2), (1, 0.3), (2, 0.5)]),
            rng.random_range(5..3_000),
            rng.random_range(1980..2022),
        ),
        INTERMEDIARY => (
            pick(rng, &[(2u8, 0.6), (3, 0.3), (1, 0.1)]),
            rng.random_range(2..120),
            rng.random_range(1995..2020),
        ),
        _ => (
            pick(rng, &[(0u8, 0.5), (1, 0.3), (2, 0.2)]),
            rng.random_range(50..30_000),
            rng.random_range(1950..2015),
        ),
    }
}

/// Propensity to form ties: Pareto(α = 1.5) times a size factor, which gives
/// a heavy-tailed degree distribution.
fn fitness_of(rng: &mut Pcg64, org: &Org) -> f64 {
    let u: f64 = rng.random();
    let pareto = (1.0 - u).powf(-1.0 / 1.5).min(200.0);
    let factor = match (org.actor, org.size) {
        (UNIVERSITY | RESEARCH, _) => 3.0,
        (_, 0) => 2.5,
        (INTERMEDIARY, _) => 1.5,
        (GOVERNMENT, _) => 0.8,
        (_, 3) => 0.6,
        _ => 1.0,
    };
    pareto * factor
}

fn tie_kind(rng: &mut Pcg64, a: u8, b: u8) -> usize {
    let academic = |x: u8| matches!(x, UNIVERSITY | RESEARCH);
    // contract, license, co_patent, co_publication, supply, tech_transfer, other
    let w: [f64; 7] = if academic(a) && academic(b) {
        [0.2, 0.0, 0.2, 0.6, 0.0, 0.0, 0.0]
    } else if (academic(a) && b == ENTERPRISE) || (academic(b) && a == ENTERPRISE) {
        [0.3, 0.1, 0.15, 0.15, 0.0, 0.3, 0.0]
    } else if a == ENTERPRISE && b == ENTERPRISE {
        [0.25, 0.1, 0.1, 0.0, 0.45, 0.0, 0.1]
    } else if a == USER || b == USER {
        [0.3, 0.0, 0.0, 0.0, 0.5, 0.0, 0.2]
    } else {
        [0.5, 0.0, 0.0, 0.0, 0.0, 0.05, 0.45]
    };
    let total: f64 = w.iter().sum();
    let mut u = rng.random::<f64>() * total;
    for (k, &wk) in w.iter().enumerate() {
        if u < wk {
            return k;
        }
        u -= wk;
    }
    6
}

fn industry_of(rng: &mut Pcg64, spec: &ClusterSpec, actor: u8) -> &'static str {
    let china = spec.country == Country::China;
    match actor {
        ENTERPRISE if rng.random_bool(0.8) => spec.sectors[rng.random_range(0..spec.sectors.len())],
        UNIVERSITY => {
            if china {
                "P83"
            } else {
                "P85"
            }
        }
        RESEARCH => {
            if china {
                "M73"
            } else {
                "M72"
            }
        }
        GOVERNMENT => {
            if china {
                "S92"
            } else {
                "O84"
            }
        }
        FINANCE => {
            if china {
                "J66"
            } else {
                "K64"
            }
        }
        INTERMEDIARY => {
            if china {
                "L72"
            } else {
                "M70"
            }
        }
        _ => {
            let list = spec.country.industries();
            list[rng.random_range(0..list.len())]
        }
    }
}

/// The 31 characters of the unified social credit code (GB 32100-2015).
const USCC_CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [usize; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A unified social credit code with a valid GB 32100-2015 check character.
fn uscc(rng: &mut Pcg64, region: &str, actor: u8) -> String {
    let mut code: Vec<u8> = Vec::with_capacity(18);
    let (dept, kind) = match actor {
        GOVERNMENT => (b'1', b'1'),
        UNIVERSITY | RESEARCH => (b'1', b'2'),
        INTERMEDIARY => (b'5', b'1'),
        _ => (b'9', b'1'),
    };
    code.push(dept);
    code.push(kind);
    code.extend_from_slice(region.as_bytes());
    for _ in 0..9 {
        code.push(USCC_CHARS[rng.random_range(0..USCC_CHARS.len())]);
    }
    let sum: usize = code
        .iter()
        .zip(USCC_WEIGHTS)
        .map(|(ch, w)| USCC_CHARS.iter().position(|x| x == ch).unwrap_or(0) * w)
        .sum();
    let check = (31 - sum % 31) % 31;
    code.push(USCC_CHARS[check]);
    String::from_utf8(code).unwrap_or_default()
}

fn identifiers(rng: &mut Pcg64, spec: &ClusterSpec, actor: u8, i: usize, seed: u64) -> String {
    let scrambled = (i as u64)
        .wrapping_mul(48_271)
        .wrapping_add(seed.wrapping_mul(7))
        % 100_000_000;
    let pic = format!("pic:9{scrambled:08}");
    match spec.country {
        Country::China => format!("uscc:{}", uscc(rng, spec.region, actor)),
        Country::Germany => {
            let vat = format!("vat:DE{}", rng.random_range(100_000_000u32..999_999_999));
            if rng.random_bool(0.6) {
                format!("{pic};{vat}")
            } else {
                vat
            }
        }
        Country::France => {
            let siren = format!("siren:{}", rng.random_range(300_000_000u32..999_999_999));
            if rng.random_bool(0.6) {
                format!("{pic};{siren}")
            } else {
                siren
            }
        }
    }
}

fn choose<'a>(rng: &mut Pcg64, list: &[&'a str]) -> &'a str {
    list[rng.random_range(0..list.len())]
}

/// (Chinese character, pinyin) pairs for firm names.
const ZI: &[(&str, &str)] = &[
    ("华", "Hua"),
    ("芯", "Xin"),
    ("创", "Chuang"),
    ("智", "Zhi"),
    ("联", "Lian"),
    ("科", "Ke"),
    ("达", "Da"),
    ("信", "Xin"),
    ("通", "Tong"),
    ("光", "Guang"),
    ("微", "Wei"),
    ("睿", "Rui"),
    ("航", "Hang"),
    ("天", "Tian"),
    ("宇", "Yu"),
    ("恒", "Heng"),
    ("泰", "Tai"),
    ("盛", "Sheng"),
    ("博", "Bo"),
    ("云", "Yun"),
    ("海", "Hai"),
    ("锐", "Rui"),
    ("晶", "Jing"),
    ("源", "Yuan"),
    ("兴", "Xing"),
    ("中", "Zhong"),
    ("启", "Qi"),
    ("鼎", "Ding"),
    ("汇", "Hui"),
    ("安", "An"),
    ("星", "Xing"),
    ("腾", "Teng"),
    ("灵", "Ling"),
    ("远", "Yuan"),
    ("思", "Si"),
    ("维", "Wei"),
];

const DE_NAMES: &[&str] = &[
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Braun",
    "Zimmermann",
    "Krüger",
    "Hartmann",
    "Lange",
    "Werner",
    "Krause",
    "Lehmann",
];
const DE_STEMS: &[&str] = &[
    "Antriebstechnik",
    "Maschinenbau",
    "Automation",
    "Sensorik",
    "Elektronik",
    "Präzisionstechnik",
    "Software",
    "Systemtechnik",
    "Fahrzeugtechnik",
    "Halbleitertechnik",
];
const FR_NAMES: &[&str] = &[
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier",
];
const FR_STEMS: &[&str] = &[
    "Aéro",
    "Systèmes",
    "Composites",
    "Électronique",
    "Photonique",
    "Biotech",
    "Logiciels",
    "Microtechnique",
    "Diagnostics",
];

/// A name (and an English name for Chinese organizations).
fn org_name(rng: &mut Pcg64, spec: &ClusterSpec, actor: u8, manager: bool) -> (String, String) {
    match spec.country {
        Country::China => {
            let (z1, p1) = ZI[rng.random_range(0..ZI.len())];
            let (z2, p2) = ZI[rng.random_range(0..ZI.len())];
            let p2 = p2.to_lowercase();
            let (city, city_en) = (spec.city, spec.city_en);
            if manager {
                return (
                    format!(
                        "{city}市{}产业集群促进中心（示例）",
                        &spec.name[..spec.name.find("产业").unwrap_or(6)].trim_start_matches(city)
                    ),
                    format!("{city_en} Cluster Development Centre (synthetic)"),
                );
            }
            let (zh, en) = match actor {
                ENTERPRISE => choose_pair(
                    rng,
                    &[
                        ("科技有限公司", "Technology Co., Ltd."),
                        ("电子有限公司", "Electronics Co., Ltd."),
                        ("智能科技股份有限公司", "Intelligent Technology Co., Ltd."),
                        ("精密制造有限公司", "Precision Manufacturing Co., Ltd."),
                        ("材料有限公司", "Materials Co., Ltd."),
                        ("软件有限公司", "Software Co., Ltd."),
                    ],
                ),
                UNIVERSITY => ("理工学院", "Institute of Technology"),
                RESEARCH => ("技术研究院", "Research Institute of Technology"),
                GOVERNMENT => choose_pair(
                    rng,
                    &[
                        (
                            "区科技和工业信息化局",
                            "District Bureau of Science, Industry and IT",
                        ),
                        (
                            "高新区管理委员会",
                            "High-tech Zone Administrative Committee",
                        ),
                    ],
                ),
                FINANCE => choose_pair(
                    rng,
                    &[
                        ("创业投资有限公司", "Venture Capital Co., Ltd."),
                        (
                            "科技融资担保有限公司",
                            "Technology Financing Guarantee Co., Ltd.",
                        ),
                    ],
                ),
                INTERMEDIARY => choose_pair(
                    rng,
                    &[
                        ("产业促进会", "Industry Promotion Association"),
                        ("知识产权代理有限公司", "IP Agency Co., Ltd."),
                        ("孵化器有限公司", "Incubator Co., Ltd."),
                    ],
                ),
                _ => choose_pair(
                    rng,
                    &[
                        (
                            "智慧交通运营有限公司",
                            "Smart Transport Operations Co., Ltd.",
                        ),
                        ("电力有限公司", "Power Co., Ltd."),
                        ("人民医院", "People's Hospital"),
                    ],
                ),
            };
            (
                format!("{city}{z1}{z2}{zh}"),
                format!("{city_en} {p1}{p2} {en}"),
            )
        }
        Country::Germany => {
            let place = choose(rng, spec.places);
            let name = choose(rng, DE_NAMES);
            let stem = choose(rng, DE_STEMS);
            let text = if manager {
                format!("{} Clustermanagement GmbH (Beispiel)", spec.city)
            } else {
                match actor {
                    ENTERPRISE => format!(
                        "{name} {stem} {}",
                        choose(rng, &["GmbH", "GmbH & Co. KG", "AG", "SE"])
                    ),
                    UNIVERSITY => format!("Hochschule {place}, Fachbereich {stem}"),
                    RESEARCH => format!("Institut für {stem} {place} e. V."),
                    GOVERNMENT => format!("Stadt {place}, Amt für Wirtschaft"),
                    FINANCE => {
                        if rng.random_bool(0.5) {
                            format!("Sparkasse {place}")
                        } else {
                            format!("{name} Ventures GmbH")
                        }
                    }
                    INTERMEDIARY => format!(
                        "{} {place}",
                        choose(
                            rng,
                            &[
                                "Technologietransfer",
                                "Gründerzentrum",
                                "Netzwerk Industrie"
                            ]
                        )
                    ),
                    _ => {
                        if rng.random_bool(0.5) {
                            format!("Stadtwerke {place}")
                        } else {
                            format!("{name} Logistik GmbH")
                        }
                    }
                }
            };
            (text, String::new())
        }
        Country::France => {
            let place = choose(rng, spec.places);
            let name = choose(rng, FR_NAMES);
            let stem = choose(rng, FR_STEMS);
            let text = if manager {
                format!("Association du pôle {} (exemple)", spec.city)
            } else {
                match actor {
                    ENTERPRISE => {
                        format!("{name} {stem} {}", choose(rng, &["SAS", "SA", "SARL"]))
                    }
                    UNIVERSITY => format!("Institut universitaire de technologie de {place}"),
                    RESEARCH => format!(
                        "Laboratoire {stem} de {place} (UMR {})",
                        rng.random_range(5000..5999)
                    ),
                    GOVERNMENT => format!("Mairie de {place}, direction de l'économie"),
                    FINANCE => format!("{name} Capital Partners"),
                    INTERMEDIARY => format!("Technopole {place}"),
                    _ => {
                        if rng.random_bool(0.5) {
                            format!("Centre hospitalier de {place}")
                        } else {
                            format!("{name} Transports SAS")
                        }
                    }
                }
            };
            (text, String::new())
        }
    }
}

fn choose_pair(
    rng: &mut Pcg64,
    list: &[(&'static str, &'static str)],
) -> (&'static str, &'static str) {
    list[rng.random_range(0..list.len())]
}

fn project_title(rng: &mut Pcg64, spec: &ClusterSpec, topic: &str, p: usize) -> String {
    match spec.country {
        Country::China => {
            let kind = choose(
                rng,
                &[
                    "关键技术攻关",
                    "产业化示范",
                    "公共服务平台建设",
                    "联合实验室建设",
                    "应用示范工程",
                ],
            );
            format!("{topic}{kind}（示例项目 {p}）")
        }
        Country::Germany => {
            let kind = choose(
                rng,
                &[
                    "Verbundprojekt",
                    "Demonstrator",
                    "Pilotlinie",
                    "Transferprojekt",
                ],
            );
            format!("{topic} – {kind} (Beispielprojekt {p})")
        }
        Country::France => {
            let kind = choose(rng, &["projet collaboratif", "démonstrateur", "plateforme"]);
            format!("{topic} – {kind} (projet fictif {p})")
        }
    }
}

#[cfg(test)]
mod tests {
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
        assert_eq!(p.table("clusters").unwrap().rows.len(), 12);
        assert_eq!(p.table("indicators").unwrap().rows.len(), 21);
        // 12 regions × 30 industries × 10 years.
        assert_eq!(p.table("regional_activity").unwrap().rows.len(), 3_600);
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
        // The observation agrees with the funding rows.
        let obs = p.table("observations").unwrap();
        let row = obs
            .rows
            .iter()
            .find(|r| {
                r[0].as_str() == Some("demo-cn-xian-aero")
                    && r[1].as_str() == Some("public_funding_share")
                    && r[2].as_str() == Some("2020")
            })
            .unwrap();
        let expected = public_share_of(&p, "demo-cn-xian-aero", 2020..=2020);
        assert!((row[3].as_f64().unwrap() - expected).abs() < 1e-4);
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
        for r in &governance.rows {
            let key = (r[0].to_text(), r[2].to_text());
            let since = joined
                .get(&key)
                .unwrap_or_else(|| panic!("{key:?} is no member"));
            assert!(
                since[..4] <= r[4].to_text()[..4],
                "{key:?} joined {since}, seat {r:?}"
            );
        }
        let orgs = p.table("organizations").unwrap();
        for c in &p.table("clusters").unwrap().rows {
            let manager = orgs.rows.iter().find(|o| o[0] == c[8]).unwrap();
            assert_eq!(manager[9].to_text(), c[7].to_text()[..4]);
            assert_eq!(manager[10].to_text(), c[9].to_text());
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
}
