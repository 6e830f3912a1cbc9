"""Reliability figures against R: psych and multilevel on the same data, to 1e-9.

Each test writes a study's ratings to a CSV file in ``tmp_path``, runs ``Rscript`` on it and
compares what R prints with relcoord's figures:

* Cronbach's alpha of the RC index and both sub-indices (``psych::alpha``), R choosing the
  rows itself: ratings with at least ``min_items`` items answered (the scores' rule) that
  are complete on the scale;
* r_wg(J) of every tie in every wave (``multilevel::rwg.j`` with the uniform null variance
  2 of five options);
* ICC(1) and ICC(2) of the three designs, respondents by rater role, ratings by target role
  and ratings by tie (``multilevel::ICC1``/``ICC2`` on ``aov``, ``psych::statsBy``; ICC(1)
  with k0 from R's own ANOVA table), and the per-tie ICC(2) (Spearman-Brown of ICC(1) at
  the tie's raters, as ``multilevel::gmeanrel`` steps it up per group);
* the one-way ICCs of Shrout & Fleiss's (1979) table 2 (``psych::ICC`` with its ANOVA
  estimates, ``lmer = FALSE``), and on the eliPfad survey (when the data is present) the
  published sub-scale alphas at ``min_items=7``.

The tests skip when ``Rscript`` or one of the R packages is missing on a developer's
machine, and fail instead when ``CI=true`` (``.ci/run`` installs R from Debian).
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path
from typing import NoReturn

import numpy as np
import pytest

from relcoord import Metadata, Ratings, Respondent, Role, Study
from relcoord.instruments import DIMENSION_KEYS
from relcoord.metrics.reliability import (
    ReliabilitySettings,
    icc_oneway,
    reliability_summary,
    scale_alpha,
)

PACKAGES = ("psych", "multilevel", "lme4")
TOLERANCE = 1e-9
MIN_ITEMS = 5


def _unavailable(reason: str) -> NoReturn:
    """Skip, or fail when the tests run in CI (where R must be there)."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI installs r-base-core and the r-cran packages (.ci/run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def rscript() -> str:
    """The path of ``Rscript`` with psych, multilevel and lme4 installed."""
    path = shutil.which("Rscript")
    if path is None:
        _unavailable("Rscript is not installed")
    check = ("quit(status = !all(sapply(c(" + ", ".join(f'"{p}"' for p in PACKAGES)
             + "), requireNamespace, quietly = TRUE)))")
    if subprocess.run([path, "-e", check], capture_output=True, check=False).returncode:
        _unavailable(f"an R package of {', '.join(PACKAGES)} is missing")
    return path


def run_r(rscript: str, script: str, tmp_path: Path) -> dict[str, float]:
    """Run ``script`` (which prints ``name value`` lines) and read what it printed."""
    file = tmp_path / "reference.R"
    file.write_text(script, encoding="utf-8")
    done = subprocess.run([rscript, "--vanilla", str(file)], capture_output=True, text=True,
                          check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    values = {}
    for line in done.stdout.splitlines():
        name, _, value = line.rpartition(" ")
        if name:
            values[name] = float(value)
    return values


def write_ratings(study: Study, path: Path) -> None:
    """One row per rating: respondent, source, target, wave, then the items (empty = NA)."""
    ratings = study.ratings
    ids, people = study.role_ids, [p.id for p in study.respondents]
    waves = ("", *ratings.waves)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["respondent", "source", "target", "wave",
                         *(f"i{j + 1}" for j in range(ratings.scores.shape[1]))])
        for row in range(len(ratings)):
            items = ["" if np.isnan(v) else repr(float(v)) for v in ratings.scores[row]]
            writer.writerow([people[ratings.respondent[row]], ids[ratings.source[row]],
                             ids[ratings.target[row]], waves[ratings.wave[row] + 1], *items])


def generated_study(seed: int = 14) -> Study:
    """Four roles, 44 people in two waves, each rating two to four roles (some in both
    waves), items around a level per tie with noise and about 6 % missing answers."""
    rng = np.random.default_rng(seed)
    roles = ["a", "b", "c", "d"]
    level = rng.uniform(2.0, 4.5, size=(4, 4))
    rows: list[tuple[str, int, int, str, list[float]]] = []
    people: list[tuple[str, str]] = []
    for r, size in enumerate((14, 12, 10, 8)):
        for i in range(size):
            person = f"{roles[r]}{i:02d}"
            people.append((person, roles[r]))
            waves = ["w1", "w2"] if i % 3 == 0 else [("w1", "w2")[i % 2]]
            targets = rng.choice(4, size=int(rng.integers(2, 5)), replace=False)
            for wave in waves:
                for t in targets.tolist():
                    noise = rng.normal(0, 0.9, size=7) + rng.normal(0, 0.5)
                    items = np.clip(np.rint(level[r, t] + noise), 1, 5)
                    items[rng.random(7) < 0.06] = np.nan
                    rows.append((person, r, t, wave, items.tolist()))
    return Study(
        metadata=Metadata(id="r-reference"),
        instrument="rc7",
        roles=[Role(x, x.upper()) for x in roles],
        respondents=[Respondent(p, role) for p, role in people],
        ratings=Ratings.from_labels(
            source=[roles[r[1]] for r in rows], target=[roles[r[2]] for r in rows],
            respondent=[r[0] for r in rows], wave=[r[3] for r in rows],
            scores=np.array([r[4] for r in rows], dtype=np.float64),
            dimensions=DIMENSION_KEYS,
        ),
    )


R_FIGURES = r"""
suppressMessages({library(psych); library(multilevel)})
out <- function(name, value) cat(sprintf("%s %.17g\n", name, value))
d <- read.csv("@CSV@", stringsAsFactors = FALSE, na.strings = "",
              colClasses = c(wave = "character"))
items <- as.matrix(d[, paste0("i", 1:7)])
counted <- rowSums(!is.na(items)) >= @MIN_ITEMS@
scales <- list(rc = 1:7, communication = 1:4, relationship = 5:7)
for (s in names(scales)) {
  cols <- scales[[s]]
  x <- items[counted & complete.cases(items[, cols]), cols, drop = FALSE]
  out(paste0("alpha.", s), psych::alpha(as.data.frame(x), warnings = FALSE)$total$raw_alpha)
  out(paste0("alpha_n.", s), nrow(x))
}
complete <- complete.cases(items)
cc <- d[complete, ]
x <- items[complete, ]
tie <- paste(cc$source, cc$target, cc$wave, sep = "|")
r <- multilevel::rwg.j(x, tie, ranvar = 2)
for (i in seq_len(nrow(r))) if (!is.na(r$rwg.j[i])) out(paste0("rwgj.", r$grpid[i]), r$rwg.j[i])
score <- rowMeans(x)
icc <- function(name, y, g) {
  model <- aov(y ~ as.factor(g))
  i1 <- multilevel::ICC1(model)
  out(paste0(name, ".icc1"), i1)
  out(paste0(name, ".icc2"), multilevel::ICC2(model))
  table <- summary(model)[[1]]
  msb <- table[1, 3]
  msw <- table[2, 3]
  sizes <- as.vector(table(g))
  n <- length(y)
  k0 <- (n - sum(sizes^2) / n) / (length(sizes) - 1)
  out(paste0(name, ".icc1_k0"), (msb - msw) / (msb + (k0 - 1) * msw))
  by <- psych::statsBy(data.frame(g = g, y = y, z = seq_along(y)), "g")
  out(paste0(name, ".statsby_icc1"), by$ICC1[["y"]])
  out(paste0(name, ".statsby_icc2"), by$ICC2[["y"]])
  i1
}
tie_icc1 <- icc("tie", score, tie)
for (g in unique(tie)) {
  m <- sum(tie == g)
  out(paste0("tie_icc2.", g), m * tie_icc1 / (1 + (m - 1) * tie_icc1))
}
invisible(icc("target", score, cc$target))
person <- aggregate(score, by = list(p = cc$respondent, role = cc$source), FUN = mean)
invisible(icc("respondent", person$x, person$role))
"""


@pytest.fixture(scope="module")
def study() -> Study:
    return generated_study()


@pytest.fixture(scope="module")
def from_r(rscript: str, study: Study, tmp_path_factory: pytest.TempPathFactory
           ) -> dict[str, float]:
    folder = tmp_path_factory.mktemp("r")
    write_ratings(study, folder / "ratings.csv")
    script = (R_FIGURES.replace("@CSV@", (folder / "ratings.csv").as_posix())
              .replace("@MIN_ITEMS@", str(MIN_ITEMS)))
    return run_r(rscript, script, folder)


def test_alpha_equals_psych(study: Study, from_r: dict[str, float]) -> None:
    summary = reliability_summary(study, ReliabilitySettings(min_items=MIN_ITEMS))
    for scale in ("rc", "communication", "relationship"):
        ours = summary.alpha[scale]
        assert ours.n == from_r[f"alpha_n.{scale}"]
        assert ours.alpha == pytest.approx(from_r[f"alpha.{scale}"], abs=TOLERANCE)
        assert ours.min_items == MIN_ITEMS
    # the sub-indices do leave out rows complete on them whose other items are too few
    assert summary.alpha["relationship"].n != scale_alpha(study, "relationship",
                                                          min_items=1).n


def test_rwg_j_equals_multilevel(study: Study, from_r: dict[str, float]) -> None:
    ties = [t for t in reliability_summary(study).agreement.ties if t.rwg_j is not None]
    expected = {name.removeprefix("rwgj."): v for name, v in from_r.items()
                if name.startswith("rwgj.")}
    assert len(ties) == len(expected) > 10
    for tie in ties:
        value = expected[f"{tie.source}|{tie.target}|{tie.wave}"]
        assert tie.rwg_j == pytest.approx(value, abs=TOLERANCE)


@pytest.mark.parametrize("group_size", ["mean_group_size", "k0"])
def test_icc_of_every_design_equals_multilevel_and_psych(
    study: Study, from_r: dict[str, float], group_size: str
) -> None:
    summary = reliability_summary(
        study, ReliabilitySettings(icc_group_size=group_size))  # type: ignore[arg-type]
    designs = {"respondent": summary.icc, "target": summary.icc_by_target,
               "tie": summary.icc_by_tie}
    assert summary.icc.design == "respondents_by_rater_role"
    for name, icc in designs.items():
        assert icc is not None
        assert icc.group_size == group_size
        if group_size == "mean_group_size":  # multilevel::ICC1 and psych::statsBy use N / G
            assert icc.icc1 == pytest.approx(from_r[f"{name}.icc1"], abs=TOLERANCE)
            assert icc.icc1 == pytest.approx(from_r[f"{name}.statsby_icc1"], abs=TOLERANCE)
        else:
            assert icc.icc1 == pytest.approx(from_r[f"{name}.icc1_k0"], abs=TOLERANCE)
        assert icc.icc2 == pytest.approx(from_r[f"{name}.icc2"], abs=TOLERANCE)
        assert icc.icc2 == pytest.approx(from_r[f"{name}.statsby_icc2"], abs=TOLERANCE)


def test_per_tie_icc2_is_the_spearman_brown_step_up(study: Study,
                                                    from_r: dict[str, float]) -> None:
    ties = reliability_summary(study).agreement.ties
    assert ties
    for tie in ties:
        value = from_r[f"tie_icc2.{tie.source}|{tie.target}|{tie.wave}"]
        assert tie.icc2 == pytest.approx(value, abs=TOLERANCE)


def test_oneway_icc_equals_psych_icc_on_shrout_fleiss(rscript: str, tmp_path: Path) -> None:
    table = np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9],
                      [6, 2, 4, 7]], dtype=np.float64)
    cells = ", ".join(str(int(v)) for v in table.ravel())
    r = run_r(rscript, f"""
suppressMessages(library(psych))
x <- matrix(c({cells}), ncol = 4, byrow = TRUE)
res <- psych::ICC(x, lmer = FALSE)$results
cat(sprintf("icc1 %.17g\\nicc1k %.17g\\n", res$ICC[1], res$ICC[4]))
""", tmp_path)
    result = icc_oneway(table.ravel(), np.repeat(np.arange(6), 4))
    assert result.icc1 == pytest.approx(r["icc1"], abs=TOLERANCE)  # ICC(1,1)
    assert result.icc2 == pytest.approx(r["icc1k"], abs=TOLERANCE)  # ICC(1,k)


@pytest.mark.elipfad
def test_elipfad_sub_scale_alphas_equal_psych(rscript: str, elipfad_study: Study,
                                              tmp_path: Path) -> None:
    study = elipfad_study
    write_ratings(study, tmp_path / "ratings.csv")
    r = run_r(rscript, R_FIGURES.split("complete <- complete.cases")[0]
              .replace("@CSV@", (tmp_path / "ratings.csv").as_posix())
              .replace("@MIN_ITEMS@", "7"), tmp_path)
    for scale, published in (("communication", 0.767175), ("relationship", 0.762345)):
        ours = scale_alpha(study, scale, min_items=7)  # type: ignore[arg-type]
        assert ours.n == r[f"alpha_n.{scale}"] == 705
        assert ours.alpha == pytest.approx(r[f"alpha.{scale}"], abs=TOLERANCE)
        assert round(ours.alpha, 6) == published  # type: ignore[arg-type]
