"""The report's phrases: section titles, introductions, table captions, headers and notes.

Keys ``report.*`` serve [`relcoord.report.build_report`][relcoord.report.build_report] and its
section builders, ``docx.*`` the Word renderer of the relcoord-docx plugin.  The reliability and
change sections have their own part
([`relcoord.messages.report_sections`][relcoord.messages.report_sections]); bands, statuses,
organisations, sub-indices and the parts of the network are terms
(`relcoord.messages.terms`).
"""

from __future__ import annotations

from typing import Final

from relcoord.messages.message import Message

__all__ = ["ENTRIES"]

#: The entries of this part of the catalogue, by key.
ENTRIES: Final[dict[str, Message]] = {
    # the title when the study has none, and each section's words in reading order
    "report.report": Message(
        en="Relational Coordination report",
        da="Rapport om relationel koordinering",
    ),
    "report.overview": Message(en="Overview", da="Overblik"),
    "report.overview_text": Message(
        en="{roles} roles ({present} present), {respondents} respondents, {ratings} ratings, "
           "{arrows} arrows and {invitations} invitations. RC of the whole network: {rc} ({band}).",
        da="{roles} funktionsgrupper ({present} til stede), {respondents} deltagere, {ratings} "
           "vurderinger, {arrows} pile og {invitations} invitationer. RC for hele netværket: {rc} "
           "({band}).",
    ),
    "report.findings": Message(en="Findings", da="Fund"),
    "report.findings_intro": Message(
        en="What the data shows, in plain language, what works first. A finding describes a "
           "pattern in these answers: a starting point for a conversation between the groups, "
           "not a verdict on any of them. The numbers behind each finding are in its table.",
        da="Hvad data viser, i almindeligt sprog, og det, der fungerer, først. Et fund beskriver "
           "et mønster i disse svar: et udgangspunkt for en samtale mellem grupperne, ikke en "
           "dom over nogen af dem. Tallene bag hvert fund står i dets tabel.",
    ),
    "report.no_findings": Message(
        en="The data supports none of the standard findings.",
        da="Data understøtter ingen af standardfundene.",
    ),
    "report.network": Message(en="Network map", da="Netværkskort"),
    "report.network_intro": Message(
        en="Each circle is a role (function group), coloured by organisation and sized by the "
           "number of arrows it receives. An arrow runs from the role that rated (or named) to "
           "the role it rated, coloured by the band of the rating; grey arrows were named but not "
           "rated. Hollow, dashed circles are roles that were named but had nobody present.",
        da="Hver cirkel er en funktionsgruppe, farvet efter organisation og med en størrelse "
           "efter antallet af pile, den modtager. En pil går fra den gruppe, der vurderede (eller "
           "pegede på), til den gruppe, den vurderede, farvet efter vurderingens niveau; grå pile "
           "blev tegnet, men ikke vurderet. Hule, stiplede cirkler er grupper, der blev nævnt, "
           "men ikke var til stede.",
    ),
    "report.network_caption": Message(
        en="The role network: who points to whom, and how well they coordinate.",
        da="Netværket af funktionsgrupper: hvem peger på hvem, og hvor godt de koordinerer.",
    ),
    "report.network_table": Message(en="The network at a glance", da="Netværket i tal"),
    "report.ei_table": Message(
        en="Arrows within and across organisations (E-I index)",
        da="Pile inden for og på tværs af organisationer (E-I-indeks)",
    ),
    "report.scores": Message(en="RC scores", da="RC-scorer"),
    "report.scores_intro": Message(
        en="Relational Coordination (RC) runs from 1 (weak) to 5 (strong). Each cell of the heat "
           "map is a tie: how the respondents of the row's role rate the column's role.",
        da="Relationel koordinering (RC) går fra 1 (svag) til 5 (stærk). Hver celle i varmekortet "
           "er en relation: hvordan deltagerne i rækkens gruppe vurderer søjlens gruppe.",
    ),
    "report.heatmap_caption": Message(
        en="Rater (rows) by target (columns): the RC of each tie.",
        da="Vurderende gruppe (rækker) mod vurderet gruppe (søjler): RC for hver relation.",
    ),
    "report.rc_table": Message(en="RC figures", da="RC i tal"),
    "report.band_table": Message(
        en="Ties between roles by band",
        da="Relationer mellem grupper efter niveau",
    ),
    "report.profiles": Message(en="Dimension profiles", da="Dimensionsprofiler"),
    "report.profiles_intro": Message(
        en="Communication (frequent, timely, accurate, problem-solving) and relationships (shared "
           "goals, shared knowledge, mutual respect). The right panel counts, for the rated ties, "
           "which dimension scores lowest.",
        da="Kommunikation (hyppig, rettidig, præcis, problemløsende) og relationer (fælles mål, "
           "fælles viden, gensidig respekt). Det højre panel tæller, hvilken dimension der scorer "
           "lavest i de vurderede relationer.",
    ),
    "report.profiles_caption": Message(
        en="The mean of each dimension, and how often each is a tie's weakest.",
        da="Gennemsnittet for hver dimension, og hvor ofte hver er en relations svageste.",
    ),
    "report.dimension_table": Message(en="Mean per dimension", da="Gennemsnit pr. dimension"),
    "report.tie_table": Message(
        en="Ties: rater, target and dimension profile",
        da="Relationer: vurderende, vurderet og dimensionsprofil",
    ),
    "report.tie_note": Message(
        en="Gap = communication minus relationship. Lowest = the dimension with the lowest mean "
           "on the tie.",
        da="Forskel = kommunikation minus relationer. Lavest = den dimension, der har det laveste "
           "gennemsnit i relationen.",
    ),
    "report.withheld": Message(en="withheld", da="skjult"),
    "report.withheld_note": Message(
        en="Withheld: rated, but by fewer than {k} respondents, so no number is shown (and none "
           "of its ratings enters any other figure).",
        da="Skjult: vurderet, men af færre end {k} deltagere, så intet tal vises (og ingen af "
           "vurderingerne indgår i andre tal).",
    ),
    "report.n_withheld": Message(
        en="Ratings withheld (fewer than the minimum respondents)",
        da="Vurderinger skjult (færre end mindste antal deltagere)",
    ),
    "report.roles": Message(en="Roles", da="Funktionsgrupper"),
    "report.roles_intro": Message(
        en="In and out count arrows to and from other roles; reciprocity is the share of a role's "
           "outgoing arrows that are returned. RC as rater is the role's row of the tie matrix, "
           "RC as target its column (own tie excluded).",
        da="Ind og ud tæller pile til og fra andre grupper; gensidighed er andelen af en gruppes "
           "udgående pile, der bliver gengældt. RC som vurderende er gruppens række i matricen, "
           "RC som vurderet dens søjle (egen relation ikke medregnet).",
    ),
    "report.role_table": Message(
        en="Roles: arrows, reciprocity and RC",
        da="Funktionsgrupper: pile, gensidighed og RC",
    ),
    "report.invitations": Message(en="Invitations (dance card)", da="Invitationer (balkort)"),
    "report.invitations_intro": Message(
        en="Invitations to dialogue: who invited whom, and the answer.",
        da="Invitationer til dialog: hvem inviterede hvem, og svaret.",
    ),
    "report.no_invitations": Message(
        en="The study has no dialogue invitations.",
        da="Undersøgelsen har ingen invitationer til dialog.",
    ),
    "report.invitations_caption": Message(
        en="Invitations to dialogue, coloured by their status.",
        da="Invitationer til dialog, farvet efter status.",
    ),
    "report.invitation_roles": Message(
        en="Invitations sent and received per role",
        da="Invitationer sendt og modtaget pr. gruppe",
    ),
    "report.invitation_roles_note": Message(
        en="Accepted (or held), declined, left open and acceptance count the invitations the role "
           "received.",
        da="Accepteret (eller afholdt), afslået, ubesvaret og accept tæller de invitationer, "
           "gruppen modtog.",
    ),
    "report.invitation_list": Message(en="All invitations", da="Alle invitationer"),
    "report.quality": Message(en="Data quality", da="Datakvalitet"),
    "report.quality_intro": Message(
        en="How complete the data is: who took part, how many ratings counted, and how many "
           "respondents each role has.",
        da="Hvor fuldstændige data er: hvem deltog, hvor mange vurderinger talte med, og hvor "
           "mange deltagere hver gruppe har.",
    ),
    "report.counts_table": Message(en="Counts", da="Antal"),
    "report.coverage_table": Message(
        en="Coverage: roles that took part",
        da="Dækning: grupper, der deltog",
    ),
    "report.respondents_table": Message(en="Respondents per role", da="Deltagere pr. gruppe"),
    "report.method": Message(en="Method and settings", da="Metode og indstillinger"),
    "report.method_intro": Message(
        en="Every number in this report follows from the data and these settings; with the same "
           "settings, relcoord gives the same numbers.",
        da="Alle tal i rapporten følger af data og disse indstillinger; med de samme "
           "indstillinger giver relcoord de samme tal.",
    ),
    "report.settings_table": Message(en="Settings", da="Indstillinger"),
    "report.formulas": Message(
        en="A respondent-tie's RC is the mean of the scored items one respondent answered about "
           "one role (when at least the minimum number of items is answered). A tie A→B is the "
           "mean over the respondents in A. Communication is the mean of the communication items, "
           "relationship the mean of the relationship items; RC is not the mean of the two "
           "(Gittell 2016, appendix). Bands: weak below {low}, moderate {low} to {high}, strong "
           "above {high}.",
        da="En deltagers RC for en relation er gennemsnittet af de scorede spørgsmål, deltageren "
           "har besvaret om en gruppe (når mindst det mindste antal spørgsmål er besvaret). En "
           "relation A→B er gennemsnittet over deltagerne i A. Kommunikation er gennemsnittet af "
           "kommunikationsspørgsmålene, relationer af relationsspørgsmålene; RC er ikke "
           "gennemsnittet af de to (Gittell 2016, appendiks). Niveauer: svag under {low}, moderat "
           "{low} til {high}, stærk over {high}.",
    ),
    "report.weighting_respondent": Message(
        en="by respondent (every respondent-tie counts once)",
        da="pr. deltager (hver deltagers vurdering tæller én gang)",
    ),
    "report.weighting_tie": Message(
        en="by tie (every tie's mean counts once)",
        da="pr. relation (hver relations gennemsnit tæller én gang)",
    ),
    "report.weighting_group": Message(
        en="by group (every rating role counts once)",
        da="pr. gruppe (hver vurderende gruppe tæller én gang)",
    ),
    "report.role": Message(en="Role", da="Gruppe"),
    "report.organisation": Message(en="Organisation", da="Organisation"),
    "report.present": Message(en="Present", da="Til stede"),
    "report.respondents": Message(en="Respondents", da="Deltagere"),
    "report.raters": Message(en="Raters of it", da="Vurderet af"),
    "report.in": Message(en="Arrows in", da="Pile ind"),
    "report.out": Message(en="Arrows out", da="Pile ud"),
    "report.returned": Message(en="Returned", da="Gengældt"),
    "report.reciprocity": Message(en="Reciprocity", da="Gensidighed"),
    "report.rc_rater": Message(en="RC as rater", da="RC som vurderende"),
    "report.rc_target": Message(en="RC as target", da="RC som vurderet"),
    "report.rc_within": Message(en="RC within", da="RC internt"),
    "report.weak_share": Message(en="Weak ties", da="Svage relationer"),
    "report.rater": Message(en="Rater", da="Vurderende"),
    "report.target": Message(en="Target", da="Vurderet"),
    "report.rc": Message(en="RC", da="RC"),
    "report.gap": Message(en="Gap", da="Forskel"),
    "report.lowest": Message(en="Lowest", da="Lavest"),
    "report.band": Message(en="Band", da="Niveau"),
    "report.ratings": Message(en="Ratings", da="Vurderinger"),
    "report.ties": Message(en="Ties", da="Antal relationer"),
    "report.dimension": Message(en="Dimension", da="Dimension"),
    "report.sub_index": Message(en="Sub-index", da="Delindeks"),
    "report.mean": Message(en="Mean", da="Gennemsnit"),
    "report.setting": Message(en="Setting", da="Indstilling"),
    "report.value": Message(en="Value", da="Værdi"),
    "report.figure": Message(en="Figure", da="Tal"),
    "report.measure": Message(en="Measure", da="Mål"),
    "report.scope": Message(en="Part of the network", da="Del af netværket"),
    "report.sent": Message(en="Sent", da="Sendt"),
    "report.received": Message(en="Received", da="Modtaget"),
    "report.acceptance": Message(en="Acceptance", da="Accept"),
    "report.topic": Message(en="Topic", da="Emne"),
    "report.status": Message(en="Status", da="Status"),
    "report.wave": Message(en="Wave", da="Runde"),
    "report.internal": Message(en="Internal", da="Interne"),
    "report.external": Message(en="External", da="Eksterne"),
    "report.ei": Message(en="E-I index", da="E-I-indeks"),
    "report.count": Message(en="Count", da="Antal"),
    "report.share": Message(en="Share", da="Andel"),
    "report.n_roles": Message(en="Roles", da="Funktionsgrupper"),
    "report.n_present": Message(en="Roles present", da="Grupper til stede"),
    "report.n_respondents": Message(en="Respondents", da="Deltagere"),
    "report.n_ratings": Message(en="Ratings", da="Vurderinger"),
    "report.n_counted": Message(en="Ratings counted", da="Vurderinger talt med"),
    "report.n_excluded": Message(
        en="Ratings left out (too few items)",
        da="Vurderinger udeladt (for få svar)",
    ),
    "report.n_arrows": Message(en="Named arrows", da="Pile (relationskort)"),
    "report.n_invitations": Message(en="Invitations", da="Invitationer"),
    "report.with_respondents": Message(en="Roles with respondents", da="Grupper med deltagere"),
    "report.rating": Message(en="Roles that rated others", da="Grupper, der vurderede andre"),
    "report.naming": Message(en="Roles that drew arrows", da="Grupper, der tegnede pile"),
    "report.arrows_net": Message(en="Arrows between roles", da="Pile mellem grupper"),
    "report.reciprocity_net": Message(en="Reciprocity", da="Gensidighed"),
    "report.mutual": Message(en="Mutual pairs", da="Gensidige par"),
    "report.asymmetric": Message(en="One-way pairs", da="Ensidige par"),
    "report.null": Message(en="Pairs without arrows", da="Par uden pile"),
    "report.ei_net": Message(
        en="E-I index (−1 all internal, +1 all external)",
        da="E-I-indeks (−1 kun internt, +1 kun eksternt)",
    ),
    "report.communities": Message(en="Communities", da="Klynger"),
    "report.instrument": Message(en="Instrument", da="Instrument"),
    "report.items": Message(en="Items", da="Spørgsmål"),
    "report.weighting": Message(en="Weighting", da="Vægtning"),
    "report.min_items": Message(
        en="Minimum items per respondent-tie",
        da="Mindste antal svar pr. vurdering",
    ),
    "report.min_items_rule": Message(en="default rule", da="standardregel"),
    "report.min_respondents": Message(
        en="Minimum respondents per shown figure",
        da="Mindste antal deltagere bag et vist tal",
    ),
    "report.bands": Message(
        en="Bands (weak below, strong above)",
        da="Niveauer (svag under, stærk over)",
    ),
    "report.degree_basis": Message(en="Degrees count", da="Grader tæller"),
    "report.network_backend": Message(en="Network measures", da="Netværksmål"),
    "report.pagerank": Message(en="PageRank damping", da="PageRank-dæmpning"),
    "report.community_method": Message(en="Communities", da="Klynger"),
    "report.betweenness_sampled": Message(en="Betweenness", da="Betweenness-centralitet"),
    "report.betweenness_sampled_value": Message(
        en="estimated from {k} of {n} roles sampled as starting points (Brandes & Pich "
           "2007), not exact",
        da="anslået ud fra {k} af {n} grupper udtrukket som startpunkter (Brandes & Pich "
           "2007), ikke eksakt",
    ),
    "report.version": Message(en="relcoord version", da="relcoord-version"),
    "report.override_used": Message(
        en="override: below 3, the least survey platforms allow",
        da="tilsidesat: under 3, det mindste, spørgeskemaplatforme tillader",
    ),
    "report.privacy_note": Message(
        en="Privacy: a figure is shown only when it rests on at least {k} respondents "
           "(min_respondents = {k}); the ratings of every tie with fewer, and of fewer than {k} "
           "people of a tie who answered the same items, are left out of every figure, so "
           "that they cannot be worked out by subtraction.",
        da="Fortrolighed: et tal vises kun, når det bygger på mindst {k} deltagere "
           "(min_respondents = {k}); vurderingerne i hver relation med færre, og fra færre end "
           "{k} deltagere i en relation, der har svaret på de samme spørgsmål, udelades af "
           "alle tal, så de ikke kan regnes ud ved at trække tal fra hinanden.",
    ),
    "report.override_note": Message(
        en="The minimum was lowered to {k} with min_respondents_override, below the 3 that survey "
           "platforms never go under: figures in this report may rest on as few as {k} people, "
           "whose answers can then be recognised.",
        da="Grænsen blev sænket til {k} med min_respondents_override, under de 3, som "
           "spørgeskemaplatforme aldrig går under: tal i rapporten kan bygge på helt ned til {k} "
           "personer, hvis svar så kan genkendes.",
    ),
    "report.compare": Message(en="Waves compared", da="Sammenlignede runder"),
    "report.bootstrap": Message(en="Bootstrap of the change", da="Bootstrap af ændringen"),
    "report.bootstrap_value": Message(
        en="{n} replicates, seed {seed}",
        da="{n} gentagelser, frø {seed}",
    ),
    "report.finding_figures": Message(en="The numbers behind it", da="Tallene bag"),
    # the Word document (relcoord-docx)
    "docx.contents": Message(en="Contents", da="Indhold"),
    "docx.keywords": Message(
        en="relational coordination; Relational Coordination Survey; relationship map",
        da="relationel koordinering; relationskort; balkort",
    ),
}
