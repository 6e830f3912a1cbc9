"""Contract tests of the example plugin, written with relcoord's pytest plugin.

``relcoord_host`` (a fresh plugin host) and ``relcoord_roundtrip`` (the round-trip
conformance check) come from ``relcoord.testing``, which pytest loads automatically once
relcoord is installed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import assume, given, settings

from relcoord import InvalidInputError, InvalidStudyError, Metadata, NamedTie, Role, Study
from relcoord.cli import cli
from relcoord.example import load_example
from relcoord.plugins import PluginHost
from relcoord.testing import assert_roundtrip
from relcoord.testing.strategies import studies
from relcoord_example import roles_table


@cache
def example_host() -> PluginHost:
    """One host with only this plugin, shared by the examples of the property test."""
    return PluginHost(environ={"RELCOORD_PLUGINS": "example"})


def what_a_tie_list_keeps(study: Study) -> Study:
    """The study as ``ties-tsv`` reads it back: ties, and roles named by their ids."""
    ids = sorted({t.source for t in study.ties} | {t.target for t in study.ties})
    return Study(
        metadata=Metadata(id=study.metadata.id),
        instrument="rc7",
        roles=[Role(id=i, name=i) for i in ids],
        ties=study.ties,
    )


def test_the_plugin_is_registered_by_its_entry_point(relcoord_host: PluginHost) -> None:
    assert relcoord_host.failures() == ()
    for format_id, kind in (("ties-tsv", "read"), ("ties-tsv", "write"),
                            ("roles-markdown", "write")):
        found = relcoord_host.find_format(id=format_id, kind=kind)  # type: ignore[arg-type]
        assert relcoord_host.owner(found).distribution == "relcoord-example"
    assert relcoord_host.find_format(path="arrows.ties.tsv").id == "ties-tsv"
    assert relcoord_host.find_format(path="arrows.tsv", kind="write").id == "ties-tsv"
    assert relcoord_host.find_format(path="team.roles.md", kind="write").id == "roles-markdown"


def test_example_study_round_trips_through_the_tie_list(
    relcoord_roundtrip: Callable[..., Study]
) -> None:
    study = load_example()
    back = relcoord_roundtrip("ties-tsv", study, expected=what_a_tie_list_keeps,
                              read_options={"study_id": study.metadata.id})
    assert len(back.ties) == len(study.ties) > 0


@settings(max_examples=20)  # file I/O per example; fewer than the profile, never more
@given(studies(max_roles=5, max_ratings=4))
def test_generated_studies_with_ties_round_trip(study: Study) -> None:
    assume(study.ties)  # an empty tie list names no roles (see ties_tsv's docstring)
    with tempfile.TemporaryDirectory() as folder:
        assert_roundtrip("ties-tsv", study, Path(folder), host=example_host(),
                         expected=what_a_tie_list_keeps,
                         read_options={"study_id": study.metadata.id})


def test_ids_a_tie_list_cannot_hold_are_refused(relcoord_host: PluginHost,
                                                tmp_path: Path) -> None:
    study = Study(metadata=Metadata(id="s"), instrument="rc7",
                  roles=[Role("a\tb", "A"), Role("c", "C")], ties=[NamedTie("a\tb", "c")])
    with pytest.raises(InvalidStudyError, match=r"\$\.ties\[0\]\.source: contains a tab"):
        relcoord_host.write(study, tmp_path / "out.tsv")
    assert not (tmp_path / "out.tsv").exists()


@pytest.mark.parametrize(
    ("text", "location", "message"),
    [
        ("", "1:1", "expected the header"),
        ("source\ttarget\n\n", "", "lists no ties"),
        ("source\ttarget\twave\na\tb\n", "2:1", "expected 3 tab-separated cells"),
        ("source\ttarget\na\t \n", "2:3", "empty role id"),
    ],
)
def test_bad_tie_lists_give_located_errors(relcoord_host: PluginHost, tmp_path: Path,
                                           text: str, location: str, message: str) -> None:
    source = tmp_path / "bad.ties.tsv"
    source.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError, match=message) as caught:
        relcoord_host.read(source)
    assert caught.value.location == (f"{source}:{location}" if location else str(source))


def test_role_table_escapes_pipes_and_uses_the_language() -> None:
    study = Study(metadata=Metadata(id="s"), instrument="rc7",
                  roles=[Role("a", "A | B", names={"da": "Æ"}, present=False)])
    assert roles_table(study).splitlines()[2] == "| a | A \\| B |  | no |"
    assert roles_table(study, "da").splitlines()[2] == "| a | Æ |  | no |"


def test_the_command(relcoord_host: PluginHost, tmp_path: Path) -> None:
    source = tmp_path / "team.ties.tsv"
    source.write_text("source\ttarget\nteachers\tnurses\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["roles-markdown", str(source)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2:] == ["| nurses | nurses |  | yes |",
                                              "| teachers | teachers |  | yes |"]
    bad = CliRunner().invoke(cli, ["roles-markdown", str(source), "--from", "nope"])
    assert bad.exit_code == 1
    assert "no format with id 'nope'" in bad.stderr
