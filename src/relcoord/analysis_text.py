"""An Analysis as plain text: the findings and the key tables that ``relcoord analyze`` prints.

Headings and role names are in Danish or English ([`relcoord.messages`][relcoord.messages]); numbers
are written in the language's style (a decimal comma in Danish).  Missing values print as
``-``.  With a wave comparison (``--compare``) the text ends with the change of the
network, each role and each tie, each with its bootstrap interval and minimal detectable
change (MDC), and the arrows gained, lost and reversed.
"""

from __future__ import annotations

import textwrap
from typing import Final

from relcoord import messages
from relcoord.analysis import Analysis
from relcoord.metrics.waves import Change
from relcoord.pooled_analysis import PooledAnalysis

__all__ = ["analysis_lines", "change_lines", "pooled_lines"]

WIDTH: Final = 100
#: How many of the weakest ties the text lists.
WEAKEST_TIES: Final = 10


def _num(value: float | None, lang: str) -> str:
    if value is None:
        return "-"
    return messages.decimal(value, lang)


def _share(value: float | None, lang: str) -> str:
    return "-" if value is None else messages.percent(value, lang)


def _band(band: str, lang: str) -> str:
    return messages.text(f"band.{band}", lang)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _signed(value: float | None, lang: str) -> str:
    if value is None:
        return "-"
    return messages.decimal(value, lang, signed=True)


def _change(change: Change, lang: str) -> str:
    """``a -> b  +0.07 [-0.14; +0.28] MDC 0.21`` (the interval and MDC of the change)."""
    mark = "*" if change.is_clear else ""
    return (f"{_num(change.a, lang):>5} → {_num(change.b, lang):<5} "
            f"{_signed(change.change, lang):>6} [{_signed(change.ci_low, lang)}; "
            f"{_signed(change.ci_high, lang)}] MDC {_num(change.mdc, lang)}{mark}")


def _short(change: Change, lang: str) -> str:
    """``+0.07 [-0.14; +0.28]`` for a role's column."""
    if change.change is None:
        return "-"
    mark = "*" if change.is_clear else ""
    return (f"{_signed(change.change, lang)} [{_signed(change.ci_low, lang)}; "
            f"{_signed(change.ci_high, lang)}]{mark}")


def change_lines(analysis: Analysis, lang: str = "en") -> list[str]:
    """The wave comparison of ``analysis`` as lines of text (empty without one).

    The network (all ties, within, between), every role with a defined change as rater or
    target, every compared tie, and the arrows gained, lost and reversed.  A change whose
    interval excludes 0 and whose size exceeds the MDC is marked ``*``.
    """
    change = analysis.change
    if change is None:
        return []
    t = messages.section("analysis_text", lang)
    study = analysis.study
    k = analysis.settings.min_respondents
    percent = messages.percent(change.confidence, lang)
    lines = ["", f"{t['change']} {change.wave_a} → {change.wave_b} ({t['boot']} "
             f"{change.n_boot} {t['replicates']}, {t['seed']} {change.seed}, {percent} "
             f"{t['interval']}; {t['mdc_from']} {_num(change.reliability, lang)} "
             f"{t['of_wave']} {change.wave_a}):"]
    lines += textwrap.wrap(
        f"{len(change.ties)} {t['compared']} {len(analysis.change_left_out)} "
        + t["left_out_why"].format(k=k), WIDTH, initial_indent="  ", subsequent_indent="    ")
    if not change.ties:
        lines.append("  " + t["no_ties"].format(k=k))
    for key, figure in (("network", change.network), ("within", change.within),
                        ("between", change.between)):
        lines.append(f"  {messages.text(f'scope.{key}', lang):<24} {_change(figure, lang)}")
    roles = [r for r in change.roles
             if r.as_rater.change is not None or r.as_target.change is not None]
    if roles:
        lines += ["", f"  {t['roles_change']}:"]
        for role in roles:
            label = _cut(study.role(role.id).label(lang), 34)
            lines.append(f"    {label:<34} {_short(role.as_rater, lang):<26} "
                         f"{_short(role.as_target, lang)}")
    if change.ties:
        lines += ["", f"  {t['ties_change']}:"]
        for tie in change.ties:
            name = _cut(f"{study.role(tie.source).label(lang)} → "
                        f"{study.role(tie.target).label(lang)}", 52)
            lines.append(f"    {name:<52} {_change(tie.rc, lang)}")
    arrows = change.arrows
    lines += ["", f"  {t['arrows_change']}: {len(arrows.gained)} {t['gained']}, "
              f"{len(arrows.lost)} {t['lost']}, {len(arrows.reversed)} {t['reversed']}, "
              f"{arrows.kept} {t['kept']}"]
    for key, pairs in (("gained", arrows.gained), ("lost", arrows.lost),
                       ("reversed", arrows.reversed)):
        if pairs:
            names = [f"{study.role(s).label(lang)} → {study.role(g).label(lang)}"
                     for s, g in pairs]
            lines += textwrap.wrap(f"{t[key]}: {', '.join(names)}", WIDTH,
                                   initial_indent="    ", subsequent_indent="      ")
    lines += ["", f"  {t['marked']}"]
    return lines


def analysis_lines(analysis: Analysis, lang: str = "en") -> list[str]:
    """The findings and key tables of ``analysis`` as lines of text in ``lang``."""
    t = messages.section("analysis_text", lang)
    study, result, settings = analysis.study, analysis.scores, analysis.settings
    low, high = settings.bands
    lines = [study.metadata.title or study.metadata.id, ""]
    lines.append(
        f"{t['settings']}: {t['weighting']} {settings.weighting}; {t['min_items']} "
        f"{result.min_items} {t['of']} {len(study.instrument.keys)}; {t['bands']} "
        f"{_band('weak', lang)} < {_num(low, lang)} <= {_band('moderate', lang)} <= "
        f"{_num(high, lang)} < {_band('strong', lang)}; {t['min_respondents']} "
        f"{settings.min_respondents}"
    )
    lines += ["", f"{t['rc']} ({study.instrument.id}):"]
    overall = result.overall
    band = _band(overall.band, lang) if overall.band else "-"
    lines.append(
        f"  {messages.text('scope.network', lang)}: {_num(overall.rc, lang)} ({band}; "
        f"{overall.n_ratings} {t['ratings']}, {overall.n_respondents} {t['respondents']}, "
        f"{result.n_excluded} {t['excluded']})"
    )
    pairs = [
        ("sub_index.communication", overall.communication),
        ("sub_index.relationship", overall.relationship),
        ("scope.within", result.within.rc), ("scope.between", result.between.rc),
        ("scope.internal", result.organisations.internal.rc),
        ("scope.external", result.organisations.external.rc),
    ]
    lines.append("  " + "; ".join(f"{messages.text(key, lang)} {_num(value, lang)}"
                                  for key, value in pairs))
    dims = [
        f"{study.instrument.dimension(key).name(lang)} {_num(value, lang)}"
        for key, value in result.by_dimension.items()
    ]
    lines += textwrap.wrap(f"{t['dimensions']}: {'; '.join(dims)}", WIDTH,
                           initial_indent="  ", subsequent_indent="    ")
    lines += ["", f"{t['findings']}:"]
    if not analysis.findings:
        lines.append(f"  {t['none']}")
    for number, finding in enumerate(analysis.findings, start=1):
        lines += textwrap.wrap(finding.sentence(lang), WIDTH, initial_indent=f"  {number}. ",
                               subsequent_indent="     ")
    basis = t["degrees"].format(basis=messages.text(f"basis.{analysis.degree_basis}", lang))
    lines += ["", f"{t['roles']} ({basis}):"]
    name_width = 34
    # a column is as wide as its heading in the language, at least 12 characters
    as_rater, as_target = max(12, len(t["rater"])), max(12, len(t["target"]))
    lines.append(
        f"  {t['role']:<{name_width}} {t['in']:>4} {t['out']:>4} {t['rater']:>{as_rater}} "
        f"{t['target']:>{as_target}} {t['weak_share']:>7}"
    )
    for role in analysis.roles:
        label = _cut(role.role.label(lang), name_width)
        lines.append(
            f"  {label:<{name_width}} {role.in_degree:>4} {role.out_degree:>4} "
            f"{_num(role.rc_as_rater, lang):>{as_rater}} "
            f"{_num(role.rc_as_target, lang):>{as_target}} "
            f"{_share(role.weak_share, lang):>7}"
        )
    rated = sorted((tie for tie in result.ties if tie.rc is not None),
                   key=lambda tie: (tie.rc, tie.source, tie.target))
    if rated:
        lines += ["", f"{t['ties']}:"]
        for tie in rated[:WEAKEST_TIES]:
            source = study.role(tie.source).label(lang)
            target = study.role(tie.target).label(lang)
            name = _cut(f"{source} → {target}", 62)
            band_name = _band(tie.band, lang) if tie.band else "-"
            lines.append(f"  {name:<62} {_num(tie.rc, lang):>5}  {t['n']}={tie.n_respondents:<4}"
                         f" {band_name}")
    lines += change_lines(analysis, lang)
    return lines


def pooled_lines(pooled: PooledAnalysis, lang: str = "en") -> list[str]:
    """A pooled analysis of sites' statistics (``relcoord analyze all.stats``) as lines of
    text in ``lang``: who took part, the network RC, reliability, every role, the weakest
    ties and what a pooled analysis cannot report."""
    t = messages.section("analysis_text", lang)
    p = messages.section("pooled", lang)
    study = pooled.study
    lines = [study.metadata.title or study.metadata.id, ""]
    lines += textwrap.wrap(p["sites"].format(n=len(pooled.sites), sites=", ".join(pooled.sites),
                                             k=pooled.site_min_respondents), WIDTH)
    lines.append(f"{t['settings']}: {t['weighting']} {pooled.settings.weighting}; "
                 f"{t['min_respondents']} {pooled.settings.min_respondents}")
    icc = pooled.icc_by_tie
    lines += [
        "",
        f"  {messages.text('scope.network', lang)}: {_num(pooled.network_rc, lang)} "
        f"({pooled.n_ratings} {t['ratings']})",
        "  " + p["reliability"].format(alpha=_num(pooled.alpha, lang),
                                       n=pooled.alpha_complete_cases,
                                       icc1=_num(icc.icc1, lang), icc2=_num(icc.icc2, lang)),
        "", f"{t['roles']}:",
    ]
    name_width = 34
    as_rater, as_target = max(12, len(t["rater"])), max(12, len(t["target"]))
    lines.append(f"  {t['role']:<{name_width}} {t['rater']:>{as_rater}} "
                 f"{t['target']:>{as_target}}")
    for role in pooled.roles:
        label = _cut(study.role(role.role).label(lang), name_width)
        lines.append(f"  {label:<{name_width}} {_num(role.rc_as_rater, lang):>{as_rater}} "
                     f"{_num(role.rc_as_target, lang):>{as_target}}")
    rated = sorted((tie for tie in pooled.ties if tie.rc is not None),
                   key=lambda tie: (tie.rc, tie.source, tie.target))
    if rated:
        lines += ["", f"{t['ties']}:"]
        for tie in rated[:WEAKEST_TIES]:
            name = _cut(f"{study.role(tie.source).label(lang)} → "
                        f"{study.role(tie.target).label(lang)}", 62)
            band_name = _band(tie.band, lang) if tie.band else "-"
            lines.append(f"  {name:<62} {_num(tie.rc, lang):>5}  {t['n']}={tie.n_ratings:<4}"
                         f" {band_name}")
    lines += ["", p["not_reported"]]
    for key in pooled.not_reported:
        lines += textwrap.wrap(p[f"missing.{key}"], WIDTH, initial_indent="  - ",
                               subsequent_indent="    ")
    return lines
