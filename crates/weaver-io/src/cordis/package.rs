//! Writing the mapped rows as the package's tables: programmes, projects,
//! funding, organizations and participations.

use weaver_core::PackageBuilder;

use super::cells::vat_key;
use super::map::{FRAMEWORKS, OrgRow, ParticipationRow, ProjectRow};

pub(super) fn header(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|s| (*s).to_owned()).collect()
}

pub(super) fn amount_text(x: Option<f64>) -> String {
    x.map(weaver_core::value::format_float).unwrap_or_default()
}

pub(super) fn write_programmes(pkg: &mut PackageBuilder, file: &str, projects: &[ProjectRow]) {
    let mut seen: Vec<&str> = Vec::new();
    let mut first_line: Vec<usize> = Vec::new();
    for p in projects {
        if !p.programme.is_empty() && !seen.contains(&p.programme.as_str()) {
            seen.push(&p.programme);
            first_line.push(p.line);
        }
    }
    let Some(mut t) = pkg.table(
        "programmes",
        file,
        &header(&["id", "name", "agency", "level", "start", "end"]),
    ) else {
        return;
    };
    for (id, line) in seen.iter().zip(first_line) {
        let known = FRAMEWORKS.iter().find(|f| f.0.eq_ignore_ascii_case(id));
        let (name, start, end) = known.map_or((*id, "", ""), |f| (f.1, f.2, f.3));
        t.push_row(
            line,
            &[
                *id,
                name,
                "European Commission",
                "supranational",
                start,
                end,
            ],
        );
    }
}

pub(super) fn write_projects(pkg: &mut PackageBuilder, file: &str, projects: &[ProjectRow]) {
    let Some(mut t) = pkg.table(
        "projects",
        file,
        &header(&[
            "id", "title", "start", "end", "budget", "currency", "field", "status",
        ]),
    ) else {
        return;
    };
    for p in projects {
        t.push_row(
            p.line,
            &[
                p.id.as_str(),
                &p.title,
                p.start.as_deref().unwrap_or(""),
                p.end.as_deref().unwrap_or(""),
                &amount_text(p.budget),
                "EUR",
                &p.field,
                &p.status,
            ],
        );
    }
}

pub(super) fn write_funding(pkg: &mut PackageBuilder, file: &str, projects: &[ProjectRow]) {
    let Some(mut t) = pkg.table(
        "funding",
        file,
        &header(&[
            "recipient",
            "source_type",
            "programme",
            "amount",
            "currency",
            "year",
        ]),
    ) else {
        return;
    };
    for p in projects {
        let Some((amount, year)) = &p.funding else {
            continue;
        };
        t.push_row(
            p.line,
            &[
                p.id.as_str(),
                "supranational",
                &p.programme,
                &amount_text(Some(*amount)),
                "EUR",
                year,
            ],
        );
    }
}

pub(super) fn write_organizations(pkg: &mut PackageBuilder, file: &str, orgs: &[OrgRow]) {
    let Some(mut t) = pkg.table(
        "organizations",
        file,
        &header(&[
            "id",
            "name",
            "actor_type",
            "size",
            "identifiers",
            "region",
            "country",
            "website",
        ]),
    ) else {
        return;
    };
    for o in orgs {
        let mut identifiers = format!("pic:{}", o.pic);
        if vat_key(&o.vat).is_some() && !o.vat.contains([';', ':', ' ']) {
            identifiers.push_str(";vat:");
            identifiers.push_str(&o.vat);
        }
        t.push_row(
            o.line,
            &[
                o.id.as_str(),
                &o.name,
                o.actor.unwrap_or("intermediary"),
                if o.sme == Some(true) { "sme" } else { "" },
                &identifiers,
                &o.region,
                &o.country,
                &o.website,
            ],
        );
    }
}

pub(super) fn write_participations(
    pkg: &mut PackageBuilder,
    file: &str,
    parts: &[ParticipationRow],
) {
    let Some(mut t) = pkg.table(
        "participations",
        file,
        &header(&["project", "org", "role", "contribution"]),
    ) else {
        return;
    };
    for p in parts {
        t.push_row(
            p.line,
            &[
                p.project.as_str(),
                &p.org,
                p.role,
                &amount_text(p.contribution),
            ],
        );
    }
}
