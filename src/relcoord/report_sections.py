"""The report's sections on trustworthy numbers: reliability and agreement, and change.

[`build_report`][relcoord.report.build_report] adds them with
[`Report.with_section`][relcoord.report_model.Report.with_section]:

``reliability`` (after the data-quality section)
    Cronbach's alpha of the RC index and its sub-indices against the conventional .70
    (Nunnally 1978), the agreement within ties, r_wg(J) against .70 (LeBreton & Senter
    2008) with AD beside it (Burke & Dunlap 2002), ICC(1) and ICC(2) with the group size
    they use and the threshold of their design, and the Social Relations Model's variance
    shares (rater, target, tie, individuals and the rest) when the analysis has one.
    Agreement is shown only for a tie in a wave with at least ``min_respondents`` raters,
    as the analysis holds it.
``change`` (when the analysis compares two waves)
    the change of the network, each role and each tie with its bootstrap interval and
    minimal detectable change (MDC), the arrows gained, lost and reversed, and a picture.

Like the rest of the report, the sections compute nothing: every number is read from the
[`Analysis`][relcoord.analysis_result.Analysis].  Their words are the catalogue's
``report.reliability.*`` and ``report.change.*`` entries ([`relcoord.messages`][relcoord.messages]).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from relcoord import messages
from relcoord.analysis_result import SRM_SHARES, srm_variance_shares
from relcoord.metrics.reliability import ICC2_CUTOFF, agreement_band
from relcoord.report_labels import heading, role_label
from relcoord.report_model import (
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
    from relcoord.metrics.reliability import TieAgreementTable
    from relcoord.metrics.waves import Change, WaveComparison

__all__ = ["WEAKEST_AGREEMENT", "change_section", "reliability_section"]

#: How many tie-waves with the lowest agreement the reliability section lists.
WEAKEST_AGREEMENT: Final = 15


def _number(value: float | None, lang: str) -> str:
    return format_cell(value, "number", lang)


def _interval(change: Change, lang: str) -> str | None:
    """``[-0.14; 0.28]`` (``None`` when the interval is undefined)."""
    if change.ci_low is None or change.ci_high is None:
        return None
    return f"[{_number(change.ci_low, lang)}; {_number(change.ci_high, lang)}]"




# --- reliability and agreement -------------------------------------------------------------


def _scale(scale: str, lang: str) -> str:
    """An alpha scale's name: the RC index or a sub-index."""
    if scale == "rc":
        return messages.text("report.reliability.rc", lang)
    return heading(f"sub_index.{scale}", lang)


def _alpha_table(analysis: Analysis, lang: str) -> Table:
    t = messages.section("report.reliability", lang)
    summary = analysis.reliability
    cut = summary.settings.alpha_cutoff
    instrument = analysis.study.instrument
    rows: list[tuple[Cell, ...]] = []
    for scale, result in summary.alpha.items():
        has_items = bool(result.items) if scale != "rc" else bool(instrument.keys)
        value = result.alpha
        rows.append((_scale(scale, lang), value, result.n if has_items else None, cut,
                     None if value is None else value >= cut))
    return Table(t["alpha_table"], [t["scale"], t["alpha"], t["cases"], t["threshold"],
                                    t["meets"]],
                 ["text", "number", "int", "number", "bool"], rows,
                 t["alpha_note"].format(cut=_number(cut, lang)))


def _agreement_table(analysis: Analysis, table: TieAgreementTable, lang: str) -> Table:
    t = messages.section("report.reliability", lang)
    k = analysis.settings.min_respondents

    def text(value: float | int | None, kind: ColumnKind) -> str:
        return format_cell(value, kind, lang)

    return Table(
        t["agreement_table"],
        [messages.text("report.measure", lang), messages.text("report.value", lang)],
        ["text", "text"],
        [(t["n_ties"], text(table.n_ties, "int")),
         (t["mean_rwg"], text(table.mean_rwg_j, "number")),
         (t["median_rwg"], text(table.median_rwg_j, "number")),
         (t["share_rwg"].format(cut=_number(table.rwg_cutoff, lang)),
          text(table.share_rwg_j_above_cutoff, "percent")),
         (t["mean_ad"], text(table.mean_ad_j, "number")),
         (t["ad_cut"], text(table.ad_cutoff, "number")),
         (t["share_ad"], text(table.share_ad_j_within_cutoff, "percent")),
         (t["withheld"].format(k=k), text(analysis.reliability_withheld, "int"))],
        t["agreement_note"].format(k=k, w=analysis.reliability_withheld),
    )


def _agreement_reading(rwg: float | None, lang: str) -> str | None:
    """LeBreton & Senter's verbal band of an r_wg(J) value, in ``lang``."""
    band = agreement_band(rwg)
    if band is None:
        return None
    return messages.text(f"report.reliability.agreement.{band.replace(' ', '_')}", lang)


def _weakest_table(analysis: Analysis, table: TieAgreementTable, lang: str) -> Table | None:
    """The tie-waves with the lowest agreement (at most
    [`WEAKEST_AGREEMENT`][relcoord.report_sections.WEAKEST_AGREEMENT])."""
    rated = sorted((x for x in table.ties if x.rwg_j is not None),
                   key=lambda x: (x.rwg_j, x.wave or "", x.source, x.target))
    if not rated:
        return None
    t = messages.section("report.reliability", lang)
    study = analysis.study
    return Table(
        t["weakest_table"],
        [messages.text("report.rater", lang), messages.text("report.target", lang),
         messages.text("report.wave", lang), t["raters"], t["rwg_j"], t["reading"], t["ad_j"]],
        ["text", "text", "text", "int", "number", "text", "number"],
        [(role_label(study, x.source, lang), role_label(study, x.target, lang), x.wave,
          x.n, x.rwg_j, _agreement_reading(x.rwg_j, lang), x.ad_j)
         for x in rated[:WEAKEST_AGREEMENT]],
        t["weakest_note"].format(n=WEAKEST_AGREEMENT),
    )


def _icc_table(analysis: Analysis, lang: str) -> Table:
    t = messages.section("report.reliability", lang)
    icc = analysis.reliability.icc
    by = t[f"by_{icc.grouping}"]
    return Table(
        t["icc_table"],
        [t["grouping"], messages.text("report.respondents", lang), t["groups"],
         t[f"k.{icc.group_size}"], t["icc1"], t["icc2"]],
        ["text", "int", "int", "number", "number", "number"],
        [(by, icc.n, icc.n_groups, icc.k, icc.icc1, icc.icc2)],
        t[f"icc_note.{icc.group_size}"].format(by=by, cut=_number(ICC2_CUTOFF, lang)),
    )


def _srm_table(analysis: Analysis, lang: str) -> Table | None:
    """The SRM's variance shares
    ([`srm_variance_shares`][relcoord.analysis_result.srm_variance_shares]); ``None`` without a
    model."""
    srm = analysis.srm
    if srm is None:
        return None
    t = messages.section("report.reliability", lang)
    shares = srm_variance_shares(srm)
    return Table(
        t["srm_table"], [t["srm_source"], t["srm_share"]], ["text", "percent"],
        [(t[f"srm.{name}"], shares[name]) for name in SRM_SHARES],
        t["srm_note"].format(n=srm.n_ratings, people=srm.n_respondents, ties=srm.n_ties),
    )


def reliability_section(analysis: Analysis, lang: str) -> Section:
    """The data-quality section on reliability: alpha, agreement within ties and the ICC.

    Thresholds are named in the text and applied in the tables: alpha >= .70 (Nunnally
    1978), r_wg(J) >= .70 (LeBreton & Senter 2008), AD(J) <= A/6 (Burke & Dunlap 2002),
    ICC(2) >= .70 (LeBreton & Senter 2008); ICC(1) of respondents by rater role is shown
    without the typical .05-.20 of Bliese (2000), which belongs to raters describing one
    shared referent
    (`relcoord.metrics.reliability.icc.DESIGN_THRESHOLDS`).
    """
    t = messages.section("report.reliability", lang)
    agreement = analysis.reliability.agreement
    blocks: list[Block] = [Paragraph(t["intro"], "note"), _alpha_table(analysis, lang),
                           _agreement_table(analysis, agreement, lang)]
    weakest = _weakest_table(analysis, agreement, lang)
    if weakest is not None:
        blocks.append(weakest)
    blocks.append(_icc_table(analysis, lang))
    srm = _srm_table(analysis, lang)
    if srm is not None:
        blocks.append(srm)
    return Section("reliability", t["title"], blocks)


# --- change between two waves --------------------------------------------------------------


def _change_intro(analysis: Analysis, change: WaveComparison, lang: str) -> list[Block]:
    """How to read a change (its interval and MDC), which ties take part, and the picture."""
    t = messages.section("report.change", lang)
    if change.reliability is None:
        reliability, source = t["no_reliability"], ""
    else:
        reliability = _number(change.reliability, lang)
        source = (t["reliability_given"] if change.reliability_source == "given"
                  else t["reliability_alpha"].format(a=change.wave_a))
    return [
        Paragraph(t["intro"].format(
            p=messages.percent(change.confidence, lang), n=change.n_boot, seed=change.seed,
            rel=reliability, source=source or t["no_reliability"]), "note"),
        Paragraph(t["privacy"].format(k=analysis.settings.min_respondents,
                                      n=len(change.ties),
                                      m=len(analysis.change_left_out)), "note"),
        PictureRef("change", t["caption"], _change_alt(change, lang)),
    ]


def _change_alt(change: WaveComparison, lang: str) -> str:
    """What the change picture shows, in words: how many of its changes are clear."""
    shown = [change.network, *(c for r in change.roles for c in (r.as_rater, r.as_target))]
    shown = [c for c in shown if c.change is not None]
    return messages.text("report.reading.alt_change", lang, a=change.wave_a, b=change.wave_b,
                         n=len(shown), clear=sum(1 for c in shown if c.is_clear))


def _network_change_table(change: WaveComparison, lang: str) -> Table:
    t = messages.section("report.change", lang)
    header = [messages.text("report.figure", lang), change.wave_a, change.wave_b, t["delta"],
              t["interval"], t["mdc"], t["clear"]]
    kinds: list[ColumnKind] = ["text", "number", "number", "number", "text", "number", "bool"]
    return Table(
        t["network_table"], header, kinds,
        [(heading(f"scope.{key}", lang), c.a, c.b, c.change,
          _interval(c, lang), c.mdc, c.is_clear)
         for key, c in (("network", change.network), ("within", change.within),
                        ("between", change.between))],
    )


def _roles_change_table(analysis: Analysis, change: WaveComparison, lang: str) -> Table | None:
    roles = [r for r in change.roles
             if r.as_rater.change is not None or r.as_target.change is not None]
    if not roles:
        return None
    roles.sort(key=lambda r: messages.sort_key(role_label(analysis.study, r.id, lang), lang))
    t = messages.section("report.change", lang)
    return Table(
        t["roles_table"],
        [messages.text("report.role", lang), t["delta_rater"], t["interval"],
         t["delta_target"], t["interval"]],
        ["text", "number", "text", "number", "text"],
        [(role_label(analysis.study, r.id, lang), r.as_rater.change,
          _interval(r.as_rater, lang), r.as_target.change, _interval(r.as_target, lang))
         for r in roles],
    )


def _ties_change_table(analysis: Analysis, change: WaveComparison, lang: str) -> Table | None:
    if not change.ties:
        return None
    t = messages.section("report.change", lang)
    study = analysis.study
    ties = sorted(change.ties, key=lambda x: (
        messages.sort_key(role_label(study, x.source, lang), lang),
        messages.sort_key(role_label(study, x.target, lang), lang)))
    return Table(
        t["ties_table"],
        [messages.text("report.rater", lang), messages.text("report.target", lang),
         change.wave_a, change.wave_b, t["delta"], t["interval"], t["mdc"], t["clear"]],
        ["text", "text", "number", "number", "number", "text", "number", "bool"],
        [(role_label(study, x.source, lang), role_label(study, x.target, lang), x.rc.a,
          x.rc.b, x.rc.change, _interval(x.rc, lang), x.rc.mdc, x.rc.is_clear)
         for x in ties],
    )


def _arrows_table(analysis: Analysis, change: WaveComparison, lang: str) -> Table:
    t = messages.section("report.change", lang)
    study = analysis.study
    arrows = change.arrows
    rows = [(t[kind], role_label(study, s, lang), role_label(study, g, lang))
            for kind, pairs in (("gained", arrows.gained), ("lost", arrows.lost),
                                ("reversed", arrows.reversed)) for s, g in pairs]
    return Table(
        t["arrows_table"],
        [t["kind"], messages.text("report.rater", lang), messages.text("report.target", lang)],
        ["text", "text", "text"],
        rows, t["arrows_note"].format(basis=t[f"basis_{arrows.basis}"], kept=arrows.kept,
                                      a=change.wave_a),
    )


def change_section(analysis: Analysis, lang: str) -> Section | None:
    """The change between the compared waves (``None`` when the analysis has no comparison):
    network, roles, ties and arrows, each change with its interval and MDC, and a picture."""
    change = analysis.change
    if change is None:
        return None
    blocks = _change_intro(analysis, change, lang)
    blocks.append(_network_change_table(change, lang))
    for table in (_roles_change_table(analysis, change, lang),
                  _ties_change_table(analysis, change, lang)):
        if table is not None:
            blocks.append(table)
    blocks.append(_arrows_table(analysis, change, lang))
    title = messages.text("report.change.title", lang, a=change.wave_a, b=change.wave_b)
    return Section("change", title, blocks)
