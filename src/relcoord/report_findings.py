"""The report's findings section: one subsection per finding, its sentence and its numbers.

Findings are listed with what works first
([`READING_ORDER`][relcoord.report_findings.READING_ORDER]: the central partners, the comparison of
internal and external ties, the dialogues), then what could be strengthened, as the seed article
presents its results.  Each subsection leads with the finding's sentence
([`Finding.sentence`][relcoord.finding.Finding.sentence]) and shows the numbers behind it
(`Finding.figures`): the per-role numbers as
columns of a table, the single numbers as its rows or its note.  Every number has a label
in the catalogue (``finding.figure.<key>``); a number without one is an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

from relcoord import messages
from relcoord.report_labels import role_label, roles_by_name
from relcoord.report_model import Block, Cell, ColumnKind, Paragraph, Section, Table, format_cell

if TYPE_CHECKING:
    from relcoord.analysis import Analysis
    from relcoord.finding import Finding

__all__ = ["READING_ORDER", "figure_kind", "findings_section"]

#: The order in which the report lists the kinds of finding: strengths and the overall
#: picture before what could be strengthened.
READING_ORDER: Final = ("most_named", "internal_external_gap", "dialogue", "overlooked",
                        "named_but_absent", "weak_ties", "perception_gap")
#: Findings whose roles are a set, not a ranking: their table lists the roles by name.
_UNRANKED: Final = frozenset({"named_but_absent"})

#: Keys of ``Finding.figures`` that hold a share or rate (0..1), shown as a percentage.
_PERCENT_KEYS = frozenset({"coverage", "low_acceptance"})


def figure_kind(key: str, values: Iterable[Any]) -> ColumnKind:
    """How a number behind a finding is shown: a share or rate as a percentage, counts as
    whole numbers, anything else with decimals."""
    if key.endswith(("_share", "_rate")) or key in _PERCENT_KEYS:
        return "percent"
    items = [v for v in values if v is not None]
    if items and all(isinstance(v, int) and not isinstance(v, bool) for v in items):
        return "int"
    return "number"


def _label(key: str, lang: str) -> str:
    return messages.text(f"finding.figure.{key}", lang)


def _split_figures(
    finding: Finding, role_ids: Iterable[str]
) -> tuple[list[tuple[str, Mapping[str, Any]]], list[tuple[str, Any]]]:
    """The finding's per-role numbers (a mapping keyed by role ids) and its single numbers;
    texts and other mappings are not shown."""
    ids = set(role_ids)
    columns: list[tuple[str, Mapping[str, Any]]] = []
    scalars: list[tuple[str, Any]] = []
    for key, value in finding.figures.items():
        if isinstance(value, Mapping) and value and set(value) <= ids:
            columns.append((key, value))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            scalars.append((key, value))
    return columns, scalars


def finding_table(analysis: Analysis, finding: Finding, lang: str) -> Table | None:
    """The per-role numbers of a finding as columns, its single numbers as a note; a finding
    with single numbers only gets one row per number.  ``None`` when it has no numbers."""
    t = messages.section("report", lang)
    columns, scalars = _split_figures(finding, analysis.study.role_ids)
    caption = t["finding_figures"]
    if columns:
        header = [t["role"], *(_label(k, lang) for k, _ in columns)]
        kinds: list[ColumnKind] = ["text", *(figure_kind(k, v.values()) for k, v in columns)]
        row_ids = [r for r in finding.roles if any(r in v for _, v in columns)]
        if finding.kind in _UNRANKED:
            row_ids = roles_by_name(analysis.study, row_ids, lang)
        rows: list[tuple[Cell, ...]] = [
            (role_label(analysis.study, role_id, lang), *(v.get(role_id) for _, v in columns))
            for role_id in row_ids
        ]
        note = "; ".join(f"{_label(k, lang)}: {format_cell(v, figure_kind(k, (v,)), lang)}"
                         for k, v in scalars)
        return Table(caption, header, kinds, rows, note)
    if scalars:
        return Table(caption, [t["figure"], t["value"]], ["text", "text"],
                     [(_label(k, lang), format_cell(v, figure_kind(k, (v,)), lang))
                      for k, v in scalars])
    return None


def _title(analysis: Analysis, finding: Finding, lang: str) -> str:
    """The finding's kind as a heading; a perception gap names its two roles."""
    title = messages.text(f"finding.{finding.kind}.title", lang)
    if finding.kind == "perception_gap" and len(finding.roles) == 2:
        first, second = (role_label(analysis.study, r, lang) for r in finding.roles)
        title = f"{title}: {first} / {second}"
    return title


def finding_section(analysis: Analysis, number: int, finding: Finding, lang: str) -> Section:
    """The subsection of one finding: its sentence, then the numbers behind it."""
    blocks: list[Block] = [Paragraph(finding.sentence(lang), "lead")]
    table = finding_table(analysis, finding, lang)
    if table is not None:
        blocks.append(table)
    return Section(f"finding-{number}-{finding.kind}", _title(analysis, finding, lang), blocks)


def findings_section(analysis: Analysis, lang: str) -> Section:
    """The findings, one subsection each, after a sentence on how to read them."""
    t = messages.section("report", lang)
    rank = {kind: i for i, kind in enumerate(READING_ORDER)}
    numbered = sorted(enumerate(analysis.findings, start=1),
                      key=lambda item: (rank.get(item[1].kind, len(rank)), item[0]))
    subsections = tuple(finding_section(analysis, number, f, lang) for number, f in numbered)
    intro = t["findings_intro"] if subsections else t["no_findings"]
    return Section("findings", t["findings"], (Paragraph(intro),), subsections)
