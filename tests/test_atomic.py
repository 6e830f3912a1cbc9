"""Atomic output: a failed write leaves nothing behind and clobbers nothing."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relcoord.atomic_files import MARKER, atomic_path, is_relcoord_folder, write_bytes_atomic
from relcoord.errors import InvalidInputError
from relcoord.example import load_example
from relcoord.model import Study
from relcoord.plugins import PluginError, PluginHost
from relcoord.testing.conformance import assert_roundtrip
from relcoord.testing.strategies import studies

#: One host for the properties (built-ins only), so each example does not reload plugins.
JSON_HOST = PluginHost(entry_points=list, environ={})


class Boom(Exception):
    """Raised by the writers under test."""


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def failing_write(destination: Path, *, directory: bool = False) -> None:
    """Start writing ``destination`` (a file, or a folder with a file), then fail."""
    with atomic_path(destination, directory=directory) as temporary:
        assert temporary.parent == destination.parent
        if directory:
            assert temporary.is_dir()
            assert not any(temporary.iterdir())
            (temporary / "roles.csv").write_text("new roles")
        else:
            temporary.write_text("half a docu")
        raise Boom


def test_failed_file_write_leaves_no_partial_file(tmp_path: Path) -> None:
    destination = tmp_path / "out.json"
    with pytest.raises(Boom):
        failing_write(destination)
    assert listing(tmp_path) == []


def test_failed_file_write_does_not_clobber_existing_file(tmp_path: Path) -> None:
    destination = tmp_path / "out.json"
    destination.write_text("the old file")
    with pytest.raises(Boom):
        failing_write(destination)
    assert destination.read_text() == "the old file"
    assert listing(tmp_path) == ["out.json"]


def test_successful_write_replaces_and_uses_normal_permissions(tmp_path: Path) -> None:
    destination = tmp_path / "out.json"
    destination.write_text("old")
    with atomic_path(destination) as temporary:
        assert temporary.parent == tmp_path
        assert temporary != destination
        temporary.write_text("new")
        assert destination.read_text() == "old"  # nothing visible before the end
    assert destination.read_text() == "new"
    assert listing(tmp_path) == ["out.json"]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(destination.stat().st_mode) == 0o666 & ~umask


def relcoord_folder(destination: Path, *names: str) -> None:
    """A folder as an earlier export left it: its files and relcoord's marker."""
    destination.mkdir()
    (destination / MARKER).write_text("written by relcoord")
    for name in names:
        (destination / name).write_text(f"old {name}")


def test_failed_folder_write_keeps_the_old_folder(tmp_path: Path) -> None:
    destination = tmp_path / "tables"
    relcoord_folder(destination, "roles.csv")
    with pytest.raises(Boom):
        failing_write(destination, directory=True)
    assert listing(tmp_path) == ["tables"]
    assert listing(destination) == [MARKER, "roles.csv"]
    assert (destination / "roles.csv").read_text() == "old roles.csv"


def test_folder_write_replaces_the_whole_folder(tmp_path: Path) -> None:
    destination = tmp_path / "tables"
    relcoord_folder(destination, "stale.csv")
    with atomic_path(destination, directory=True) as temporary:
        (temporary / "roles.csv").write_text("new roles")
    assert listing(tmp_path) == ["tables"]
    assert listing(destination) == [MARKER, "roles.csv"]


def test_new_folder_is_created_and_marked(tmp_path: Path) -> None:
    with atomic_path(tmp_path / "fresh", directory=True) as temporary:
        (temporary / "a.txt").write_text("a")
    assert listing(tmp_path / "fresh") == [MARKER, "a.txt"]
    assert is_relcoord_folder(tmp_path / "fresh")


@pytest.mark.parametrize(
    ("make", "directory", "message"),
    [
        (None, False, "does not exist"),
        ("dir", False, "is a folder"),
        ("file", True, "not a folder"),
    ],
)
def test_impossible_destinations_are_refused_up_front(
    tmp_path: Path, make: str | None, directory: bool, message: str
) -> None:
    destination = tmp_path / "out"
    if make == "dir":
        destination.mkdir()
    elif make == "file":
        destination.write_text("x")
    else:
        destination = tmp_path / "no-such-folder" / "out"
    with pytest.raises(InvalidInputError, match=message), atomic_path(destination,
                                                                     directory=directory):
        pytest.fail("the block must not run")


def test_exporter_that_raises_through_the_host_leaves_the_old_file(tmp_path: Path) -> None:
    destination = tmp_path / "study.analysis.json"
    destination.write_text("previous analysis")
    host = PluginHost(entry_points=list, environ={})

    class NotAnAnalysis:
        """Makes the analysis-json writer fail half way."""

    with pytest.raises(PluginError, match=r"analysis-json.*NotAnAnalysis"):
        host.write(load_example(), destination, analysis=NotAnAnalysis())  # type: ignore[arg-type]
    assert destination.read_text() == "previous analysis"
    assert listing(tmp_path) == ["study.analysis.json"]


@settings(max_examples=20)  # two fsyncs per example; fewer than the profile, never more
@given(data=st.binary(max_size=2048))
def test_writing_the_same_bytes_twice_gives_the_same_file(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        destination = Path(folder) / "out.bin"
        write_bytes_atomic(destination, data)
        first = destination.read_bytes()
        write_bytes_atomic(destination, data)
        assert destination.read_bytes() == first == data
        assert listing(Path(folder)) == ["out.bin"]


def test_json_export_is_byte_for_byte_repeatable(tmp_path: Path) -> None:
    host = PluginHost(entry_points=list, environ={})
    study = load_example()
    host.write(study, tmp_path / "a.json")
    host.write(study, tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert (tmp_path / "a.json").read_bytes().endswith(b"}\n")


@settings(max_examples=20)  # file I/O per example; fewer than the profile, never more
@given(study=studies(max_roles=4, max_ratings=12))
def test_json_round_trip_and_repeatable_bytes_for_generated_studies(study: Study) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        back = assert_roundtrip("json", study, Path(folder), host=JSON_HOST)
        assert back == study  # study data is written whole, respondents included


def test_a_folder_set_aside_loses_its_marker_last(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer may list a replaced folder while another removes it: until it is empty it
    must still hold the marker, or the writer would take it for a folder not relcoord's."""
    from relcoord import atomic_files

    folder = tmp_path / "tables"
    with atomic_path(folder, directory=True) as temporary:
        for name in ("a.csv", "b.csv", "z.csv"):
            (temporary / name).write_text(name)
        (temporary / "figures").mkdir()
        (temporary / "figures" / "c.png").write_text("c")
    states = []
    unlink = os.unlink

    def watched(path: str | os.PathLike[str], *args: object, **kwargs: object) -> None:
        if Path(path).name == MARKER:
            states.append(sorted(os.listdir(folder)))
        unlink(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "unlink", watched)
    atomic_files._remove(folder)
    assert not folder.exists()
    assert states == [[MARKER]]
