"""The command line's phrases: ``relcoord analyze``'s text summary, ``relcoord demo``'s
study overview with the notice that the embedded example's data is illustrative, and the
progress and timing lines of a long step ([`relcoord.cli_console`][relcoord.cli_console]).

Error messages of the command line are not here: they name files, options and JSON paths
for a developer and are written in English only.  Nor are the prefixes ``error:``,
``warning:`` and ``note:`` of its stderr lines: like a compiler's, they are fixed, so that
scripts and editors can find them whatever the language.
"""

from __future__ import annotations

from typing import Final

from relcoord.messages.message import Message

__all__ = ["ENTRIES"]

#: The entries of this part of the catalogue, by key.
ENTRIES: Final[dict[str, Message]] = {
    # relcoord analyze: the text summary (relcoord.analysis_text)
    "analysis_text.settings": Message(en="Settings", da="Indstillinger"),
    "analysis_text.weighting": Message(en="weighting", da="vægtning"),
    "analysis_text.min_items": Message(en="min. items", da="min. spørgsmål"),
    "analysis_text.of": Message(en="of", da="af"),
    "analysis_text.bands": Message(en="bands", da="niveauer"),
    "analysis_text.min_respondents": Message(en="min. respondents", da="min. deltagere"),
    "analysis_text.rc": Message(en="Relational coordination", da="Relationel koordinering"),
    "analysis_text.ratings": Message(en="ratings", da="vurderinger"),
    "analysis_text.respondents": Message(en="respondents", da="deltagere"),
    "analysis_text.excluded": Message(en="excluded (too few items)", da="udeladt (for få svar)"),
    "analysis_text.dimensions": Message(en="By dimension", da="Pr. dimension"),
    "analysis_text.findings": Message(en="Findings", da="Fund"),
    "analysis_text.none": Message(
        en="No finding is supported by the data.",
        da="Data understøtter ingen fund.",
    ),
    "analysis_text.roles": Message(en="Roles", da="Funktionsgrupper"),
    "analysis_text.role": Message(en="role", da="gruppe"),
    "analysis_text.in": Message(en="in", da="ind"),
    "analysis_text.out": Message(en="out", da="ud"),
    "analysis_text.rater": Message(en="as rater", da="som vurderende"),
    "analysis_text.target": Message(en="as target", da="som vurderet"),
    "analysis_text.weak_share": Message(en="weak", da="svage"),
    "analysis_text.ties": Message(en="Weakest ties", da="Svageste relationer"),
    "analysis_text.tie": Message(en="tie", da="relation"),
    "analysis_text.n": Message(en="n", da="n"),
    "analysis_text.band": Message(en="band", da="niveau"),
    "analysis_text.degrees": Message(en="degrees count {basis}", da="grader tæller {basis}"),
    "analysis_text.change": Message(en="Change", da="Ændring"),
    "analysis_text.boot": Message(en="bootstrap", da="bootstrap"),
    "analysis_text.replicates": Message(en="replicates", da="gentagelser"),
    "analysis_text.seed": Message(en="seed", da="frø"),
    "analysis_text.interval": Message(en="intervals", da="intervaller"),
    "analysis_text.mdc_from": Message(en="MDC from alpha", da="MDC ud fra alfa"),
    "analysis_text.of_wave": Message(en="of", da="i"),
    "analysis_text.compared": Message(
        en="ties compared (publishable in every wave and rated in both); left out",
        da="relationer sammenlignet (kan vises i alle runder og er vurderet i begge); udeladt",
    ),
    "analysis_text.left_out_why": Message(
        en="(fewer than {k} respondents in a wave, or rated in one wave only)",
        da="(færre end {k} deltagere i en runde, eller kun vurderet i én runde)",
    ),
    "analysis_text.no_ties": Message(
        en="No tie is publishable in both waves with min. respondents {k}; nothing can be "
           "compared.",
        da="Ingen relation kan vises i begge runder med min. deltagere {k}; intet kan "
           "sammenlignes.",
    ),
    "analysis_text.roles_change": Message(
        en="Roles (change as rater; as target)",
        da="Funktionsgrupper (ændring som vurderende; som vurderet)",
    ),
    "analysis_text.ties_change": Message(en="Ties", da="Relationer"),
    "analysis_text.marked": Message(
        en="* the interval excludes 0 and the change exceeds the MDC",
        da="* intervallet udelukker 0, og ændringen er større end MDC",
    ),
    "analysis_text.arrows_change": Message(en="Arrows", da="Pile"),
    "analysis_text.gained": Message(en="gained", da="nye"),
    "analysis_text.lost": Message(en="lost", da="forsvundet"),
    "analysis_text.reversed": Message(en="reversed", da="vendt"),
    "analysis_text.kept": Message(en="kept", da="uændrede"),
    # relcoord demo: the study overview (relcoord.cli) and the example's notice
    "cli.demo.valid": Message(
        en="valid: schema and domain checks passed",
        da="gyldig: skema- og domænetjek bestået",
    ),
    "cli.demo.process": Message(en="Focal process", da="Fokusproces"),
    "cli.demo.instrument": Message(en="Instrument", da="Instrument"),
    "cli.demo.waves": Message(en="Waves", da="Runder"),
    "cli.demo.roles": Message(en="Roles", da="Funktionsgrupper"),
    "cli.demo.present": Message(en="present", da="til stede"),
    "cli.demo.respondents": Message(en="respondents", da="deltagere"),
    "cli.demo.arrows": Message(en="Named arrows", da="Pile (relationskort)"),
    "cli.demo.distinct": Message(en="distinct", da="forskellige"),
    "cli.demo.ratings": Message(en="Ratings", da="Vurderinger"),
    "cli.demo.scores": Message(en="item scores", da="svar"),
    "cli.demo.missing": Message(en="missing", da="mangler"),
    "cli.demo.invitations": Message(en="Invitations", da="Invitationer (balkort)"),
    "cli.demo.findings": Message(en="Findings", da="Fund"),
    "cli.demo.written": Message(en="Files written to", da="Filer skrevet i"),
    "cli.demo.skipped": Message(en="skipped:", da="sprunget over:"),
    # relcoord stats / relcoord merge: the file written
    "cli.stats.written": Message(
        en="{file}: statistics of {sites} site(s) for a federated analysis: {cells} tie x wave "
           "cells resting on {respondents} respondent-ties in all, each on at least "
           "{min_respondents} respondents; no respondent and no answer is in the file",
        da="{file}: statistik fra {sites} sted(er) til en fælles analyse: {cells} celler "
           "(relation x runde) med i alt {respondents} besvarede relationer, hver med mindst "
           "{min_respondents} deltagere; ingen deltager og intet svar er i filen",
    ),
    # relcoord analyze all.stats: a pooled analysis of sites' statistics
    "pooled.sites": Message(
        en="Pooled analysis of {n} site(s): {sites}. Each site shared only its ties and waves "
           "with at least {k} respondents, as sums; no answer left a site.",
        da="Samlet analyse af {n} sted(er): {sites}. Hvert sted delte kun sine relationer og "
           "runder med mindst {k} deltagere, som summer; intet svar forlod et sted.",
    ),
    "pooled.reliability": Message(
        en="Cronbach's alpha (RC items) {alpha} over {n} complete ratings; ICC(1) by tie "
           "{icc1}, ICC(2) {icc2}",
        da="Cronbachs alfa (RC-spørgsmål) {alpha} over {n} fuldstændige vurderinger; ICC(1) "
           "efter relation {icc1}, ICC(2) {icc2}",
    ),
    "pooled.not_reported": Message(
        en="Not reported (sums cannot give them):",
        da="Ikke med (summer kan ikke give dem):",
    ),
    "pooled.missing.spread": Message(
        en="medians, quartiles and AD: they need the distribution of the answers",
        da="medianer, kvartiler og AD: de kræver svarenes fordeling",
    ),
    "pooled.missing.respondent_icc": Message(
        en="the ICC of respondents by role: it needs each person's mean",
        da="ICC for deltagere efter funktionsgruppe: den kræver hver persons gennemsnit",
    ),
    "pooled.missing.srm": Message(
        en="the Social Relations Model: it needs each person's ratings",
        da="Social Relations-modellen: den kræver hver persons vurderinger",
    ),
    "pooled.missing.change": Message(
        en="the change between waves with bootstrap intervals: it resamples people; the "
           "figures per wave are in the JSON (ties_by_wave)",
        da="ændringen mellem runder med bootstrap-intervaller: den trækker personer igen; "
           "tallene for hver runde er i JSON (ties_by_wave)",
    ),
    "pooled.missing.distinct_people": Message(
        en="distinct people over waves: a person who answered in two waves is counted in "
           "each",
        da="forskellige personer på tværs af runder: en person, der svarede i to runder, "
           "tælles i hver",
    ),
    # a long step while it runs (shown as "relcoord: reading study.csv | 2.5 s")
    "cli.step.read": Message(en="reading {file}", da="læser {file}"),
    "cli.step.analyse": Message(en="analysing the study", da="analyserer undersøgelsen"),
    "cli.step.write": Message(en="writing {file}", da="skriver {file}"),
    # ... and when it ends, with --verbose (shown after "relcoord: ")
    "cli.done.read": Message(en="read {file} in {seconds} s", da="læste {file} på {seconds} s"),
    "cli.done.analyse": Message(
        en="analysed the study in {seconds} s",
        da="analyserede undersøgelsen på {seconds} s",
    ),
    "cli.done.write": Message(en="wrote {file} in {seconds} s", da="skrev {file} på {seconds} s"),
    # what a file named "-" stands for in those lines
    "cli.stdin": Message(en="standard input", da="standardinput"),
    "cli.stdout": Message(en="standard output", da="standardoutput"),
    "example.notice": Message(
        en="Illustrative data: modelled on Psykiatrifonden's three Trivsel Smiley conferences "
           "(autumn 2019). The real conference data was never published; these respondents, "
           "arrows, ratings and invitations were generated to show the patterns the article "
           "reports. Do not cite them as findings.",
        da="Illustrative data: modelleret over Psykiatrifondens tre Trivsel Smiley-konferencer "
           "(efteråret 2019). De rigtige konferencedata er aldrig offentliggjort; deltagere, "
           "pile, vurderinger og invitationer her er konstrueret, så de viser de mønstre, "
           "artiklen beskriver. Citér dem ikke som resultater.",
    ),
}
