"""How long a change made through one `weaver serve` takes to be seen
through another on the same PostgreSQL database.

Usage: python3 delay.py URL_A URL_B TOKEN SAMPLES

Each sample writes through A and then polls B (one keep-alive connection,
every POLL seconds) until B shows the change. The delay is the time from A's
answer to B's first answer showing the change; the figure's resolution is
POLL plus one request to B. Two kinds of change, SAMPLES of each, taking
turns: a new organization read back as a row, and a new name read back
through a search (a cached list page). Prints a Markdown table.
"""

import http.client
import json
import sys
import time
import urllib.parse

POLL = 0.001
GIVE_UP = 10.0


def conn(url):
    u = urllib.parse.urlsplit(url)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=30)


def request(c, method, path, token, body=None):
    headers = {"Authorization": f"Bearer {token}"}
    data = None
    if body is not None:
        data = json.dumps(body)
        headers["Content-Type"] = "application/json"
    c.request(method, path, body=data, headers=headers)
    r = c.getresponse()
    return r.status, r.read().decode()


def wait_until(c, path, token, needle):
    """Seconds until B's answer to GET path contains needle."""
    start = time.perf_counter()
    while True:
        status, body = request(c, "GET", path, token)
        now = time.perf_counter()
        if status == 200 and needle in body:
            return now
        if now - start > GIVE_UP:
            raise SystemExit(f"B did not show {needle!r} at {path} within {GIVE_UP} s")
        time.sleep(POLL)


def pct(xs, p):
    xs = sorted(xs)
    k = (len(xs) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def main():
    url_a, url_b, token, samples = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    a, b = conn(url_a), conn(url_b)
    run = f"{int(time.time())}"
    delays = {"create, row": [], "rename, search": []}
    for i in range(samples):
        oid = f"d{run}-{i}"
        status, body = request(a, "POST", "/api/v1/organizations", token,
                               {"id": oid, "name": f"Delay {oid}", "actor_type": "enterprise"})
        assert status == 201, body
        acked = time.perf_counter()
        seen = wait_until(b, f"/api/v1/organizations/{oid}", token, f'"{oid}"')
        delays["create, row"].append(seen - acked)

        word = f"zq{run}x{i}"
        # B answers the search (and caches its page) before the change.
        status, body = request(b, "GET", f"/api/v1/organizations?q={word}", token)
        assert status == 200 and '"rows":[]' in body, body
        status, body = request(a, "PATCH", f"/api/v1/organizations/{oid}", token,
                               {"name": f"Renamed {word}"})
        assert status == 200, body
        acked = time.perf_counter()
        seen = wait_until(b, f"/api/v1/organizations?q={word}", token, f'"{oid}"')
        delays["rename, search"].append(seen - acked)

    print("| change through A, read through B | samples | p50 | p90 | p99 | max | mean |")
    print("|---|---|---|---|---|---|---|")
    for kind, xs in delays.items():
        ms = [x * 1000 for x in xs]
        print(f"| {kind} | {len(ms)} | {pct(ms, 50):.1f} ms | {pct(ms, 90):.1f} ms | "
              f"{pct(ms, 99):.1f} ms | {max(ms):.1f} ms | {sum(ms) / len(ms):.1f} ms |")


if __name__ == "__main__":
    main()
