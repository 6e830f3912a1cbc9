"""Studies and analyses pickle with the standard ``pickle`` (a process pool, a cache), and
come back equal; their read-only mappings stay read-only."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given

from relcoord import analyze, dumps
from relcoord.example import load_example
from relcoord.frozen_mapping import FrozenMapping
from relcoord.model import Study
from relcoord.testing.strategies import studies


@given(studies(max_ratings=30))
def test_a_study_pickles_and_comes_back_the_same(study: Study) -> None:
    back = pickle.loads(pickle.dumps(study))
    assert dumps(back) == dumps(study)


def test_an_analysis_pickles_and_comes_back_the_same() -> None:
    analysis = analyze(load_example(), compare=("konference-1", "konference-3"), n_boot=50)
    back = pickle.loads(pickle.dumps(analysis))
    assert back.to_mapping() == analysis.to_mapping()
    assert [f.text for f in back.findings] == [f.text for f in analysis.findings]


def test_a_frozen_mapping_is_a_read_only_mapping() -> None:
    data = {"da": "Lærere", "en": "Teachers"}
    frozen = FrozenMapping(data)
    data["de"] = "Lehrer"  # its own copy: the caller's dict does not reach it
    assert frozen == {"da": "Lærere", "en": "Teachers"}
    assert frozen != {"da": "Lærere"}
    assert dict(frozen) == {"da": "Lærere", "en": "Teachers"}
    assert "da" in frozen
    assert len(frozen) == 2
    assert pickle.loads(pickle.dumps(frozen)) == frozen
    with pytest.raises(TypeError):
        frozen["da"] = "x"  # type: ignore[index]
    with pytest.raises(AttributeError):
        frozen.x = 1  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        hash(frozen)
    assert repr(frozen) == "FrozenMapping({'da': 'Lærere', 'en': 'Teachers'})"


@given(studies(max_ratings=30))
def test_an_unpickled_study_s_arrays_are_read_only_again(study: Study) -> None:
    """``pickle`` makes writeable arrays; a store's arrays stay read-only all the same, so
    an unpickled study cannot be changed through them."""
    ratings = pickle.loads(pickle.dumps(study)).ratings
    for name in ("source", "target", "respondent", "wave", "scores"):
        assert not getattr(ratings, name).flags.writeable, name
