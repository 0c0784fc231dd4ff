#!/usr/bin/env python3
"""Seeded generator of collaboration-like graphs for the network benchmark.

Organizations belong to communities; each project draws a heavy-tailed number
of participants (Pareto), mostly from one community, choosing organizations in
proportion to a heavy-tailed activity; the organization-project participations
are projected onto organizations (weight = shared projects).

Every organization takes part in at least one project, so that the graph has
NODES non-isolated nodes: first each community's organizations, in random
order, are cut into projects of the same Pareto sizes (every organization once);
then activity-weighted projects, which make the heavy tails, are added until the
projection has about EDGES edges. (Before this first pass, the activity-weighted
projects alone reached only two thirds of the organizations: 66,767 of 100,000.)

usage: gen.py NODES EDGES SEED OUT.csv
  e.g. python3 bench/network/gen.py 100000 500000 1 bench/out/net_100k.csv
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

    def add(chosen):
        chosen = sorted(chosen)
        for i, a in enumerate(chosen):
            for b in chosen[i + 1:]:
                pairs[(a, b)] = pairs.get((a, b), 0) + 1

    def project_size():
        return int(min(2 + rng.pareto(2.0) * 2, 40))

    # First pass: every organization in one project of its community.
    for mm in members:
        order = rng.permutation(mm).tolist()
        i = 0
        while i < len(order):
            size = project_size()
            chunk = order[i:i + size]
            if len(chunk) < 2:
                # A last organization alone joins the community's previous project.
                chunk = order[max(0, i - 1):i + 1]
            if len(chunk) >= 2:
                add(chunk)
                proj += 1
            i += size
    first = len(pairs)
    while len(pairs) < m:
        size = project_size()
        c = rng.integers(0, communities)
        k_in = max(2, int(round(size * 0.8)))
        mm = members[c]
        if len(mm) < 2:
            continue
        chosen = set(rng.choice(mm, size=min(k_in, len(mm)), replace=False, p=probs[c]).tolist())
        for _ in range(size - k_in):
            chosen.add(int(rng.choice(n, p=all_p)))
        add(chosen)
        proj += 1
    with open(out, "w") as f:
        f.write("source,target,weight\n")
        for (a, b), w in pairs.items():
            f.write(f"o{a},o{b},{w}\n")
    active = len({x for ab in pairs for x in ab})
    print(
        f"{out}: {n} organizations ({active} in some project), {proj} projects, "
        f"{len(pairs)} edges ({first} from the first pass)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
