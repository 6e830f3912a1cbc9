"""Benchmark the ratings as DataFrames: ``Ratings.to_frame`` and ``Ratings.from_frame``.

The workload of ``bench_core.py``: 40 roles x 20,000 respondents rating every role on the
7 RC items (800,000 ratings).  Each relcoord figure is printed beside a reference measured
in the same run: ``to_frame`` beside building the same frame straight from the decoded
numpy columns, ``from_frame`` beside ``Ratings.from_labels`` of the frame's columns taken
with ``to_numpy`` (what ``from_frame`` did before it accepted polars frames and pandas'
``<NA>``).  Nothing is asserted; the script prints best-of-``--repeat`` wall times.

    python benchmarks/bench_frames.py                     # the full workload
    python benchmarks/bench_frames.py --respondents 2000  # a tenth of it
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
from bench_core import workload  # type: ignore[import-not-found]

from relcoord import Ratings


def best(run: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--roles", type=int, default=40)
    parser.add_argument("--respondents", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = workload(args.roles, args.respondents)
    arrays = data["arrays"]
    keys = data["instrument"].keys
    ratings = Ratings.from_arrays(
        source=arrays["source"], target=arrays["target"], respondent=arrays["respondent"],
        wave=arrays["wave"], scores=arrays["scores"], dimensions=keys,
        roles=data["role_ids"], respondents=data["respondent_ids"], waves=data["waves"])
    print(f"{len(ratings):,} ratings, {len(keys)} dimensions")

    def decode(labels: tuple[str, ...], codes: Any) -> Any:
        return np.asarray([*labels, ""], dtype=str)[codes]  # -1 (none) is the last

    def reference_frame() -> pd.DataFrame:
        return pd.DataFrame({
            "source": decode(ratings.roles, ratings.source),
            "target": decode(ratings.roles, ratings.target),
            "respondent": decode(ratings.respondents, ratings.respondent),
            "wave": decode(ratings.waves, ratings.wave),
            **{k: ratings.scores[:, j] for j, k in enumerate(keys)}})

    def reference_from(frame: pd.DataFrame) -> Ratings:
        return Ratings.from_labels(
            source=frame["source"].to_numpy(dtype=str),
            target=frame["target"].to_numpy(dtype=str),
            scores=frame[list(keys)].to_numpy(dtype=np.float64, na_value=np.nan),
            dimensions=keys, respondent=frame["respondent"].to_numpy(dtype=object),
            wave=frame["wave"].to_numpy(dtype=object))

    pandas_frame = ratings.to_frame("pandas")
    polars_frame = ratings.to_frame("polars")
    plain = reference_frame()
    rows = [
        ("to_frame('pandas')", best(lambda: ratings.to_frame("pandas"), args.repeat)),
        ("to_frame('polars')", best(lambda: ratings.to_frame("polars"), args.repeat)),
        ("reference: DataFrame of the numpy columns", best(reference_frame, args.repeat)),
        ("from_frame(pandas frame)",
         best(lambda: Ratings.from_frame(pandas_frame, dimensions=keys), args.repeat)),
        ("from_frame(polars frame)",
         best(lambda: Ratings.from_frame(polars_frame, dimensions=keys), args.repeat)),
        ("reference: from_labels of to_numpy columns",
         best(lambda: reference_from(plain), args.repeat)),
    ]
    for label, seconds in rows:
        print(f"{label:45s} {seconds:8.3f} s")
    assert isinstance(polars_frame, pl.DataFrame)


if __name__ == "__main__":
    main()
