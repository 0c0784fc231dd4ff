"""The composite-index pipeline in plain numpy/pandas, timed on the data set
that the Rust example `bench_pipeline` wrote (same input, same run).

Pipeline (as Weaver's default method and its uncertainty analysis):
- nominal: min-max to [0, 100] per indicator (lower-is-better mirrored), equal
  weights within each dimension and across dimensions, arithmetic means,
  ranks 1 = best with ties sharing the smallest rank;
- Monte Carlo: per run a normalisation (min-max [1, 100] or z-score with mean
  10 and sd 2), weights x U(0.75, 1.25), aggregation (arithmetic or
  geometric) and a winsorisation limit 1-5 for COINr's outlier treatment
  (|skew| >= 2 and kurtosis >= 3.5, winsorise, else log); the treatment is
  computed once per limit, as the Rust code does.

Usage: python bench.py DIR RUNS  (DIR holds data.csv and nominal_rust.csv)
"""
import json
import sys
import time

import numpy as np
import pandas as pd

d, runs = sys.argv[1], int(sys.argv[2])
df = pd.read_csv(f"{d}/data.csv", index_col=0)
meta = [c.split(":") for c in df.columns]
X = df.to_numpy(dtype=float)
n, k = X.shape
up = np.array([m[2] == "higher_better" for m in meta])
dims = [m[1] for m in meta]
dim_ids = sorted(set(dims), key=dims.index)
dim_of = np.array([dim_ids.index(x) for x in dims])


def skew(x):
    x = x - x.mean()
    m = len(x)
    g1 = np.sqrt(m) * (x ** 3).sum() / ((x ** 2).sum() ** 1.5)
    return g1 * np.sqrt(m * (m - 1)) / (m - 2)


def kurt(x):
    x = x - x.mean()
    m = len(x)
    r = m * (x ** 4).sum() / ((x ** 2).sum() ** 2)
    return ((m + 1) * (r - 3) + 6) * (m - 1) / ((m - 2) * (m - 3))


def fails(x):
    return abs(skew(x)) >= 2 and kurt(x) >= 3.5


def treat(col, winmax):
    if not fails(col):
        return col
    w = col.copy()
    nwin = 0
    while nwin < winmax:
        if skew(w) >= 0:
            at = w.max()
            to = w[w != at].max()
        else:
            at = w.min()
            to = w[w != at].min()
        hit = w == at
        w[hit] = to
        nwin = int(hit.sum())
        if not fails(w):
            return w
    return np.log(col - col.min() + 0.01 * (col.max() - col.min()))


def normalise(X, how):
    if how == 0:  # min-max [1, 100]
        mn, mx = X.min(0), X.max(0)
        Z = np.where(up, (X - mn) / (mx - mn), (mx - X) / (mx - mn))
        return Z * 99 + 1
    z = (X - X.mean(0)) / X.std(0, ddof=1)
    return np.where(up, z, -z) * 2 + 10


def aggregate(Z, w_ind, w_dim, geometric):
    D = np.empty((n, len(dim_ids)))
    for j in range(len(dim_ids)):
        cols = dim_of == j
        w = w_ind[cols] / w_ind[cols].sum()
        D[:, j] = np.exp(np.log(Z[:, cols]) @ w) if geometric else Z[:, cols] @ w
    wd = w_dim / w_dim.sum()
    return np.exp(np.log(D) @ wd) if geometric else D @ wd


def ranks(score):
    return pd.Series(score).rank(method="min", ascending=False).to_numpy()


# nominal
times = []
for _ in range(21):
    t = time.perf_counter()
    mn, mx = X.min(0), X.max(0)
    Z = np.where(up, (X - mn) / (mx - mn), (mx - X) / (mx - mn)) * 100
    D = pd.DataFrame(Z).T.groupby(dim_of).mean().T.to_numpy()
    score = D.mean(1)
    rk = ranks(score)
    times.append(time.perf_counter() - t)
rust = pd.read_csv(f"{d}/nominal_rust.csv")
agree = float(np.abs(rust["score"].to_numpy() - score).max())
rank_agree = bool((rust["rank"].to_numpy() == rk).all())

# Monte Carlo
rng = np.random.default_rng(1)
t = time.perf_counter()
treated = {w: np.column_stack([treat(X[:, c], w) for c in range(k)]) for w in range(1, 6)}
all_ranks = np.empty((runs, n))
failed = 0
for r in range(runs):
    how = rng.integers(2)
    geo = bool(rng.integers(2))
    w = int(rng.integers(1, 6))
    wi = rng.uniform(0.75, 1.25, k)
    wd = rng.uniform(0.75, 1.25, len(dim_ids))
    Z = normalise(treated[w], how)
    if geo and (Z <= 0).any():
        failed += 1
        all_ranks[r] = np.nan
        continue
    all_ranks[r] = ranks(aggregate(Z, wi, wd, geo))
q = np.nanpercentile(all_ranks, [5, 50, 95], axis=0)
mc = time.perf_counter() - t
print(json.dumps({
    "nominal_median_s": sorted(times)[10], "mc_runs": runs, "mc_s": mc, "mc_failed": failed,
    "max_abs_score_diff_vs_rust": agree, "ranks_equal_rust": rank_agree,
    "numpy": np.__version__, "pandas": pd.__version__,
}))
