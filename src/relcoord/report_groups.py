"""A page per function group: its own place in the network, to hand to the group.

The seed article's groups wanted to see "who named us, how do they rate us, how do we rate
them" (Psykiatrifonden, *Trivsel Smiley*, 2019: the vocational schools' teachers and the
municipalities' health staff each asked it of the relationskort).
[`group_section`][relcoord.report_groups.group_section] answers it for one group, from the published
figures only ([`relcoord.report_partners`][relcoord.report_partners]):

* who took part and how many groups named it and it named;
* strengths first: the tie it rates best and the group that rates it best;
* how others rate it and how it rates them on average, with the difference in hedged words
  (``rates ... somewhat lower than ...``);
* every partner: named either way, both ratings and the gap (withheld ties as ``–``);
* its weakest ties; its invitations sent and received, counted by status, with the
  dialogues agreed and the invitations still open listed;
* one or two points to discuss, as questions.

[`groups_section`][relcoord.report_groups.groups_section] puts a page per group that took part into
the report (each on a new page) when there are at most
`GROUP_PAGES` of them; a larger study lists them in the role
table and its group pages are exported on their own (``-O part=groups`` or ``-O group=ID`` of the
relcoord-docx plugin).  `group_sheets` is that export.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Final

from relcoord import messages
from relcoord.findings import GAP_MIN, PERCEPTION_MIN
from relcoord.report_labels import dimension_label, heading, role_label, roles_by_name
from relcoord.report_model import (
    Block,
    BulletList,
    Cell,
    ColumnKind,
    Paragraph,
    Section,
    Table,
    format_cell,
)
from relcoord.report_partners import GroupTies, Partner, present_groups

if TYPE_CHECKING:
    from relcoord.analysis import Analysis

__all__ = ["FOLLOW_UP", "GROUP_PAGES", "POINTS", "WEAKEST", "group_section",
           "group_sheet_sections", "groups_section"]

#: A report holds a page per group when at most this many groups took part.
GROUP_PAGES: Final = 16
#: How many weakest ties a group's page names.
WEAKEST: Final = 3
#: How many dialogues and open invitations a group's page lists (the open ones first).
FOLLOW_UP: Final = 8
#: How many groups a point to discuss names (then it counts the others).
NAMED: Final = 4
#: How many points to discuss a group's page raises.
POINTS: Final = 2


def _rc(value: float | None, lang: str) -> str:
    return format_cell(value, "number", lang)


def _summary(ties: GroupTies, group: str, partners: Sequence[Partner], lang: str) -> str:
    t = messages.section("report.groups", lang)
    name = role_label(ties.analysis.study, group, lang)
    n = ties.respondents(group)
    if n == 0 and any(p.withheld_out for p in partners):
        # its own ratings are withheld: say so rather than "0 respondents"
        return t["summary_withheld"].format(
            group=name, k=ties.analysis.settings.min_respondents,
            named_by=sum(p.rc_in is not None or p.withheld_in or p.names_group
                         for p in partners))
    if ties.basis == "arrows":
        return t["summary_arrows"].format(
            group=name, n=n, named_by=sum(p.names_group for p in partners),
            names=sum(p.named_by_group for p in partners))
    return t["summary_ratings"].format(
        group=name, n=n, names=sum(p.rc_out is not None or p.withheld_out for p in partners),
        named_by=sum(p.rc_in is not None or p.withheld_in for p in partners))


def _strengths(ties: GroupTies, group: str, partners: Sequence[Partner], lang: str) -> list[str]:
    """The tie the group rates best and the group that rates it best (strengths first)."""
    t = messages.section("report.groups", lang)
    study = ties.analysis.study
    name = role_label(study, group, lang)
    out: list[str] = []
    rated_out = [p for p in partners if p.rc_out is not None]
    if rated_out:
        best = max(rated_out, key=lambda p: (p.rc_out or 0.0, p.role))
        out.append(t["strength_out"].format(group=name, partner=role_label(study, best.role, lang),
                                            rc=_rc(best.rc_out, lang)))
    rated_in = [p for p in partners if p.rc_in is not None]
    if rated_in:
        best = max(rated_in, key=lambda p: (p.rc_in or 0.0, p.role))
        out.append(t["strength_in"].format(group=name, partner=role_label(study, best.role, lang),
                                           rc=_rc(best.rc_in, lang)))
    return out


def _views(ties: GroupTies, group: str, lang: str) -> str:
    """How others rate the group and how it rates them, the difference in hedged words."""
    t = messages.section("report.groups", lang)
    summary = ties.analysis.role(group)
    name = role_label(ties.analysis.study, group, lang)
    rc_in, rc_out = summary.rc_as_target, summary.rc_as_rater
    k = ties.analysis.settings.min_respondents
    if rc_in is None and rc_out is None:
        return t["views_none"].format(group=name, k=k)
    if rc_out is None:
        return t["views_in"].format(group=name, rc_in=_rc(rc_in, lang), k=k)
    if rc_in is None:
        return t["views_out"].format(group=name, rc_out=_rc(rc_out, lang))
    sentence = t["views"].format(group=name, rc_in=_rc(rc_in, lang), rc_out=_rc(rc_out, lang))
    difference = rc_out - rc_in
    reading = ("views_lower" if difference <= -GAP_MIN else
               "views_higher" if difference >= GAP_MIN else "views_similar")
    return f"{sentence} {t[reading].format(group=name)}"


def _partner_table(ties: GroupTies, group: str, partners: Sequence[Partner], lang: str) -> Table:
    t = messages.section("report.groups", lang)
    study = ties.analysis.study
    name = role_label(study, group, lang)
    ordered = {p.role: p for p in partners}
    arrows = ties.basis == "arrows"
    header = [messages.text("report.role", lang)]
    kinds: list[ColumnKind] = ["text"]
    if arrows:
        header += [t["names_group"], t["named_by_group"]]
        kinds += ["bool", "bool"]
    header += [t["rc_in"], t["rc_out"], messages.text("report.gap", lang)]
    kinds += ["number", "number", "number"]
    rows: list[tuple[Cell, ...]] = []
    for role_id in roles_by_name(study, ordered, lang):
        p = ordered[role_id]
        named: tuple[Cell, ...] = (p.names_group, p.named_by_group) if arrows else ()
        rows.append((role_label(study, role_id, lang), *named, p.rc_in, p.rc_out, p.gap))
    return Table(t["table"].format(group=name), header, kinds, rows,
                 t["table_note"].format(k=ties.analysis.settings.min_respondents))


def _tie_words(ties: GroupTies, group: str, p: Partner, outgoing: bool, lang: str) -> str:
    """``A → B (2,45; lowest: timely)``, the group's tie to or from a partner."""
    t = messages.section("report.groups", lang)
    study = ties.analysis.study
    ends = (group, p.role) if outgoing else (p.role, group)
    rc = p.rc_out if outgoing else p.rc_in
    dimension = dimension_label(study.instrument, p.lowest_out if outgoing else p.lowest_in,
                                lang)
    source, target = (role_label(study, r, lang) for r in ends)
    if dimension is None:
        return messages.text("report.reading.tie", lang, source=source, target=target,
                             rc=_rc(rc, lang))
    return t["tie_lowest"].format(source=source, target=target, rc=_rc(rc, lang),
                                  dimension=dimension.lower())


def _weakest(ties: GroupTies, group: str, partners: Sequence[Partner], lang: str) -> str | None:
    """The group's weakest published ties, either way (at most
    [`WEAKEST`][relcoord.report_groups.WEAKEST])."""
    found = [(p.rc_out, p.role, True, p) for p in partners if p.rc_out is not None]
    found += [(p.rc_in, p.role, False, p) for p in partners if p.rc_in is not None]
    if not found:
        return None
    found.sort(key=lambda item: (item[0], item[1], item[2]))
    words = [_tie_words(ties, group, p, outgoing, lang) for _, _, outgoing, p in found[:WEAKEST]]
    return messages.text("report.groups.weakest", lang, ties="; ".join(words))


def _invitations(ties: GroupTies, group: str, lang: str) -> list[Block]:
    """What became of the group's invitations: the counts by status, sent and received,
    then the dialogues agreed and the invitations still open, with their topics."""
    t = messages.section("report.groups", lang)
    study = ties.analysis.study
    found = ties.invitations(group)
    name = role_label(study, group, lang)
    if not found:
        return [Paragraph(t["no_invitations"].format(group=name))]

    def counts(direction: str) -> str:
        statuses = [i.status for d, i in found if d == direction]
        if not statuses:
            return t["no_count"]
        parts = [f"{statuses.count(s)} {messages.text(f'status.{s}', lang)}"
                 for s in ("accepted", "held", "declined", "pending") if s in statuses]
        return t["counted"].format(n=len(statuses), statuses=messages.join(parts, lang))

    blocks: list[Block] = [Paragraph(t["invitation_counts"].format(
        group=name, sent=counts("sent"), received=counts("received")))]
    order = {"pending": 0, "held": 1, "accepted": 2}
    # what the group follows up: every dialogue agreed, and the invitations it has to answer
    follow_up = sorted(((d, i) for d, i in found if i.status in order
                        and not (i.status == "pending" and d == "sent")),
                       key=lambda item: (order[item[1].status], messages.sort_key(
                           role_label(study, item[1].target if item[0] == "sent"
                                      else item[1].source, lang), lang)))
    if follow_up:
        rows: list[tuple[Cell, ...]] = [
            (t[direction], role_label(study, i.target if direction == "sent" else i.source,
                                      lang),
             i.topic or None, heading(f"status.{i.status}", lang))
            for direction, i in follow_up[:FOLLOW_UP]
        ]
        more = len(follow_up) - FOLLOW_UP
        blocks.append(Table(t["invitations"].format(group=name),
                            [t["direction"], messages.text("report.role", lang),
                             messages.text("report.topic", lang),
                             messages.text("report.status", lang)],
                            ["text", "text", "text", "text"], rows,
                            t["more_invitations"].format(n=more) if more > 0 else ""))
    return blocks


def _points(ties: GroupTies, group: str, partners: Sequence[Partner], lang: str) -> list[str]:
    """At most [`POINTS`][relcoord.report_groups.POINTS] questions to discuss, in a fixed order of
    concern: help the group may not know of, its weakest weak tie, the largest difference of view,
        open
    invitations; a strength to build on when there is nothing else."""
    t = messages.section("report.groups", lang)
    study = ties.analysis.study
    name = role_label(study, group, lang)

    def label(role_id: str) -> str:
        return role_label(study, role_id, lang)

    points: list[str] = []
    unreturned = [p.role for p in partners if p.names_group and not p.named_by_group]
    if ties.basis == "arrows" and unreturned:
        names = [label(r) for r in roles_by_name(study, unreturned, lang)]
        if len(names) > NAMED:
            names = [*names[:NAMED], t["others"].format(n=len(names) - NAMED)]
        points.append(t["point_unnamed"].format(group=name,
                                                partners=messages.join(names, lang)))
    weak = sorted((p for p in partners if p.band_out == "weak" and p.rc_out is not None),
                  key=lambda p: (p.rc_out, p.role))
    if weak:
        worst = weak[0]
        dimension = dimension_label(study.instrument, worst.lowest_out, lang)
        key = "point_weak" if dimension else "point_weak_plain"
        points.append(t[key].format(group=name, partner=label(worst.role),
                                    rc=_rc(worst.rc_out, lang),
                                    dimension=(dimension or "").lower()))
    gaps = sorted((p for p in partners if p.gap is not None and abs(p.gap) >= PERCEPTION_MIN),
                  key=lambda p: (-abs(p.gap or 0.0), p.role))
    if gaps:
        g = gaps[0]
        points.append(t["point_gap"].format(group=name, partner=label(g.role),
                                            rc_out=_rc(g.rc_out, lang), rc_in=_rc(g.rc_in, lang)))
    open_ = sum(1 for d, i in ties.invitations(group) if d == "received" and i.status == "pending")
    if open_:
        points.append(t["point_open"].format(group=name, n=open_))
    if not points:
        rated = [p for p in partners if p.rc_out is not None]
        if rated:
            best = max(rated, key=lambda p: (p.rc_out or 0.0, p.role))
            points.append(t["point_keep"].format(group=name, partner=label(best.role)))
    return points[:POINTS]


def group_section(ties: GroupTies, group: str, lang: str, *, new_page: bool = True) -> Section:
    """The page of ``group`` (a role id): see the module docstring for what it holds."""
    t = messages.section("report.groups", lang)
    partners = ties.partners(group)
    opening = [_summary(ties, group, partners, lang), *_strengths(ties, group, partners, lang),
               _views(ties, group, lang)]
    blocks: list[Block] = [Paragraph(" ".join(opening))]
    if partners:
        blocks.append(_partner_table(ties, group, partners, lang))
    weakest = _weakest(ties, group, partners, lang)
    if weakest:
        blocks.append(Paragraph(weakest))
    blocks += _invitations(ties, group, lang)
    points = _points(ties, group, partners, lang)
    if points:
        blocks += [Paragraph(t["discuss"] + ":"), BulletList(points)]
    return Section(f"group-{group}", role_label(ties.analysis.study, group, lang), blocks,
                   new_page=new_page)


def groups_section(analysis: Analysis, lang: str) -> Section:
    """A page per group that took part (at most
    `GROUP_PAGES`), else a note on where each group's page
    is."""
    t = messages.section("report.groups", lang)
    groups = roles_by_name(analysis.study, present_groups(analysis), lang)
    if not groups:
        return Section("groups", t["title"], (Paragraph(t["none"]),))
    if len(groups) > GROUP_PAGES:
        return Section("groups", t["title"], (
            Paragraph(t["separate"].format(n=len(groups), max=GROUP_PAGES)),))
    ties = GroupTies(analysis)
    return Section("groups", t["title"], (Paragraph(t["intro"]),),
                   tuple(group_section(ties, g, lang) for g in groups))


def group_sheet_sections(
    analysis: Analysis, lang: str, groups: Iterable[str] | None = None
) -> tuple[Section, ...]:
    """The pages of ``groups`` (role ids; default: every group that took part), sorted by
    name, each on its own page, as top-level sections of a sheet handed to the groups."""
    study = analysis.study
    chosen = present_groups(analysis) if groups is None else groups
    ties = GroupTies(analysis)
    return tuple(group_section(ties, g, lang, new_page=n > 0)
                 for n, g in enumerate(roles_by_name(study, chosen, lang)))
