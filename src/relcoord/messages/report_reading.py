"""The phrases that frame the report's results and help a reader through it.

``report.reading.*`` serve the overview's framing (what works, then what could be
strengthened, then the caveat that the results describe these participants at this time:
Psykiatrifonden, *Trivsel Smiley*, 2019, on the conferences' "situative and
context-specific" results), the sentence that says which arrows a dense network map
shows ([`relcoord.report_map`][relcoord.report_map]), the strongest and weakest ties, the appendix,
and the texts that stand for each picture where it cannot be seen (alt text).
"""

from __future__ import annotations

from typing import Final

from relcoord.messages.message import Message

__all__ = ["ENTRIES"]

#: The entries of this part of the catalogue, by key.
ENTRIES: Final[dict[str, Message]] = {
    # what works, what could be strengthened, and how to take it (relcoord.report_overview)
    "report.reading.strengths": Message(
        en="What works: {strong} of {rated} rated ties are strong (RC above {high}), and "
           "coordination is rated highest {scope} ({rc}).",
        da="Det, der fungerer: {strong} af {rated} vurderede relationer er stærke (RC over "
           "{high}), og samarbejdet vurderes højest {scope} ({rc}).",
    ),
    "report.reading.strengths_plain": Message(
        en="What works: {strong} of {rated} rated ties are strong (RC above {high}).",
        da="Det, der fungerer: {strong} af {rated} vurderede relationer er stærke (RC over "
           "{high}).",
    ),
    "report.reading.strongest_named": Message(
        en="The strongest ties are {ties}.",
        da="De stærkeste relationer er {ties}.",
    ),
    "report.reading.tie": Message(en="{source} → {target} ({rc})",
                                  da="{source} → {target} ({rc})"),
    "report.reading.concerns": Message(
        en="Where coordination could be strengthened: {weak} of {rated} rated ties are rated "
           "weak (RC below {low}), and coordination is rated lower {scope} ({rc}).",
        da="Hvor samarbejdet kan styrkes: {weak} af {rated} vurderede relationer vurderes "
           "svage (RC under {low}), og samarbejdet vurderes lavere {scope} ({rc}).",
    ),
    "report.reading.concerns_plain": Message(
        en="Where coordination could be strengthened: {weak} of {rated} rated ties are rated "
           "weak (RC below {low}).",
        da="Hvor samarbejdet kan styrkes: {weak} af {rated} vurderede relationer vurderes "
           "svage (RC under {low}).",
    ),
    "report.reading.caveat": Message(
        en="How to read these results: they describe how these participants saw their "
           "coordination at this time. With other participants, or at another time, the "
           "picture could have been different, so the results are a perspective for further "
           "conversation and work, not general truths and not a verdict on any group or person.",
        da="Sådan kan resultaterne læses: de beskriver, hvordan netop disse deltagere så "
           "samarbejdet på dette tidspunkt. Med andre deltagere, eller på et andet tidspunkt, "
           "kunne billedet have set anderledes ud, så resultaterne er et perspektiv til det "
           "videre arbejde og den videre samtale, ikke almengyldige sandheder og ikke en dom "
           "over nogen gruppe eller person.",
    ),
    "report.reading.caveat_short": Message(
        en="These results describe how these participants saw their coordination at this "
           "time: a starting point for conversation, not a verdict on any group.",
        da="Resultaterne beskriver, hvordan disse deltagere så samarbejdet på dette "
           "tidspunkt: et udgangspunkt for en samtale, ikke en dom over nogen gruppe.",
    ),
    # which arrows the network map shows (relcoord.report_map)
    "report.reading.map_all": Message(
        en="The map shows all {total} arrows.",
        da="Kortet viser alle {total} pile.",
    ),
    "report.reading.map_selected": Message(
        en="With {total} arrows a map of all of them would be unreadable, so it shows the {shown} "
           "that matter most for coordination: the weak ties (RC below {low}).",
        da="Med {total} pile ville et kort over dem alle ikke kunne læses, så det viser de "
           "{shown}, der betyder mest for samarbejdet: de svage relationer (RC under {low}).",
    ),
    "report.reading.map_selected_one_sided": Message(
        en="With {total} arrows a map of all of them would be unreadable, so it shows the {shown} "
           "that matter most for coordination: the weak ties (RC below {low}) and the one-sided "
           "arrows, not returned.",
        da="Med {total} pile ville et kort over dem alle ikke kunne læses, så det viser de "
           "{shown}, der betyder mest for samarbejdet: de svage relationer (RC under {low}) og "
           "de ensidige pile, der ikke blev gengældt.",
    ),
    "report.reading.map_weakest": Message(
        en="With {total} rated ties a map of all of them would be unreadable, so it shows the "
           "{shown} weakest: every tie with an RC up to {rc}. The heat map shows them all.",
        da="Med {total} vurderede relationer ville et kort over dem alle ikke kunne læses, så "
           "det viser de {shown} svageste: alle relationer med en RC op til {rc}. Varmekortet "
           "viser dem alle.",
    ),
    "report.reading.map_weakest_one_sided": Message(
        en="With {total} arrows a map of all of them would be unreadable, so it shows the "
           "{shown} weakest of the weak and one-sided arrows (RC up to {rc}).",
        da="Med {total} pile ville et kort over dem alle ikke kunne læses, så det viser de "
           "{shown} svageste af de svage og ensidige pile (RC op til {rc}).",
    ),
    # the strongest and weakest ties (relcoord.report_network)
    "report.reading.strongest": Message(
        en="The {n} strongest ties",
        da="De {n} stærkeste relationer",
    ),
    "report.reading.weakest": Message(
        en="The {n} weakest ties",
        da="De {n} svageste relationer",
    ),
    "report.reading.all_ties": Message(
        en="All {n} rated ties are listed in the appendix (or, for a large study, in the results "
           "tables).",
        da="Alle {n} vurderede relationer står i bilaget (eller, for en stor undersøgelse, i "
           "resultattabellerne).",
    ),
    # the appendix (relcoord.report_appendix)
    "report.reading.appendix": Message(en="Appendix", da="Bilag"),
    "report.reading.appendix_intro": Message(
        en="For looking up: every tie with its dimension profile, and every invitation, by name.",
        da="Til opslag: hver relation med dens dimensionsprofil og hver invitation, efter navn.",
    ),
    "report.reading.appendix_ties": Message(en="Every tie", da="Alle relationer"),
    "report.reading.appendix_invitations": Message(
        en="Every invitation",
        da="Alle invitationer",
    ),
    "report.reading.appendix_too_many": Message(
        en="The study has {n} ties, too many to print. Each is in the results tables (the csv "
           "export, file {file}), which a spreadsheet opens.",
        da="Undersøgelsen har {n} relationer, for mange til at udskrive. Hver af dem står i "
           "resultattabellerne (csv-eksporten, filen {file}), som et regneark kan åbne.",
    ),
    "report.reading.appendix_too_many_invitations": Message(
        en="The study has {n} invitations, too many to print. Each is in the results tables "
           "(the csv export, file {file}).",
        da="Undersøgelsen har {n} invitationer, for mange til at udskrive. Hver af dem står i "
           "resultattabellerne (csv-eksporten, filen {file}).",
    ),
    # what each picture shows, for a reader who cannot see it (alt text)
    "report.reading.alt_network": Message(
        en="Network map: {roles} function groups on a circle, coloured by organisation "
           "({organisations}). It shows {shown} of {total} arrows: {weak} weak (red), "
           "{moderate} moderate (amber) and {strong} strong (green); the others are grey.",
        da="Netværkskort: {roles} funktionsgrupper på en cirkel, farvet efter organisation "
           "({organisations}). Det viser {shown} af {total} pile: {weak} svage (røde), "
           "{moderate} moderate (gule) og {strong} stærke (grønne); de øvrige er grå.",
    ),
    "report.reading.alt_heatmap": Message(
        en="Heat map: the RC of {ties} rated ties, {rows} rating groups in the rows and {cols} "
           "rated groups in the columns, red for weak and green for strong: {weak} weak, "
           "{moderate} moderate and {strong} strong.",
        da="Varmekort: RC for {ties} vurderede relationer, {rows} vurderende grupper i "
           "rækkerne og {cols} vurderede grupper i søjlerne, rød for svag og grøn for stærk: "
           "{weak} svage, {moderate} moderate og {strong} stærke.",
    ),
    "report.reading.alt_profiles": Message(
        en="Bar chart: the mean of each dimension, from {low} ({low_dimension}) to {high} "
           "({high_dimension}), and how often each dimension is the lowest of a tie.",
        da="Søjlediagram: gennemsnittet for hver dimension, fra {low} ({low_dimension}) til "
           "{high} ({high_dimension}), og hvor ofte hver dimension er den laveste i en relation.",
    ),
    "report.reading.alt_profiles_empty": Message(
        en="Bar chart of the dimension means; no tie is rated, so it is empty.",
        da="Søjlediagram over dimensionernes gennemsnit; ingen relation er vurderet, så det er "
           "tomt.",
    ),
    "report.reading.alt_invitations": Message(
        en="Map of {n} invitations to dialogue between the function groups: {accepted} "
           "accepted, {held} held, {declined} declined and {pending} left open.",
        da="Kort over {n} invitationer til dialog mellem funktionsgrupperne: {accepted} "
           "accepteret, {held} afholdt, {declined} afslået og {pending} ubesvaret.",
    ),
    "report.reading.alt_change": Message(
        en="Chart of the change in RC from {a} to {b} for the network and each group, as rater "
           "and as target, with bootstrap intervals; {clear} of {n} changes are clear.",
        da="Diagram over ændringen i RC fra {a} til {b} for netværket og hver gruppe, som "
           "vurderende og som vurderet, med bootstrap-intervaller; {clear} af {n} ændringer er "
           "tydelige.",
    ),
}
