"""The report: what a reader of an RC analysis sees, independent of any file format.

[`build_report`][relcoord.report.build_report] turns an
[`Analysis`][relcoord.analysis_result.Analysis] into a [`Report`][relcoord.report_model.Report]: a
title, a short description of the study, and a tuple of [`Section`][relcoord.report_model.Section]
objects, each holding blocks of four kinds:

[`Paragraph`][relcoord.report_model.Paragraph]
    running text (already in the report's language);
[`BulletList`][relcoord.report_model.BulletList]
    a list of short items;
[`Table`][relcoord.report_model.Table]
    a header and rows of *plain values* (``str``, ``int``, ``float``, ``bool`` or ``None``)
    with a `ColumnKind` per column, so that every renderer
    formats numbers the same way through [`format_cell`][relcoord.report_model.format_cell]
    (``None`` becomes ``"–"``, a share a percentage, a Danish number gets a decimal comma);
[`PictureRef`][relcoord.report_model.PictureRef]
    a reference, by name, to a picture of
    [`relcoord.pictures.render_pictures`][relcoord.pictures.render.render_pictures].

Renderers (the DOCX plugin, a Markdown or HTML renderer) walk the sections and draw each
block; they never compute a number themselves.  The sections, in order, and the module that
builds each:

* overview: what works, what could be strengthened and the caveat that the results
  describe these participants at this time (`relcoord.report_overview`);
* findings, one subsection per finding, what works first
  (`relcoord.report_findings`);
* network map, RC scores (heat map, strongest and weakest ties), dimension profiles, roles
  and invitations (`relcoord.report_network`);
* "Who do I contact?", the contact guide ([`relcoord.report_contacts`][relcoord.report_contacts]);
* a page per function group ([`relcoord.report_groups`][relcoord.report_groups]);
* data quality (`relcoord.report_overview`);
* reliability and agreement, and the change between two waves when the analysis compares
  two (`relcoord.report_sections`, added with
  [`Report.with_section`][relcoord.report_model.Report.with_section]: nothing in a renderer needs to
  change for that);
* method and settings: every setting that a number depends on, so that a reader can
  reproduce it, with the privacy rule in force
  (`relcoord.report_overview`);
* the appendix: every tie and every invitation
  ([`relcoord.report_appendix`][relcoord.report_appendix]).

Two parts are also reports of their own, to hand out:
[`build_group_sheets`][relcoord.report.build_group_sheets] (the pages of some or all groups, one per
page) and [`build_contact_guide`][relcoord.report.build_contact_guide].

The model types live in [`relcoord.report_model`][relcoord.report_model], the words in
[`relcoord.messages`][relcoord.messages]; both are re-exported here where renderers use them.  The
report is written in Danish (``lang="da"``, the default: the readers of the study that relcoord's
example follows, Psykiatrifonden's *Trivsel Smiley* conferences, ``docs/example.md``, are
Danish schools and municipalities) or English (``lang="en"``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from relcoord import messages
from relcoord.report_appendix import appendix_section
from relcoord.report_contacts import contact_guide_section
from relcoord.report_findings import findings_section
from relcoord.report_groups import group_sheet_sections, groups_section
from relcoord.report_labels import check_lang, organisation_label
from relcoord.report_model import (
    MISSING,
    Block,
    BulletList,
    Cell,
    ColumnKind,
    Paragraph,
    PictureRef,
    Report,
    Section,
    Table,
    format_cell,
)
from relcoord.report_network import (
    invitations_section,
    network_section,
    profiles_section,
    roles_section,
    scores_section,
)
from relcoord.report_overview import method_section, overview_section, quality_section
from relcoord.report_sections import change_section, reliability_section

if TYPE_CHECKING:
    from relcoord.analysis import Analysis

__all__ = [
    "MISSING",
    "Block",
    "BulletList",
    "Cell",
    "ColumnKind",
    "Paragraph",
    "PictureRef",
    "Report",
    "Section",
    "Table",
    "build_contact_guide",
    "build_group_sheets",
    "build_report",
    "format_cell",
    "organisation_label",
]

#: The sections every report has, in reading order (the optional ones are added after).
_SECTIONS = (overview_section, findings_section, network_section, scores_section,
             profiles_section, roles_section, invitations_section, contact_guide_section,
             groups_section, quality_section, method_section, appendix_section)


def _caveat(lang: str) -> Paragraph:
    return Paragraph(messages.text("report.reading.caveat", lang), "note")


def build_report(analysis: Analysis, lang: str = "da") -> Report:
    """The report of ``analysis`` in ``lang`` (``"da"`` or ``"en"``), ready for a renderer.

    Every number is taken from the analysis as it is; the report computes nothing new, so
    it shows exactly what
    [`Analysis.to_mapping()`][relcoord.analysis_result.Analysis.to_mapping] holds.
    """
    check_lang(lang)
    meta = analysis.study.metadata
    report = Report(
        title=meta.title or meta.id or messages.text("report.report", lang),
        subtitle=meta.focal_process,
        description=meta.description,
        lang=lang,
        sections=tuple(build(analysis, lang) for build in _SECTIONS),
    )
    report = report.with_section(reliability_section(analysis, lang), after="quality")
    change = change_section(analysis, lang)
    if change is not None:
        report = report.with_section(change, after="reliability")
    return report


def build_group_sheets(
    analysis: Analysis, lang: str = "da", groups: Iterable[str] | None = None
) -> Report:
    """The pages of ``groups`` (role ids; default every group that took part), one per
    page, to hand each group its own: a short report whose title names the group (or
    says that it holds the groups' pages), whose subtitle is the study's title and whose
    opening note says how to read it (the caveat, short).

    An unknown role id raises `KeyError` naming it.
    """
    check_lang(lang)
    study = analysis.study
    chosen = None if groups is None else list(dict.fromkeys(groups))
    for role_id in chosen or ():
        study.role(role_id)
    sections = group_sheet_sections(analysis, lang, chosen)
    meta = study.metadata
    if len(sections) == 1:
        only = sections[0]
        title = only.title
        sections = (Section(only.id, messages.text("report.groups.page", lang), only.blocks,
                            only.subsections),)
    else:
        title = messages.text("report.groups.sheets", lang)
    return Report(title=title, subtitle=meta.title or meta.id,
                  description=messages.text("report.reading.caveat_short", lang),
                  lang=lang, sections=sections, contents=len(sections) > 3)


def build_contact_guide(analysis: Analysis, lang: str = "da") -> Report:
    """"Who do I contact?" on its own: the contact guide of the report, with the caveat,
    as a short document to start a shared plan of who does what."""
    check_lang(lang)
    meta = analysis.study.metadata
    guide = contact_guide_section(analysis, lang)
    return Report(
        title=guide.title, subtitle=meta.title or meta.id, description=meta.focal_process,
        lang=lang,
        sections=(Section(guide.id, messages.text("report.contacts.for_the_plan", lang),
                          (*guide.blocks, _caveat(lang))),),
        contents=False,
    )
