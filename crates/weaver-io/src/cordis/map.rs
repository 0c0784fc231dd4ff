//! Mapping the rows read to the register's rows: organizations (one per
//! PIC) and participations from the organizations file, projects with their
//! funding from the projects file, deriving what is missing and reporting
//! each kind of gap.

use std::collections::{HashMap, HashSet};

use super::cells::{
    ParsedCell, actor_type, amount_cell, date_cell, participation_role, programme_of_code, vat_key,
};
use super::gaps::Gaps;
use super::read::Sheet;

/// Known framework programmes: (id, name, start, end).
pub(super) const FRAMEWORKS: &[(&str, &str, &str, &str)] = &[
    ("FP7", "Seventh Framework Programme", "2007", "2013"),
    ("H2020", "Horizon 2020", "2014", "2020"),
    ("HORIZON", "Horizon Europe", "2021", "2027"),
];

pub(super) struct ProjectRow {
    pub(super) line: usize,
    pub(super) id: String,
    pub(super) title: String,
    pub(super) start: Option<String>,
    pub(super) end: Option<String>,
    pub(super) budget: Option<f64>,
    pub(super) field: String,
    pub(super) status: String,
    pub(super) programme: String,
    /// (amount, year) of its funding row, when both are known.
    pub(super) funding: Option<(f64, String)>,
}

#[derive(Default)]
pub(super) struct OrgRow {
    pub(super) line: usize,
    pub(super) id: String,
    pub(super) pic: String,
    pub(super) name: String,
    pub(super) short_name: String,
    pub(super) actor: Option<&'static str>,
    pub(super) sme: Option<bool>,
    pub(super) vat: String,
    pub(super) region: String,
    pub(super) country: String,
    pub(super) website: String,
}

pub(super) struct ParticipationRow {
    pub(super) line: usize,
    pub(super) project: String,
    pub(super) org: String,
    pub(super) role: &'static str,
    pub(super) contribution: Option<f64>,
}
/// Columns of the programme-naming cells, in the order they are asked
/// when `frameworkProgramme` is empty.
pub(super) const PROGRAMME_HINTS: &[&str] = &[
    "legalBasis",
    "masterCall",
    "subCall",
    "call",
    "topics",
    "programme",
];

pub(super) fn map_organizations(
    gaps: &mut Gaps,
    sheet: &Sheet,
) -> (Vec<OrgRow>, Vec<ParticipationRow>) {
    let file = sheet.file;
    let mut orgs: Vec<OrgRow> = Vec::new();
    let mut org_index: HashMap<String, usize> = HashMap::new();
    let mut parts: Vec<ParticipationRow> = Vec::with_capacity(sheet.rows.len());
    let mut part_index: HashMap<(String, String), usize> = HashMap::new();
    let has_sme = sheet.has("SME");
    for (line, cells) in &sheet.rows {
        let line = *line;
        let get = |c: &str| sheet.get(cells, c);
        let pic = get("organisationID");
        let project = get("projectID");
        if project.is_empty() {
            gaps.add(
                file,
                "projectID",
                "the project id is empty; the participation is left out",
                line,
            );
            continue;
        }
        if pic.is_empty() {
            gaps.add(
                file,
                "organisationID",
                "the organisation id is empty; the participation is left out",
                line,
            );
            continue;
        }
        let org_id = format!("pic-{pic}");
        let i = *org_index.entry(org_id.clone()).or_insert_with(|| {
            orgs.push(OrgRow {
                line,
                id: org_id.clone(),
                pic: pic.to_owned(),
                ..OrgRow::default()
            });
            orgs.len() - 1
        });
        let org = &mut orgs[i];
        let name = get("name");
        if org.name.is_empty() {
            org.name = name.to_owned();
        } else if !name.is_empty() && !name.eq_ignore_ascii_case(&org.name) {
            gaps.add(
                file,
                "name",
                "the organization has another name on an earlier row; the earlier name is kept",
                line,
            );
        }
        for (field, column) in [
            (&mut org.short_name, "shortName"),
            (&mut org.vat, "vatNumber"),
            (&mut org.region, "nutsCode"),
            (&mut org.country, "country"),
            (&mut org.website, "organizationURL"),
        ] {
            if field.is_empty() {
                *field = get(column).to_owned();
            }
        }
        let activity = get("activityType");
        if !activity.is_empty() {
            match actor_type(activity) {
                Some(a) => {
                    org.actor.get_or_insert(a);
                }
                None => gaps.add(
                    file,
                    "activityType",
                    "not a CORDIS activity type (PRC, HES, REC, PUB, OTH); the cell is not used",
                    line,
                ),
            }
        }
        let sme = get("SME");
        if has_sme && !sme.is_empty() {
            if sme.eq_ignore_ascii_case("true") {
                org.sme.get_or_insert(true);
            } else if sme.eq_ignore_ascii_case("false") {
                org.sme.get_or_insert(false);
            } else {
                gaps.add(file, "SME", "not true or false; the cell is not used", line);
            }
        }
        let contribution = match amount_cell(get("ecContribution")) {
            ParsedCell::Good(x) => Some(x),
            ParsedCell::Empty => {
                gaps.add(
                    file,
                    "ecContribution",
                    "the EU contribution is empty; the participation has no contribution",
                    line,
                );
                None
            }
            ParsedCell::Bad => {
                gaps.add(
                    file,
                    "ecContribution",
                    "not an amount (zero or more); the participation has no contribution",
                    line,
                );
                None
            }
        };
        let role_text = get("role");
        if role_text.is_empty() {
            gaps.add(
                file,
                "role",
                "the role is empty; the participation is an associate's",
                line,
            );
        }
        let role = participation_role(role_text);
        let key = (format!("cordis-{project}"), org_id);
        match part_index.get(&key) {
            Some(&i) => {
                let p = &mut parts[i];
                p.role = stronger(p.role, role);
                p.contribution = match (p.contribution, contribution) {
                    (Some(a), Some(b)) => Some(a + b),
                    (a, b) => a.or(b),
                };
            }
            None => {
                part_index.insert(key.clone(), parts.len());
                parts.push(ParticipationRow {
                    line,
                    project: key.0,
                    org: key.1,
                    role,
                    contribution,
                });
            }
        }
    }
    // What is still missing once every row of an organization was read.
    let mut by_vat: HashSet<String> = HashSet::new();
    for org in &mut orgs {
        if org.name.is_empty() {
            gaps.add(
                file,
                "name",
                "the organization has no name on any row; its short name, else 'PIC <id>', is used",
                org.line,
            );
            org.name = if org.short_name.is_empty() {
                format!("PIC {}", org.pic)
            } else {
                org.short_name.clone()
            };
        }
        if org.actor.is_none() {
            gaps.add(file, "activityType", "the organization has no activity type on any row; it is typed OTH (other): intermediary", org.line);
            org.actor = Some("intermediary");
        }
        if has_sme && org.sme.is_none() {
            gaps.add(
                file,
                "SME",
                "the organization has no SME flag on any row; its size is left empty",
                org.line,
            );
        }
        if sheet.has("nutsCode") && org.region.is_empty() {
            gaps.add(
                file,
                "nutsCode",
                "the organization has no NUTS code on any row; its region is left empty",
                org.line,
            );
        }
        if org.country.is_empty() {
            gaps.add(
                file,
                "country",
                "the organization has no country on any row; its country is left empty",
                org.line,
            );
        }
        if let Some(key) = vat_key(&org.vat)
            && !by_vat.insert(key)
        {
            gaps.add(
                file,
                "vatNumber",
                "an organization of another organisation id has the same VAT number; the two are kept apart, not merged",
                org.line,
            );
        }
    }
    (orgs, parts)
}

pub(super) fn map_projects(
    gaps: &mut Gaps,
    sheet: &Sheet,
    parts: &[ParticipationRow],
) -> Vec<ProjectRow> {
    let file = sheet.file;
    let mut contributions: HashMap<&str, f64> = HashMap::new();
    for p in parts {
        if let Some(c) = p.contribution {
            *contributions.entry(p.project.as_str()).or_default() += c;
        }
    }
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(sheet.rows.len());
    let mut out = Vec::with_capacity(sheet.rows.len());
    for (line, cells) in &sheet.rows {
        let line = *line;
        let get = |c: &str| sheet.get(cells, c);
        let number = get("id");
        if number.is_empty() {
            gaps.add(
                file,
                "id",
                "the project id is empty; the project is left out",
                line,
            );
            continue;
        }
        let id = format!("cordis-{number}");
        if seen.contains_key(&id) {
            gaps.add(
                file,
                "id",
                "the project id is on an earlier row too; this row is left out",
                line,
            );
            continue;
        }
        seen.insert(id.clone(), line);
        let mut title = get("title").to_owned();
        if title.is_empty() {
            gaps.add(
                file,
                "title",
                "the title is empty; the acronym, else 'CORDIS project <id>', is used",
                line,
            );
            title = match get("acronym") {
                "" => format!("CORDIS project {number}"),
                a => a.to_owned(),
            };
        }
        let mut date = |column: &'static str, what_empty: &'static str, what_bad: &'static str| {
            match date_cell(get(column)) {
                ParsedCell::Good(d) => Some(d),
                ParsedCell::Empty => {
                    if !what_empty.is_empty() {
                        gaps.add(file, column, what_empty, line);
                    }
                    None
                }
                ParsedCell::Bad => {
                    gaps.add(file, column, what_bad, line);
                    None
                }
            }
        };
        let start = date(
            "startDate",
            "the start date is empty; the project has no start",
            "not a date (YYYY-MM-DD or DD/MM/YYYY); the project has no start",
        );
        let end = date(
            "endDate",
            "the end date is empty; the project has no end",
            "not a date (YYYY-MM-DD or DD/MM/YYYY); the project has no end",
        );
        let signed = date(
            "ecSignatureDate",
            "",
            "not a date (YYYY-MM-DD or DD/MM/YYYY); the cell is not used",
        );
        let budget = match amount_cell(get("totalCost")) {
            ParsedCell::Good(x) => Some(x),
            ParsedCell::Empty => {
                gaps.add(
                    file,
                    "totalCost",
                    "the total cost is empty; the project has no budget",
                    line,
                );
                None
            }
            ParsedCell::Bad => {
                gaps.add(
                    file,
                    "totalCost",
                    "not an amount (zero or more); the project has no budget",
                    line,
                );
                None
            }
        };
        let amount = match amount_cell(get("ecMaxContribution")) {
            ParsedCell::Good(x) => Some(x),
            c => {
                let derived = contributions.get(id.as_str()).copied();
                let message = match (c, derived.is_some()) {
                    (ParsedCell::Empty, true) => {
                        "the EU contribution is empty; the sum of its participations' ecContribution is the funding amount"
                    }
                    (ParsedCell::Empty, false) => {
                        "the EU contribution is empty and no participation has one; the project has no funding row"
                    }
                    (_, true) => {
                        "not an amount (zero or more); the sum of its participations' ecContribution is the funding amount"
                    }
                    (_, false) => {
                        "not an amount (zero or more) and no participation has a contribution; the project has no funding row"
                    }
                };
                gaps.add(file, "ecMaxContribution", message, line);
                derived
            }
        };
        let year = if let Some(s) = &start {
            Some(s[..4].to_owned())
        } else if let Some(s) = &signed {
            if amount.is_some() {
                gaps.add(
                    file,
                    "startDate",
                    "no start date; the funding year is the year of ecSignatureDate",
                    line,
                );
            }
            Some(s[..4].to_owned())
        } else if let Some(e) = &end {
            if amount.is_some() {
                gaps.add(
                    file,
                    "startDate",
                    "no start or signature date; the funding year is the year of endDate",
                    line,
                );
            }
            Some(e[..4].to_owned())
        } else {
            if amount.is_some() {
                gaps.add(file, "startDate", "no start, signature or end date, so no funding year; the project has no funding row", line);
            }
            None
        };
        let mut programme = get("frameworkProgramme").to_owned();
        if programme.is_empty() {
            match PROGRAMME_HINTS
                .iter()
                .find_map(|c| programme_of_code(get(c)))
            {
                Some(p) => {
                    gaps.add(file, "frameworkProgramme", "the framework programme is empty; it is read from the start of legalBasis, masterCall, subCall, call, topics or programme", line);
                    programme = p.to_owned();
                }
                None => gaps.add(file, "frameworkProgramme", "the framework programme is empty and no code names one; the funding row has no programme", line),
            }
        }
        out.push(ProjectRow {
            line,
            id,
            title,
            start,
            end,
            budget,
            field: get("topics").to_owned(),
            status: get("status").to_ascii_lowercase(),
            programme,
            funding: amount.zip(year),
        });
    }
    out
}

pub(super) fn stronger(a: &'static str, b: &'static str) -> &'static str {
    let rank = |r: &str| match r {
        "coordinator" => 0,
        "partner" => 1,
        _ => 2,
    };
    if rank(b) < rank(a) { b } else { a }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stronger_role_is_kept() {
        assert_eq!(stronger("partner", "coordinator"), "coordinator");
        assert_eq!(stronger("partner", "associate"), "partner");
        assert_eq!(stronger("associate", "associate"), "associate");
    }
}
