"""The report's sections on the role network: the map, the RC of its ties, the dimension
profiles, the roles and the dialogue invitations.

Each section pairs a picture of :mod:`relcoord.pictures` (by name, a :class:`PictureRef`)
with the tables that hold its numbers, read from the analysis as they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from relcoord import messages
from relcoord.report_labels import (
    band_label,
    dimension_label,
    heading,
    organisation_label,
    role_label,
)
from relcoord.report_model import Block, Cell, Paragraph, PictureRef, Section, Table, format_cell

if TYPE_CHECKING:
    from relcoord.analysis import Analysis
    from relcoord.metrics.invitations import InvitationMetrics

__all__ = [
    "invitations_section",
    "network_section",
    "profiles_section",
    "roles_section",
    "scores_section",
]


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
    blocks: list[Block] = [
        Paragraph(t["network_intro"], "note"),
        PictureRef("network", t["network_caption"]),
        Table(t["network_table"], [t["measure"], t["value"]], ["text", "text"],
              [(label, format_cell(v, "int" if isinstance(v, int) else "text", lang))
               for label, v in rows]),
    ]
    if net.ei_by_organisation:
        blocks.append(Table(
            t["ei_table"],
            [t["organisation"], t["internal"], t["external"], t["ei"]],
            ["text", "int", "int", "number"],
            [(organisation_label(o.organisation, lang), o.internal, o.external, o.ei_index)
             for o in net.ei_by_organisation],
        ))
    return Section("network", t["network"], blocks)


def scores_section(analysis: Analysis, lang: str) -> Section:
    """The heat map of the tie matrix and how many ties between roles fall in each band."""
    t = messages.section("report", lang)
    rated = [x for x in analysis.scores.ties if x.rc is not None and x.source != x.target]
    counts = {band: sum(1 for x in rated if x.band == band)
              for band in ("weak", "moderate", "strong")}
    bands = Table(
        t["band_table"], [t["band"], t["ties"], t["share"]], ["text", "int", "percent"],
        [(band_label(band, lang), n, n / len(rated) if rated else None)
         for band, n in counts.items()],
    )
    return Section("scores", t["scores"], (
        Paragraph(t["scores_intro"], "note"),
        PictureRef("heatmap", t["heatmap_caption"]),
        bands,
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


def _tie_table(analysis: Analysis, lang: str) -> Table:
    t = messages.section("report", lang)
    study = analysis.study
    return Table(
        t["tie_table"],
        [t["rater"], t["target"], t["respondents"], t["rc"],
         heading("sub_index.communication", lang), heading("sub_index.relationship", lang),
         t["gap"], t["lowest"], t["band"]],
        ["text", "text", "int", "number", "number", "number", "number", "text", "text"],
        [(role_label(study, x.source, lang), role_label(study, x.target, lang),
          x.n_respondents, x.rc, x.communication, x.relationship, x.gap,
          dimension_label(study.instrument, x.lowest_dimension, lang),
          t["withheld"] if x.suppressed else band_label(x.band, lang))
         for x in analysis.scores.ties],
        t["tie_note"] + " " + t["withheld_note"].format(k=analysis.settings.min_respondents),
    )


def profiles_section(analysis: Analysis, lang: str) -> Section:
    """The dimension profiles: the mean of each dimension and every tie's profile."""
    t = messages.section("report", lang)
    return Section("profiles", t["profiles"], (
        Paragraph(t["profiles_intro"], "note"),
        PictureRef("profiles", t["profiles_caption"]),
        _dimension_table(analysis, lang),
        _tie_table(analysis, lang),
    ))


def roles_section(analysis: Analysis, lang: str) -> Section:
    """One row per role: its arrows, their reciprocity and its RC as rater and target."""
    t = messages.section("report", lang)
    reciprocity = {m.role: m.reciprocity for m in analysis.network.roles}
    table = Table(
        t["role_table"],
        [t["role"], t["organisation"], t["present"], t["in"], t["out"], t["returned"],
         t["reciprocity"], t["rc_rater"], t["rc_target"], t["rc_within"], t["weak_share"]],
        ["text", "text", "bool", "int", "int", "int", "percent", "number", "number",
         "number", "percent"],
        [(r.role.label(lang), organisation_label(r.role.organisation, lang), r.role.present,
          r.in_degree, r.out_degree, r.reciprocated, reciprocity.get(r.id), r.rc_as_rater,
          r.rc_as_target, r.rc_within, r.weak_share) for r in analysis.roles],
    )
    return Section("roles", t["roles"], (Paragraph(t["roles_intro"], "note"), table))


def _invitation_roles_table(analysis: Analysis, summary: InvitationMetrics, lang: str) -> Table:
    t = messages.section("report", lang)
    return Table(
        t["invitation_roles"],
        [t["role"], t["sent"], t["received"], heading("status.accepted", lang),
         heading("status.declined", lang), heading("status.pending", lang), t["acceptance"]],
        ["text", "int", "int", "int", "int", "int", "percent"],
        [(role_label(analysis.study, r.role, lang), r.sent, r.received,
          r.received_by_status.accepted + r.received_by_status.held,
          r.received_by_status.declined, r.received_by_status.pending, r.received_acceptance)
         for r in summary.roles if r.sent or r.received],
        t["invitation_roles_note"],
    )


def _invitation_list_table(analysis: Analysis, lang: str) -> Table:
    t = messages.section("report", lang)
    study = analysis.study
    return Table(
        t["invitation_list"],
        [t["sent"], t["received"], t["topic"], t["status"], t["wave"]],
        ["text", "text", "text", "text", "text"],
        [(role_label(study, i.source, lang), role_label(study, i.target, lang),
          i.topic or None, heading(f"status.{i.status}", lang), i.wave) for i in study.invitations],
    )


def invitations_section(analysis: Analysis, lang: str) -> Section:
    """The dialogue invitations (balkort): the dialogue finding, the invitation map, the
    invitations sent and received per role, and every invitation."""
    t = messages.section("report", lang)
    summary = analysis.invitations
    if summary is None or summary.n_invitations == 0:
        return Section("invitations", t["invitations"], (Paragraph(t["no_invitations"]),))
    blocks: list[Block] = [Paragraph(t["invitations_intro"], "note")]
    blocks.extend(Paragraph(f.sentence(lang), "lead") for f in analysis.findings_of("dialogue"))
    blocks.append(PictureRef("invitations", t["invitations_caption"]))
    blocks.append(_invitation_roles_table(analysis, summary, lang))
    blocks.append(_invitation_list_table(analysis, lang))
    return Section("invitations", t["invitations"], blocks)
