#!/usr/bin/env python3
"""Writes a synthetic CORDIS dump of the full Horizon 2020 size, with gaps.

Usage: python3 bench/cordis/gen.py OUT_DIR [PROJECTS ORGANIZATIONS PARTICIPATIONS] [--seed N]
Defaults: 31,000 projects, 35,000 organizations, 145,000 participation rows, seed 1.
Deterministic (random.Random(seed)); Python standard library only.

Laid out as CORDIS publishes Horizon 2020 today (the Horizon Europe layout):
project.csv and organization.csv, ';'-separated, every cell double-quoted, UTF-8;
every objective spans 2-5 lines (about 1,500 characters, as real ones do).
Gaps at fixed rates (each row draws its own): empty startDate 2 % (of which half
also lack ecSignatureDate, and a fifth of those endDate), empty endDate 1 %,
empty totalCost 1 %, empty ecMaxContribution 1 %, empty frameworkProgramme 0.5 %,
empty activityType 0.5 %, empty SME 3 %, empty nutsCode 2 %, empty
ecContribution 2 % (rows), a later name differing 1 % (rows), 0.5 % of the
organizations with the VAT number of another; 0.2 % of the participations
appear twice in one project (merged on import). Every project has at least one
participation and every organization at least one.
"""
import random
import sys
from pathlib import Path

PROJECT_COLS = ("id;acronym;status;title;startDate;endDate;totalCost;ecMaxContribution;legalBasis;topics;"
                "ecSignatureDate;frameworkProgramme;masterCall;subCall;fundingScheme;nature;objective;"
                "contentUpdateDate;rcn;grantDoi").split(";")
ORG_COLS = ("projectID;projectAcronym;organisationID;vatNumber;name;shortName;SME;activityType;street;postCode;"
            "city;country;nutsCode;geolocation;organizationURL;contactForm;contentUpdateDate;rcn;order;role;"
            "ecContribution;netEcContribution;totalCost;endOfParticipation;active").split(";")
WORDS = ("advanced integrated sustainable digital quantum circular materials energy health data network "
         "manufacturing sensors climate ocean urban mobility hydrogen battery photonic robotics "
         "biomedical agriculture water security learning platform systems novel scalable").split()
COUNTRIES = [("DE", "DEA"), ("FR", "FR1"), ("IT", "ITC"), ("ES", "ES5"), ("NL", "NL3"), ("BE", "BE1"),
             ("UK", "UKI"), ("SE", "SE1"), ("AT", "AT1"), ("EL", "EL3"), ("PT", "PT1"), ("FI", "FI1"),
             ("DK", "DK0"), ("PL", "PL9"), ("IE", "IE0"), ("CH", "CH0"), ("NO", "NO0"), ("CN", "")]
TYPES = ["PRC"] * 40 + ["HES"] * 25 + ["REC"] * 22 + ["PUB"] * 8 + ["OTH"] * 5
ROLES = ["participant"] * 80 + ["partner"] * 8 + ["thirdParty"] * 6 + ["internationalPartner"] * 2


def q(cell):
    return '"' + str(cell).replace('"', '""') + '"'


def amount(rng, lo, hi):
    x = rng.uniform(lo, hi)
    # CORDIS writes both decimal marks over the years.
    text = f"{x:.2f}"
    return text.replace(".", ",") if rng.random() < 0.3 else text


def date(y, m, d):
    return f"{y:04d}-{m:02d}-{d:02d}"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    seed = 1
    if "--seed" in sys.argv:
        seed = int(sys.argv[sys.argv.index("--seed") + 1])
        args = [a for a in args if a != str(seed)]
    out = Path(args[0])
    n_proj, n_org, n_part = (int(a) for a in args[1:4]) if len(args) >= 4 else (31000, 35000, 145000)
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)

    # Organizations.
    orgs = []
    for i in range(n_org):
        country, nuts = rng.choice(COUNTRIES)
        pic = 999000000 + i * 7
        name = " ".join(rng.choice(WORDS).upper() for _ in range(rng.randint(2, 4))) + f" {i}"
        vat = f"{country}{rng.randint(10**8, 10**9 - 1)}" if rng.random() < 0.8 else "MISSING"
        orgs.append({
            "pic": str(pic), "vat": vat, "name": name, "short": name.split()[0][:8],
            "sme": "" if rng.random() < 0.03 else rng.choice(["true", "false"]),
            "type": "" if rng.random() < 0.005 else rng.choice(TYPES),
            "country": country,
            "nuts": "" if (rng.random() < 0.02 or not nuts) else f"{nuts}{rng.randint(1, 9)}",
            "city": rng.choice(WORDS).capitalize() + "stadt",
            "url": f"http://www.org{i}.example" if rng.random() < 0.6 else "",
        })
    for o in rng.sample(orgs, n_org // 200):  # the VAT number of another organization
        o["vat"] = rng.choice(orgs)["vat"]
    cum, total = [], 0.0
    for _ in orgs:
        total += rng.paretovariate(1.3)
        cum.append(total)

    # Projects.
    projects = []
    for i in range(n_proj):
        y = rng.randint(2014, 2021)
        start = date(y, rng.randint(1, 12), 1)
        signed = date(y - 1 if start[5:7] < "04" else y, rng.randint(1, 3), rng.randint(1, 28))
        end = date(y + rng.randint(1, 5), rng.randint(1, 12), 28)
        cost = amount(rng, 50000, 15000000)
        p = {
            "id": str(640000 + i * 3), "acronym": "".join(rng.choice(WORDS)[:3].upper() for _ in range(3)),
            "status": rng.choice(["CLOSED", "SIGNED", "TERMINATED"]),
            "title": " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 10))).capitalize(),
            "startDate": start, "endDate": end, "totalCost": cost, "ecMaxContribution": cost,
            "legalBasis": f"H2020-EU.{rng.randint(1, 3)}.{rng.randint(1, 6)}.", "topics": f"ICT-{rng.randint(1, 40):02d}-{y}",
            "ecSignatureDate": signed, "frameworkProgramme": "H2020",
            "masterCall": f"H2020-ICT-{y}", "subCall": f"H2020-ICT-{y}-1", "fundingScheme": rng.choice(["RIA", "IA", "CSA", "ERC-STG", "MSCA-IF-EF-ST"]),
            "nature": "", "contentUpdateDate": "2024-03-01 10:00:00", "rcn": str(200000 + i), "grantDoi": f"10.3030/{640000 + i * 3}",
        }
        lines = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 60))) for _ in range(rng.randint(2, 5))]
        p["objective"] = ("\n".join(lines)).capitalize() + ' The "consortium" ends here; really.'
        r = rng.random()
        if r < 0.02:
            p["startDate"] = ""
            if rng.random() < 0.5:
                p["ecSignatureDate"] = ""
                if rng.random() < 0.2:
                    p["endDate"] = ""
        if rng.random() < 0.01:
            p["endDate"] = ""
        if rng.random() < 0.01:
            p["totalCost"] = ""
        if rng.random() < 0.01:
            p["ecMaxContribution"] = ""
        if rng.random() < 0.005:
            p["frameworkProgramme"] = ""
        projects.append(p)

    # Participations: every organization once, every project once, the rest weighted.
    pairs = set()
    rows = []

    def add(pi, oi):
        if (pi, oi) in pairs:
            return False
        pairs.add((pi, oi))
        rows.append((pi, oi))
        return True

    order = list(range(n_org))
    rng.shuffle(order)
    for k, oi in enumerate(order):
        add(k % n_proj, oi)
    for pi in range(n_proj):
        if pi >= n_org:
            add(pi, rng.randrange(n_org))
    while len(rows) < n_part:
        pi = rng.randrange(n_proj)
        oi = rng.choices(range(n_org), cum_weights=cum, k=1)[0] if rng.random() < 0.7 else rng.randrange(n_org)
        add(pi, oi)
    for pi, oi in rng.sample(rows, n_part // 500):  # listed twice in one project
        rows.append((pi, oi))
    rows.sort(key=lambda r: (r[0], r[1]))

    with open(out / "project.csv", "w", encoding="utf-8", newline="") as f:
        f.write(";".join(PROJECT_COLS) + "\n")
        for p in projects:
            f.write(";".join(q(p[c]) for c in PROJECT_COLS) + "\n")
    seen = set()
    coordinators = set()
    with open(out / "organization.csv", "w", encoding="utf-8", newline="") as f:
        f.write(";".join(ORG_COLS) + "\n")
        for order_no, (pi, oi) in enumerate(rows):
            p, o = projects[pi], orgs[oi]
            role = "coordinator" if pi not in coordinators else rng.choice(ROLES)
            coordinators.add(pi)
            name = o["name"]
            if oi in seen and rng.random() < 0.01:
                name = name + " E.V."
            seen.add(oi)
            contribution = "" if rng.random() < 0.02 else amount(rng, 10000, 2000000)
            cells = {
                "projectID": p["id"], "projectAcronym": p["acronym"], "organisationID": o["pic"],
                "vatNumber": o["vat"], "name": name, "shortName": o["short"], "SME": o["sme"],
                "activityType": o["type"], "street": f"{rng.choice(WORDS).capitalize()}strasse {rng.randint(1, 200)}",
                "postCode": str(rng.randint(10000, 99999)), "city": o["city"], "country": o["country"],
                "nutsCode": o["nuts"], "geolocation": f"{rng.uniform(36, 60):.4f},{rng.uniform(-8, 25):.4f}",
                "organizationURL": o["url"], "contactForm": "", "contentUpdateDate": "2024-03-01 00:00:00",
                "rcn": str(3000000 + oi), "order": str(order_no % 20 + 1), "role": role,
                "ecContribution": contribution, "netEcContribution": contribution,
                "totalCost": contribution, "endOfParticipation": "false", "active": "true",
            }
            f.write(";".join(q(cells[c]) for c in ORG_COLS) + "\n")
    print(f"{out}: {n_proj} projects, {n_org} organizations, {len(rows)} participation rows")


if __name__ == "__main__":
    main()
