"""The report's sections on the role network: the map, the RC of its ties, the dimension
profiles, the roles and the dialogue invitations.

Each section pairs a picture of [`relcoord.pictures`][relcoord.pictures] (by name, a
[`PictureRef`][relcoord.report_model.PictureRef], with a text that stands for it where it cannot be
seen) with the tables that hold its numbers, read from the analysis as they are.  Roles are listed
by name in the report's language
([`relcoord.report_labels.roles_by_name`][relcoord.report_labels.roles_by_name]).  The body shows
what a reader needs at any size, the strongest and the weakest ties; every tie and every invitation
is in the appendix ([`relcoord.report_appendix`][relcoord.report_appendix]).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from relcoord import messages
from relcoord.report_labels import (
    band_cell,
    dimension_label,
    heading,
    organisation_label,
    role_label,
    roles_by_name,
)
from relcoord.report_map import MapArrows, map_arrows, tie_bands
from relcoord.report_model import (
    MISSING,
    Block,
    Cell,
    ColumnKind,
    Paragraph,
    PictureRef,
    Section,
    Table,
    format_cell,
)

if TYPE_CHECKING:
    from relcoord.analysis import Analysis
    from relcoord.metrics.invitations import InvitationMetrics
    from relcoord.metrics.scores import RatedTie

__all__ = [
    "TIES_LISTED",
    "TIE_KINDS",
    "invitations_section",
    "network_section",
    "profiles_section",
    "roles_section",
    "scores_section",
    "tie_header",
    "tie_rows",
]

#: How many of the strongest and of the weakest ties the RC section lists.
TIES_LISTED: Final = 8


def _count_bands(arrows: tuple[tuple[str, str], ...] | list[tuple[str, str]],
                 bands: dict[tuple[str, str], str]) -> dict[str, int]:
    counts = {"weak": 0, "moderate": 0, "strong": 0}
    for arrow in arrows:
        band = bands.get(arrow)
        if band in counts:
            counts[band] += 1
    return counts


def _map_rule(analysis: Analysis, shown: MapArrows, lang: str) -> str:
    """The sentence that says which arrows the map shows."""
    t = messages.section("report.reading", lang)
    key = "map_all" if shown.rule == "all" else (
        "map_" + shown.rule + ("_one_sided" if shown.one_sided else ""))
    return t[key].format(shown=len(shown.arrows), total=shown.total,
                         low=format_cell(analysis.settings.bands[0], "number", lang),
                         rc=format_cell(shown.up_to, "number", lang))


def _network_alt(analysis: Analysis, shown: MapArrows, lang: str) -> str:
    counts = _count_bands(shown.arrows, tie_bands(analysis))
    organisations = [organisation_label(o, lang) for o in analysis.study.organisations]
    return messages.text(
        "report.reading.alt_network", lang, roles=len(analysis.study.roles),
        organisations=messages.join(organisations, lang) if organisations else MISSING,
        shown=len(shown.arrows), total=shown.total, **counts)


def network_section(analysis: Analysis, lang: str) -> Section:
    """The network map, the network's figures at a glance and, when the roles have
    organisations, the arrows within and across each organisation (E-I index)."""
    t = messages.section("report", lang)
    net = analysis.network
    census = net.dyad_census
    rows: list[tuple[str, Cell]] = [
        (t["arrows_net"], net.n_arrows),
        (t["reciprocity_net"], format_cell(net.reciprocity, "percent", lang)),
        (t["mutual"], census.mutual),
        (t["asymmetric"], census.asymmetric),
        (t["null"], census.null),
        (t["ei_net"], format_cell(net.ei_index, "number", lang)),
        (t["communities"], net.n_communities),
    ]
    if net.betweenness_pivots is not None:  # an estimate: say so, and from how much
        rows.append((t["betweenness_sampled"], t["betweenness_sampled_value"].format(
            k=format_cell(net.betweenness_pivots, "int", lang),
            n=format_cell(len(net.roles), "int", lang))))
    shown = map_arrows(analysis)
    blocks: list[Block] = [
        Paragraph(f"{t['network_intro']} {_map_rule(analysis, shown, lang)}", "note"),
        PictureRef("network", t["network_caption"], _network_alt(analysis, shown, lang)),
        Table(t["network_table"], [t["measure"], t["value"]], ["text", "text"],
              [(label, format_cell(v, "int" if isinstance(v, int) else "text", lang))
               for label, v in rows]),
    ]
    if net.ei_by_organisation:
        by_name = sorted(net.ei_by_organisation, key=lambda o: messages.sort_key(
            organisation_label(o.organisation, lang), lang))
        blocks.append(Table(
            t["ei_table"],
            [t["organisation"], t["internal"], t["external"], t["ei"]],
            ["text", "int", "int", "number"],
            [(organisation_label(o.organisation, lang), o.internal, o.external, o.ei_index)
             for o in by_name],
        ))
    return Section("network", t["network"], blocks)


def tie_rows(analysis: Analysis, ties: list[RatedTie], lang: str) -> list[tuple[Cell, ...]]:
    """Rows of the tie tables: rater, target, respondents, RC, sub-indices, gap, lowest
    dimension and band (``withheld`` for a tie the privacy rule withheld)."""
    t = messages.section("report", lang)
    study = analysis.study
    return [(role_label(study, x.source, lang), role_label(study, x.target, lang),
             x.n_respondents, x.rc, x.communication, x.relationship, x.gap,
             dimension_label(study.instrument, x.lowest_dimension, lang),
             messages.capital(t["withheld"]) if x.suppressed else band_cell(x.band, lang))
            for x in ties]


def tie_header(lang: str) -> list[str]:
    """The header of [`tie_rows`][relcoord.report_network.tie_rows]."""
    t = messages.section("report", lang)
    return [t["rater"], t["target"], t["respondents"], t["rc"],
            heading("sub_index.communication", lang), heading("sub_index.relationship", lang),
            t["gap"], t["lowest"], t["band"]]


#: The column kinds of [`tie_rows`][relcoord.report_network.tie_rows].
TIE_KINDS: Final[tuple[ColumnKind, ...]] = ("text", "text", "int", "number", "number", "number",
                                            "number", "text", "text")


def _extreme_ties(analysis: Analysis, lang: str) -> list[Block]:
    """The strongest ties, then the weakest (at most
    [`TIES_LISTED`][relcoord.report_network.TIES_LISTED] each)."""
    t = messages.section("report.reading", lang)
    rated = sorted((x for x in analysis.scores.ties if x.rc is not None and x.source != x.target),
                   key=lambda x: (-(x.rc or 0.0), x.source, x.target))
    if not rated:
        return []
    n = min(TIES_LISTED, (len(rated) + 1) // 2)
    strongest = rated[:n]
    weakest = list(reversed(rated[n:]))[:TIES_LISTED]
    r = messages.section("report", lang)
    study = analysis.study
    header = [r["rater"], r["target"], r["respondents"], r["rc"], r["lowest"]]
    kinds: list[ColumnKind] = ["text", "text", "int", "number", "text"]

    def rows(ties: list[RatedTie]) -> list[tuple[Cell, ...]]:
        return [(role_label(study, x.source, lang), role_label(study, x.target, lang),
                 x.n_respondents, x.rc, dimension_label(study.instrument, x.lowest_dimension,
                                                        lang)) for x in ties]

    blocks: list[Block] = [Table(t["strongest"].format(n=len(strongest)), header, kinds,
                                 rows(strongest))]
    if weakest:
        blocks.append(Table(t["weakest"].format(n=len(weakest)), header, kinds, rows(weakest),
                            t["all_ties"].format(n=len(rated))))
    return blocks


def scores_section(analysis: Analysis, lang: str) -> Section:
    """The heat map of the tie matrix, how many ties between roles fall in each band, and
    the strongest and the weakest ties."""
    t = messages.section("report", lang)
    rated = [x for x in analysis.scores.ties if x.rc is not None and x.source != x.target]
    counts = {band: sum(1 for x in rated if x.band == band)
              for band in ("weak", "moderate", "strong")}
    bands = Table(
        t["band_table"], [t["band"], t["ties"], t["share"]], ["text", "int", "percent"],
        [(band_cell(band, lang), n, n / len(rated) if rated else None)
         for band, n in reversed(counts.items())],
    )
    alt = messages.text(
        "report.reading.alt_heatmap", lang, ties=len(rated),
        rows=len({x.source for x in rated}), cols=len({x.target for x in rated}), **counts)
    return Section("scores", t["scores"], (
        Paragraph(t["scores_intro"], "note"),
        PictureRef("heatmap", t["heatmap_caption"], alt),
        bands,
        *_extreme_ties(analysis, lang),
    ))


def _dimension_table(analysis: Analysis, lang: str) -> Table:
    t = messages.section("report", lang)
    means = analysis.scores.by_dimension
    return Table(
        t["dimension_table"],
        [t["dimension"], t["sub_index"], t["mean"]],
        ["text", "text", "number"],
        [(d.name(lang), heading(f"sub_index.{d.sub_index}", lang),
          means.get(d.key)) for d in analysis.study.instrument.dimensions],
    )


def _profiles_alt(analysis: Analysis, lang: str) -> str:
    instrument = analysis.study.instrument
    means = [(v, d.name(lang)) for d in instrument.dimensions
             if (v := analysis.scores.by_dimension.get(d.key)) is not None]
    if not means:
        return messages.text("report.reading.alt_profiles_empty", lang)
    low, high = min(means), max(means)
    return messages.text("report.reading.alt_profiles", lang,
                         low=format_cell(low[0], "number", lang), low_dimension=low[1],
                         high=format_cell(high[0], "number", lang), high_dimension=high[1])


def profiles_section(analysis: Analysis, lang: str) -> Section:
    """The dimension profiles: the mean of each dimension (every tie's profile is in the
    appendix)."""
    t = messages.section("report", lang)
    return Section("profiles", t["profiles"], (
        Paragraph(t["profiles_intro"], "note"),
        PictureRef("profiles", t["profiles_caption"], _profiles_alt(analysis, lang)),
        _dimension_table(analysis, lang),
    ))


def roles_section(analysis: Analysis, lang: str) -> Section:
    """One row per role, by name: its arrows, their reciprocity and its RC as rater and
    target."""
    t = messages.section("report", lang)
    reciprocity = {m.role: m.reciprocity for m in analysis.network.roles}
    summaries = {r.id: r for r in analysis.roles}
    table = Table(
        t["role_table"],
        [t["role"], t["organisation"], t["present"], t["in"], t["out"], t["returned"],
         t["reciprocity"], t["rc_rater"], t["rc_target"], t["rc_within"], t["weak_share"]],
        ["text", "text", "bool", "int", "int", "int", "percent", "number", "number",
         "number", "percent"],
        [(r.role.label(lang), organisation_label(r.role.organisation, lang), r.role.present,
          r.in_degree, r.out_degree, r.reciprocated, reciprocity.get(r.id), r.rc_as_rater,
          r.rc_as_target, r.rc_within, r.weak_share)
         for r in (summaries[i] for i in roles_by_name(analysis.study, summaries, lang))],
    )
    return Section("roles", t["roles"], (Paragraph(t["roles_intro"], "note"), table))


def _invitation_roles_table(analysis: Analysis, summary: InvitationMetrics, lang: str) -> Table:
    t = messages.section("report", lang)
    by_role = {r.role: r for r in summary.roles if r.sent or r.received}
    return Table(
        t["invitation_roles"],
        [t["role"], t["sent"], t["received"], heading("status.accepted", lang),
         heading("status.declined", lang), heading("status.pending", lang), t["acceptance"]],
        ["text", "int", "int", "int", "int", "int", "percent"],
        [(role_label(analysis.study, r.role, lang), r.sent, r.received,
          r.received_by_status.accepted + r.received_by_status.held,
          r.received_by_status.declined, r.received_by_status.pending, r.received_acceptance)
         for r in (by_role[i] for i in roles_by_name(analysis.study, by_role, lang))],
        t["invitation_roles_note"],
    )


def invitations_section(analysis: Analysis, lang: str) -> Section:
    """The dialogue invitations (balkort): the dialogue finding, the invitation map and the
    invitations sent and received per role (every invitation is in the appendix)."""
    t = messages.section("report", lang)
    summary = analysis.invitations
    if summary is None or summary.n_invitations == 0:
        return Section("invitations", t["invitations"], (Paragraph(t["no_invitations"]),))
    status = summary.by_status
    alt = messages.text("report.reading.alt_invitations", lang, n=summary.n_invitations,
                        accepted=status.accepted, held=status.held, declined=status.declined,
                        pending=status.pending)
    blocks: list[Block] = [Paragraph(t["invitations_intro"], "note")]
    blocks.extend(Paragraph(f.sentence(lang), "lead") for f in analysis.findings_of("dialogue"))
    blocks.append(PictureRef("invitations", t["invitations_caption"], alt))
    blocks.append(_invitation_roles_table(analysis, summary, lang))
    return Section("invitations", t["invitations"], blocks)
