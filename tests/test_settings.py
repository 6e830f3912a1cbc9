"""AnalysisSettings: each field's own check, its message, and value equality."""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any

import attrs
import pytest

from relcoord.settings import AnalysisSettings, InvalidSettingsError, SettingsOverrides

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


# --- typed keywords, replace, and the documentation's table ---------------------------------

REPO = Path(__file__).resolve().parents[1]

SNIPPET = '''
import relcoord
from relcoord import AnalysisSettings

study = relcoord.load_example()
relcoord.analyze(study, weighting="tie", min_items=5, bands=(3.0, 4.5), compare=None)
relcoord.analyze(study, AnalysisSettings(), lang="da", icc_group_size="k0")
AnalysisSettings().replace(mdc_reliability=0.8)
'''


def _mypy(tmp_path: Path, code: str) -> tuple[str, int]:
    """mypy --strict (the project's configuration) on ``code``: its report and exit status."""
    mypy_api = pytest.importorskip("mypy.api")
    snippet = tmp_path / "snippet.py"
    snippet.write_text(code, encoding="utf-8")
    report, errors, status = mypy_api.run([
        "--config-file", str(REPO / "pyproject.toml"), "--cache-dir",
        str(REPO / ".mypy_cache"), "--no-error-summary", "--show-error-codes", str(snippet),
    ])
    return report + errors, status


#: Calls that mypy must refuse, each with what its error says.
WRONG: tuple[tuple[str, str], ...] = (
    ('relcoord.analyze(study, weighting="persons")',
     'Argument "weighting" to "analyze" has incompatible type "Literal[\'persons\']"'),
    ('relcoord.analyze(study, min_items="7")',
     'Argument "min_items" to "analyze" has incompatible type "str"'),
    ('relcoord.analyze(study, lang="de")', 'Argument "lang" to "analyze"'),
    ('relcoord.analyze(study, bands=3.5)', 'Argument "bands" to "analyze"'),
    ('relcoord.analyze(study, weigthing="tie")', 'Unexpected keyword argument "weigthing"'),
    ('AnalysisSettings().replace(icc_group_size="median")', 'Argument "icc_group_size"'),
)


def test_mypy_rejects_a_wrong_setting_and_accepts_the_right_ones(tmp_path: Path) -> None:
    """The keywords are typed as the fields: mypy names each bad one, on its line, and
    nothing else (one run of mypy over all the calls)."""
    first = SNIPPET.count("\n") + 1
    report, status = _mypy(tmp_path, SNIPPET + "".join(f"{call}\n" for call, _ in WRONG))
    assert status == 1, report
    errors: dict[int, list[str]] = {}
    for line in report.splitlines():
        place, _, text = line.partition(": error: ")
        if text:
            errors.setdefault(int(place.rsplit(":", 1)[1]), []).append(text)
    assert sorted(errors) == list(range(first, first + len(WRONG))), report
    for (call, message), number in zip(WRONG, sorted(errors), strict=True):
        assert len(errors[number]) == 1, (call, errors[number])
        assert message in errors[number][0], (call, errors[number])


def test_the_overrides_are_the_fields() -> None:
    """One key per field, typed as the field: SettingsOverrides cannot fall behind."""
    assert typing.get_type_hints(SettingsOverrides) == typing.get_type_hints(AnalysisSettings)
    assert list(typing.get_type_hints(SettingsOverrides)) == \
        [a.name for a in attrs.fields(AnalysisSettings)]


def test_replace_checks_again() -> None:
    settings = AnalysisSettings(weighting="tie")
    assert settings.replace(seed=1) == AnalysisSettings(weighting="tie", seed=1)
    with pytest.raises(InvalidSettingsError, match="weighting: expected one of"):
        settings.replace(weighting="persons")  # type: ignore[arg-type]


def test_the_documentation_lists_every_setting_with_its_default() -> None:
    """docs/settings.md has one row per field, in order, with the field's default."""
    page = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    rows = [line.split("|")[1:-1] for line in page.splitlines()
            if line.startswith("| `")]
    fields: tuple[attrs.Attribute[Any], ...] = attrs.fields(AnalysisSettings)
    assert [r[0].strip().strip("`") for r in rows] == [a.name for a in fields]
    for row, field in zip(rows, fields, strict=True):
        assert row[2].strip().strip("`") == repr(field.default).replace("'", '"'), field.name
        documented = AnalysisSettings.__doc__ or ""
        assert f"{field.name}:" in documented, f"{field.name} lacks its docstring entry"
