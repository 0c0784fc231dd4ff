"""Turns the wrk outputs of bench/server/run.sh into the Markdown table of bench/RESULTS.md.

Usage: python3 bench/server/summary.py OUT_DIR   (reads OUT_DIR/wrk-<endpoint>-<who>.txt)
"""
import os
import re
import sys

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
ENDPOINTS = [
    ("list", "`GET /clusters` (cluster list)"),
    ("profile", "`GET /clusters/{id}` (cluster profile)"),
    ("memberships", "`GET /memberships?cluster={id}&limit=50`"),
    ("search", "`GET /organizations?q=Software&limit=20`"),
    ("search-distinct", "`GET /organizations?q=…&limit=20`, 5,000 distinct terms (no cached answer)"),
]


def ms(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(m.group(1)) * UNITS[m.group(2)]


def parse(path):
    text = open(path, encoding="utf-8").read()
    r = {}
    for pct in ("50", "99"):
        m = re.search(rf"^\s+{pct}(?:\.000)?%\s+(\S+)", text, re.M)
        r[f"p{pct}"] = ms(m.group(1)) if m else None
    m = re.search(r"^\s+(\d+) requests in", text, re.M)
    r["requests"] = int(m.group(1)) if m else 0
    m = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    r["rps"] = float(m.group(1)) if m else 0.0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    r["socket"] = sum(map(int, m.groups())) if m else 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    r["non2xx"] = int(m.group(1)) if m else 0
    loads = re.findall(r"load average: ([\d.]+)", text)
    r["load"] = " → ".join(loads)
    return r


def fmt_ms(v):
    if v is None:
        return "—"
    return f"{v:.1f} ms" if v < 1000 else f"{v / 1000:.2f} s"


def main():
    out = sys.argv[1]
    print("| endpoint | caller | requests/s | p50 | p99 | errors (non-2xx + socket) | load avg (1 min) before → after | target met |")
    print("|---|---|---|---|---|---|---|---|")
    for key, label in ENDPOINTS:
        for who in ("anonymous", "token"):
            path = os.path.join(out, f"wrk-{key}-{who}.txt")
            if not os.path.exists(path):
                continue
            r = parse(path)
            ok = r["requests"] > 0 and r["p99"] is not None and r["p99"] < 50 and r["non2xx"] + r["socket"] == 0
            print(
                f"| {label} | {who} | {r['rps']:.0f} | {fmt_ms(r['p50'])} | {fmt_ms(r['p99'])} | "
                f"{r['non2xx']} + {r['socket']} of {r['requests']} | {r['load']} | "
                + ("yes |" if ok else "**no** |")
            )


if __name__ == "__main__":
    main()
