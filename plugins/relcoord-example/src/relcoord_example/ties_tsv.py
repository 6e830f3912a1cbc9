"""``ties-tsv``: named arrows (relationskort ties) as a tab-separated list.

Files are named ``*.ties.tsv`` (relcoord's built-in ``csv-long`` importer also reads
``.tsv`` and, being built in, wins for a plain ``.tsv`` name: pass ``--from ties-tsv``).
The file has a header line ``source<TAB>target<TAB>wave`` (the ``wave`` column may be left
out) and one line per arrow; an empty wave means none.  It is the edge list that
spreadsheets and network tools exchange.

What it cannot carry: the study's metadata (the id comes from the ``study_id`` option,
default: the file name without extension), the instrument (option ``instrument``, default
``rc7``), role names, organisations and roles that take part in no tie (every role read
back is named by its id), respondents, ratings and invitations.  A study without ties cannot
be read back (an empty tie list names no roles, and a study needs one).  Because it keeps
only facts that are not answers, it ``carries="both"``: a published output (``relcoord
export``), not study data, which ``relcoord convert`` writes whole.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from relcoord import InvalidInputError, InvalidStudyError, Metadata, NamedTie, Problem, Role, Study
from relcoord.bounded_input import read_bounded
from relcoord.formats import Format, FormatOption, instrument, parse_options, whole_number

__all__ = ["READ_OPTIONS", "TIES_TSV", "read_ties", "write_ties"]

_HEADERS: Final = (("source", "target"), ("source", "target", "wave"))
#: Files larger than this (64 MiB) are refused unless ``max_bytes`` raises the limit: a tie
#: list of a real study is a few kilobytes.
MAX_BYTES: Final = 64 * 1024 * 1024
#: The options of the tie-list importer, declared once: the host checks them, and
#: ``relcoord plugins --options`` lists them.
READ_OPTIONS: Final = (
    FormatOption("instrument", "the study's instrument (built-in id)", parse=instrument,
                 default="rc7", metavar="ID"),
    FormatOption("study_id", "the study's id", shown_default="the file name without "
                 "extension"),
    FormatOption("max_bytes", "refuse files larger than this many bytes (counted while "
                 "reading)", parse=whole_number(1), default=MAX_BYTES, metavar="BYTES",
                 shown_default=f"{MAX_BYTES} (64 MiB)"),
)
#: The character a cell may not hold besides the tab and line breaks: NUL.
_CONTROL: Final = re.compile("\x00")


def _cell_problem(text: str) -> str | None:
    if "\t" in text or "\n" in text or "\r" in text:
        return "contains a tab or line break, which a TSV tie list cannot hold"
    return None


def write_ties(
    study: Study, analysis: object, destination: Path, options: Mapping[str, Any]
) -> None:
    """Write the study's ties, one per line, in the study's (sorted) order."""
    parse_options("ties-tsv", options, ())
    problems = []
    lines = ["source\ttarget\twave"]
    for index, tie in enumerate(study.ties):
        cells = {"source": tie.source, "target": tie.target, "wave": tie.wave or ""}
        for name, text in cells.items():
            message = _cell_problem(text)
            if message:
                problems.append(Problem(f"{study.input_path('ties', index)}.{name}", message))
        lines.append("\t".join(cells.values()))
    if problems:
        raise InvalidStudyError(problems)
    destination.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")


def read_ties(source: Path, options: Mapping[str, Any]) -> Study:
    """Read a tie list; every problem is reported as ``file:line:column: message``."""
    values = parse_options("ties-tsv", options, READ_OPTIONS)
    name = str(source)
    data = read_bounded(source, name, limit=values["max_bytes"],
                        expected="a tie list (a .ties.tsv file)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise InvalidInputError(f"{name}:{line}:{column}", "not UTF-8 text") from None
    # Only LF (with an optional CR before it) ends a line: str.splitlines() would also
    # break at \x1c, \x85, U+2028... and shift every later line number.
    rows = [row.removesuffix("\r") for row in text.split("\n")]
    if rows and rows[-1] == "":
        rows.pop()
    if not rows or tuple(rows[0].split("\t")) not in _HEADERS:
        found = rows[0][:60] if rows else "an empty file"
        raise InvalidInputError(
            f"{name}:1:1", f"expected the header 'source<TAB>target<TAB>wave', found {found!r}"
        )
    width = len(rows[0].split("\t"))
    ties: list[NamedTie] = []
    for number, row in enumerate(rows[1:], start=2):
        if not row.strip():
            continue
        cells = row.split("\t")
        if len(cells) != width:
            raise InvalidInputError(
                f"{name}:{number}:1", f"expected {width} tab-separated cells, found {len(cells)}"
            )
        column = 1
        for index, cell in enumerate(cells):
            if index < 2 and not cell.strip():
                raise InvalidInputError(f"{name}:{number}:{column}", "empty role id")
            control = _CONTROL.search(cell)
            if control is not None:
                raise InvalidInputError(
                    f"{name}:{number}:{column + control.start()}",
                    "a NUL character (U+0000); a tie list holds text, and a NUL is a byte of "
                    "a binary file")
            column += len(cell) + 1
        wave = cells[2] if width == 3 and cells[2] else None
        ties.append(NamedTie(cells[0], cells[1], wave))
    if not ties:
        raise InvalidInputError(name, "the file lists no ties; a study needs at least one role")
    role_ids = sorted({t.source for t in ties} | {t.target for t in ties})
    return Study(
        metadata=Metadata(id=values["study_id"] or source.name.split(".")[0]),
        instrument=values["instrument"],
        roles=[Role(id=r, name=r) for r in role_ids],
        ties=ties,
    )


#: The ``ties-tsv`` format: read and write.
TIES_TSV: Final = Format(
    id="ties-tsv",
    title="Tie list (tab-separated)",
    extensions=(".ties.tsv", ".tsv"),
    media_type="text/tab-separated-values",
    carries="both",
    read=read_ties,
    write=write_ties,
    read_options=READ_OPTIONS,
    write_options=(),
    description="Named arrows (source, target, wave), one per line; roles are read back "
    "named by their ids.",
)
