"""Instruments: scoring by position, scales, built-ins, custom instruments, their docs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relcoord import InvalidStudyError, Metadata, Rating, Role, Study
from relcoord.instruments import DIMENSION_KEYS, INSTRUMENTS, Instrument, get_instrument

PAGE = (Path(__file__).resolve().parents[1] / "docs" / "instruments.md").read_text("utf-8")


def test_rc7_frequency_item_scores_sufficiency() -> None:
    rc7 = get_instrument("rc7")
    assert rc7.score("frequent", [1, 2, 3, 4, 5]).tolist() == [1, 3, 5, 4, 2]
    assert rc7.dimension("frequent").answers["en"][2] == "Just the right amount"
    classic = get_instrument("rc7-classic")
    assert classic.score("frequent", [1, 2, 3, 4, 5]).tolist() == [1, 2, 3, 4, 5]


@given(st.sampled_from(sorted(INSTRUMENTS)), st.data())
def test_only_frequency_is_reordered(instrument_id: str, data: st.DataObject) -> None:
    instrument = INSTRUMENTS[instrument_id]
    key = data.draw(st.sampled_from(instrument.keys))
    scored = instrument.score(key, [1, 2, 3, 4, 5])
    if key == "frequent" and instrument_id == "rc7":
        assert sorted(scored) == [1, 2, 3, 4, 5]
    else:
        assert scored.tolist() == [1, 2, 3, 4, 5]


def test_sub_indices_follow_gittell() -> None:
    rc7 = get_instrument("rc7")
    assert rc7.keys == DIMENSION_KEYS
    assert rc7.keys_of("communication") == DIMENSION_KEYS[:4]
    assert rc7.keys_of("relationship") == DIMENSION_KEYS[4:]
    assert get_instrument("relationskort").keys == DIMENSION_KEYS[:4]


def test_every_builtin_has_three_languages() -> None:
    for instrument in INSTRUMENTS.values():
        for dim in instrument.dimensions:
            assert set(dim.names) >= {"da", "en", "de"}
            assert set(dim.answers) >= {"da", "en", "de"}


def test_missing_positions_stay_missing_and_bad_positions_are_refused() -> None:
    rc7 = get_instrument("rc7")
    out = rc7.score("timely", [np.nan, 2])
    assert np.isnan(out[0])
    assert out[1] == 2
    with pytest.raises(ValueError, match=r"outside 1\.\.5"):
        rc7.score("timely", [6])


def test_off_scale_scores_are_refused_in_a_study() -> None:
    with pytest.raises(InvalidStudyError) as caught:
        Study(metadata=Metadata("s"), instrument="rc7", roles=[Role("a", "A")],
              ratings=[Rating(source="a", target="a", scores={"timely": 2.5, "accurate": 0})])
    assert [p.path for p in caught.value.problems] == [
        "$.ratings[0].scores.accurate", "$.ratings[0].scores.timely"]


def test_unknown_instrument_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="rc7, rc7-classic, relationskort"):
        get_instrument("rc9")


def test_custom_instrument_round_trips_and_reports_paths() -> None:
    custom = Instrument.from_mapping(
        {"id": "pulse", "title": "Pulse",
         "dimensions": [{"key": "timely", "scoring": [1, 2, 3]},
                        {"key": "mutual_respect", "scoring": [3, 2, 1]}]})
    assert Instrument.from_mapping(custom.to_mapping()) == custom
    assert custom.dimension("mutual_respect").sub_index == "relationship"
    with pytest.raises(InvalidStudyError) as caught:
        Instrument.from_mapping({"id": "x", "dimensions": [{"key": "timely"},
                                                            {"key": "speed", "scoring": [1, 2]}]})
    paths = [p.path for p in caught.value.problems]
    assert paths == ["$.dimensions[0]", "$.dimensions[1]"]
    with pytest.raises(InvalidStudyError, match="share one score"):
        Instrument.from_mapping({"id": "x", "dimensions": [{"key": "timely", "scoring": [1, 1]}]})


def test_instrument_page_lists_every_answer_label() -> None:
    for instrument in INSTRUMENTS.values():
        section = PAGE.split(f"## `{instrument.id}`", 1)[1].split("\n## ", 1)[0]
        for dim in instrument.dimensions:
            for position, score in enumerate(dim.scoring):
                row = (f"| {position + 1} | {score:g} | {dim.answers['da'][position]} | "
                       f"{dim.answers['en'][position]} | {dim.answers['de'][position]} |")
                assert row in section
