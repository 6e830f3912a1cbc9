"""An Analysis as plain text: the findings and the key tables that ``relcoord analyze`` prints.

Headings and role names are in Danish or English; numbers use a decimal comma in Danish.
Missing values print as ``-``.
"""

from __future__ import annotations

import textwrap
from typing import Final

from relcoord.analysis import Analysis

__all__ = ["analysis_lines"]

WIDTH: Final = 100
#: How many of the weakest ties the text lists.
WEAKEST_TIES: Final = 10

_TEXT: Final = {
    "en": {
        "settings": "Settings", "weighting": "weighting", "min_items": "min. items",
        "of": "of", "bands": "bands", "weak": "weak", "moderate": "moderate",
        "strong": "strong", "min_respondents": "min. respondents",
        "rc": "Relational coordination", "overall": "network", "communication":
        "communication", "relationship": "relationship", "within": "within groups",
        "between": "between groups", "internal": "inside organisations",
        "external": "across organisations", "ratings": "ratings", "respondents":
        "respondents", "excluded": "excluded (too few items)", "dimensions": "By dimension",
        "findings": "Findings", "none": "No finding is supported by the data.",
        "roles": "Roles", "role": "role", "in": "in", "out": "out", "rater": "as rater",
        "target": "as target", "weak_share": "weak", "ties": "Weakest ties",
        "tie": "tie", "n": "n", "band": "band", "arrows": "degrees count named arrows",
        "rated": "degrees count rated ties",
    },
    "da": {
        "settings": "Indstillinger", "weighting": "vægtning", "min_items": "min. spørgsmål",
        "of": "af", "bands": "niveauer", "weak": "svag", "moderate": "middel",
        "strong": "stærk", "min_respondents": "min. besvarelser",
        "rc": "Relationel koordinering", "overall": "netværket", "communication":
        "kommunikation", "relationship": "relationer", "within": "inden for grupper",
        "between": "mellem grupper", "internal": "internt i organisationer",
        "external": "på tværs af organisationer", "ratings": "vurderinger", "respondents":
        "deltagere", "excluded": "udeladt (for få svar)", "dimensions": "Pr. dimension",
        "findings": "Fund", "none": "Data understøtter ingen fund.",
        "roles": "Funktionsgrupper", "role": "gruppe", "in": "ind", "out": "ud",
        "rater": "som vurderer", "target": "som vurderet", "weak_share": "svage",
        "ties": "Svageste relationer", "tie": "relation", "n": "n", "band": "niveau",
        "arrows": "grader tæller pile", "rated": "grader tæller vurderede relationer",
    },
}


def _num(value: float | None, lang: str) -> str:
    if value is None:
        return "-"
    text = f"{value:.2f}"
    return text.replace(".", ",") if lang == "da" else text


def _share(value: float | None) -> str:
    return "-" if value is None else f"{round(100 * value)}%"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def analysis_lines(analysis: Analysis, lang: str = "en") -> list[str]:
    """The findings and key tables of ``analysis`` as lines of text in ``lang``."""
    t = _TEXT.get(lang, _TEXT["en"])
    study, result, settings = analysis.study, analysis.scores, analysis.settings
    low, high = settings.bands
    lines = [study.metadata.title or study.metadata.id, ""]
    lines.append(
        f"{t['settings']}: {t['weighting']} {settings.weighting}; {t['min_items']} "
        f"{result.min_items} {t['of']} {len(study.instrument.keys)}; {t['bands']} "
        f"{t['weak']} < {_num(low, lang)} <= {t['moderate']} <= {_num(high, lang)} < "
        f"{t['strong']}; {t['min_respondents']} {settings.min_respondents}"
    )
    lines += ["", f"{t['rc']} ({study.instrument.id}):"]
    overall = result.overall
    band = t[overall.band] if overall.band else "-"
    lines.append(
        f"  {t['overall']}: {_num(overall.rc, lang)} ({band}; {overall.n_ratings} "
        f"{t['ratings']}, {overall.n_respondents} {t['respondents']}, {result.n_excluded} "
        f"{t['excluded']})"
    )
    pairs = [
        ("communication", overall.communication), ("relationship", overall.relationship),
        ("within", result.within.rc), ("between", result.between.rc),
        ("internal", result.organisations.internal.rc),
        ("external", result.organisations.external.rc),
    ]
    lines.append("  " + "; ".join(f"{t[key]} {_num(value, lang)}" for key, value in pairs))
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
    basis = t["arrows"] if analysis.degree_basis == "arrows" else t["rated"]
    lines += ["", f"{t['roles']} ({basis}):"]
    name_width = 34
    lines.append(
        f"  {t['role']:<{name_width}} {t['in']:>4} {t['out']:>4} {t['rater']:>12} "
        f"{t['target']:>12} {t['weak_share']:>7}"
    )
    for role in analysis.roles:
        label = _cut(role.role.label(lang), name_width)
        lines.append(
            f"  {label:<{name_width}} {role.in_degree:>4} {role.out_degree:>4} "
            f"{_num(role.rc_as_rater, lang):>12} {_num(role.rc_as_target, lang):>12} "
            f"{_share(role.weak_share):>7}"
        )
    rated = sorted((tie for tie in result.ties if tie.rc is not None),
                   key=lambda tie: (tie.rc, tie.source, tie.target))
    if rated:
        lines += ["", f"{t['ties']}:"]
        for tie in rated[:WEAKEST_TIES]:
            source = study.role(tie.source).label(lang)
            target = study.role(tie.target).label(lang)
            name = _cut(f"{source} → {target}", 62)
            band_name = t[tie.band] if tie.band else "-"
            lines.append(f"  {name:<62} {_num(tie.rc, lang):>5}  {t['n']}={tie.n_respondents:<4}"
                         f" {band_name}")
    return lines
