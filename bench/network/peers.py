#!/usr/bin/env python3
"""Times python-igraph, NetworKit and NetworkX on the same edge list.

usage: peers.py TOOL EDGES.csv TASK      (TOOL: igraph|networkit|networkx,
                                          TASK: metrics|leiden|betweenness)
Prints one JSON object like the Rust driver. Loading reads the CSV with the
csv module in every tool (the same parse), then builds the tool's graph.
"metrics" = loading plus degree, strength, eigenvector, pagerank,
clustering, core number, components and (igraph, NetworkX) Burt's constraint;
NetworKit has no constraint, NetworkX's is skipped above 30,000 nodes.
"""
import csv
import json
import sys
import time


def read(path):
    with open(path, newline="") as f:
        r = csv.reader(f)
        next(r)
        return [(s, t, float(w)) for s, t, w in r]


def run_igraph(path, task):
    import igraph as ig

    t0 = time.perf_counter()
    g = ig.Graph.TupleList(read(path), directed=False, weights=True)
    load = time.perf_counter() - t0
    t1 = time.perf_counter()
    check = 0.0
    if task == "metrics":
        w = g.es["weight"]
        check += sum(g.degree()) + sum(g.strength(weights=w))
        check += sum(g.eigenvector_centrality(scale=False))
        check += sum(g.pagerank(weights=w))
        check += sum(x for x in g.transitivity_local_undirected(mode="zero"))
        check += sum(g.coreness())
        check += len(g.connected_components())
        check += sum(x for x in g.constraint() if x == x)
    elif task == "leiden":
        c = g.community_leiden(objective_function="modularity", weights="weight", n_iterations=-1)
        check = g.modularity(c.membership, weights="weight")
    elif task == "betweenness":
        check = sum(g.betweenness(directed=False))
    return g.vcount(), g.ecount(), load, time.perf_counter() - t1, check


def run_networkit(path, task):
    import networkit as nk

    nk.setNumberOfThreads(2)
    t0 = time.perf_counter()
    rows = read(path)
    ids = {}
    for s, t, _ in rows:
        ids.setdefault(s, len(ids))
        ids.setdefault(t, len(ids))
    g = nk.Graph(len(ids), weighted=True)
    for s, t, w in rows:
        g.addEdge(ids[s], ids[t], w)
    load = time.perf_counter() - t0
    t1 = time.perf_counter()
    check = 0.0
    if task == "metrics":
        check += sum(g.degree(v) for v in g.iterNodes())
        check += sum(g.weightedDegree(v) for v in g.iterNodes())
        for algo in (
            nk.centrality.EigenvectorCentrality(g),
            nk.centrality.PageRank(g),
            nk.centrality.LocalClusteringCoefficient(g),
            nk.centrality.CoreDecomposition(g),
        ):
            algo.run()
            check += sum(algo.scores())
        cc = nk.components.ConnectedComponents(g)
        cc.run()
        check += cc.numberOfComponents()
    elif task == "leiden":
        algo = nk.community.ParallelLeiden(g)
        algo.run()
        check = nk.community.Modularity().getQuality(algo.getPartition(), g)
    elif task == "betweenness":
        b = nk.centrality.Betweenness(g, normalized=True)
        b.run()
        check = sum(b.scores())
    return g.numberOfNodes(), g.numberOfEdges(), load, time.perf_counter() - t1, check


def run_networkx(path, task):
    import networkx as nx

    t0 = time.perf_counter()
    g = nx.Graph()
    g.add_weighted_edges_from(read(path))
    load = time.perf_counter() - t0
    t1 = time.perf_counter()
    check = 0.0
    if task == "metrics":
        check += sum(d for _, d in g.degree()) + sum(d for _, d in g.degree(weight="weight"))
        check += sum(nx.eigenvector_centrality(g).values())
        check += sum(nx.pagerank(g).values())
        check += sum(nx.clustering(g).values())
        check += sum(nx.core_number(g).values())
        check += nx.number_connected_components(g)
        if g.number_of_nodes() <= 30000:
            check += sum(x for x in nx.constraint(g).values() if x == x)
    elif task == "leiden":
        c = nx.community.louvain_communities(g, seed=0)
        check = nx.community.modularity(g, c)
    elif task == "betweenness":
        check = sum(nx.betweenness_centrality(g).values())
    return g.number_of_nodes(), g.number_of_edges(), load, time.perf_counter() - t1, check


def main():
    tool, path, task = sys.argv[1:4]
    fn = {"igraph": run_igraph, "networkit": run_networkit, "networkx": run_networkx}[tool]
    n, m, load, dt, check = fn(path, task)
    secs = load + dt if task == "metrics" else dt
    print(json.dumps({"tool": tool, "task": task, "nodes": n, "edges": m,
                      "seconds": round(secs, 3), "load_seconds": round(load, 3), "check": check}))


if __name__ == "__main__":
    main()
