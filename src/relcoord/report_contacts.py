"""The contact guide, "Who do I contact?": the start of a shared plan of who does what.

Everyone at the seed's conferences asked who to contact when a student is in distress, and
the article recommends that each school, with the municipality, write a *beredskabsplan*:
who does what, and how, so that the responsibility is shared rather than the individual's
(Psykiatrifonden, *Trivsel Smiley*, 2019, "Forvirring – hvem skal man kontakte?").  The
guide gives, for each group that took part, from the published figures only
([`relcoord.report_partners`][relcoord.report_partners]):

* the groups it works with on the focal process (those it named), each marked when the tie
  is weak (either side rates it below the lower band limit) or one-sided (it named a
  group that did not name it back); in an RC survey without named arrows, the number of
  groups it rated and the ties it rates weak, the weakest first;
* the dialogues agreed in the balkort step (invitations accepted or held, either way), by
  the group they are with (the topics are on the group's page);
* the groups that named it but that it did not name: help it may not know of.

Long lists name the first `LISTED` groups (by name) and count the
rest (a complete survey lists at most `LISTED_SURVEY` weak
ties, the weakest first).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from relcoord import messages
from relcoord.report_labels import role_label, roles_by_name
from relcoord.report_model import Cell, ColumnKind, Paragraph, Section, Table, format_cell
from relcoord.report_partners import GroupTies, present_groups

if TYPE_CHECKING:
    from relcoord.analysis import Analysis

__all__ = ["LISTED", "LISTED_SURVEY", "contact_guide_section"]

#: How many groups a cell of the guide names before it counts the rest.
LISTED: Final = 8
#: How many weak ties a row of a survey's guide names (the weakest first).
LISTED_SURVEY: Final = 5


def _listing(names: Sequence[str], lang: str, most: int = LISTED) -> str | None:
    """``names`` joined, at most ``most`` of them and a count of the rest."""
    if not names:
        return None
    shown = list(names[:most])
    rest = len(names) - len(shown)
    text = ", ".join(shown)
    if rest:
        text += " " + messages.text("report.contacts.more", lang, n=rest)
    return text


def _row(ties: GroupTies, group: str, lang: str) -> tuple[Cell, ...]:
    t = messages.section("report.contacts", lang)
    study = ties.analysis.study
    partners = {p.role: p for p in ties.partners(group)}
    ordered = roles_by_name(study, partners, lang)

    def label(role_id: str) -> str:
        return role_label(study, role_id, lang)

    with_whom = Counter(i.target if i.source == group else i.source for i in ties.agreed(group))
    dialogues = [label(r) if with_whom[r] == 1 else f"{label(r)} ({with_whom[r]})"
                 for r in roles_by_name(study, with_whom, lang)]
    if ties.basis == "ratings":
        rated = [r for r in ordered if partners[r].rc_out is not None or partners[r].withheld_out]
        weak = sorted((p for p in partners.values() if p.band_out == "weak"),
                      key=lambda p: (p.rc_out, messages.sort_key(label(p.role), lang)))
        return (label(group), t["rated"].format(n=len(rated)) if rated else None,
                _listing([f"{label(p.role)} ({format_cell(p.rc_out, 'number', lang)})"
                          for p in weak], lang, LISTED_SURVEY),
                _listing(dialogues, lang))
    works: list[str] = []
    for r in (r for r in ordered if partners[r].named_by_group):
        p = partners[r]
        marks = [messages.text("band.weak", lang)] if p.weak else []
        if not p.names_group:
            marks.append(t["one_sided"])
        works.append(f"{label(r)} ({', '.join(marks)})" if marks else label(r))
    row: list[Cell] = [label(group), _listing(works, lang), _listing(dialogues, lang)]
    if ties.basis == "arrows":
        unreturned = [label(r) for r in ordered
                      if partners[r].names_group and not partners[r].named_by_group]
        row.append(_listing(unreturned, lang))
    return tuple(row)


def contact_guide_section(analysis: Analysis, lang: str) -> Section:
    """The contact guide as a section: how to read it, then one row per group."""
    t = messages.section("report.contacts", lang)
    study = analysis.study
    groups = roles_by_name(study, present_groups(analysis), lang)
    focal = study.metadata.focal_process or t["the_task"]
    intro = Paragraph(t["intro"].format(focal=focal))
    if not groups:
        return Section("contacts", t["title"], (intro, Paragraph(t["none"])))
    ties = GroupTies(analysis)
    if ties.basis == "arrows":
        header = [messages.text("report.role", lang), t["works_with"], t["agreed"],
                  t["unreturned"]]
    else:
        header = [messages.text("report.role", lang), t["works_with"], t["weak"],
                  t["agreed"]]
    kinds: list[ColumnKind] = ["text", "text", "text", "text"]
    low = format_cell(analysis.settings.bands[0], "number", lang)
    note = t["note_arrows" if ties.basis == "arrows" else "note_ratings"].format(low=low)
    table = Table(t["table"], header, kinds, [_row(ties, g, lang) for g in groups], note)
    return Section("contacts", t["title"], (intro, table))
