"""Plain pandas implementation of LQ and US Cluster Mapping's classes, CSV to CSV.

Usage: pandas_cmp.py activity.csv out.csv
Same rules as `weaver map clusters --method cmp` (untyped categories: classic
LQ; percentiles among regions with employment > 0 per industry and year).
"""
import sys
import time

import numpy as np
import pandas as pd

t0 = time.perf_counter()
df = pd.read_csv(sys.argv[1], dtype={"region": str, "industry": str})
df["employment"] = df.employment.astype(float)
er = df.groupby(["region", "year"]).employment.transform("sum")
ec = df.groupby(["industry", "year"]).employment.transform("sum")
e = df.groupby("year").employment.transform("sum")
df["lq"] = (df.employment / er) / (ec / e)
pos = df[df.employment > 0]
g = pos.groupby(["industry", "year"])
q = g.lq.quantile([0.25, 0.5, 0.75, 0.9]).unstack()
q.columns = ["p25", "p50", "p75", "p90"]
q["e25"] = g.employment.quantile(0.25)
q["n25"] = g.establishments.quantile(0.25)
df = df.join(q, on=["industry", "year"])
size = (df.employment > 0) & (df.employment > df.e25) & (df.establishments > df.n25)
df["qualifying"] = size & (df.lq > df.p25)
df["significant"] = size & (df.lq > df.p50)
df["strong"] = size & (df.lq >= df.p75) & (df.lq >= 1)
df["strong10"] = size & (df.lq >= df.p90) & (df.lq >= 1)
df = df.rename(columns={"industry": "cluster"})
df[["region", "cluster", "year", "employment", "establishments", "lq",
    "qualifying", "significant", "strong", "strong10"]].to_csv(sys.argv[2], index=False)
print(f"pandas_cmp_seconds {time.perf_counter() - t0:.3f}")
