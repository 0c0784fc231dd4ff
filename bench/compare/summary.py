"""The before/after tables of bench/compare/run.sh: the median of each build's runs
(wall and user CPU seconds, peak memory; the server's requests/s and latencies) and
after/before."""
import csv
import statistics
import sys
from collections import defaultdict


def main(results: str, server: str) -> None:
    rows = defaultdict(list)
    order = []
    with open(results) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            key = (r["benchmark"], r["task"])
            if key not in order:
                order.append(key)
            rows[key + (r["build"],)].append(r)
    print("| benchmark | task | runs | before wall (s) | after wall (s) | after/before | before user (s) | after user (s) | before peak (MiB) | after peak (MiB) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for bench, task in order:
        b, a = rows[(bench, task, "before")], rows[(bench, task, "after")]
        med = lambda rs, k: statistics.median(float(r[k]) for r in rs)
        bw, aw = med(b, "wall_s"), med(a, "wall_s")
        ratio = f"{aw / bw:.2f}" if bw > 0 else "-"
        print(
            f"| {bench} | {task} | {len(b)}+{len(a)} | {bw:.2f} | {aw:.2f} | {ratio} | "
            f"{med(b, 'user_s'):.2f} | {med(a, 'user_s'):.2f} | "
            f"{med(b, 'peak_kib') / 1024:.0f} | {med(a, 'peak_kib') / 1024:.0f} |"
        )
    print()
    print("| endpoint | before req/s | after req/s | after/before | before p50 (ms) | after p50 (ms) | before p99 (ms) | after p99 (ms) | non-2xx before/after |")
    print("|---|---|---|---|---|---|---|---|---|")
    srv = defaultdict(list)
    ends = []
    with open(server) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            srv[(r["endpoint"], r["build"])].append(r)
            if r["endpoint"] not in ends:
                ends.append(r["endpoint"])
    for e in ends:
        b, a = srv.get((e, "before")), srv.get((e, "after"))
        if not b or not a:
            continue
        med = lambda rs, k: statistics.median(float(r[k]) for r in rs)
        rb, ra = med(b, "requests_per_s"), med(a, "requests_per_s")
        errors = lambda rs: sum(int(r["non_2xx"]) for r in rs)
        print(
            f"| {e} | {rb:,.0f} | {ra:,.0f} | {ra / rb:.2f} | {med(b, 'p50_ms'):.1f} | "
            f"{med(a, 'p50_ms'):.1f} | {med(b, 'p99_ms'):.1f} | {med(a, 'p99_ms'):.1f} | "
            f"{errors(b)}/{errors(a)} |"
        )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
