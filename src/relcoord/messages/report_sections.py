"""The phrases of the report's sections on trustworthy numbers, reliability and change.

They serve `relcoord.report_sections`: ``report.reliability.*`` the
reliability and agreement section (with the verbal bands of r_wg), ``report.change.*`` the change
between two waves.  Words the rest of the report uses as well (``Rater``, ``Measure``...) are its
``report.*`` entries.
"""

from __future__ import annotations

from typing import Final

from relcoord.messages.message import Message

__all__ = ["ENTRIES"]

#: The entries of this part of the catalogue, by key.
ENTRIES: Final[dict[str, Message]] = {
    # the reliability section
    "report.reliability.title": Message(
        en="Reliability and agreement",
        da="Pålidelighed og enighed",
    ),
    "report.reliability.intro": Message(
        en="Are the numbers worth reading? Three checks, each with the threshold in common use. "
           "Cronbach's alpha says whether the items of a scale measure one thing: alpha ≥ .70 is "
           "the usual minimum (Nunnally 1978), and RC surveys typically report .77 to .90. "
           "r_wg(J) says whether the raters in one role agree about the role they rate: r_wg(J) ≥ "
           ".70 is enough agreement to average them (LeBreton & Senter 2008); AD(J) ≤ A/6 says "
           "the same in scale points (Burke & Dunlap 2002). ICC(1) is the share of a rating that "
           "depends on the rater's group, typically .05 to .20 in organisations (Bliese 2000); "
           "ICC(2) ≥ .70 says the group means are reliable.",
        da="Er tallene værd at læse? Tre tjek, hver med den grænse, der normalt bruges. Cronbachs "
           "alfa siger, om spørgsmålene i en skala måler det samme: alfa ≥ 0,70 er det sædvanlige "
           "minimum (Nunnally 1978), og RC-undersøgelser rapporterer typisk 0,77 til 0,90. "
           "r_wg(J) siger, om deltagerne i en gruppe er enige om den gruppe, de vurderer: r_wg(J) "
           "≥ 0,70 er enighed nok til at bruge gennemsnittet (LeBreton & Senter 2008); AD(J) ≤ "
           "A/6 siger det samme i skalapoint (Burke & Dunlap 2002). ICC(1) er den del af en "
           "vurdering, der afhænger af den vurderendes gruppe, typisk 0,05 til 0,20 i "
           "organisationer (Bliese 2000); ICC(2) ≥ 0,70 betyder pålidelige gruppegennemsnit.",
    ),
    "report.reliability.alpha_table": Message(
        en="Internal consistency (Cronbach's alpha, on the ratings the scores count that are "
           "complete on the scale)",
        da="Intern konsistens (Cronbachs alfa, på de besvarelser, scorerne tæller med, og som er "
           "fuldstændige på skalaen)",
    ),
    "report.reliability.alpha_note": Message(
        en="Threshold: alpha ≥ {cut}. A scale without items in this instrument has no alpha.",
        da="Grænse: alfa ≥ {cut}. En skala uden spørgsmål i dette instrument har ingen alfa.",
    ),
    "report.reliability.agreement_table": Message(
        en="Agreement within ties (r_wg(J) and AD(J), RC items)",
        da="Enighed inden for relationer (r_wg(J) og AD(J), RC-spørgsmål)",
    ),
    "report.reliability.agreement_note": Message(
        en="Agreement is computed per tie and wave (the raters in one role about one role) and "
           "shown only where at least {k} raters answered every item; {w} tie-waves had fewer and "
           "are left out.",
        da="Enighed beregnes pr. relation og runde (deltagerne i én gruppe om én gruppe) og vises "
           "kun, hvor mindst {k} deltagere besvarede alle spørgsmål; {w} relationer i en runde "
           "havde færre og er udeladt.",
    ),
    "report.reliability.weakest_table": Message(
        en="Ties with the lowest agreement",
        da="Relationer med mindst enighed",
    ),
    "report.reliability.weakest_note": Message(
        en="At most {n} tie-waves, lowest r_wg(J) first; all are in the Analysis JSON. Reading: "
           "LeBreton & Senter (2008), table 3.",
        da="Højst {n} relationer i en runde, lavest r_wg(J) først; alle står i analysens JSON. "
           "Læsning: LeBreton & Senter (2008), tabel 3.",
    ),
    "report.reliability.icc_table": Message(
        en="Dependence on the rater's group (ICC)",
        da="Afhængighed af den vurderendes gruppe (ICC)",
    ),
    # the ICC's note, by the group size it uses (IntraclassCorrelation.group_size)
    "report.reliability.icc_note.mean_group_size": Message(
        en="One-way analysis of variance of respondents (their mean RC over the roles they rated) "
           "nested in their {by}; k is the mean group size N/G, as in multilevel::ICC1 and "
           "psych::statsBy. ICC(2) ≥ {cut} means reliable group means.",
        da="Envejs-variansanalyse af deltagerne (deres gennemsnitlige RC over de grupper, de "
           "vurderede) inden for deres {by}; k er den gennemsnitlige gruppestørrelse N/G, som i "
           "multilevel::ICC1 og psych::statsBy. ICC(2) ≥ {cut} betyder pålidelige "
           "gruppegennemsnit.",
    ),
    "report.reliability.icc_note.k0": Message(
        en="One-way analysis of variance of respondents (their mean RC over the roles they rated) "
           "nested in their {by}; k0 is the group size for unequal groups (the ANOVA's k0). "
           "ICC(2) ≥ {cut} means reliable group means.",
        da="Envejs-variansanalyse af deltagerne (deres gennemsnitlige RC over de grupper, de "
           "vurderede) inden for deres {by}; k0 er gruppestørrelsen ved ulige store grupper "
           "(variansanalysens k0). ICC(2) ≥ {cut} betyder pålidelige gruppegennemsnit.",
    ),
    "report.reliability.by_role": Message(en="role", da="gruppe"),
    "report.reliability.by_organisation": Message(en="organisation", da="organisation"),
    "report.reliability.by_custom": Message(en="group", da="gruppering"),
    "report.reliability.scale": Message(en="Scale", da="Skala"),
    "report.reliability.alpha": Message(en="Alpha", da="Alfa"),
    "report.reliability.cases": Message(
        en="Ratings (counted, complete on the scale)",
        da="Besvarelser (talt med, fuldstændige på skalaen)",
    ),
    "report.reliability.threshold": Message(en="Threshold", da="Grænse"),
    "report.reliability.meets": Message(en="Meets it", da="Opfyldt"),
    "report.reliability.rc": Message(en="RC index", da="RC-indeks"),
    "report.reliability.n_ties": Message(
        en="Tie-waves with agreement",
        da="Relationer i en runde med enighed",
    ),
    "report.reliability.mean_rwg": Message(en="Mean r_wg(J)", da="Gennemsnitlig r_wg(J)"),
    "report.reliability.median_rwg": Message(en="Median r_wg(J)", da="Median r_wg(J)"),
    "report.reliability.share_rwg": Message(
        en="Share with r_wg(J) ≥ {cut}",
        da="Andel med r_wg(J) ≥ {cut}",
    ),
    "report.reliability.mean_ad": Message(en="Mean AD(J)", da="Gennemsnitlig AD(J)"),
    "report.reliability.ad_cut": Message(en="AD(J) cut-off (A/6)", da="Grænse for AD(J) (A/6)"),
    "report.reliability.share_ad": Message(
        en="Share with AD(J) within the cut-off",
        da="Andel med AD(J) inden for grænsen",
    ),
    "report.reliability.withheld": Message(
        en="Tie-waves left out (fewer than {k} raters)",
        da="Relationer i en runde udeladt (færre end {k} deltagere)",
    ),
    "report.reliability.raters": Message(en="Raters", da="Deltagere"),
    "report.reliability.rwg_j": Message(en="r_wg(J)", da="r_wg(J)"),
    "report.reliability.reading": Message(en="Reading", da="Læsning"),
    "report.reliability.ad_j": Message(en="AD(J)", da="AD(J)"),
    "report.reliability.grouping": Message(en="Grouping", da="Gruppering"),
    "report.reliability.groups": Message(en="Groups", da="Grupper"),
    # the Social Relations Model's variance shares (relcoord.analysis_result.SRM_SHARES)
    "report.reliability.srm_table": Message(
        en="Where the differences in RC lie (Social Relations Model)",
        da="Hvor forskellene i RC ligger (Social Relations Model)",
    ),
    "report.reliability.srm_source": Message(en="Source", da="Kilde"),
    "report.reliability.srm_share": Message(en="Share of the variance", da="Andel af variansen"),
    "report.reliability.srm.rater": Message(
        en="The raters' leniency (rater role)",
        da="Hvor mildt der vurderes (vurderende gruppe)",
    ),
    "report.reliability.srm.target": Message(
        en="Reputation (target role)",
        da="Omdømme (vurderet gruppe)",
    ),
    "report.reliability.srm.relationship": Message(en="The tie itself", da="Selve relationen"),
    "report.reliability.srm.residual": Message(
        en="Individuals within their role, and the rest",
        da="Enkeltpersoner i deres gruppe og resten",
    ),
    "report.reliability.srm_note": Message(
        en="How the variance of the {n} ratings ({people} respondents, {ties} ties) splits, "
           "estimated by REML (Kenny 1994; Snijders & Kenny 1999). The last row holds both a "
           "person's own leniency within their role and their view of one role; a share the "
           "data cannot tell apart is left blank.",
        da="Hvordan variansen i de {n} besvarelser ({people} deltagere, {ties} relationer) "
           "fordeler sig, estimeret med REML (Kenny 1994; Snijders & Kenny 1999). Sidste række "
           "rummer både den enkeltes egen mildhed i sin gruppe og vedkommendes syn på én "
           "gruppe; en andel, data ikke kan skille ud, står tom.",
    ),
    # the ICC's group-size column, by IntraclassCorrelation.group_size
    "report.reliability.k.mean_group_size": Message(en="k (N/G)", da="k (N/G)"),
    "report.reliability.k.k0": Message(en="k0", da="k0"),
    "report.reliability.icc1": Message(en="ICC(1)", da="ICC(1)"),
    "report.reliability.icc2": Message(en="ICC(2)", da="ICC(2)"),
    # LeBreton & Senter's (2008, table 3) verbal bands of r_wg, keyed by the English labels
    # of relcoord.metrics.reliability.AGREEMENT_BANDS
    "report.reliability.agreement.lack_of_agreement": Message(
        en="lack of agreement",
        da="manglende enighed",
    ),
    "report.reliability.agreement.weak_agreement": Message(en="weak agreement", da="svag enighed"),
    "report.reliability.agreement.moderate_agreement": Message(
        en="moderate agreement",
        da="moderat enighed",
    ),
    "report.reliability.agreement.strong_agreement": Message(
        en="strong agreement",
        da="stærk enighed",
    ),
    "report.reliability.agreement.very_strong_agreement": Message(
        en="very strong agreement",
        da="meget stærk enighed",
    ),
    # the change section (relcoord.report_sections)
    "report.change.title": Message(en="Change from {a} to {b}", da="Ændring fra {a} til {b}"),
    "report.change.intro": Message(
        en="How RC moved between the two waves. RC moves slowly, so every change comes with two "
           "yardsticks: a {p} bootstrap confidence interval ({n} replicates, seed {seed}; "
           "respondents resampled within their role), and the minimal detectable change (MDC95 = "
           "1.96 × √2 × SEM, SEM = SD × √(1 − reliability); Weir 2005, de Vet et al. 2006), here "
           "from a reliability of {rel} ({source}). A change is clear when the interval excludes "
           "0 and the change exceeds the MDC.",
        da="Hvordan RC har flyttet sig mellem de to runder. RC ændrer sig langsomt, så hver "
           "ændring har to målestokke: et {p} bootstrap-konfidensinterval ({n} gentagelser, frø "
           "{seed}; deltagere trukket inden for deres gruppe) og den mindste påviselige ændring "
           "(MDC95 = 1,96 × √2 × SEM, SEM = SD × √(1 − pålidelighed); Weir 2005, de Vet m.fl. "
           "2006), her ud fra en pålidelighed på {rel} ({source}). En ændring er tydelig, når "
           "intervallet udelukker 0, og ændringen er større end MDC.",
    ),
    "report.change.privacy": Message(
        en="Only ties that can be shown in every wave (at least {k} respondents in each) and were "
           "rated in both compared waves take part: {n} ties. {m} ties rated in either wave are "
           "left out, so that no wave's hidden figure can be worked out from the pooled one. "
           "Roles and the network are computed from the ties that take part.",
        da="Kun relationer, der kan vises i alle runder (mindst {k} deltagere i hver), og som er "
           "vurderet i begge sammenlignede runder, er med: {n} relationer. {m} relationer "
           "vurderet i en af runderne er udeladt, så ingen rundes skjulte tal kan regnes ud fra "
           "det samlede. Grupper og netværk beregnes ud fra de relationer, der er med.",
    ),
    "report.change.caption": Message(
        en="Change of the network and of each role as rater and as target, with bootstrap "
           "intervals.",
        da="Ændring for netværket og for hver gruppe som vurderende og som vurderet, med "
           "bootstrap-intervaller.",
    ),
    "report.change.network_table": Message(en="The network", da="Netværket"),
    "report.change.roles_table": Message(
        en="Roles: change as rater and as target",
        da="Funktionsgrupper: ændring som vurderende og som vurderet",
    ),
    "report.change.ties_table": Message(en="Ties: change of RC", da="Relationer: ændring i RC"),
    "report.change.arrows_table": Message(
        en="Arrows gained, lost and reversed",
        da="Pile, der er kommet til, forsvundet eller vendt",
    ),
    "report.change.arrows_note": Message(
        en="{basis}; {kept} arrows are in both waves. A reversed arrow ran the other way in {a}.",
        da="{basis}; {kept} pile findes i begge runder. En vendt pil gik den anden vej i {a}.",
    ),
    "report.change.basis_arrows": Message(
        en="Named arrows (relationship map)",
        da="Tegnede pile (relationskort)",
    ),
    "report.change.basis_ratings": Message(
        en="Rated ties (the study has no named arrows)",
        da="Vurderede relationer (undersøgelsen har ingen tegnede pile)",
    ),
    "report.change.delta": Message(en="Change", da="Ændring"),
    "report.change.interval": Message(en="Interval", da="Interval"),
    "report.change.mdc": Message(en="MDC", da="MDC"),
    "report.change.clear": Message(en="Clear change", da="Tydelig ændring"),
    "report.change.delta_rater": Message(en="Change as rater", da="Ændring som vurderende"),
    "report.change.delta_target": Message(en="Change as target", da="Ændring som vurderet"),
    "report.change.kind": Message(en="Change", da="Ændring"),
    "report.change.gained": Message(en="gained", da="ny"),
    "report.change.lost": Message(en="lost", da="forsvundet"),
    "report.change.reversed": Message(en="reversed", da="vendt"),
    "report.change.reliability_given": Message(en="given", da="angivet"),
    "report.change.reliability_alpha": Message(
        en="Cronbach's alpha of wave {a}",
        da="Cronbachs alfa i {a}",
    ),
    "report.change.no_reliability": Message(en="none", da="ingen"),
}
