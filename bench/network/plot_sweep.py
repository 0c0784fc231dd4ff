#!/usr/bin/env python3
"""Figure of the Cowan-Jonard sweep over the rewiring probability p.

Reads the CSV files that `cowan_jonard_sweep` writes (columns p,
mean_knowledge, variance, cv, steps, seeds; one file per population size) and
draws steady-state mean knowledge, its variance across agents and its
coefficient of variation against p (symmetric log scale, so p = 0 shows).
No fitting or smoothing: the points are the sweep's means over seeds.

usage: plot_sweep.py OUT.svg LABEL=SWEEP.csv [LABEL=SWEEP.csv ...]
  e.g. python3 bench/network/plot_sweep.py bench/network/cowan_jonard_sweep.svg \\
         "N = 500, 50 seeds=bench/out/cowan_jonard_sweep_500.csv" \\
         "N = 100, 200 seeds=bench/out/cowan_jonard_sweep_100.csv"
(needs matplotlib; run.sh installs it in its environment)
"""
import csv
import sys

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402

# Reproducible SVG: fixed ids, no date.
matplotlib.rcParams["svg.hashsalt"] = "weaver"


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return {k: [float(r[k]) for r in rows] for k in ("p", "mean_knowledge", "variance", "cv")}


def main():
    out, series = sys.argv[1], sys.argv[2:]
    if not series:
        sys.exit(__doc__)
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.6))
    panels = [
        ("mean_knowledge", "steady-state mean knowledge"),
        ("variance", "variance across agents"),
        ("cv", "coefficient of variation"),
    ]
    for spec in series:
        label, path = spec.rsplit("=", 1)
        d = read(path)
        for ax, (key, _) in zip(axes, panels):
            ax.plot(d["p"], d[key], marker="o", label=label)
    for ax, (_, title) in zip(axes, panels):
        ax.set_xscale("symlog", linthresh=1e-3)
        ax.set_xlim(-1e-4, 1.2)
        ax.axvspan(0.03, 0.3, color="0.92", zorder=0)
        ax.set_xlabel("rewiring probability p")
        ax.set_title(title, fontsize=10)
    axes[0].legend(fontsize=8)
    fig.suptitle(
        "Cowan-Jonard barter model on Watts-Strogatz rings (n = 10, K = 5, alpha = 0.5); "
        "shaded: small-world region",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(out, metadata={"Date": None})


if __name__ == "__main__":
    main()
