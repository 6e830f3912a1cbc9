"""AnalysisSettings: each field's own check, its message, and value equality."""

from __future__ import annotations

from typing import Any

import pytest

from relcoord.settings import AnalysisSettings, InvalidSettingsError

WHOLE_1 = "expected a whole number of at least 1, got {!r}"
WHOLE_0 = "expected a whole number of at least 0, got {!r}"


@pytest.mark.parametrize(
    ("values", "setting", "message"),
    [
        ({"weighting": "people"}, "weighting",
         "expected one of respondent, tie, group, got 'people'"),
        ({"weighting": None}, "weighting", "expected one of respondent, tie, group, got None"),
        ({"lang": "de"}, "lang", "expected one of da, en, got 'de'"),
        ({"min_items": 0}, "min_items", WHOLE_1.format(0)),
        ({"min_items": 2.5}, "min_items", WHOLE_1.format(2.5)),
        ({"min_items": True}, "min_items", WHOLE_1.format(True)),
        ({"min_items": "3"}, "min_items", WHOLE_1.format("3")),
        ({"min_respondents": 0}, "min_respondents", WHOLE_1.format(0)),
        ({"min_respondents": 2.0}, "min_respondents", WHOLE_1.format(2.0)),
        ({"min_respondents": None}, "min_respondents", WHOLE_1.format(None)),
        ({"min_respondents": 2}, "min_respondents",
         "2 is below 3, the least that survey platforms allow; set "
         "min_respondents_override=True to insist"),
        ({"bands": (4.0, 3.5)}, "bands", "expected finite LOW <= HIGH, got 4,3.5"),
        ({"bands": (3, float("inf"))}, "bands", "expected finite LOW <= HIGH, got 3,inf"),
        ({"bands": "x"}, "bands", "expected two numbers LOW,HIGH, got 'x'"),
        ({"bands": (1, 2, 3)}, "bands", "expected two numbers LOW,HIGH, got (1, 2, 3)"),
        ({"compare": "ab"}, "compare", "expected two wave ids (A, B), got 'ab'"),
        ({"compare": ("a",)}, "compare", "expected two wave ids (A, B), got ('a',)"),
        ({"compare": ("a", "a")}, "compare", "compare two different waves, got 'a' twice"),
        ({"compare": ("", "b")}, "compare", "a wave id cannot be empty, got ('', 'b')"),
        ({"n_boot": -1}, "n_boot", WHOLE_0.format(-1)),
        ({"n_boot": True}, "n_boot", WHOLE_0.format(True)),
        ({"seed": 2.0}, "seed", WHOLE_0.format(2.0)),
        ({"seed": "1"}, "seed", WHOLE_0.format("1")),
    ],
)
def test_each_setting_names_itself_and_what_it_expects(values: dict[str, Any], setting: str,
                                                       message: str) -> None:
    with pytest.raises(InvalidSettingsError) as caught:
        AnalysisSettings(**values)
    assert (caught.value.setting, caught.value.message) == (setting, message)
    assert str(caught.value) == f"{setting}: {message}"


def test_accepted_values_are_converted() -> None:
    chosen = AnalysisSettings(min_items=None, bands=("3", 4), compare=[1, 2], n_boot=0, seed=0,
                              min_respondents=1, min_respondents_override=1)
    assert chosen.bands == (3.0, 4.0)
    assert chosen.compare == ("1", "2")
    assert chosen.min_respondents_override is True


def test_settings_are_values() -> None:
    one = AnalysisSettings(weighting="tie", compare=("a", "b"))
    other = AnalysisSettings(weighting="tie", compare=["a", "b"])
    assert one == other
    assert hash(one) == hash(other)
    assert len({one, other, AnalysisSettings()}) == 2
