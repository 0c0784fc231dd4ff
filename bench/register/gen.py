"""Writes the register benchmark's package: N organizations and M ties as CSV.

Seeded, so every run writes the same files. Usage: python3 gen.py OUT_DIR [N] [M]
"""
import os
import random
import sys

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
m = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
rng = random.Random(7)
os.makedirs(out, exist_ok=True)
actors = ["enterprise"] * 6 + ["university", "research", "government", "finance", "intermediary", "user"]
sizes = ["large", "medium", "small", "micro", "sme", ""]
kinds = ["contract", "license", "co_patent", "co_publication", "supply", "tech_transfer", "other"]
with open(os.path.join(out, "organizations.csv"), "w", encoding="utf-8") as f:
    f.write("id,name,actor_type,size,region,industry,employees\n")
    for i in range(n):
        f.write(f"org{i},Organization {i} 有限公司,{rng.choice(actors)},{rng.choice(sizes)},"
                f"{rng.choice(['440300', '320500', 'DEA4', 'FRK24'])},C{rng.randint(10, 43)},{rng.randint(1, 5000)}\n")
seen = set()
with open(os.path.join(out, "ties.csv"), "w", encoding="utf-8") as f:
    f.write("source,target,kind,start,weight\n")
    while len(seen) < m:
        # Heavy-tailed: low ids are hubs.
        s = int(n * rng.random() ** 2)
        t = rng.randrange(n)
        k = rng.choice(kinds)
        y = str(rng.randint(2010, 2024))
        key = (s, t, k, y)
        if s == t or key in seen:
            continue
        seen.add(key)
        f.write(f"org{s},org{t},{k},{y},{rng.randint(1, 5)}\n")
