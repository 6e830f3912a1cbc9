"""The report's appendix: every tie and every invitation, for the reader who looks one up.

The body of the report shows what a reader needs at any size (the strongest and weakest
ties, the invitations per group); the appendix lists each tie with its dimension profile and
each invitation, by name.  A table of more than
`APPENDIX_ROWS` rows (a complete RC survey of 40 roles
rates some 1,500 ties, 60 pages) is not printed: the appendix says where it is, in the results
tables of the ``csv`` exporter (``tie_metrics.csv``, ``invitations.csv``), which a spreadsheet
opens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from relcoord import messages
from relcoord.report_labels import heading, role_label
from relcoord.report_model import Block, Paragraph, Section, Table
from relcoord.report_network import TIE_KINDS, tie_header, tie_rows

if TYPE_CHECKING:
    from relcoord.analysis import Analysis

__all__ = ["APPENDIX_ROWS", "appendix_section"]

#: The most rows a table of the appendix prints (about six pages).
APPENDIX_ROWS: Final = 200


def _ties(analysis: Analysis, lang: str) -> Section:
    t = messages.section("report.reading", lang)
    study = analysis.study
    ties = sorted(analysis.scores.ties, key=lambda x: (
        messages.sort_key(role_label(study, x.source, lang), lang),
        messages.sort_key(role_label(study, x.target, lang), lang)))
    blocks: list[Block]
    if len(ties) > APPENDIX_ROWS:
        blocks = [Paragraph(t["appendix_too_many"].format(n=len(ties), file="tie_metrics.csv"))]
    else:
        r = messages.section("report", lang)
        blocks = [Table(r["tie_table"], tie_header(lang), TIE_KINDS,
                        tie_rows(analysis, ties, lang),
                        r["tie_note"] + " " + r["withheld_note"].format(
                            k=analysis.settings.min_respondents))]
    return Section("appendix-ties", t["appendix_ties"], blocks)


def _invitations(analysis: Analysis, lang: str) -> Section | None:
    study = analysis.study
    if not study.invitations:
        return None
    t = messages.section("report.reading", lang)
    r = messages.section("report", lang)
    invitations = sorted(study.invitations, key=lambda i: (
        messages.sort_key(role_label(study, i.source, lang), lang),
        messages.sort_key(role_label(study, i.target, lang), lang), i.topic, i.wave or ""))
    blocks: list[Block]
    if len(invitations) > APPENDIX_ROWS:
        blocks = [Paragraph(t["appendix_too_many_invitations"].format(
            n=len(invitations), file="invitations.csv"))]
    else:
        blocks = [Table(
            r["invitation_list"],
            [r["sent"], r["received"], r["topic"], r["status"], r["wave"]],
            ["text", "text", "text", "text", "text"],
            [(role_label(study, i.source, lang), role_label(study, i.target, lang),
              i.topic or None, heading(f"status.{i.status}", lang), i.wave)
             for i in invitations])]
    return Section("appendix-invitations", t["appendix_invitations"], blocks)


def appendix_section(analysis: Analysis, lang: str) -> Section:
    """The appendix, on a new page: every tie, and every invitation when there are any."""
    t = messages.section("report.reading", lang)
    subsections = [_ties(analysis, lang)]
    invitations = _invitations(analysis, lang)
    if invitations is not None:
        subsections.append(invitations)
    return Section("appendix", t["appendix"], (Paragraph(t["appendix_intro"], "note"),),
                   subsections, new_page=True)
