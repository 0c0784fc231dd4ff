"""Checks that weaver's and pandas' cmp outputs agree row by row."""
import sys

import numpy as np
import pandas as pd

a = pd.read_csv(sys.argv[1], dtype={"region": str, "cluster": str})
b = pd.read_csv(sys.argv[2], dtype={"region": str, "cluster": str})
assert len(a) == len(b), (len(a), len(b))
assert (a.region.values == b.region.values).all() and (a.cluster.values == b.cluster.values).all()
lq = np.nanmax(np.abs(a.lq.values - b.lq.values) / np.maximum(1, np.abs(b.lq.values)))
flags = {c: int((a[c] != b[c]).sum()) for c in ["qualifying", "significant", "strong", "strong10"]}
print(f"rows {len(a)} max_rel_diff_lq {lq:.2e} flag_mismatches {flags}")
