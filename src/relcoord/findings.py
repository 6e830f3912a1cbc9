"""Findings: what an analyst reads out of an Analysis, as sentences in Danish and English.

Each kind has one rule, written in the docstring of the function that applies it, and a
finding is reported only when the data meets that rule; a study without named arrows, say,
has no ``most_named`` finding.  The kinds follow what the analysts of Psykiatrifonden's
*Trivsel Smiley* conferences (autumn 2019) looked for: central partners, overlooked
resources, internal vs external ties, groups named but absent, weak ties, perception gaps
and what the dialogue invitations (balkort) show.  The measure behind each kind is tabled in
``docs/network.md`` ("What the analyst looks for").

Source: Psykiatrifonden, *Relationers betydning for at erhvervsskoleelever får den rette og
rigtige hjælp - Styrken ved relationel koordinering* (the article that the example study
follows; ``docs/example.md``).

The ``overlooked`` and ``perception_gap`` findings also say where the Social Relations Model
of the analysis ([`relcoord.metrics.srm`][relcoord.metrics.srm], ``Analysis.srm``) places the gap
between how two roles rate each other: with the raters' leniency, the target's reputation, the tie
itself or the individual respondents ([`gap_source`][relcoord.findings.gap_source]; Kenny 1994,
chapter 7, reads perception gaps so).  Kenny, D.A. (1994). *Interpersonal Perception: A Social
Relations Analysis*. Guilford.

Findings are sorted by kind (in `FINDING_KINDS` order), then as
each rule orders them. Each finding's text is written in every language of the catalogue
([`relcoord.messages`][relcoord.messages], ``finding.*``); role names come from
[`Role.label`][relcoord.model.Role.label], lists and numbers are written in each language's style.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Final

from relcoord import messages
from relcoord.finding import FINDING_KINDS, Finding, FindingKind
from relcoord.metrics.srm import PerceptionGap

if TYPE_CHECKING:
    from relcoord.analysis_result import Analysis, RoleSummary
    from relcoord.metrics.invitations import RoleInvitations

__all__ = [
    "FINDING_KINDS",
    "Finding",
    "FindingKind",
    "findings",
    "gap_source",
]

#: most_named: a role is among the most named when its in-degree reaches this share of the
#: largest in-degree ...
MOST_NAMED_SHARE: Final = 0.9
#: ... and the largest in-degree must be at least this multiple of the median in-degree of
#: the roles named at all, so that a network where everyone is named alike has no finding.
MOST_NAMED_STANDOUT: Final = 1.5
#: overlooked: out-degree at least this multiple of in-degree ...
OVERLOOKED_RATIO: Final = 2.0
#: ... and at least this share of the role's arrows not returned.
OVERLOOKED_UNRETURNED: Final = 0.5
#: internal_external_gap: the least difference (scale points) worth reporting: half the
#: width of the default moderate band.
GAP_MIN: Final = 0.25
#: weak_ties: a role is reported when at least this share of its rated ties is weak ...
WEAK_SHARE: Final = 0.5
#: ... out of at least this many rated ties.
WEAK_MIN_TIES: Final = 2
#: perception_gap: the least |A->B minus B->A| reported (the width of the moderate band) ...
PERCEPTION_MIN: Final = 0.5
#: ... and at most this many pairs, the largest first.
PERCEPTION_MAX_PAIRS: Final = 3
#: gap sources: the parts of a perception gap
#: ([`PerceptionGap`][relcoord.metrics.srm.result.PerceptionGap])
#: a finding can name, in the order of the model ...
GAP_PARTS: Final = ("rater", "target", "relationship", "respondents")
#: ... the one named carries more than this share of the gap ...
GAP_SOURCE_SHARE: Final = 0.5
#: ... by more than this many scale points, and as much more than any other part (the REML
#: optimum is exact to about 1e-8, so a part at the limit, or level with another, is not
#: named by chance).
GAP_SOURCE_MARGIN: Final = 1e-6


# --- wording helpers -------------------------------------------------------------------------


def _names(analysis: Analysis, ids: Sequence[str], lang: str) -> str:
    return messages.join([analysis.study.role(i).label(lang) for i in ids], lang)


def _in_every_language(sentence: Callable[[str], str]) -> dict[str, str]:
    """A finding's text: ``sentence(lang)`` for every language of the catalogue."""
    return {lang: sentence(lang) for lang in messages.LANGUAGES}


def gap_source(gaps: Sequence[PerceptionGap]) -> dict[str, Any] | None:
    """Where the Social Relations Model places the gaps of one or more pairs.

    Each gap ``tie(A, B) - tie(B, A)`` is the sum of its parts
    (`GAP_PARTS`: the raters' leniency, the roles' reputation, the
    ties themselves and the respondents). Over ``gaps``, the part carrying most of the summed
    difference in its direction is named (``lies_with``) when it carries more than
    `GAP_SOURCE_SHARE` of it (and more than any other part),
    else ``lies_with`` is ``None``: no single source.  ``difference`` and ``parts`` are means per
    pair.  ``None`` without gaps or without a difference.
    """
    if not gaps:
        return None
    difference = sum(g.difference for g in gaps)
    if abs(difference) <= GAP_SOURCE_MARGIN:
        return None
    sign = 1.0 if difference > 0 else -1.0
    parts = {name: sum(float(getattr(g, name)) for g in gaps) for name in GAP_PARTS}
    ranked = sorted(GAP_PARTS, key=lambda name: -sign * parts[name])
    carried, runner_up = sign * parts[ranked[0]], sign * parts[ranked[1]]
    clear = (carried > GAP_SOURCE_SHARE * abs(difference) + GAP_SOURCE_MARGIN
             and carried > runner_up + GAP_SOURCE_MARGIN)
    n = len(gaps)
    return {
        "lies_with": ranked[0] if clear else None,
        "difference": difference / n,
        "parts": {name: value / n for name, value in parts.items()},
        "n_pairs": n,
    }


def _gap_sentence(key: str, source: dict[str, Any] | None, lang: str, **fields: object
                  ) -> str | None:
    """The sentence ``key.<lies_with>`` (``key.unclear`` without one), or ``None``."""
    if source is None:
        return None
    return messages.text(f"{key}.{source['lies_with'] or 'unclear'}", lang, **fields)


# --- the rules -------------------------------------------------------------------------------


def most_named(analysis: Analysis) -> tuple[Finding, ...]:
    """``most_named``: the roles with the most arrows in (in-degree).

    Rule: let ``d`` be the largest in-degree.  Reported when ``d >= 2`` and ``d`` is at least
    1.5 times the median in-degree of the roles named at all; the roles are those whose
    in-degree is at least 90 % of ``d``.  In-degree counts named arrows when the study has
    any, else rated ties (a role's arrow to itself excluded).
    """
    named = [r for r in analysis.roles if r.in_degree > 0]
    if not named:
        return ()
    top = max(r.in_degree for r in named)
    median = statistics.median(r.in_degree for r in named)
    if top < 2 or top < MOST_NAMED_STANDOUT * median:
        return ()
    chosen = [r for r in named if r.in_degree >= MOST_NAMED_SHARE * top]
    chosen.sort(key=lambda r: (-r.in_degree, r.id))
    ids = tuple(r.id for r in chosen)
    figures = {
        "in_degree": {r.id: r.in_degree for r in chosen},
        "out_degree": {r.id: r.out_degree for r in chosen},
        "median_in_degree": float(median),
        "basis": analysis.degree_basis,
    }
    key = "finding.most_named." + ("many" if len(ids) > 1 else "one")

    def sentence(lang: str) -> str:
        return messages.text(
            key, lang, roles=_names(analysis, ids, lang),
            word=messages.text(f"finding.most_named.{analysis.degree_basis}", lang),
            counts=messages.join([str(r.in_degree) for r in chosen], lang),
            median=messages.decimal(median, lang, trailing_zeros=False),
            outs=messages.join([str(r.out_degree) for r in chosen], lang),
        )

    return (Finding("most_named", ids, figures, _in_every_language(sentence)),)


def _unreturned_share(role: RoleSummary) -> float:
    return (role.out_degree - role.reciprocated) / role.out_degree if role.out_degree else 0.0


def overlooked(analysis: Analysis) -> tuple[Finding, ...]:
    """``overlooked``: roles that point to many, but few point back.

    Rule: a role is overlooked when its out-degree is above the median out-degree of the
    roles that name anyone, at least twice its in-degree, and at least half of its arrows
    are not returned (unreciprocated).  One finding lists all such roles, largest
    out-degree first.  With a Social Relations Model, for each such role that rates its
    partners higher than they rate it (over the pairs rated both ways, by at least 0.25 on
    average), the finding says where the model places that gap
    ([`gap_source`][relcoord.findings.gap_source]; figure ``srm``).
    """
    namers = [r for r in analysis.roles if r.out_degree > 0]
    if len(namers) < 2:
        return ()
    median = statistics.median(r.out_degree for r in namers)
    chosen = [
        r for r in namers
        if r.out_degree > median
        and r.out_degree >= OVERLOOKED_RATIO * r.in_degree
        and _unreturned_share(r) >= OVERLOOKED_UNRETURNED
    ]
    if not chosen:
        return ()
    chosen.sort(key=lambda r: (-r.out_degree, r.id))
    ids = tuple(r.id for r in chosen)
    sources: dict[str, dict[str, Any]] = {}
    partners = _srm_partners(analysis)
    for r in chosen:
        source = _overlooked_source(analysis, r.id, partners.get(r.id, ()))
        if source is not None:
            sources[r.id] = source
    figures: dict[str, Any] = {
        "out_degree": {r.id: r.out_degree for r in chosen},
        "in_degree": {r.id: r.in_degree for r in chosen},
        "unreciprocated_share": {r.id: _unreturned_share(r) for r in chosen},
        "median_out_degree": float(median),
        "basis": analysis.degree_basis,
    }
    if sources:
        figures["srm"] = {
            "lies_with": {role: s["lies_with"] for role, s in sources.items()},
            "difference": {role: s["difference"] for role, s in sources.items()},
            "parts": {role: s["parts"] for role, s in sources.items()},
            "n_pairs": {role: s["n_pairs"] for role, s in sources.items()},
        }

    def sentence(lang: str) -> str:
        parts = [f"{analysis.study.role(r.id).label(lang)} ({r.out_degree} → {r.in_degree})"
                 for r in chosen]
        out = [messages.text("finding.overlooked", lang, roles=messages.join(parts, lang))]
        for role, source in sources.items():
            out.append(messages.text(
                f"finding.overlooked.source.{source['lies_with'] or 'unclear'}", lang,
                role=analysis.study.role(role).label(lang),
                diff=messages.decimal(source["difference"], lang)))
        return " ".join(out)

    return (Finding("overlooked", ids, figures, _in_every_language(sentence)),)


def _srm_partners(analysis: Analysis) -> dict[str, list[str]]:
    """Per rater role, the other roles it has a tie with in the SRM, sorted (one pass over
    the model's ties, not one per role)."""
    partners: dict[str, set[str]] = {}
    if analysis.srm is not None:
        for t in analysis.srm.ties:
            if t.target != t.source:
                partners.setdefault(t.source, set()).add(t.target)
    return {role: sorted(targets) for role, targets in partners.items()}


def _overlooked_source(analysis: Analysis, role: str, partners: Sequence[str]
                       ) -> dict[str, Any] | None:
    """Where the model places the gap between how ``role`` rates its ``partners`` (the roles
    it has a tie with in the model, ``_srm_partners``) and how
    they rate it: [`gap_source`][relcoord.findings.gap_source] over every pair with both ties
    in the model, reported only when ``role`` rates its partners higher than they rate it (the
    overlooked side) by at least [`GAP_MIN`][relcoord.findings.GAP_MIN] on average."""
    srm = analysis.srm
    if srm is None:
        return None
    gaps = [g for g in (srm.perception_gap(role, other) for other in partners)
            if g is not None]
    source = gap_source(gaps)
    return source if source is not None and source["difference"] >= GAP_MIN else None


def internal_external_gap(analysis: Analysis) -> tuple[Finding, ...]:
    """``internal_external_gap``: ties inside an organisation vs ties across organisations.

    Rule: reported when both the internal and the external RC exist (between-group ties of
    roles with a known organisation, under the analysis weighting) and differ by at least
    0.25 scale points.  Its roles are none (it concerns the whole network); its figures give
    both values and each organisation's pair.
    """
    split = analysis.scores.organisations
    inside, across = split.internal.rc, split.external.rc
    if inside is None or across is None or abs(inside - across) < GAP_MIN:
        return ()
    figures = {
        "internal": inside,
        "external": across,
        "difference": inside - across,
        "internal_ties": split.internal.n_ties,
        "external_ties": split.external.n_ties,
        "weighting": analysis.settings.weighting,
        "by_organisation": {
            o.organisation: {"internal": o.internal.rc, "external": o.external.rc}
            for o in split.by_organisation
        },
    }
    key = "finding.internal_external_gap." + ("higher" if inside > across else "lower")

    def sentence(lang: str) -> str:
        return messages.text(
            key, lang, internal=messages.decimal(inside, lang),
            external=messages.decimal(across, lang), internal_ties=split.internal.n_ties,
            external_ties=split.external.n_ties,
        )

    return (Finding("internal_external_gap", (), figures, _in_every_language(sentence)),)


def named_but_absent(analysis: Analysis) -> tuple[Finding, ...]:
    """``named_but_absent``: groups that others named or rated but that had nobody present.

    Rule: a role is named but absent when another role points to it or rates it, and it is
    marked not present, or it has no respondents and names and rates nobody itself.
    Reported when there is at least one such role.
    """
    ids = analysis.named_but_absent
    if not ids:
        return ()
    present = sum(1 for r in analysis.roles if r.role.present and r.id not in ids)
    figures = {
        "count": len(ids),
        "present": present,
        "in_degree": {i: analysis.role(i).in_degree for i in ids},
    }

    def sentence(lang: str) -> str:
        return messages.text("finding.named_but_absent", lang, n=len(ids), present=present,
                             roles=_names(analysis, ids, lang))

    return (Finding("named_but_absent", ids, figures, _in_every_language(sentence)),)


def weak_ties(analysis: Analysis) -> tuple[Finding, ...]:
    """``weak_ties``: roles whose ties are mostly weak (RC below the low band limit).

    Rule: a role is reported when at least half of its rated between-group ties (as rater or
    target, at least 2 of them) are weak.  One finding lists them, highest share first.
    """
    chosen = [
        r for r in analysis.roles
        if r.weak_share is not None and r.n_rated_ties >= WEAK_MIN_TIES
        and r.weak_share >= WEAK_SHARE
    ]
    if not chosen:
        return ()
    chosen.sort(key=lambda r: (-(r.weak_share or 0.0), r.id))
    ids = tuple(r.id for r in chosen)
    low = analysis.settings.bands[0]
    rated = [t for t in analysis.scores.ties if t.rc is not None and t.source != t.target]
    n_weak = sum(1 for t in rated if t.band == "weak")
    figures = {
        "low": low,
        "weak_ties": n_weak,
        "rated_ties": len(rated),
        "weak_share": {r.id: r.weak_share for r in chosen},
        "n_rated_ties": {r.id: r.n_rated_ties for r in chosen},
    }

    def sentence(lang: str) -> str:
        parts = [f"{analysis.study.role(r.id).label(lang)} ({r.n_weak_ties}/{r.n_rated_ties})"
                 for r in chosen]
        return messages.text("finding.weak_ties", lang, weak=n_weak, rated=len(rated),
                             limit=messages.decimal(low, lang, 1),
                             roles=messages.join(parts, lang))

    return (Finding("weak_ties", ids, figures, _in_every_language(sentence)),)


def perception_gap(analysis: Analysis) -> tuple[Finding, ...]:
    """``perception_gap``: pairs of roles who see their tie most differently.

    Rule: for each pair rated in both directions, the difference ``rc(A->B) - rc(B->A)``;
    pairs with an absolute difference of at least 0.5 are reported, the three largest, one
    finding each (roles: the higher-rating role first).  With a Social Relations Model,
    the finding says where it places the gap ([`gap_source`][relcoord.findings.gap_source]; figure
    ``srm``).
    """
    pairs = [a for a in analysis.scores.asymmetry if abs(a.difference) >= PERCEPTION_MIN]
    pairs.sort(key=lambda a: (-abs(a.difference), a.first, a.second))
    out = []
    for pair in pairs[:PERCEPTION_MAX_PAIRS]:
        if pair.difference >= 0:
            hi, lo, hi_rc, lo_rc = pair.first, pair.second, pair.rc_forward, pair.rc_backward
        else:
            hi, lo, hi_rc, lo_rc = pair.second, pair.first, pair.rc_backward, pair.rc_forward
        figures: dict[str, Any] = {
            "higher": {"source": hi, "target": lo, "rc": hi_rc},
            "lower": {"source": lo, "target": hi, "rc": lo_rc},
            "difference": abs(pair.difference),
        }
        gap = None if analysis.srm is None else analysis.srm.perception_gap(hi, lo)
        source = gap_source([gap]) if gap is not None else None
        if source is not None and source["difference"] <= 0:
            source = None  # the model's ties do not show the gap the scores show
        if source is not None:
            figures["srm"] = {k: source[k] for k in ("lies_with", "difference", "parts")}
        out.append(Finding("perception_gap", (hi, lo), figures,
                           _in_every_language(_perception_sentence(analysis, hi, lo, hi_rc,
                                                                   lo_rc, source))))
    return tuple(out)


def dialogue(analysis: Analysis) -> tuple[Finding, ...]:
    """``dialogue``: what the balkort invitations show.

    Rule: reported when the study has invitations.  Figures: invitations sent, accepted
    (accepted or held), declined and left open, the acceptance rate among answered
    invitations, the most invited roles (largest number received, ties included; the
    finding's roles), reciprocated pairs and the share of weak or one-sided ties (weak RC,
    or an arrow not returned) that an invitation reaches.  A role whose dialogue stalls
    (at least 4 answered invitations sent or received, of which at most half the overall
    acceptance rate were accepted; the Trivsel Smiley article's "teachers lack dialogue and
    support") is named too, after the most invited roles (figure ``low_acceptance``).
    """
    inv = analysis.invitations
    if inv is None or inv.n_invitations == 0:
        return ()
    status = inv.by_status
    accepted = status.accepted + status.held
    top = max(r.received for r in inv.roles)
    invited = tuple(r.role for r in inv.roles if r.received == top and top > 0)
    coverage = inv.coverage.share
    stalled = _stalled_dialogue(inv.roles, inv.acceptance_rate)
    figures = {
        "sent": inv.n_invitations,
        "accepted": accepted,
        "declined": status.declined,
        "pending": status.pending,
        "acceptance_rate": inv.acceptance_rate,
        "most_invited": dict.fromkeys(invited, top),
        "reciprocated_pairs": len(inv.reciprocated),
        "weak_or_asymmetric_ties": inv.coverage.n_ties,
        "coverage": coverage,
        "low_acceptance": stalled,
    }

    def sentence(lang: str) -> str:
        counts = {"n": inv.n_invitations, "accepted": accepted, "declined": status.declined,
                  "pending": status.pending}
        if inv.acceptance_rate is None:
            parts = [messages.text("finding.dialogue.counts", lang, **counts)]
        else:
            parts = [messages.text("finding.dialogue.counts_rate", lang, **counts,
                                   rate=messages.percent(inv.acceptance_rate, lang))]
        if invited:
            parts.append(messages.text("finding.dialogue.most_invited", lang,
                                       roles=_names(analysis, invited, lang), n=top))
        if coverage is not None:
            parts.append(messages.text("finding.dialogue.coverage", lang,
                                       share=messages.percent(coverage, lang),
                                       n=inv.coverage.n_ties))
        if stalled:
            rates = ", ".join(messages.percent(rate, lang) for rate in stalled.values())
            parts.append(messages.text("finding.dialogue.stalled", lang,
                                       roles=_names(analysis, tuple(stalled), lang),
                                       rates=rates))
        return " ".join(parts)

    roles = tuple(dict.fromkeys((*invited, *stalled)))
    return (Finding("dialogue", roles, figures, _in_every_language(sentence)),)


def _perception_sentence(
    analysis: Analysis, hi: str, lo: str, hi_rc: float, lo_rc: float,
    source: dict[str, Any] | None,
) -> Callable[[str], str]:
    def sentence(lang: str) -> str:
        a, b = analysis.study.role(hi).label(lang), analysis.study.role(lo).label(lang)
        text = messages.text(
            "finding.perception_gap", lang, a=a, b=b, rc_a=messages.decimal(hi_rc, lang),
            rc_b=messages.decimal(lo_rc, lang),
        )
        where = _gap_sentence("finding.perception_gap.source", source, lang, a=a, b=b)
        return text if where is None else f"{text} {where}"

    return sentence


def _stalled_dialogue(
    roles: Sequence[RoleInvitations], overall: float | None
) -> dict[str, float]:
    """Roles whose answered invitations (sent or received, at least 4) were accepted at
    most half as often as all answered invitations, lowest rate first."""
    if not overall:
        return {}
    rates: dict[str, float] = {}
    for r in roles:
        yes = (r.sent_by_status.accepted + r.sent_by_status.held
               + r.received_by_status.accepted + r.received_by_status.held)
        answered = yes + r.sent_by_status.declined + r.received_by_status.declined
        if answered >= 4 and yes / answered <= overall / 2:
            rates[r.role] = yes / answered
    return dict(sorted(rates.items(), key=lambda item: (item[1], item[0])))


_RULES: Final = (
    most_named, overlooked, internal_external_gap, named_but_absent, weak_ties,
    perception_gap, dialogue,
)


def findings(analysis: Analysis) -> tuple[Finding, ...]:
    """Every finding the data of ``analysis`` supports, in
    `FINDING_KINDS` order."""
    out: list[Finding] = []
    for rule in _RULES:
        out.extend(rule(analysis))
    return tuple(out)
