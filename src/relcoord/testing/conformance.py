"""The round-trip conformance check that every format's tests call.

[`assert_roundtrip`][relcoord.testing.conformance.assert_roundtrip] writes a study with a format,
reads it back with the same format and compares the result with what the format can carry; it also
writes the study a second time and checks that the bytes are the same, because every relcoord
exporter is deterministic.  Formats that cannot carry everything pass ``expected`` (a function from
the study to what should come back), so that what a format drops is stated in one place.
"""

from __future__ import annotations

import filecmp
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from relcoord.model import Study
    from relcoord.plugins.manager import PluginHost

__all__ = ["assert_roundtrip", "assert_same_output", "network_file_carries", "study_differences"]

_FIELDS = ("metadata", "instrument", "roles", "respondents", "ties", "invitations", "ratings")


def study_differences(expected: Study, actual: Study) -> list[str]:
    """The parts in which two studies differ, each with a short description (empty if equal)."""
    differences: list[str] = []
    for name in _FIELDS:
        want, got = getattr(expected, name), getattr(actual, name)
        if want == got:
            continue
        if isinstance(want, tuple) and isinstance(got, tuple):
            missing = [x for x in want if x not in got][:3]
            extra = [x for x in got if x not in want][:3]
            differences.append(
                f"{name}: {len(want)} expected, {len(got)} read back; "
                f"missing {missing!r}; unexpected {extra!r}"
            )
        else:
            differences.append(f"{name}: expected {want!r}, read back {got!r}")
    return differences


def network_file_carries(study: Study) -> Study:
    """What a study read back from a network file (GraphML, GEXF, Cytoscape.js) holds:
    metadata, the built-in instrument of the same id (else ``rc7``, the readers' default),
    roles and named arrows, not respondents, ratings or invitations; the ``expected`` of
    [`assert_roundtrip`][relcoord.testing.conformance.assert_roundtrip] for such a format."""
    from relcoord.instruments import INSTRUMENTS
    from relcoord.model import Study

    instrument = INSTRUMENTS.get(study.instrument.id, INSTRUMENTS["rc7"])
    return Study(metadata=study.metadata, instrument=instrument, roles=study.roles,
                 ties=study.ties)


def _same_tree(left: Path, right: Path) -> list[str]:
    if left.is_file():
        return [] if left.read_bytes() == right.read_bytes() else [left.name]
    comparison = filecmp.dircmp(left, right)
    different = [*comparison.left_only, *comparison.right_only]
    _, mismatch, errors = filecmp.cmpfiles(left, right, comparison.common_files, shallow=False)
    different += mismatch + errors
    for sub in comparison.common_dirs:
        different += [f"{sub}/{name}" for name in _same_tree(left / sub, right / sub)]
    return sorted(different)


def assert_same_output(first: Path, second: Path) -> None:
    """Assert that two outputs (files, or folders compared file by file) hold the same bytes."""
    different = _same_tree(first, second)
    assert not different, f"writing the same input twice gave different bytes: {different}"


def assert_roundtrip(
    format_id: str,
    study: Study,
    tmp_path: Path,
    *,
    expected: Callable[[Study], Study] | None = None,
    analysis: Any = None,
    write_options: Mapping[str, Any] | None = None,
    read_options: Mapping[str, Any] | None = None,
    host: PluginHost | None = None,
) -> Study:
    """Write ``study`` with format ``format_id``, read it back, and compare.

    The read-back study must equal ``expected(study)`` (``study`` itself by default); a
    mismatch fails with the parts that differ.  The study is written twice and both outputs
    must hold the same bytes.  ``host`` defaults to the process-wide plugin host (the
    ``relcoord_host`` fixture installs a fresh one).  Returns the study read back, for
    further checks.

    What should come back is the study as the writer saw it
    ([`relcoord.plugins.respondent_ids.format_view`][relcoord.plugins.respondent_ids.format_view]):
    a study format keeps respondent ids by default, or pseudonymises or omits them as
    ``write_options`` ask; published results see numbered pseudonyms.  ``expected`` is applied to
    that.
    """
    import warnings

    from relcoord.plugins.manager import get_host
    from relcoord.plugins.respondent_ids import format_view

    host = host if host is not None else get_host()
    writer = host.find_format(id=format_id, kind="write")
    host.find_format(id=format_id, kind="read")  # fails clearly if the format cannot read
    tmp_path = Path(tmp_path)
    suffix = writer.extensions[0] if writer.extensions else ""
    outputs = [tmp_path / f"roundtrip-{n}{suffix}" for n in (1, 2)]
    for output in outputs:
        host.write(study, output, format=format_id, analysis=analysis, options=write_options)
    assert_same_output(*outputs)
    back = host.read(outputs[0], format=format_id, options=read_options)
    with warnings.catch_warnings():  # the write above warned already, if it had to
        warnings.simplefilter("ignore")
        seen, _, _ = format_view(study, None, dict(write_options or {}),
                                 carries=writer.carries, format_id=format_id,
                                 where=str(outputs[0]))
    want = expected(seen) if expected is not None else seen
    differences = study_differences(want, back)
    assert not differences, f"format {format_id!r} round trip lost or changed: " + "; ".join(
        differences
    )
    return back
