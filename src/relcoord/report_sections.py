"""The report's sections on trustworthy numbers: reliability and agreement, and change.

:func:`build_report <relcoord.report.build_report>` adds them with
:meth:`Report.with_section <relcoord.report.Report.with_section>`:

``reliability`` (after the data-quality section)
    Cronbach's alpha of the RC index and its sub-indices against the conventional .70
    (Nunnally 1978), the agreement within ties, r_wg(J) against .70 (LeBreton & Senter
    2008) with AD beside it (Burke & Dunlap 2002), and ICC(1) and ICC(2) with their usual
    ranges (Bliese 2000).  Agreement is shown only for a tie in a wave with at least
    ``min_respondents`` raters, as the analysis holds it.
``change`` (when the analysis compares two waves)
    the change of the network, each role and each tie with its bootstrap interval and
    minimal detectable change (MDC), the arrows gained, lost and reversed, and a figure.

Like the rest of the report, the sections compute nothing: every number is read from the
:class:`~relcoord.analysis.Analysis`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

from relcoord.metrics.reliability import ICC1_TYPICAL, ICC2_CUTOFF, agreement_band
from relcoord.report_model import (
    Block,
    Cell,
    ColumnKind,
    FigureRef,
    Paragraph,
    Section,
    Table,
    format_cell,
)

if TYPE_CHECKING:
    from relcoord.analysis import Analysis
    from relcoord.metrics.waves import Change

__all__ = ["WEAKEST_AGREEMENT", "change_section", "reliability_section", "section_text"]

#: How many tie-waves with the lowest agreement the reliability section lists.
WEAKEST_AGREEMENT: Final = 15

_TEXT: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {
        "reliability": "Reliability and agreement",
        "reliability_intro": "Are the numbers worth reading? Three checks, each with the "
        "threshold in common use. Cronbach's alpha says whether the items of a scale "
        "measure one thing: alpha ≥ .70 is the usual minimum (Nunnally 1978), and RC "
        "surveys typically report .77 to .90. r_wg(J) says whether the raters in one role "
        "agree about the role they rate: r_wg(J) ≥ .70 is enough agreement to average "
        "them (LeBreton & Senter 2008); AD(J) ≤ A/6 says the same in scale points (Burke "
        "& Dunlap 2002). ICC(1) is the share of a rating that depends on the rater's "
        "group, typically .05 to .20 in organisations (Bliese 2000); ICC(2) ≥ .70 says "
        "the group means are reliable.",
        "alpha_table": "Internal consistency (Cronbach's alpha, complete cases)",
        "alpha_note": "Threshold: alpha ≥ {cut}. A scale without items in this instrument "
        "has no alpha.",
        "agreement_table": "Agreement within ties (r_wg(J) and AD(J), RC items)",
        "agreement_note": "Agreement is computed per tie and wave (the raters in one role "
        "about one role) and shown only where at least {k} raters answered every item; "
        "{w} tie-waves had fewer and are left out.",
        "weakest_table": "Ties with the lowest agreement",
        "weakest_note": "At most {n} tie-waves, lowest r_wg(J) first; all are in the "
        "Analysis JSON. Reading: LeBreton & Senter (2008), table 3.",
        "icc_table": "Dependence on the rater's group (ICC)",
        "icc_note": "One-way analysis of variance of respondents (their mean RC over the "
        "roles they rated) nested in their {by}; k0 is the group size for unequal groups. "
        "ICC(1) typically lies between {low} and {high}; ICC(2) ≥ {cut} means reliable "
        "group means.",
        "by_role": "role", "by_organisation": "organisation", "by_custom": "group",
        "scale": "Scale", "alpha": "Alpha", "cases": "Complete cases",
        "threshold": "Threshold", "meets": "Meets it", "rc": "RC index",
        "communication": "Communication", "relationship": "Relationship",
        "measure": "Measure", "value": "Value", "n_ties": "Tie-waves with agreement",
        "mean_rwg": "Mean r_wg(J)", "median_rwg": "Median r_wg(J)",
        "share_rwg": "Share with r_wg(J) ≥ {cut}", "mean_ad": "Mean AD(J)",
        "ad_cut": "AD(J) cut-off (A/6)", "share_ad": "Share with AD(J) within the cut-off",
        "withheld": "Tie-waves left out (fewer than {k} raters)",
        "rater": "Rater", "target": "Target", "wave": "Wave", "raters": "Raters",
        "role": "Role",
        "rwg_j": "r_wg(J)", "reading": "Reading", "ad_j": "AD(J)",
        "grouping": "Grouping", "respondents": "Respondents", "groups": "Groups",
        "k0": "k0", "icc1": "ICC(1)", "icc2": "ICC(2)",
        "change": "Change from {a} to {b}",
        "change_intro": "How RC moved between the two waves. RC moves slowly, so every "
        "change comes with two yardsticks: a {p}% bootstrap confidence interval "
        "({n} replicates, seed {seed}; respondents resampled within their role), and the "
        "minimal detectable change (MDC95 = 1.96 × √2 × SEM, SEM = SD × √(1 − reliability); "
        "Weir 2005, de Vet et al. 2006), here from a reliability of {rel} ({source}). A "
        "change is clear when the interval excludes 0 and the change exceeds the MDC.",
        "change_privacy": "Only ties that can be shown in every wave (at least {k} "
        "respondents in each) and were rated in both compared waves take part: {n} ties. "
        "{m} ties rated in either wave are left out, so that no wave's hidden figure can "
        "be worked out from the pooled one. Roles and the network are computed from the "
        "ties that take part.",
        "change_caption": "Change of the network and of each role as rater and as target, "
        "with bootstrap intervals.",
        "network_table": "The network",
        "roles_table": "Roles: change as rater and as target",
        "ties_table": "Ties: change of RC",
        "arrows_table": "Arrows gained, lost and reversed",
        "arrows_note": "{basis}; {kept} arrows are in both waves. A reversed arrow ran the "
        "other way in {a}.",
        "basis_arrows": "Named arrows (relationship map)",
        "basis_ratings": "Rated ties (the study has no named arrows)",
        "figure": "Figure", "in_a": "{a}", "in_b": "{b}", "delta": "Change",
        "interval": "Interval", "mdc": "MDC", "clear": "Clear change",
        "delta_rater": "Change as rater", "delta_target": "Change as target",
        "overall": "Network (all ties)", "within": "Within roles", "between": "Between roles",
        "kind": "Change", "gained": "gained", "lost": "lost", "reversed": "reversed",
        "reliability_given": "given", "reliability_alpha": "Cronbach's alpha of wave {a}",
        "no_reliability": "none",
    },
    "da": {
        "reliability": "Pålidelighed og enighed",
        "reliability_intro": "Er tallene værd at læse? Tre tjek, hver med den grænse, der "
        "normalt bruges. Cronbachs alfa siger, om spørgsmålene i en skala måler det samme: "
        "alfa ≥ 0,70 er det sædvanlige minimum (Nunnally 1978), og RC-undersøgelser "
        "rapporterer typisk 0,77 til 0,90. r_wg(J) siger, om deltagerne i en gruppe er "
        "enige om den gruppe, de vurderer: r_wg(J) ≥ 0,70 er enighed nok til at bruge "
        "gennemsnittet (LeBreton & Senter 2008); AD(J) ≤ A/6 siger det samme i "
        "skalapoint (Burke & Dunlap 2002). ICC(1) er den del af en vurdering, der afhænger "
        "af den vurderendes gruppe, typisk 0,05 til 0,20 i organisationer (Bliese 2000); "
        "ICC(2) ≥ 0,70 betyder pålidelige gruppegennemsnit.",
        "alpha_table": "Intern konsistens (Cronbachs alfa, fuldstændige besvarelser)",
        "alpha_note": "Grænse: alfa ≥ {cut}. En skala uden spørgsmål i dette instrument har "
        "ingen alfa.",
        "agreement_table": "Enighed inden for relationer (r_wg(J) og AD(J), RC-spørgsmål)",
        "agreement_note": "Enighed beregnes pr. relation og runde (deltagerne i én gruppe "
        "om én gruppe) og vises kun, hvor mindst {k} deltagere besvarede alle spørgsmål; "
        "{w} relationer i en runde havde færre og er udeladt.",
        "weakest_table": "Relationer med mindst enighed",
        "weakest_note": "Højst {n} relationer i en runde, lavest r_wg(J) først; alle står i "
        "analysens JSON. Læsning: LeBreton & Senter (2008), tabel 3.",
        "icc_table": "Afhængighed af den vurderendes gruppe (ICC)",
        "icc_note": "Envejs-variansanalyse af deltagerne (deres gennemsnitlige RC over de "
        "grupper, de vurderede) inden for deres {by}; k0 er gruppestørrelsen ved ulige "
        "store grupper. ICC(1) ligger typisk mellem {low} og {high}; ICC(2) ≥ {cut} "
        "betyder pålidelige gruppegennemsnit.",
        "by_role": "gruppe", "by_organisation": "organisation", "by_custom": "gruppering",
        "scale": "Skala", "alpha": "Alfa", "cases": "Fuldstændige besvarelser",
        "threshold": "Grænse", "meets": "Opfyldt", "rc": "RC-indeks",
        "communication": "Kommunikation", "relationship": "Relationer",
        "measure": "Mål", "value": "Værdi", "n_ties": "Relationer i en runde med enighed",
        "mean_rwg": "Gennemsnitlig r_wg(J)", "median_rwg": "Median r_wg(J)",
        "share_rwg": "Andel med r_wg(J) ≥ {cut}", "mean_ad": "Gennemsnitlig AD(J)",
        "ad_cut": "Grænse for AD(J) (A/6)", "share_ad": "Andel med AD(J) inden for grænsen",
        "withheld": "Relationer i en runde udeladt (færre end {k} deltagere)",
        "rater": "Vurderende", "target": "Vurderet", "wave": "Runde", "raters": "Deltagere",
        "role": "Gruppe",
        "rwg_j": "r_wg(J)", "reading": "Læsning", "ad_j": "AD(J)",
        "grouping": "Gruppering", "respondents": "Deltagere", "groups": "Grupper",
        "k0": "k0", "icc1": "ICC(1)", "icc2": "ICC(2)",
        "change": "Ændring fra {a} til {b}",
        "change_intro": "Hvordan RC har flyttet sig mellem de to runder. RC ændrer sig "
        "langsomt, så hver ændring har to målestokke: et {p} % bootstrap-"
        "konfidensinterval ({n} gentagelser, frø {seed}; deltagere trukket inden for deres "
        "gruppe) og den mindste påviselige ændring (MDC95 = 1,96 × √2 × SEM, SEM = SD × "
        "√(1 − pålidelighed); Weir 2005, de Vet m.fl. 2006), her ud fra en pålidelighed på "
        "{rel} ({source}). En ændring er tydelig, når intervallet udelukker 0, og ændringen "
        "er større end MDC.",
        "change_privacy": "Kun relationer, der kan vises i alle runder (mindst {k} "
        "deltagere i hver), og som er vurderet i begge sammenlignede runder, er med: {n} "
        "relationer. {m} relationer vurderet i en af runderne er udeladt, så ingen rundes "
        "skjulte tal kan regnes ud fra det samlede. Grupper og netværk beregnes ud fra de "
        "relationer, der er med.",
        "change_caption": "Ændring for netværket og for hver gruppe som vurderende og som "
        "vurderet, med bootstrap-intervaller.",
        "network_table": "Netværket",
        "roles_table": "Funktionsgrupper: ændring som vurderende og som vurderet",
        "ties_table": "Relationer: ændring i RC",
        "arrows_table": "Pile, der er kommet til, forsvundet eller vendt",
        "arrows_note": "{basis}; {kept} pile findes i begge runder. En vendt pil gik den "
        "anden vej i {a}.",
        "basis_arrows": "Tegnede pile (relationskort)",
        "basis_ratings": "Vurderede relationer (undersøgelsen har ingen tegnede pile)",
        "figure": "Tal", "in_a": "{a}", "in_b": "{b}", "delta": "Ændring",
        "interval": "Interval", "mdc": "MDC", "clear": "Tydelig ændring",
        "delta_rater": "Ændring som vurderende", "delta_target": "Ændring som vurderet",
        "overall": "Netværket (alle relationer)", "within": "Inden for grupper",
        "between": "Mellem grupper",
        "kind": "Ændring", "gained": "ny", "lost": "forsvundet", "reversed": "vendt",
        "reliability_given": "angivet", "reliability_alpha": "Cronbachs alfa i {a}",
        "no_reliability": "ingen",
    },
}


def section_text(key: str, lang: str) -> str:
    """A fixed phrase of these sections in ``lang`` (``da`` or ``en``), e.g. a caption."""
    return _TEXT[lang][key]


def _number(value: float | None, lang: str) -> str:
    return format_cell(value, "number", lang)


def _interval(change: Change, lang: str) -> str | None:
    """``[-0.14; 0.28]`` (``None`` when the interval is undefined)."""
    if change.ci_low is None or change.ci_high is None:
        return None
    return f"[{_number(change.ci_low, lang)}; {_number(change.ci_high, lang)}]"


def reliability_section(analysis: Analysis, lang: str) -> Section:
    """The data-quality section on reliability: alpha, agreement within ties and the ICC.

    Thresholds are named in the text and applied in the tables: alpha >= .70 (Nunnally
    1978), r_wg(J) >= .70 (LeBreton & Senter 2008), AD(J) <= A/6 (Burke & Dunlap 2002),
    ICC(1) typically .05-.20 and ICC(2) >= .70 (Bliese 2000).
    """
    t = _TEXT[lang]
    summary = analysis.reliability
    k = analysis.settings.min_respondents
    cut = summary.settings.alpha_cutoff
    instrument = analysis.study.instrument
    alpha_rows: list[tuple[Cell, ...]] = []
    for scale, result in summary.alpha.items():
        has_items = bool(result.items) if scale != "rc" else bool(instrument.keys)
        value = result.alpha
        alpha_rows.append((t[scale], value, result.n if has_items else None, cut,
                           None if value is None else value >= cut))
    alpha = Table(t["alpha_table"], [t["scale"], t["alpha"], t["cases"], t["threshold"],
                                     t["meets"]],
                  ["text", "number", "int", "number", "bool"], alpha_rows,
                  t["alpha_note"].format(cut=_number(cut, lang)))
    table = summary.agreement
    rwg_cut = table.rwg_cutoff

    def text(value: float | int | None, kind: ColumnKind) -> str:
        return format_cell(value, kind, lang)

    agreement = Table(
        t["agreement_table"], [t["measure"], t["value"]], ["text", "text"],
        [(t["n_ties"], text(table.n_ties, "int")),
         (t["mean_rwg"], text(table.mean_rwg_j, "number")),
         (t["median_rwg"], text(table.median_rwg_j, "number")),
         (t["share_rwg"].format(cut=_number(rwg_cut, lang)),
          text(table.share_rwg_j_above_cutoff, "percent")),
         (t["mean_ad"], text(table.mean_ad_j, "number")),
         (t["ad_cut"], text(table.ad_cutoff, "number")),
         (t["share_ad"], text(table.share_ad_j_within_cutoff, "percent")),
         (t["withheld"].format(k=k), text(analysis.reliability_withheld, "int"))],
        t["agreement_note"].format(k=k, w=analysis.reliability_withheld),
    )
    blocks: list[Block] = [Paragraph(t["reliability_intro"], "note"), alpha, agreement]
    rated = sorted((x for x in table.ties if x.rwg_j is not None),
                   key=lambda x: (x.rwg_j, x.wave or "", x.source, x.target))
    if rated:
        study = analysis.study
        blocks.append(Table(
            t["weakest_table"],
            [t["rater"], t["target"], t["wave"], t["raters"], t["rwg_j"], t["reading"],
             t["ad_j"]],
            ["text", "text", "text", "int", "number", "text", "number"],
            [(study.role(x.source).label(lang), study.role(x.target).label(lang), x.wave,
              x.n, x.rwg_j, agreement_band(x.rwg_j), x.ad_j)
             for x in rated[:WEAKEST_AGREEMENT]],
            t["weakest_note"].format(n=WEAKEST_AGREEMENT),
        ))
    icc = summary.icc
    by = t.get(f"by_{icc.grouping}", icc.grouping)
    blocks.append(Table(
        t["icc_table"],
        [t["grouping"], t["respondents"], t["groups"], t["k0"], t["icc1"], t["icc2"]],
        ["text", "int", "int", "number", "number", "number"],
        [(by, icc.n, icc.n_groups, icc.k, icc.icc1, icc.icc2)],
        t["icc_note"].format(by=by, low=_number(ICC1_TYPICAL[0], lang),
                             high=_number(ICC1_TYPICAL[1], lang),
                             cut=_number(ICC2_CUTOFF, lang)),
    ))
    return Section("reliability", t["reliability"], blocks)


def change_section(analysis: Analysis, lang: str) -> Section | None:
    """The change between the compared waves (``None`` when the analysis has no comparison):
    network, roles, ties and arrows, each change with its interval and MDC, and a figure."""
    change = analysis.change
    if change is None:
        return None
    t = _TEXT[lang]
    study = analysis.study
    a, b = change.wave_a, change.wave_b
    if change.reliability is None:
        reliability, source = t["no_reliability"], ""
    else:
        reliability = _number(change.reliability, lang)
        source = (t["reliability_given"] if change.reliability_source == "given"
                  else t["reliability_alpha"].format(a=a))
    blocks: list[Block] = [
        Paragraph(t["change_intro"].format(
            p=round(100 * change.confidence), n=change.n_boot, seed=change.seed,
            rel=reliability, source=source or t["no_reliability"]), "note"),
        Paragraph(t["change_privacy"].format(k=analysis.settings.min_respondents,
                                             n=len(change.ties),
                                             m=len(analysis.change_left_out)), "note"),
        FigureRef("change", t["change_caption"]),
    ]
    header = [t["figure"], a, b, t["delta"], t["interval"], t["mdc"], t["clear"]]
    kinds: list[ColumnKind] = ["text", "number", "number", "number", "text", "number", "bool"]
    blocks.append(Table(
        t["network_table"], header, kinds,
        [(t[key], c.a, c.b, c.change, _interval(c, lang), c.mdc, c.is_clear)
         for key, c in (("overall", change.network), ("within", change.within),
                        ("between", change.between))],
    ))
    roles = [r for r in change.roles
             if r.as_rater.change is not None or r.as_target.change is not None]
    if roles:
        blocks.append(Table(
            t["roles_table"],
            [t["role"], t["delta_rater"], t["interval"], t["delta_target"], t["interval"]],
            ["text", "number", "text", "number", "text"],
            [(study.role(r.id).label(lang), r.as_rater.change, _interval(r.as_rater, lang),
              r.as_target.change, _interval(r.as_target, lang)) for r in roles],
        ))
    if change.ties:
        blocks.append(Table(
            t["ties_table"],
            [t["rater"], t["target"], a, b, t["delta"], t["interval"], t["mdc"], t["clear"]],
            ["text", "text", "number", "number", "number", "text", "number", "bool"],
            [(study.role(x.source).label(lang), study.role(x.target).label(lang), x.rc.a,
              x.rc.b, x.rc.change, _interval(x.rc, lang), x.rc.mdc, x.rc.is_clear)
             for x in change.ties],
        ))
    arrows = change.arrows
    rows = [(t[kind], study.role(s).label(lang), study.role(g).label(lang))
            for kind, pairs in (("gained", arrows.gained), ("lost", arrows.lost),
                                ("reversed", arrows.reversed)) for s, g in pairs]
    blocks.append(Table(
        t["arrows_table"], [t["kind"], t["rater"], t["target"]], ["text", "text", "text"],
        rows, t["arrows_note"].format(basis=t[f"basis_{arrows.basis}"], kept=arrows.kept,
                                      a=a),
    ))
    return Section("change", t["change"].format(a=a, b=b), blocks)
