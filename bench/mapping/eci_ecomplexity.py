"""ECI with Harvard Growth Lab's ecomplexity on a dense matrix, timed, and
compared with weaver's result.

Usage: eci_ecomplexity.py matrix.csv rust_eci.csv
Times (1) ecomplexity's ECI/PCI path (ComplexityData, calculate_rca,
calculate_mcp, calc_eci_pci and the standardisation) and (2) the whole
ecomplexity.ecomplexity call (adds proximity, density, COI, COG).
"""
import contextlib
import io
import sys
import time
import warnings

import numpy as np
import pandas as pd
from ecomplexity import ecomplexity
from ecomplexity.ComplexityData import ComplexityData
from ecomplexity.ecomplexity import calc_eci_pci

m = np.loadtxt(sys.argv[1], delimiter=",")
C, P = m.shape
df = pd.DataFrame({"year": 2020, "loc": np.repeat(np.arange(C), P), "prod": np.tile(np.arange(P), C),
                   "val": m.ravel()})
cols = {"time": "year", "loc": "loc", "prod": "prod", "val": "val"}
warnings.simplefilter("ignore")

t0, c0 = time.perf_counter(), time.process_time()
cd = ComplexityData(df, cols, "coerce")
cd.create_full_df(2020)
cd.calculate_rca()
cd.calculate_mcp(1, 1, "rca", None, 2020)
cd.diversity_t = np.nansum(cd.mcp_t, axis=1)
cd.ubiquity_t = np.nansum(cd.mcp_t, axis=0)
eci, pci = calc_eci_pci(cd)
eci = (eci - eci.mean()) / eci.std()
t_eci, c_eci = time.perf_counter() - t0, time.process_time() - c0

t0, c0 = time.perf_counter(), time.process_time()
with contextlib.redirect_stdout(io.StringIO()):
    full = ecomplexity(df, cols, check_logsupermodularity=False, verbose=False)
t_full, c_full = time.perf_counter() - t0, time.process_time() - c0

rust = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1, usecols=1)
print(f"ecomplexity_eci_seconds {t_eci:.3f} (cpu {c_eci:.3f})")
print(f"ecomplexity_full_seconds {t_full:.3f} (cpu {c_full:.3f})")
print(f"max_abs_diff_eci {np.max(np.abs(rust - eci)):.3e}")
