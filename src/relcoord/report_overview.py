"""The report's framing sections: the overview that opens it, the data quality and the
method and settings that close it.

The overview says what the study holds, then frames the results as the seed article does
(Psykiatrifonden, *Trivsel Smiley*, 2019): what works before what could be strengthened,
in hedged words ("is rated lower"), and the caveat that the results describe these
participants at this time and could have looked different with others.  It repeats the RC
figures of the network (all ties, within and between roles, inside and across
organisations) with the weighting that produced them.  The data-quality section counts
who took part and which ratings counted.  The method section names every setting a number
depends on, so that a reader can reproduce it, and the privacy rule in force (Gittell
2016, appendix, for the RC formulas).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from relcoord import messages
from relcoord.report_labels import (
    band_cell,
    band_label,
    heading,
    instrument_title,
    organisation_label,
    role_label,
    roles_by_name,
)
from relcoord.report_model import (
    MISSING,
    Block,
    BulletList,
    Cell,
    Paragraph,
    Section,
    Table,
    format_cell,
)

if TYPE_CHECKING:
    from relcoord.analysis import Analysis
    from relcoord.metrics.scores import Figure

__all__ = ["STRONGEST_NAMED", "method_section", "overview_section", "quality_section",
           "rc_table"]

#: How many of the strongest ties the overview names.
STRONGEST_NAMED: Final = 3


def rc_table(analysis: Analysis, lang: str) -> Table:
    """The RC figures of the network and its parts, with the weighting that produced them."""
    t = messages.section("report", lang)
    s = analysis.scores
    entries: list[tuple[str, Figure]] = [
        (heading("scope.network", lang), s.overall), (heading("scope.within", lang), s.within),
        (heading("scope.between", lang), s.between),
        (heading("scope.internal", lang), s.organisations.internal),
        (heading("scope.external", lang), s.organisations.external),
    ]
    rows = [
        (label, f.rc, f.communication, f.relationship, f.n_respondents, f.n_ratings,
         f.n_ties, band_cell(f.band, lang))
        for label, f in entries
    ]
    weighting = t[f"weighting_{analysis.settings.weighting}"]
    return Table(
        t["rc_table"],
        [t["scope"], t["rc"], heading("sub_index.communication", lang),
         heading("sub_index.relationship", lang), t["respondents"],
         t["ratings"], t["ties"], t["band"]],
        ["text", "number", "number", "number", "int", "int", "int", "text"],
        rows,
        f"{t['weighting']}: {weighting}.",
    )


def _scope_extremes(analysis: Analysis, lang: str) -> tuple[tuple[str, float], ...]:
    """The two parts of the network worth comparing, highest RC first: inside and across
    organisations when the roles belong to several, else within and between roles."""
    s = analysis.scores
    for pair in ((("internal", s.organisations.internal), ("external", s.organisations.external)),
                 (("within", s.within), ("between", s.between))):
        rated = [(messages.text(f"scope.{key}", lang), f.rc) for key, f in pair
                 if f.rc is not None]
        if len(rated) == 2:
            return tuple(sorted(((w, rc) for w, rc in rated if rc is not None),
                                key=lambda item: -item[1]))
    return ()


def _reading(analysis: Analysis, lang: str) -> list[Block]:
    """What works, then what could be strengthened, then the caveat."""
    t = messages.section("report.reading", lang)
    study = analysis.study
    rated = sorted((x for x in analysis.scores.ties if x.rc is not None and x.source != x.target),
                   key=lambda x: (-(x.rc or 0.0), x.source, x.target))
    blocks: list[Block] = []
    if rated:
        low, high = (format_cell(v, "number", lang) for v in analysis.settings.bands)
        strong = sum(1 for x in rated if x.band == "strong")
        weak = sum(1 for x in rated if x.band == "weak")
        scopes = _scope_extremes(analysis, lang)
        named = messages.join([t["tie"].format(
            source=role_label(study, x.source, lang), target=role_label(study, x.target, lang),
            rc=format_cell(x.rc, "number", lang)) for x in rated[:STRONGEST_NAMED]], lang)
        if scopes:
            works = t["strengths"].format(strong=strong, rated=len(rated), high=high,
                                          scope=scopes[0][0],
                                          rc=format_cell(scopes[0][1], "number", lang))
            concerns = t["concerns"].format(weak=weak, rated=len(rated), low=low,
                                            scope=scopes[-1][0],
                                            rc=format_cell(scopes[-1][1], "number", lang))
        else:
            works = t["strengths_plain"].format(strong=strong, rated=len(rated), high=high)
            concerns = t["concerns_plain"].format(weak=weak, rated=len(rated), low=low)
        blocks += [Paragraph(f"{works} {t['strongest_named'].format(ties=named)}"),
                   Paragraph(concerns)]
    blocks.append(Paragraph(t["caveat"], "note"))
    return blocks


def overview_section(analysis: Analysis, lang: str) -> Section:
    """What the study holds and the RC of the whole network; what works and what could be
    strengthened; the caveat; the table of RC figures."""
    study = analysis.study
    overall = analysis.scores.overall
    text = messages.text(
        "report.overview_text", lang, roles=len(study.roles),
        present=sum(1 for r in study.roles if r.present), respondents=len(study.respondents),
        ratings=analysis.privacy.n_ratings, arrows=len(study.ties),
        invitations=len(study.invitations),
        rc=format_cell(overall.rc, "number", lang), band=band_label(overall.band, lang) or MISSING,
    )
    return Section("overview", messages.text("report.overview", lang),
                   (Paragraph(text), *_reading(analysis, lang), rc_table(analysis, lang)))


# --- data quality --------------------------------------------------------------------------


def _counts_table(analysis: Analysis, lang: str) -> Table:
    t = messages.section("report", lang)
    study = analysis.study
    s = analysis.scores
    return Table(
        t["counts_table"], [t["measure"], t["count"]], ["text", "int"],
        [(t["n_roles"], len(study.roles)),
         (t["n_present"], sum(1 for r in study.roles if r.present)),
         (t["n_respondents"], len(study.respondents)),
         (t["n_ratings"], analysis.privacy.n_ratings),
         (t["n_withheld"], analysis.privacy.ratings_withheld),
         (t["n_counted"], s.n_counted), (t["n_excluded"], s.n_excluded),
         (t["n_arrows"], len(study.ties)),
         (t["n_invitations"], len(study.invitations))],
    )


def _coverage_table(analysis: Analysis, lang: str) -> Table:
    t = messages.section("report", lang)
    coverage = analysis.network.coverage
    return Table(
        t["coverage_table"], [t["measure"], t["count"], t["share"]],
        ["text", "int", "percent"],
        [(t["with_respondents"], coverage.with_respondents, coverage.share_with_respondents),
         (t["rating"], coverage.rating, coverage.share_rating),
         (t["naming"], coverage.naming, coverage.share_naming)],
    )


def _respondents_table(analysis: Analysis, lang: str) -> Table:
    t = messages.section("report", lang)
    summaries = {r.id: r for r in analysis.roles}
    return Table(
        t["respondents_table"],
        [t["role"], t["organisation"], t["present"], t["respondents"], t["raters"], t["ties"]],
        ["text", "text", "bool", "int", "int", "int"],
        [(r.role.label(lang), organisation_label(r.role.organisation, lang), r.role.present,
          r.n_respondents, r.n_raters, r.n_rated_ties)
         for r in (summaries[i] for i in roles_by_name(analysis.study, summaries, lang))],
    )


def quality_section(analysis: Analysis, lang: str) -> Section:
    """Who took part and which ratings counted; the roles named but absent as a subsection."""
    t = messages.section("report", lang)
    subsections: list[Section] = []
    if analysis.named_but_absent:
        subsections.append(Section("named-but-absent", heading("role.absent", lang), (
            BulletList(analysis.study.role(r).label(lang)
                       for r in roles_by_name(analysis.study, analysis.named_but_absent, lang)),
        )))
    return Section("quality", t["quality"], (
        Paragraph(t["quality_intro"], "note"), _counts_table(analysis, lang),
        _coverage_table(analysis, lang), _respondents_table(analysis, lang),
    ), subsections)


# --- method and settings -------------------------------------------------------------------


def _settings_rows(analysis: Analysis, lang: str) -> list[tuple[Cell, ...]]:
    """Every setting a number depends on, as (setting, value) rows."""
    from relcoord import __version__

    t = messages.section("report", lang)
    settings = analysis.settings
    s = analysis.scores
    net = analysis.network
    instrument = analysis.study.instrument
    low, high = settings.bands
    min_items = (f"{s.min_items} ({t['min_items_rule']})" if settings.min_items is None
                 else str(s.min_items))
    min_respondents = str(settings.min_respondents)
    if settings.min_respondents_override:
        min_respondents += f" ({t['override_used']})"
    rows: list[tuple[Cell, ...]] = [
        (t["instrument"], instrument_title(instrument, lang)),
        (t["items"], ", ".join(d.name(lang) for d in instrument.dimensions)),
        (t["weighting"], messages.capital(t[f"weighting_{settings.weighting}"])),
        (t["min_items"], min_items),
        (t["min_respondents"], min_respondents),
        (t["bands"], f"{format_cell(low, 'number', lang)} / "
                     f"{format_cell(high, 'number', lang)}"),
        (t["degree_basis"], messages.text(f"basis.{analysis.degree_basis}", lang)),
        (t["network_backend"], net.backend),
        (t["pagerank"], format_cell(net.damping, "number", lang)),
        (t["community_method"], net.community_method),
    ]
    if settings.compare is not None:
        rows += [
            (t["compare"], f"{settings.compare[0]} → {settings.compare[1]}"),
            (t["bootstrap"], t["bootstrap_value"].format(n=settings.n_boot, seed=settings.seed)),
        ]
    rows.append((t["version"], __version__))
    return rows


def _privacy_note(analysis: Analysis, lang: str) -> str:
    """The minimum-respondent rule in force, and a warning when it was lowered below 3."""
    t = messages.section("report", lang)
    k = analysis.settings.min_respondents
    note = t["privacy_note"].format(k=k)
    if analysis.settings.min_respondents_override:
        note += " " + t["override_note"].format(k=k)
    return note


def method_section(analysis: Analysis, lang: str) -> Section:
    """The settings behind every number, the formulas and the privacy rule."""
    t = messages.section("report", lang)
    low, high = analysis.settings.bands
    return Section("method", t["method"], (
        Paragraph(t["method_intro"]),
        Table(t["settings_table"], [t["setting"], t["value"]], ["text", "text"],
              _settings_rows(analysis, lang)),
        Paragraph(t["formulas"].format(low=format_cell(low, "number", lang),
                                       high=format_cell(high, "number", lang)), "note"),
        Paragraph(_privacy_note(analysis, lang), "note"),
    ))
