"""Benchmark: the interactive HTML report (``relcoord-html``) of generated RC surveys and
relationship maps of 5 to 60 roles: the time to write the page (the analysis is done
before) and the page's size, in one language and in two.

The issue asks for "under a few MB for 60 roles"; the pictures shown as images are
written with a palette (``relcoord_html.page.small_png``), the heat map's cells as bare
rectangles.  Nothing is asserted (the one-language 60-role size is a test's upper bound).

Run:  .venv/bin/python benchmarks/bench_html_page.py [--roles 5 20 40 60]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from relcoord.analysis import analyze
from relcoord.plugins import PluginHost
from relcoord.testing.surveys import care_study


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", type=int, nargs="+", default=[5, 20, 40, 60])
    args = parser.parse_args()
    host = PluginHost()
    print(f"{'study':<22}{'lang':<7}{'arrows':>8}{'write s':>9}{'size MB':>9}")
    with tempfile.TemporaryDirectory() as folder:
        for n in args.roles:
            for kind in ("survey", "relationskort"):
                study = care_study(n, kind=kind)
                analysis = analyze(study, lang="en")
                for lang in ("en", "da,en"):
                    path = Path(folder) / "report.html"
                    start = time.perf_counter()
                    host.write(study, path, format="html", analysis=analysis,
                               options={"lang": lang})
                    took = time.perf_counter() - start
                    arrows = path.read_text(encoding="utf-8").count('class="rc-arrow"')
                    print(f"{f'{kind} {n}':<22}{lang:<7}{arrows:>8}{took:>9.1f}"
                          f"{path.stat().st_size / 1e6:>9.2f}")


if __name__ == "__main__":
    main()
