"""Betweenness on a large sparse person network: igraph in full beside networkx on a sample.

A seeded random directed network of ``--nodes`` persons, each naming ``--edges-per-node``
others, is built as a :class:`relcoord.Study` (persons as roles, arrows as ties) and handed
to both backends through :mod:`relcoord.graph`.  In one run the script measures:

1. exact betweenness of every node through igraph (the library's heavy-lifting backend);
2. networkx's sampled estimate on the same network (``k`` random sources), from which the
   time of an exact networkx run is extrapolated (Brandes' algorithm costs the same per
   source);
3. both libraries, exactly, on an induced subgraph of ``--subgraph`` nodes, where the
   speed gap is measured like for like and the two results are compared.

Memory is the process's resident set size (peak and current) after each step; igraph's C
allocations are invisible to ``tracemalloc``, so RSS is the honest figure.  Nothing here
asserts on time.

    .venv/bin/python benchmarks/bench_betweenness.py [--nodes 100000] [--edges-per-node 5]
"""

from __future__ import annotations

import argparse
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from relcoord import Metadata, Role, Study, Tie
from relcoord.graph import to_igraph, to_networkx

T = TypeVar("T")


def rss_mib() -> tuple[float, float]:
    """(current, peak) resident set size of this process in MiB (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    current = pages * resource.getpagesize() / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
    return current, peak


def timed(label: str, action: Callable[[], T]) -> tuple[T, float]:
    """Run ``action``, print its wall time and the memory after it, return both."""
    start = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - start
    current, peak = rss_mib()
    print(f"{label:<52} {seconds:10.2f} s   rss {current:8.0f} MiB   peak {peak:8.0f} MiB")
    return result, seconds


def person_study(nodes: int, per_node: int, seed: int) -> Study:
    """A random directed person network: each person names ``per_node`` distinct others."""
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
        ties=[Tie(ids[s], ids[t]) for s, t in zip(source.tolist(), target.tolist(), strict=True)],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--edges-per-node", type=int, default=5)
    parser.add_argument("--k", type=int, default=50, help="networkx sample of sources")
    parser.add_argument("--subgraph", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    n = args.nodes
    print(f"person network: {n:,} nodes, {args.edges_per_node} arrows per node, seed {args.seed}")
    study, _ = timed("build the Study (validated)", lambda: person_study(
        n, args.edges_per_node, args.seed))
    ig_graph, _ = timed("to_igraph", lambda: to_igraph(study))
    print(f"  {ig_graph.vcount():,} vertices, {ig_graph.ecount():,} distinct arrows")
    nx_graph, _ = timed("to_networkx", lambda: to_networkx(study))

    # 1. igraph, exact, every node
    exact_ig, t_ig_full = timed("igraph betweenness, exact, all nodes",
                                lambda: ig_graph.betweenness(directed=True))

    # 2. networkx on a sample of k sources (its documented approximation)
    import networkx as nx

    def nx_sampled() -> dict[Any, float]:
        found: dict[Any, float] = nx.betweenness_centrality(
            nx_graph, k=args.k, normalized=False, seed=args.seed
        )
        return found

    sampled, t_nx_k = timed(f"networkx betweenness, k={args.k} sampled sources", nx_sampled)
    t_nx_full = t_nx_k * n / args.k
    # the estimate scales the sampled sums by n/k; compare its ranking with the exact one
    ids = [v["id"] for v in ig_graph.vs]
    est = np.array([sampled[i] for i in ids])
    exact = np.asarray(exact_ig)
    top = max(1, n // 100)
    overlap = len(set(np.argsort(-est)[:top]) & set(np.argsort(-exact)[:top])) / top
    print(f"  networkx exact, extrapolated from k={args.k}: {t_nx_full:,.0f} s "
          f"({t_nx_full / t_ig_full:,.1f}x igraph's exact run)")
    print(f"  top-1% overlap of the k={args.k} estimate with the exact ranking: {overlap:.0%}")

    # 3. like for like: both exact on an induced subgraph
    m = min(args.subgraph, n)
    keep = np.random.default_rng(args.seed).choice(n, size=m, replace=False)
    ig_sub = ig_graph.induced_subgraph(sorted(keep.tolist()))
    nx_sub = nx_graph.subgraph([ids[i] for i in sorted(keep.tolist())]).copy()
    print(f"subgraph: {ig_sub.vcount():,} nodes, {ig_sub.ecount():,} arrows")
    sub_ig, t_ig_sub = timed("igraph betweenness, exact, subgraph",
                             lambda: ig_sub.betweenness(directed=True))
    sub_nx, t_nx_sub = timed("networkx betweenness, exact, subgraph",
                             lambda: nx.betweenness_centrality(nx_sub, normalized=False))
    diff = max(abs(a - sub_nx[v["id"]]) for a, v in zip(sub_ig, ig_sub.vs, strict=True))
    print(f"  gap on the subgraph: networkx / igraph = {t_nx_sub / t_ig_sub:,.1f}x; "
          f"largest difference between the two results {diff:.2e}")


if __name__ == "__main__":
    main()
