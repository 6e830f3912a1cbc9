"""Betweenness on a large sparse person network: igraph beside networkx, measured together.

A seeded random directed network of ``--nodes`` persons, each naming ``--edges-per-node``
others, is built as a :class:`relcoord.Study` (persons as roles, arrows as ties) and handed
to both backends through :mod:`relcoord.role_network`.  In one run the script measures:

1. both libraries on the same ``--k`` random source nodes of the full network (Brandes'
   algorithm does the same work per source, so this is like for like; the two results are
   compared), and from that the time of an exact run over all sources for each;
2. both libraries, exactly, on a snowball subgraph of ``--subgraph`` nodes (the nodes met
   first by a breadth-first walk from a random person);
3. with ``--exact``, igraph's exact betweenness of every node of the full network (step 1
   extrapolates it to over an hour of CPU for 100,000 nodes with 5 arrows each);
4. relcoord's network measures as an analysis computes them
   (:func:`relcoord.metrics.graph_measures.measure_network` through igraph: degrees,
   strength, PageRank, reciprocity, dyad census, constraint and betweenness estimated from
   ``--pivots`` sampled source nodes, Brandes & Pich 2007) beside networkx's
   ``betweenness_centrality(k=--pivots, seed=...)``, which draws the same pivots (the two
   estimates are compared; ``--no-networkx`` skips it), and with ``--communities`` the
   communities that ``network_metrics`` adds: Leiden (leidenalg), which it uses from
   ``LEIDEN_FROM_NODES`` nodes, beside networkx's Louvain, which it uses below, with the
   modularity of each partition (igraph's ``Graph.modularity``, unweighted).

Memory is the process's resident set size (peak and current) after each step; igraph's C
allocations are invisible to ``tracemalloc``, so RSS is the honest figure.  Wall time and
process CPU time are both printed (CPU time is the fairer figure on a shared machine).
Nothing here asserts on time.

    .venv/bin/python benchmarks/bench_betweenness.py [--nodes 100000] [--edges-per-node 5]
        [--k 50] [--subgraph 5000] [--exact]
"""

from __future__ import annotations

import argparse
import functools
import random
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from relcoord import Metadata, NamedTie, Role, Study
from relcoord.metrics.graph_measures import (
    BETWEENNESS_PIVOTS,
    BETWEENNESS_SEED,
    communities,
    measure_network,
)
from relcoord.role_network import role_network, to_igraph, to_networkx

T = TypeVar("T")


def rss_mib() -> tuple[float, float]:
    """(current, peak) resident set size of this process in MiB (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    current = pages * resource.getpagesize() / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
    return current, peak


def timed(label: str, action: Callable[[], T]) -> tuple[T, float]:
    """Run ``action``; print its wall and CPU time and the memory after it; return the result
    and the CPU seconds."""
    start, cpu = time.perf_counter(), time.process_time()
    result = action()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    current, peak = rss_mib()
    print(f"{label:<46} wall {seconds:9.2f} s  cpu {cpu:9.2f} s  "
          f"rss {current:6.0f} MiB  peak {peak:6.0f} MiB")
    return result, cpu


def person_study(nodes: int, per_node: int, seed: int) -> Study:
    """A random directed person network: each person names ``per_node`` random others
    (a repeated draw collapses into one arrow)."""
    rng = np.random.default_rng(seed)
    width = len(str(nodes - 1))
    ids = [f"p{i:0{width}d}" for i in range(nodes)]
    source = np.repeat(np.arange(nodes), per_node)
    # an offset in 1..nodes-1 never points a person at themself
    target = (source + rng.integers(1, nodes, size=source.size)) % nodes
    return Study(
        metadata=Metadata(id="person-network"),
        instrument="relationskort",
        roles=[Role(id=i, name=i, organisation=f"unit-{k % 50}") for k, i in enumerate(ids)],
        ties=[NamedTie(ids[s], ids[t])
              for s, t in zip(source.tolist(), target.tolist(), strict=True)],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--edges-per-node", type=int, default=5)
    parser.add_argument("--k", type=int, default=50, help="sampled source nodes")
    parser.add_argument("--subgraph", type=int, default=5_000)
    parser.add_argument("--exact", action="store_true",
                        help="also run igraph's exact betweenness over every node")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pivots", type=int, default=BETWEENNESS_PIVOTS,
                        help="sampled source nodes of relcoord's estimate (step 4)")
    parser.add_argument("--no-networkx", action="store_true",
                        help="skip networkx's k-sample estimate in step 4")
    parser.add_argument("--communities", action="store_true",
                        help="also time the communities in step 4: Leiden (leidenalg) and "
                        "Louvain (networkx), with each partition's modularity")
    parser.add_argument("--only-measures", action="store_true",
                        help="run step 4 only")
    args = parser.parse_args()
    n = args.nodes
    print(f"person network: {n:,} nodes, {args.edges_per_node} arrows per node, seed {args.seed}")
    study, _ = timed("build the Study (validated)", lambda: person_study(
        n, args.edges_per_node, args.seed))
    ig_graph, _ = timed("to_igraph", lambda: to_igraph(study))
    print(f"  {ig_graph.vcount():,} vertices, {ig_graph.ecount():,} distinct arrows")
    nx_graph, _ = timed("to_networkx", lambda: to_networkx(study))

    import networkx as nx

    if args.only_measures:
        measures(study, nx_graph, args)
        return
    ids = ig_graph.vs["id"]
    # 1. like for like on the full network: the same k sources in both libraries
    sources = sorted(np.random.default_rng(args.seed).choice(n, size=args.k, replace=False))
    on_ig, t_ig_k = timed(f"igraph betweenness, {args.k} sources, full network",
                          lambda: ig_graph.betweenness(directed=True, sources=sources))
    on_nx, t_nx_k = timed(
        f"networkx betweenness, {args.k} sources, full network",
        lambda: nx.betweenness_centrality_subset(
            nx_graph, sources=[ids[i] for i in sources], targets=ids, normalized=False),
    )
    diff = max(abs(a - on_nx[i]) for a, i in zip(on_ig, ids, strict=True))
    print(f"  gap networkx / igraph (cpu): {t_nx_k / t_ig_k:,.1f}x; "
          f"largest difference between the two results {diff:.2e}")
    per_source = n / args.k
    print(f"  exact over all {n:,} sources, extrapolated (cpu): "
          f"igraph {t_ig_k * per_source / 60:,.1f} min, "
          f"networkx {t_nx_k * per_source / 3600:,.1f} h")

    # 2. like for like on a subgraph: the whole exact algorithm in both
    # a snowball (breadth-first ball, directions ignored) keeps the subgraph connected, as a
    # sample of a person network would be; a random induced subgraph would be mostly isolates
    start_node = int(np.random.default_rng(args.seed).integers(n))
    keep = sorted(ig_graph.bfs(start_node, mode="all")[0][: min(args.subgraph, n)])
    ig_sub = ig_graph.induced_subgraph(keep)
    nx_sub = nx_graph.subgraph([ids[i] for i in keep]).copy()
    print(f"subgraph: {ig_sub.vcount():,} nodes, {ig_sub.ecount():,} arrows")
    sub_ig, t_ig_sub = timed("igraph betweenness, exact, subgraph",
                             lambda: ig_sub.betweenness(directed=True))
    sub_nx, t_nx_sub = timed("networkx betweenness, exact, subgraph",
                             lambda: nx.betweenness_centrality(nx_sub, normalized=False))
    diff = max(abs(a - sub_nx[v["id"]]) for a, v in zip(sub_ig, ig_sub.vs, strict=True))
    print(f"  gap networkx / igraph (cpu): {t_nx_sub / t_ig_sub:,.1f}x; "
          f"largest difference between the two results {diff:.2e}")

    # 3. optionally igraph's exact run over the whole network
    if args.exact:
        _, t_ig_full = timed("igraph betweenness, exact, all nodes",
                             lambda: ig_graph.betweenness(directed=True))
        print(f"  networkx exact, extrapolated from {args.k} sources: "
              f"{t_nx_k * n / args.k / t_ig_full:,.1f}x igraph's exact run")
    measures(study, nx_graph, args)


def measures(study: Study, nx_graph: Any, args: argparse.Namespace) -> None:
    """Step 4: relcoord's measures (sampled betweenness) beside networkx's k-sample
    estimate."""
    import networkx as nx

    network = role_network(study, basis="arrows", self_loops=False)
    measured, t_rc = timed(f"relcoord measure_network, {args.pivots} pivots", lambda: (
        measure_network(network, betweenness_pivots=args.pivots)))
    print(f"  betweenness: {measured.betweenness_pivots} sampled source nodes of "
          f"{network.n_nodes:,}")
    if not args.no_networkx:
        reference, t_nx = timed(f"networkx betweenness_centrality(k={args.pivots})", lambda: (
            nx.betweenness_centrality(nx_graph, k=args.pivots, normalized=True,
                                      seed=random.Random(BETWEENNESS_SEED))))
        ids = network.role_ids
        diff = max(abs(float(measured.betweenness[i]) - reference[ids[i]])
                   for i in range(network.n_nodes))
        print(f"  networkx's estimate / all of relcoord's measures (cpu): {t_nx / t_rc:,.1f}x; "
              f"largest difference between the two estimates {diff:.2e}")
    if args.communities:
        import igraph

        undirected = igraph.Graph(n=network.n_nodes, edges=np.column_stack(
            [network.source, network.target]).tolist()).as_undirected(mode="collapse")
        for method in ("leiden", "louvain"):
            labels, _ = timed(f"communities ({method})",
                              functools.partial(communities, network, method=method))
            print(f"  {method}: {len(set(labels.tolist())):,} communities, modularity "
                  f"{undirected.modularity(labels.tolist()):.4f}")

if __name__ == "__main__":
    main()
