"""Synthetic regional activity for the mapping benchmark (seeded).

activity.csv: region,industry,year,employment,establishments for R regions x I
industries x Y years (3000 x 500 x 5 = 7.5 million rows by default), employment
lognormal around a region size, establishments from employment.
matrix.csv: a dense C x P matrix (250 x 5000 by default, no header) for ECI.
"""
import argparse
import os

import numpy as np
import pandas as pd

ap = argparse.ArgumentParser()
ap.add_argument("--regions", type=int, default=3000)
ap.add_argument("--industries", type=int, default=500)
ap.add_argument("--years", type=int, default=5)
ap.add_argument("--eci-rows", type=int, default=250)
ap.add_argument("--eci-cols", type=int, default=5000)
ap.add_argument("--out", default="out")
a = ap.parse_args()
os.makedirs(a.out, exist_ok=True)
rng = np.random.default_rng(42)

R, I, Y = a.regions, a.industries, a.years
size = rng.lognormal(2.0, 1.0, size=R)
region = np.repeat(np.arange(R), I)
industry = np.tile(np.arange(I), R)
frames = []
for y in range(Y):
    emp = np.round(size[region] * rng.lognormal(0.0, 1.2, size=R * I))
    est = np.maximum(np.round(emp / rng.uniform(3, 20, size=R * I)), (emp > 0).astype(float))
    frames.append(pd.DataFrame({
        "region": np.char.add("R", region.astype(str)),
        "industry": np.char.add("N", (100000 + industry).astype(str)),
        "year": 2019 + y,
        "employment": emp.astype(np.int64),
        "establishments": est.astype(np.int64),
    }))
pd.concat(frames).to_csv(os.path.join(a.out, "activity.csv"), index=False)

C, P = a.eci_rows, a.eci_cols
capab = rng.random(C)
compl = rng.random(P)
p = 1 / (1 + np.exp(-(8 * (capab[:, None] - compl[None, :]) + 1)))
present = rng.random((C, P)) < p
m = np.round(rng.lognormal(4, 1.0, size=C)[:, None] * rng.lognormal(0, 1.0, size=(C, P)) * present)
m[:, m.sum(axis=0) == 0] = 1.0  # every column with some activity
np.savetxt(os.path.join(a.out, "matrix.csv"), m, fmt="%d", delimiter=",")
print(f"wrote {R * I * Y} activity rows and a {C} x {P} matrix to {a.out}")
