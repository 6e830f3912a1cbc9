"""Fuzzing of every importer and exporter: mutated inputs, hostile studies, strict verdicts.

A **corpus input** ([`CorpusInput`][relcoord.testing.fuzzing.CorpusInput]) is a valid input of one
importer, written into a folder by a function: a study JSON, a CSV of each layout, a folder and a
zip of tables, a GraphML file, a GEXF file, a Cytoscape.js folder.
[`CORPUS`][relcoord.testing.fuzzing.CORPUS] lists them by format id; a plugin's fuzz tests
(``plugins/*/tests/test_fuzz_*.py``) add its own with
[`register_corpus`][relcoord.testing.fuzzing.register_corpus] (the spreadsheet, SPSS and Stata
importers register ``.xlsx``, ``.sav`` and ``.dta`` inputs, the study store a ``.parquet`` folder)
and fuzz them with [`fuzz_import`][relcoord.testing.fuzzing.fuzz_import]; they name the exporters
they fuzz with [`fuzz_export`][relcoord.testing.fuzzing.fuzz_export] in ``FUZZED_EXPORTERS``, and
``tests/fuzz/test_fuzz_coverage.py`` fails when an installed importer or exporter is fuzzed nowhere.

[`mutated`][relcoord.testing.fuzzing.mutated] draws a mutation of a corpus input's bytes with
hypothesis (bytes flipped, cut, repeated or removed; hostile text inserted: NUL, line breaks
``str.splitlines`` knows, quotes, delimiters, deep nesting, huge numbers).
[`assert_reads_cleanly`][relcoord.testing.fuzzing.assert_reads_cleanly] and
[`assert_writes_cleanly`][relcoord.testing.fuzzing.assert_writes_cleanly] give the verdict the
harness enforces:

* an importer either returns a [`Study`][relcoord.model.Study] or raises relcoord's own error
  ([`RelcoordError`][relcoord.errors.RelcoordError]) that is not the plugin host's catch-all
  ([`PluginError`][relcoord.plugins.registry.PluginError]): anything else is a bug;
* an exporter either writes its output or raises relcoord's own error and leaves the folder
  exactly as it was: no partial output, no temporary file.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs
from hypothesis import strategies as st

from relcoord.errors import RelcoordError, RelcoordWarning
from relcoord.example import load_example
from relcoord.formats.format_type import Format
from relcoord.model import Study
from relcoord.plugins.manager import PluginHost
from relcoord.plugins.registry import PluginError
from relcoord.testing.strategies import studies

__all__ = [
    "CORPUS",
    "HOSTILE_NAMES",
    "HOSTILE_TEXTS",
    "CorpusInput",
    "assert_reads_cleanly",
    "assert_writes_cleanly",
    "corpus_inputs",
    "corpus_reads_test",
    "fuzz_export",
    "fuzz_import",
    "hostile_studies",
    "hostile_studies_test",
    "mutate_file",
    "mutated",
    "mutated_inputs_test",
    "output_name",
    "register_corpus",
    "small_study",
]

#: Texts that have broken parsers: NUL and control characters, every line break that
#: `str.splitlines` knows, quotes and delimiters, a byte-order mark, markup, deep
#: nesting, numbers out of range, formula prefixes and a lone surrogate's bytes.
HOSTILE_TEXTS: Final[tuple[bytes, ...]] = (
    b"\x00", b"\x1c", b"\x1d", b"\x1e", b"\x0b", b"\x0c", b"\x85", "\u2028".encode(),
    "\u2029".encode(), b"\r", b"\n", b"\r\n", b'"', b'""', b",", b";", b"\t", b"\xef\xbb\xbf",
    b"\xff\xfe", b"\xed\xa0\x80", b"<", b"&", b"]]>", b"<!DOCTYPE x>", b"[" * 2000,
    b"{" * 2000, b"<a>" * 2000, b"1e999", b"-" + b"9" * 80, b"NaN", b"=cmd|' /C calc'!A0",
    b"'", b"\\", "æøå".encode(), b"\xe6\xf8", b" " * 5000,
)


@attrs.frozen
class CorpusInput:
    """A valid input of importer ``format`` (an id), made by ``write(folder) -> path``.

    ``options`` are the read options the input needs (kept small limits make the fuzzing
    fast: a mutation cannot make the importer read gigabytes).
    """

    format: str
    name: str
    write: Callable[[Path], Path]
    options: Mapping[str, Any] = attrs.field(factory=dict)


#: Corpus inputs by importer id (see [`register_corpus`][relcoord.testing.fuzzing.register_corpus]).
CORPUS: dict[str, list[CorpusInput]] = {}


def register_corpus(entry: CorpusInput) -> CorpusInput:
    """Add ``entry`` to `CORPUS` (a plugin's tests register their
    formats' inputs)."""
    CORPUS.setdefault(entry.format, []).append(entry)
    return entry


def corpus_inputs() -> list[CorpusInput]:
    """Every registered corpus input, by format id and name."""
    return sorted((e for entries in CORPUS.values() for e in entries),
                  key=lambda e: (e.format, e.name))


def small_study() -> Study:
    """Six roles of the example study, with their respondents, ties and ratings: what the
    corpus inputs written by an exporter hold."""
    study = load_example()
    keep = set(study.role_ids[:6])
    people = [p for p in study.respondents if p.role in keep]
    ids = {p.id for p in people}
    ratings = [r for r in study.ratings
               if r.source in keep and r.target in keep and (r.respondent in ids)][:40]
    return attrs.evolve(
        study, roles=[r for r in study.roles if r.id in keep], respondents=people,
        ties=[t for t in study.ties if t.source in keep and t.target in keep],
        ratings=ratings,
        invitations=[i for i in study.invitations if i.source in keep and i.target in keep])


def _written(format_id: str, name: str) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        from relcoord.analysis import analyze

        study = small_study()
        host = PluginHost(entry_points=list, environ={})
        path = folder / name
        carries = host.find_format(id=format_id, kind="write").carries
        host.write(study, path, format=format_id,
                   analysis=analyze(study) if carries != "study" else None)
        return path

    return write


def _text(name: str, text: str) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / name
        path.write_text(text, encoding="utf-8", newline="")
        return path

    return write


_LONG: Final = (
    "respondent,source,target,item,value\n"
    "r1,nurse,doctor,frequent,4\nr1,nurse,doctor,timely,3\nr1,nurse,doctor,accurate,5\n"
    "r2,doctor,nurse,frequent,2\nr2,doctor,nurse,shared_goals,4\n"
)
_WIDE: Final = (
    "respondent,source,target,frequent,timely,accurate,problem_solving,shared_goals,"
    "shared_knowledge,mutual_respect\n"
    "r1,nurse,doctor,4,3,5,4,4,3,5\nr2,doctor,nurse,2,3,3,4,5,4,4\nr3,porter,nurse,,1,2,3,,,\n"
)
_RELATIONSKORT: Final = (
    "source,target,frequent,timely,accurate,problem_solving\n"
    "nurse,doctor,4,3,5,4\ndoctor,nurse,2,3,3,4\n"
)
_TIES: Final = "source\ttarget\twave\nnurse\tdoctor\t\ndoctor\tporter\tw1\n"
_SMALL: Final = {"max_bytes": 1 << 20}
_LAYOUT: Final = {**_SMALL, "values": "positions"}

for _entry in (
    CorpusInput("json", "study", _written("json", "study.json"), _SMALL),
    CorpusInput("csv-long", "long", _text("answers.csv", _LONG), _LAYOUT),
    CorpusInput("csv-wide", "wide", _text("answers.wide.csv", _WIDE), _LAYOUT),
    CorpusInput("csv-relationskort", "relationskort",
                _text("kort.relationskort.csv", _RELATIONSKORT), _LAYOUT),
    CorpusInput("csv", "folder", _written("csv", "tables"), _SMALL),
    CorpusInput("csv-zip", "tables", _written("csv-zip", "tables.csv.zip"),
                {**_SMALL, "max_ratio": 50}),
    CorpusInput("graphml", "network", _written("graphml", "network.graphml"), _SMALL),
    CorpusInput("gexf", "network", _written("gexf", "network.gexf"), _SMALL),
    CorpusInput("cytoscape", "folder", _written("cytoscape", "network"), _SMALL),
):
    register_corpus(_entry)


def _members(archive: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(archive) as packed:
        return [(info.filename, packed.read(info)) for info in packed.infolist()]


@st.composite
def _mutation(draw: st.DrawFn, data: bytes) -> bytes:
    kind = draw(st.sampled_from(("insert", "flip", "cut", "repeat", "delete", "replace_line")))
    if not data:
        return draw(st.sampled_from(HOSTILE_TEXTS))
    at = draw(st.integers(0, len(data)))
    if kind == "insert":
        return data[:at] + draw(st.sampled_from(HOSTILE_TEXTS)) + data[at:]
    if kind == "flip":
        at = min(at, len(data) - 1)
        return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]
    if kind == "cut":
        return data[:at]
    if kind == "repeat":
        end = draw(st.integers(at, min(len(data), at + 200)))
        return data[:end] + data[at:end] * draw(st.integers(1, 50)) + data[end:]
    if kind == "delete":
        end = draw(st.integers(at, min(len(data), at + 50)))
        return data[:at] + data[end:]
    lines = data.split(b"\n")
    index = draw(st.integers(0, len(lines) - 1))
    lines[index] = draw(st.sampled_from(HOSTILE_TEXTS)) + lines[index][: draw(
        st.integers(0, 40))]
    return b"\n".join(lines)


@st.composite
def mutated(draw: st.DrawFn, data: bytes, *, max_steps: int = 3) -> bytes:
    """A hypothesis strategy: ``data`` after one to ``max_steps`` random mutations."""
    for _ in range(draw(st.integers(1, max_steps))):
        data = draw(_mutation(data))
    return data


#: What draws a value from a strategy: ``data.draw`` of ``st.data()``, or a composite's draw.
Draw = Callable[[st.SearchStrategy[Any]], Any]


def mutate_file(draw: Draw, path: Path) -> None:
    """Mutate the input at ``path`` in place: its bytes, or for a zip one member's bytes
    (half of the time; the other half the archive's own bytes) and for a folder one of the
    files in it (at any depth: a store's partitions too)."""
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file())
        target = draw(st.sampled_from(files))
        target.write_bytes(draw(mutated(target.read_bytes())))
        return
    if zipfile.is_zipfile(path) and draw(st.booleans()):
        members = _members(path)
        index = draw(st.integers(0, len(members) - 1))
        name, data = members[index]
        members[index] = (name, draw(mutated(data)))
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as packed:
            for member, content in members:
                packed.writestr(member, content)
        return
    path.write_bytes(draw(mutated(path.read_bytes())))


def assert_reads_cleanly(host: PluginHost, path: Path, *, format: str,
                         options: Mapping[str, Any]) -> Study | RelcoordError:
    """Read ``path`` with importer ``format``: a study or relcoord's own error, never another
    exception and never the plugin host's catch-all
    ([`PluginError`][relcoord.plugins.registry.PluginError]); every warning is relcoord's own (an
    import note, an input warning)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result: Study | RelcoordError = host.read(path, format=format, options=dict(options))
        except PluginError as error:
            raise AssertionError(f"the plugin host's catch-all fired for {format}: {error}"
                                 ) from error
        except RelcoordError as error:
            result = error
    foreign = [w for w in caught if not issubclass(w.category, RelcoordWarning)]
    assert not foreign, f"{format} warned: {[str(w.message) for w in foreign]}"
    return result


def _listing(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


def assert_writes_cleanly(host: PluginHost, study: Study, folder: Path, *, format: str,
                          name: str, analysis: Any = None,
                          options: Mapping[str, Any] | None = None) -> Path | RelcoordError:
    """Write ``study`` with exporter ``format`` to ``folder / name``: either the output is
    there (and nothing else new), or relcoord's own error was raised and ``folder`` holds
    exactly what it held before."""
    before = _listing(folder)
    destination = folder / name
    failure: RelcoordError | None = None
    try:
        with warnings.catch_warnings():
            # a writer's libraries may warn (a glyph missing from a font); only what is
            # raised, and what is left on disk, decides here
            warnings.simplefilter("ignore")
            host.write(study, destination, format=format, analysis=analysis,
                       options=dict(options or {}))
    except PluginError as error:
        raise AssertionError(f"the plugin host's catch-all fired for {format}: {error}"
                             ) from error
    except RelcoordError as error:
        failure = error
    if failure is not None:
        after = _listing(folder)
        assert after == before, f"{format} failed ({failure}) and left {set(after) - set(before)}"
        return failure
    new = {p.split("/")[0] for p in set(_listing(folder)) - set(before)}
    assert new <= {name}, f"{format} left {new - {name}} beside its output"
    assert destination.exists()
    return destination


#: Role names and organisations that have broken writers: quotes, delimiters, formula
#: prefixes, markup, characters XML cannot hold (U+FFFE, escape characters), line breaks
#: of every kind, very long names, and any text.
HOSTILE_NAMES: Final[st.SearchStrategy[str]] = st.one_of(
    st.sampled_from(['"quoted"', "a,b;c\td", "=1+2", "@SUM(A1)", "<b>&amp;</b>", "]]>",
                     "\ufffe", "\x1b", "\x1c", "\u2028", "\x85", "tab\there", "line\nbreak",
                     "æøå ÆØÅ", "x" * 300, " ", "'", "\\", "-"]),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=30),
)


@st.composite
def hostile_studies(draw: st.DrawFn) -> Study:
    """A generated study whose role names (and sometimes organisations) are hostile."""
    study = draw(studies(max_roles=4, max_ratings=12))
    roles = [attrs.evolve(role, name=draw(HOSTILE_NAMES),
                          organisation=draw(st.none() | HOSTILE_NAMES))
             for role in study.roles]
    return attrs.evolve(study, roles=roles)


def output_name(format: Format) -> str:
    """The name an exporter's output gets: ``out`` and the format's first extension (a
    folder format's output has none)."""
    return "out" + (format.extensions[0] if format.extensions and not format.writes_directory
                    else "")


#: Each corpus input written once per process (by format and name): an input whose bytes
#: change from one writing to the next (a workbook's creation time) would make hypothesis
#: replay a different example than the one it drew.
_ORIGINALS: dict[tuple[str, str], Path] = {}


def _original(entry: CorpusInput) -> Path:
    key = (entry.format, entry.name)
    if key not in _ORIGINALS:
        folder = Path(tempfile.mkdtemp(prefix="relcoord-corpus-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _ORIGINALS[key] = entry.write(folder)
    return _ORIGINALS[key]


def fuzz_import(host: PluginHost, entry: CorpusInput, draw: Draw) -> Study | RelcoordError:
    """One fuzzing example of an importer: a copy of ``entry`` (written once per process)
    is mutated ([`mutate_file`][relcoord.testing.fuzzing.mutate_file]) and read with
    [`assert_reads_cleanly`][relcoord.testing.fuzzing.assert_reads_cleanly] in a temporary folder,
    removed afterwards."""
    original = _original(entry)
    with tempfile.TemporaryDirectory() as work:
        copy = Path(work) / original.name
        if original.is_dir():
            shutil.copytree(original, copy)
        else:
            shutil.copyfile(original, copy)
        mutate_file(draw, copy)
        return assert_reads_cleanly(host, copy, format=entry.format, options=entry.options)


def fuzz_export(host: PluginHost, format_id: str, draw: Draw) -> Path | RelcoordError | None:
    """One fuzzing example of an exporter: a
    [`hostile_studies`][relcoord.testing.fuzzing.hostile_studies] study (with its analysis, if the
    format carries one) written with
    [`assert_writes_cleanly`][relcoord.testing.fuzzing.assert_writes_cleanly] to a temporary folder.
    ``None`` when the analysis itself refuses the study (that is the analysis' business, not the
    exporter's)."""
    from relcoord.analysis import analyze

    format = host.find_format(id=format_id, kind="write")
    study = draw(hostile_studies())
    analysis = None
    if format.carries != "study":
        try:
            analysis = analyze(study)
        except RelcoordError:
            return None
    with tempfile.TemporaryDirectory() as folder:
        return assert_writes_cleanly(host, study, Path(folder), format=format.id,
                                     name=output_name(format), analysis=analysis)


# --- the tests a plugin's test module declares --------------------------------------------
#
# A plugin's fuzz tests are the same three tests over its own corpus inputs and exporters;
# these build them, so that a test module only names what it fuzzes:
#
#     test_the_corpus_input_itself_reads = corpus_reads_test(HOST, [ANSWERS])
#     test_mutated_workbooks_give_a_study_or_relcoords_own_error = mutated_inputs_test(
#         HOST, [ANSWERS])
#     test_hostile_studies_are_written_or_refused_cleanly = hostile_studies_test(
#         HOST, FUZZED_EXPORTERS)


def _entry_id(entry: CorpusInput) -> str:
    return f"{entry.format}/{entry.name}"


def corpus_reads_test(host: PluginHost, entries: Sequence[CorpusInput]
                      ) -> Callable[..., None]:
    """A pytest test (parametrised over ``entries``): each corpus input, unmutated, reads
    into a study; a fuzzing corpus that does not read would test only the error paths."""
    import pytest

    @pytest.mark.parametrize("entry", list(entries), ids=_entry_id)
    def test(entry: CorpusInput, tmp_path: Path) -> None:
        result = assert_reads_cleanly(host, entry.write(tmp_path), format=entry.format,
                                      options=entry.options)
        assert isinstance(result, Study), result

    return test


def mutated_inputs_test(host: PluginHost, entries: Sequence[CorpusInput]
                        ) -> Callable[..., None]:
    """A pytest test (parametrised over ``entries``, hypothesis' number of examples each):
    [`fuzz_import`][relcoord.testing.fuzzing.fuzz_import] of mutated copies of each."""
    import pytest
    from hypothesis import HealthCheck, given, settings

    @pytest.mark.parametrize("entry", list(entries), ids=_entry_id)
    @settings(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                    HealthCheck.function_scoped_fixture])
    @given(data=st.data())
    def test(entry: CorpusInput, data: st.DataObject) -> None:
        fuzz_import(host, entry, data.draw)

    built: Callable[..., None] = test  # hypothesis' decorators are not typed precisely
    return built


def hostile_studies_test(host: PluginHost, format_ids: Sequence[str], *, share: int = 4,
                         least: int = 10) -> Callable[..., None]:
    """A pytest test (parametrised over the exporters ``format_ids``):
    [`fuzz_export`][relcoord.testing.fuzzing.fuzz_export] of hostile studies, with a
    ``share``-th of hypothesis' number of examples but at least ``least`` (an export, a
    report above all, takes far longer than an import)."""
    import pytest
    from hypothesis import HealthCheck, given, settings

    @pytest.mark.parametrize("format_id", list(format_ids))
    @settings(max_examples=max(least, settings().max_examples // share), deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.data())
    def test(format_id: str, data: st.DataObject) -> None:
        fuzz_export(host, format_id, data.draw)

    built: Callable[..., None] = test  # hypothesis' decorators are not typed precisely
    return built
