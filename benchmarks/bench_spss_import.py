"""SPSS import of a wide survey beside a bare pyreadstat read of the same file.

The file: 40 roles x ``--respondents`` respondents (spread over the roles), each rating all
40 roles on the 7 items: one case per respondent and target role, the items ``q1`` ...
``q7`` labelled ``Hyppig`` ... ``Gensidig respekt``, the roles coded 1..40 with value
labels, the answers coded 0..4 with the instrument's Danish answer labels and 9 declared
user-missing (about 1 % of the answers) -- the work a survey tool's export asks for: read
the file, find the items by their labels, read every code by its label, turn user-missing
codes into missing answers, check and build the Study.  relcoord reads the file in a reader
process (`relcoord_spss.reader_process`): timed with the process already started (as for
every file after the first one) and with a new one started for the read (the first file).
Each contender runs ``--repeat`` times; each one's best time counts.  Nothing is asserted;
figures are printed.

Run:  .venv/bin/python benchmarks/bench_spss_import.py [--respondents 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from relcoord.instruments import get_instrument
from relcoord_spss import read_spss
from relcoord_spss.reader_process import stop_reader

ROLES = 40
LABELS = ("Hyppig", "Rettidig", "Præcis", "Problemløsende", "Fælles mål", "Fælles viden",
          "Gensidig respekt")


def write_survey(path: Path, respondents: int, seed: int = 1) -> int:
    """Write the survey; return its number of cases."""
    rng = np.random.default_rng(seed)
    person = np.repeat(np.arange(respondents), ROLES)
    source = person % ROLES + 1
    target = np.tile(np.arange(1, ROLES + 1), respondents)
    frame = pd.DataFrame({"respondent": person.astype(str), "rolle": source.astype(float),
                          "om": target.astype(float)})
    instrument = get_instrument("rc7")
    value_labels: dict[str, dict[int | float, str]] = {
        "rolle": {k: f"Gruppe {k}" for k in range(1, ROLES + 1)}}
    value_labels["om"] = value_labels["rolle"]
    for j, dimension in enumerate(instrument.dimensions, start=1):
        codes = rng.integers(0, 5, size=len(person)).astype(float)
        codes[rng.random(len(person)) < 0.01] = 9.0
        frame[f"q{j}"] = codes
        answers: dict[int | float, str] = dict(enumerate(dimension.answers["da"]))
        value_labels[f"q{j}"] = {**answers, 9: "Ikke besvaret"}
    pyreadstat.write_sav(frame, path, column_labels={f"q{j}": label for j, label in
                                                     enumerate(LABELS, start=1)},
                         variable_value_labels=value_labels,
                         missing_ranges={f"q{j}": [9] for j in range(1, 8)})
    return len(frame)


def best(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "survey.sav"
        cases = write_survey(path, args.respondents)
        size = path.stat().st_size

        def bare() -> object:
            return pyreadstat.read_sav(str(path), user_missing=True, output_format="polars")

        def relcoord() -> object:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return read_spss(path, {})

        def relcoord_first() -> object:
            stop_reader()
            return relcoord()

        bare_time = best(bare, args.repeat)
        relcoord_time = best(relcoord, args.repeat)
        first_time = best(relcoord_first, args.repeat)
    print(f"{cases:,} cases x 7 items ({size / 1e6:.1f} MB .sav)")
    print(f"pyreadstat read_sav (polars):  {bare_time:7.2f} s")
    print(f"relcoord spss import:          {relcoord_time:7.2f} s "
          f"({relcoord_time / bare_time:.2f}x the bare read)")
    print(f"  the same, starting its reader:  {first_time:7.2f} s "
          f"({first_time / bare_time:.2f}x the bare read)")


if __name__ == "__main__":
    main()
