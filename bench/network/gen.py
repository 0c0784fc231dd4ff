#!/usr/bin/env python3
"""Seeded generator of collaboration-like graphs for the network benchmark.

Organizations belong to communities; each project draws a heavy-tailed number
of participants (Pareto), mostly from one community, choosing organizations in
proportion to a heavy-tailed activity; the organization-project participations
are projected onto organizations (weight = shared projects). Rounds of projects
are added until the projection has about the requested number of edges.

usage: gen.py NODES EDGES SEED OUT.csv
"""
import sys

import numpy as np


def main():
    n, m, seed, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    rng = np.random.default_rng(seed)
    communities = max(1, n // 500)
    comm = rng.integers(0, communities, n)
    activity = rng.pareto(1.5, n) + 1.0
    members = [np.flatnonzero(comm == c) for c in range(communities)]
    probs = [activity[mm] / activity[mm].sum() for mm in members]
    all_p = activity / activity.sum()
    pairs = {}
    proj = 0
    while len(pairs) < m:
        size = int(min(2 + rng.pareto(2.0) * 2, 40))
        c = rng.integers(0, communities)
        k_in = max(2, int(round(size * 0.8)))
        mm = members[c]
        if len(mm) < 2:
            continue
        chosen = set(rng.choice(mm, size=min(k_in, len(mm)), replace=False, p=probs[c]).tolist())
        for _ in range(size - k_in):
            chosen.add(int(rng.choice(n, p=all_p)))
        chosen = sorted(chosen)
        for i, a in enumerate(chosen):
            for b in chosen[i + 1:]:
                pairs[(a, b)] = pairs.get((a, b), 0) + 1
        proj += 1
    with open(out, "w") as f:
        f.write("source,target,weight\n")
        for (a, b), w in pairs.items():
            f.write(f"o{a},o{b},{w}\n")
    print(f"{out}: {n} organizations, {proj} projects, {len(pairs)} edges", file=sys.stderr)


if __name__ == "__main__":
    main()
