"""`relcoord validate`: exit 0 for a valid study, 1 with located messages for anything else."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from relcoord.cli import cli
from relcoord.errors import path_sort_key

VALID: dict[str, Any] = {
    "relcoord": "1",
    "study": {"id": "t", "title": "Test"},
    "instrument": "rc7",
    "roles": [
        {"id": "teachers", "name": "Undervisere", "organisation": "school"},
        {"id": "kui", "name": "KUI", "organisation": "municipality"},
    ],
    "respondents": [{"id": "r1", "role": "teachers"}],
    "ties": [{"source": "teachers", "target": "kui", "wave": "w1"}],
    "ratings": [
        {"respondent": "r1", "source": "teachers", "target": "kui", "wave": "w1",
         "scores": {"frequent": 3, "timely": 2, "accurate": None}},
    ],
    "invitations": [{"source": "kui", "target": "teachers", "topic": "x", "status": "held"}],
}


def run(path: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "study.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_valid_study_exits_zero(tmp_path: Path) -> None:
    code, out, err = run(write(tmp_path, VALID))
    assert (code, err) == (0, "")
    assert "valid study 't'" in out


def edited(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(json.dumps(VALID))
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        node: Any = document
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value
    return document


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (edited(ties__0__target="nobody"), "$.ties[0].target: unknown role 'nobody'"),
        (edited(respondents__0__role="nobody"), "$.respondents[0].role: unknown role 'nobody'"),
        (edited(ratings__0__respondent="ghost"), "$.ratings[0].respondent: unknown respondent"),
        (edited(ratings__0__source="kui"), "$.ratings[0].source: source 'kui' is not the role"),
        (edited(roles__1__id="teachers"), "$.roles[1].id: duplicate role id 'teachers'"),
        (edited(ratings__0__scores={"timely": 6}), "$.ratings[0].scores.timely: score 6 is off"),
        (edited(ratings__0__scores={"speed": 2}), "$.ratings[0].scores: 'speed' is not one of"),
        (edited(invitations__0__status="maybe"), "$.invitations[0].status: 'maybe' is not one"),
        (edited(roles=[]), "$.roles: [] should be non-empty"),
        (edited(instrument="rc9"), "$.instrument: unknown instrument 'rc9'"),
        (edited(relcoord="2"), "$.relcoord: '1' was expected"),
    ],
)
def test_each_kind_of_bad_study_is_located(
    tmp_path: Path, document: dict[str, Any], expected: str
) -> None:
    code, _, err = run(write(tmp_path, document))
    assert code == 1
    assert f"error: {expected}" in err
    assert "Traceback" not in err


def test_every_problem_is_listed_sorted(tmp_path: Path) -> None:
    document = edited(ties__0__target="x", roles__1__id="teachers")
    document["ratings"].append(dict(document["ratings"][0], target="y"))
    code, _, err = run(write(tmp_path, document))
    paths = [line.split(": ")[1] for line in err.splitlines()]
    assert code == 1
    assert {"$.ratings[1].target", "$.roles[1].id", "$.ties[0].target"} <= set(paths)
    assert paths == sorted(paths, key=path_sort_key)


def test_relationskort_refuses_relationship_items(tmp_path: Path) -> None:
    document = edited(instrument="relationskort", ratings__0__scores={"shared_goals": 3})
    code, _, err = run(write(tmp_path, document))
    assert code == 1
    assert "$.ratings[0].scores.shared_goals: unknown dimension 'shared_goals'" in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (b"   \n", "the file is empty"),
        (b'{"relcoord": "1", "roles": [', ":1:29: the file ends too early"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
        ('{"name": "Sundhedsplejerske æøå"}'.encode("cp1252"), ":1:29: not UTF-8 text"),
        (b'{"a": 1,\n "b": }', ":2:7: not valid JSON"),
        (b'{"x":\n  1e999}', ":2:3: number 1e999 is out of range"),
        (b'{"x": NaN}', ":1:7: number NaN is out of range"),
        (b'{"x": -Infinity}', ":1:7: number -Infinity is out of range"),
        (b'{"x": ' + b"9" * 5000 + b"}", ":1:7: number 9999"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b"[1, 2, 3]", "$: [1, 2, 3] is not of type 'object'"),
    ],
)
def test_unreadable_files_get_one_clear_message(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    code, out, err = run(path)
    assert code == 1
    assert expected in err
    assert "Traceback" not in err
    assert out == ""


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert "no such file" in run(tmp_path / "absent.json")[2]
    result = CliRunner().invoke(cli, ["validate", str(tmp_path)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_stdin(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "-"], input=json.dumps(VALID))
    assert result.exit_code == 0, result.output
