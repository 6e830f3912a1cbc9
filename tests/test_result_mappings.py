"""Every result type's ``to_mapping()`` is JSON-ready, and the Analysis JSON is one of them.

The rule of ``docs/architecture.md`` ("How results become JSON"): each attrs result type
reachable from an :class:`~relcoord.analysis.Analysis` has a ``to_mapping()`` whose output
holds only dict, list, str, int, float, bool and None, with no NaN or infinity, and
:meth:`Analysis.to_mapping` validates against the shipped schema.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
import hypothesis.strategies as st
import jsonschema
import numpy as np
import pytest
from hypothesis import event, given

from relcoord import Analysis, NamedTie, Role, Study, analyze, load_example
from relcoord.analysis import analysis_schema
from relcoord.json_values import float_or_none, json_ready
from relcoord.metrics.reliability import TieAgreement, TieAgreementTable
from relcoord.settings import Weighting
from relcoord.testing.strategies import studies

#: Study data, not results (written by the study format, ``relcoord.serialization``), and
#: values that are no result.
NOT_RESULTS = (Study, Role, np.ndarray, str)

#: Every result type the example analysis (with a comparison of waves) holds.
RESULT_TYPES = {
    "Analysis", "AnalysisSettings", "RCScores", "Figure", "RatedTie", "RoleScore",
    "PairAsymmetry", "OrganisationScore", "OrganisationSplit", "RoleSummary",
    "NetworkMetrics", "RoleNetworkMetrics", "DyadCensus", "OrganisationEI",
    "ResponseCoverage", "InvitationMetrics", "RoleInvitations", "StatusCounts",
    "TieCoverage", "PrivacySummary", "ReliabilitySummary", "ReliabilitySettings",
    "CronbachAlpha", "TieAgreementTable", "TieAgreement", "IntraclassCorrelation", "Spread",
    "WaveComparison", "Change", "TieChange", "RoleChange", "ArrowChanges", "Finding",
    "SocialRelations", "VarianceComponent", "RoleEffects", "RelationshipEffect",
    "Reciprocity",
}


def results(value: Any, parent: Any = None) -> Iterator[tuple[Any, Any]]:
    """Every attrs result object within ``value`` (itself included), with its parent."""
    if isinstance(value, NOT_RESULTS):
        return
    if attrs.has(type(value)):
        yield value, parent
        for field in attrs.fields(type(value)):
            yield from results(getattr(value, field.name), value)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from results(item, parent)
    elif isinstance(value, tuple | list):
        for item in value:
            yield from results(item, parent)


def mapping_of(result: Any, parent: Any) -> dict[str, Any]:
    if isinstance(result, TieAgreement):  # a row of its table, which names the items
        assert isinstance(parent, TieAgreementTable)
        return result.to_mapping(parent.items)
    mapping: dict[str, Any] = result.to_mapping()
    return mapping


def assert_json_ready(value: Any, where: str = "$") -> None:
    """Only dict (str keys), list, str, int, float (finite), bool and None, exactly."""
    kind = type(value)
    if kind is dict:
        for key, item in value.items():
            assert type(key) is str, f"{where}: key {key!r}"
            assert_json_ready(item, f"{where}.{key}")
    elif kind is list:
        for index, item in enumerate(value):
            assert_json_ready(item, f"{where}[{index}]")
    elif kind is float:
        assert math.isfinite(value), f"{where}: {value!r}"
    else:
        assert kind in (str, int, bool, type(None)), f"{where}: {kind.__name__} {value!r}"


def check_every_result(analysis: Analysis) -> set[str]:
    """Check each result's mapping; the names of the result types met."""
    seen = set()
    for result, parent in results(analysis):
        name = type(result).__name__
        assert callable(getattr(result, "to_mapping", None)), f"{name} has no to_mapping()"
        mapping = mapping_of(result, parent)
        assert_json_ready(mapping, name)
        json.dumps(mapping, allow_nan=False)
        seen.add(name)
    return seen


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        analysis_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def with_arrows_in(study: Study, waves: tuple[str, str]) -> Study:
    """``study`` with an arrow of its first role to itself in each of ``waves`` it lacks.

    A study keeps a wave that an arrow names when the comparison selects its ratings; a wave
    known from its ratings alone is gone when none of them can be compared, and
    :func:`~relcoord.analysis.analyze` then refuses the comparison.  The check needs a
    valid study with a comparison, not this study's figures.
    """
    named = {t.wave for t in study.ties}
    role = study.roles[0].id
    extra = tuple(NamedTie(role, role, wave) for wave in waves if wave not in named)
    return attrs.evolve(study, ties=study.ties + extra) if extra else study


@given(study=studies(max_roles=5, max_waves=2), open_rule=st.booleans(),
       weighting=st.sampled_from(["respondent", "tie", "group"]))
def test_every_result_mapping_is_json_ready(study: Study, open_rule: bool,
                                            weighting: Weighting) -> None:
    rule: dict[str, Any] = (
        {"min_respondents": 1, "min_respondents_override": True} if open_rule else {}
    )
    compare = None
    if len(study.waves) == 2:
        compare = (study.waves[0], study.waves[1])
        study = with_arrows_in(study, compare)
    event("compared" if compare else "not compared")
    analysis = analyze(study, weighting=weighting, compare=compare, n_boot=20, **rule)
    check_every_result(analysis)
    data = analysis.to_mapping()
    assert_json_ready(data)
    assert not list(validator().iter_errors(data))
    event("SRM fitted" if data["srm"] else "no SRM")
    if data["srm"]:
        shares = data["srm"]["variance_shares"]
        assert list(shares) == ["rater", "target", "relationship", "residual"]
        assert sum(s for s in shares.values() if s is not None) == pytest.approx(1.0)


def test_the_example_meets_every_result_type() -> None:
    """The check is not vacuous: the example analysis holds every result type."""
    analysis = analyze(load_example(), compare=("konference-1", "konference-3"),
                       min_respondents=3, n_boot=50)
    assert check_every_result(analysis) == RESULT_TYPES
    assert not list(validator().iter_errors(analysis.to_mapping()))


# --- json_ready and float_or_none ----------------------------------------------------------


@attrs.frozen
class _Part:
    value: float

    def to_mapping(self) -> dict[str, Any]:
        return {"value": self.value, "seen": True}


def test_json_ready_converts_each_kind_of_value() -> None:
    value = {
        "nan": math.nan, "inf": -math.inf, "float": 2.5, "int": np.int64(3),
        "np_nan": np.float64("nan"), "bool": np.bool_(True), "pair": ("a", "b"),
        "set": frozenset({"b", "a"}), "keys": {4: None}, "part": _Part(1.0),
        "nested": {"items": [(1, np.float32(0.5))]},
    }
    assert json_ready(value) == {
        "nan": None, "inf": None, "float": 2.5, "int": 3, "np_nan": None, "bool": True,
        "pair": ["a", "b"], "set": ["a", "b"], "keys": {"4": None},
        "part": {"value": 1.0, "seen": True},
        "nested": {"items": [[1, 0.5]]},
    }
    assert_json_ready(json_ready(value))


def test_json_ready_keeps_plain_values_and_refuses_others() -> None:
    for plain in (None, True, 0, -7, 1.5, "text"):
        assert json_ready({"v": plain})["v"] is plain
    assert type(json_ready({"v": np.int32(2)})["v"]) is int
    with pytest.raises(TypeError, match="ndarray"):
        json_ready({"v": np.zeros(2)})
    with pytest.raises(TypeError, match="object"):
        json_ready({"v": object()})


def test_float_or_none() -> None:
    assert float_or_none(None) is None
    assert float_or_none(math.nan) is None
    assert float_or_none(np.float64("nan")) is None
    assert float_or_none(np.float64(4.5)) == 4.5
    assert type(float_or_none(np.float32(4.5))) is float
    assert float_or_none(3) == 3.0
