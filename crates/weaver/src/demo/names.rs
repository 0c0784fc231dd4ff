//! Names and identifiers: organizations' names in Chinese, German and
//! French, unified social credit codes and other identifiers, project
//! titles.

use rand::RngExt;
use rand_pcg::Pcg64;

use super::catalogue::{
    ClusterSpec, Country, ENTERPRISE, FINANCE, GOVERNMENT, INTERMEDIARY, RESEARCH, UNIVERSITY,
};

/// The 31 characters of the unified social credit code (GB 32100-2015).
pub(super) const USCC_CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
pub(super) const USCC_WEIGHTS: [usize; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A unified social credit code with a valid GB 32100-2015 check character.
pub(super) fn uscc(rng: &mut Pcg64, region: &str, actor: u8) -> String {
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

pub(super) fn identifiers(
    rng: &mut Pcg64,
    spec: &ClusterSpec,
    actor: u8,
    i: usize,
    seed: u64,
) -> String {
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

pub(super) fn choose<'a>(rng: &mut Pcg64, list: &[&'a str]) -> &'a str {
    list[rng.random_range(0..list.len())]
}

/// (Chinese character, pinyin) pairs for firm names.
pub(super) const ZI: &[(&str, &str)] = &[
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

pub(super) const DE_NAMES: &[&str] = &[
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
pub(super) const DE_STEMS: &[&str] = &[
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
pub(super) const FR_NAMES: &[&str] = &[
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier",
];
pub(super) const FR_STEMS: &[&str] = &[
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
pub(super) fn org_name(
    rng: &mut Pcg64,
    spec: &ClusterSpec,
    actor: u8,
    manager: bool,
) -> (String, String) {
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

pub(super) fn choose_pair(
    rng: &mut Pcg64,
    list: &[(&'static str, &'static str)],
) -> (&'static str, &'static str) {
    list[rng.random_range(0..list.len())]
}

pub(super) fn project_title(rng: &mut Pcg64, spec: &ClusterSpec, topic: &str, p: usize) -> String {
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
