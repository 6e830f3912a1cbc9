"""The Social Relations Model against R: lme4 fits the same model to the same data.

The respondent-tie RC of each study (counted under ``min_items``, within ties left out) is
written to CSV, and ``Rscript`` fits
``lmer(rc ~ 1 + (1|source) + (1|target) + (1|source:target) + (1|respondent), REML = TRUE)``
(Bates, Maechler, Bolker & Walker 2015), the model relcoord's estimator corresponds to,
with the terms of the components relcoord fits.  The variance components, the REML
criterion, the intercept and every conditional mode (BLUP) must agree.

The data are the embedded example (discrete ratings, a target variance on the boundary at
0) and a generated unbalanced study (roles of unequal size, incomplete ratings, absent
roles).  Without ``Rscript`` or lme4 the tests skip, except under ``CI=true``, where they
fail: CI installs R (``.ci/run``).
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from relcoord import Study, load_example
from relcoord.metrics.scores import respondent_tie_scores
from relcoord.metrics.srm import SocialRelations, social_relations_model
from relcoord.testing.planted import planted_study

#: The lme4 term of each component relcoord fits.
TERMS = {"rater": "(1 | source)", "target": "(1 | target)",
         "relationship": "(1 | source:target)", "respondent": "(1 | respondent)"}
#: lme4's name of each term's grouping factor.
GROUPS = {"rater": "source", "target": "target", "relationship": "source:target",
          "respondent": "respondent"}

FIT = r"""
suppressMessages(library(lme4))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], colClasses = c("numeric", "character", "character", "character"))
fit <- lmer(as.formula(args[3]), data = d, REML = TRUE,
            control = lmerControl(optimizer = "bobyqa", calc.derivs = FALSE,
                                  optCtrl = list(rhoend = 1e-12, maxfun = 1e5)))
number <- function(x) sprintf("%.17g", x)
vc <- as.data.frame(VarCorr(fit))
write.csv(data.frame(grp = vc$grp, vcov = number(vc$vcov)),
          file.path(args[2], "variances.csv"), row.names = FALSE)
re <- ranef(fit)
modes <- do.call(rbind, lapply(names(re), function(g)
  data.frame(grp = g, level = rownames(re[[g]]), value = number(re[[g]][, 1]))))
write.csv(modes, file.path(args[2], "modes.csv"), row.names = FALSE)
writeLines(c(number(REMLcrit(fit)), number(fixef(fit)[[1]])), file.path(args[2], "fit.txt"))
"""


@pytest.fixture(scope="module")
def rscript() -> str:
    """The path of ``Rscript`` with lme4; skip without (fail under ``CI=true``)."""
    path = shutil.which("Rscript")
    problem = "Rscript is not installed"
    if path is not None:
        check = subprocess.run([path, "-e", "library(lme4)"], capture_output=True, text=True,
                               check=False)
        problem = "" if check.returncode == 0 else f"lme4 does not load: {check.stderr[-300:]}"
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{problem} (CI installs r-base-core and r-cran-lme4, see .ci/run)")
        pytest.skip(problem)
    assert path is not None
    return path


def write_ratings(study: Study, min_items: int, path: Path) -> int:
    """The respondent-ties of ``study`` the model uses, one CSV row each; their number."""
    per = respondent_tie_scores(study, min_items=min_items)
    ratings = study.ratings
    rows = np.flatnonzero(per.counted & (ratings.source != ratings.target))
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["rc", "source", "target", "respondent"])
        for i in rows.tolist():
            person = int(ratings.respondent[i])
            out.writerow([repr(float(per.rc[i])), study.role_ids[ratings.source[i]],
                          study.role_ids[ratings.target[i]],
                          ratings.respondents[person] if person >= 0 else f"row-{i}"])
    return len(rows)


def fit_in_r(rscript: str, study: Study, result: SocialRelations, tmp_path: Path
             ) -> tuple[dict[str, float], dict[tuple[str, str], float], float, float]:
    """lme4's variances (by component name), conditional modes (by component and level),
    REML criterion and intercept."""
    data = tmp_path / "ratings.csv"
    assert write_ratings(study, result.min_items, data) == result.n_ratings
    fitted = [name for name in TERMS if result.components[name].fitted]
    formula = "rc ~ 1 + " + " + ".join(TERMS[name] for name in fitted)
    script = tmp_path / "fit.R"
    script.write_text(FIT, encoding="utf-8")
    run = subprocess.run([rscript, str(script), str(data), str(tmp_path), formula],
                         capture_output=True, text=True, check=False, timeout=300)
    assert run.returncode == 0, run.stderr
    by_group = {group: name for name, group in GROUPS.items()} | {"Residual": "residual"}
    with (tmp_path / "variances.csv").open(encoding="utf-8") as handle:
        variances = {by_group[row["grp"]]: float(row["vcov"]) for row in csv.DictReader(handle)}
    with (tmp_path / "modes.csv").open(encoding="utf-8") as handle:
        modes = {(by_group[row["grp"]], row["level"]): float(row["value"])
                 for row in csv.DictReader(handle)}
    criterion, intercept = (float(v) for v in
                            (tmp_path / "fit.txt").read_text(encoding="utf-8").split())
    return variances, modes, criterion, intercept


def assert_matches_lme4(rscript: str, study: Study, tmp_path: Path) -> SocialRelations:
    result = social_relations_model(study)
    assert result.converged
    variances, modes, criterion, intercept = fit_in_r(rscript, study, result, tmp_path)
    total = sum(v for v in variances.values())
    mine = {name: c.variance for name, c in result.components.items() if c.fitted}
    assert set(mine) == set(variances)
    for name, value in variances.items():
        # relative agreement; a component on the boundary (0) to a millionth of the total
        assert mine[name] == pytest.approx(value, rel=1e-4, abs=1e-6 * total), name
    assert result.reml_criterion == pytest.approx(criterion, rel=1e-8)
    assert result.mean == pytest.approx(intercept, abs=1e-6)
    scale = total**0.5
    for role in result.roles:
        if role.rater is not None:
            assert role.rater == pytest.approx(modes["rater", role.role], abs=1e-5 * scale)
        if role.target is not None:
            assert role.target == pytest.approx(modes["target", role.role], abs=1e-5 * scale)
    for tie in result.ties:
        if tie.relationship is not None:
            expected = modes["relationship", f"{tie.source}:{tie.target}"]
            assert tie.relationship == pytest.approx(expected, abs=1e-5 * scale)
    return result


def test_example_matches_lme4(rscript: str, tmp_path: Path) -> None:
    result = assert_matches_lme4(rscript, load_example(), tmp_path)
    assert result.components["target"].variance == pytest.approx(0.0, abs=1e-6)


def test_unbalanced_study_matches_lme4(rscript: str, tmp_path: Path) -> None:
    planted = planted_study(n_roles=10, n_respondents=250, n_absent=2, coverage=0.5, seed=14)
    result = assert_matches_lme4(rscript, planted.study, tmp_path)
    assert all(c.fitted and c.variance for c in result.components.values())
