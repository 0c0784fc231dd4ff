"""Writes the web benchmark's register: 10,000 clusters (public) in 300
regions of three countries, 30,000 organizations, 60,000 memberships (current
and ended), 8 programmes linked to 4,000 clusters, and three years of the
lifecycle's signals for a third of the clusters, as CSV files that
`weaver import` reads.

Seeded, so every run writes the same files. Usage: python3 gen.py OUT_DIR [CLUSTERS]
"""
import os
import random
import sys

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
rng = random.Random(19)
os.makedirs(out, exist_ok=True)


def write(name, header, rows):
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(str(x) for x in r) + "\n")


countries = {"CN": (35.0, 105.0, "中国", "China"), "DE": (51.0, 10.0, "德国", "Germany"), "FR": (46.5, 2.5, "法国", "France")}
regions = []
leaves = []
for code, (lat, lon, zh, en) in countries.items():
    regions.append((code, zh, en, "country", "", code, lat, lon))
    for p in range(10):
        pid = f"{code}-P{p}"
        plat, plon = lat + rng.uniform(-5, 5), lon + rng.uniform(-6, 6)
        regions.append((pid, f"{zh}省{p}", f"{en} province {p}", "province", code, code, round(plat, 3), round(plon, 3)))
        for c in range(9):
            cid = f"{pid}-C{c}"
            regions.append((cid, f"{zh}{p}市{c}", f"{en} {p} city {c}", "prefecture", pid, code,
                            round(plat + rng.uniform(-1, 1), 3), round(plon + rng.uniform(-1, 1), 3)))
            leaves.append((cid, code))
write("regions.csv", ["id", "name", "name_en", "level", "parent", "country", "lat", "lon"], regions)

sectors = [f"C{i}" for i in range(10, 34)] + ["J62", "J63", "M72", "I55", "H49"]
forms = ["company", "association", "public", "other"]
clusters = []
for i in range(n):
    region, country = rng.choice(leaves)
    secs = ";".join(sorted(rng.sample(sectors, rng.randint(1, 3))))
    founded = f"{rng.randint(1990, 2023)}" + (f"-{rng.randint(1, 12):02d}" if rng.random() < 0.5 else "")
    fte = round(rng.uniform(0, 12), 1) if rng.random() < 0.8 else ""
    web_en = rng.choice(["true", "false", ""])
    clusters.append((f"bc{i:05d}", f"基准集群{i:05d}", f"Benchmark cluster {i:05d}", region, country, secs,
                     rng.choice(forms), founded, fte, web_en, "public"))
write("clusters.csv", ["id", "name", "name_en", "region", "country", "sectors", "form", "founded",
                       "management_fte", "website_en", "visibility"], clusters)

actors = ["enterprise"] * 6 + ["university", "research", "government", "finance", "intermediary", "user"]
orgs = [(f"bo{i:05d}", f"机构{i:05d}", rng.choice(actors), "public") for i in range(3 * n)]
write("organizations.csv", ["id", "name", "actor_type", "visibility"], orgs)

members = []
seen = set()
tiers = ["core", "partner", "regional", "associate"]
while len(members) < 6 * n:
    c = rng.randrange(n)
    o = rng.randrange(3 * n)
    if (c, o) in seen:
        continue
    seen.add((c, o))
    since = rng.randint(2010, 2022)
    until = "" if rng.random() < 0.8 else str(rng.randint(since, 2024))
    members.append((f"bc{c:05d}", f"bo{o:05d}", rng.choice(tiers), since, until, "public"))
write("memberships.csv", ["cluster", "org", "tier", "since", "until", "visibility"], members)

programmes = [(f"bp{i}", f"基准计划{i}", f"Benchmark programme {i}", rng.choice(["national", "provincial", "regional"]),
               2010 + i, "public") for i in range(8)]
write("programmes.csv", ["id", "name", "name_en", "level", "start", "visibility"], programmes)
links = set()
while len(links) < 4000:
    links.add((rng.randrange(8), rng.randrange(n)))
write("programme_clusters.csv", ["programme", "cluster", "since", "until", "visibility"],
      [(f"bp{p}", f"bc{c:05d}", 2015 + p, "" if rng.random() < 0.85 else 2022, "public") for p, c in sorted(links)])

write("indicators.csv", ["id", "name", "name_en", "direction", "visibility"],
      [("members", "成员数", "Members", "higher_better", "public"),
       ("public_funding_share", "公共资金占比", "Public share of funding", "lower_better", "public")])
obs = []
for i in range(0, n, 3):
    m = rng.randint(10, 200)
    share = rng.uniform(0.1, 0.8)
    for y in (2022, 2023, 2024):
        m = max(1, int(m * rng.uniform(0.8, 1.4)))
        share = min(1.0, max(0.0, share + rng.uniform(-0.1, 0.1)))
        obs.append((f"bc{i:05d}", "members", y, m, "public"))
        obs.append((f"bc{i:05d}", "public_funding_share", y, round(share, 3), "public"))
write("observations.csv", ["cluster", "indicator", "period", "value", "visibility"], obs)
print(f"{out}: {n} clusters, {len(regions)} regions, {len(orgs)} organizations, {len(members)} memberships, "
      f"{len(links)} programme links, {len(obs)} observations")
