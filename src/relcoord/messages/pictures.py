"""The pictures' phrases: titles, axis labels, legends and notes of
[`relcoord.pictures`][relcoord.pictures].

Band, status and sub-index names in a legend are terms
(`relcoord.messages.terms`).
"""

from __future__ import annotations

from typing import Final

from relcoord.messages.message import Message

__all__ = ["ENTRIES"]

#: The entries of this part of the catalogue, by key.
ENTRIES: Final[dict[str, Message]] = {
    "picture.network": Message(en="Role network", da="Netværk af funktionsgrupper"),
    "picture.heatmap": Message(
        en="RC of each tie (rater → target)",
        da="RC for hver relation (vurderende → vurderet)",
    ),
    "picture.profiles": Message(en="Dimension profile", da="Dimensionsprofil"),
    "picture.invitations": Message(en="Invitations to dialogue", da="Invitationer til dialog"),
    "picture.absent": Message(en="named, not present", da="nævnt, ikke til stede"),
    "picture.not_rated": Message(en="named, not rated", da="tegnet, ikke vurderet"),
    "picture.size": Message(en="circle area: arrows received", da="cirklens areal: pile modtaget"),
    "picture.rater": Message(en="Rater (row)", da="Vurderende (række)"),
    "picture.target": Message(en="Target (column)", da="Vurderet (søjle)"),
    "picture.mean": Message(en="Mean score (1–5)", da="Gennemsnit (1–5)"),
    "picture.rc_scale": Message(en="RC (1–5)", da="RC (1–5)"),
    "picture.lowest": Message(
        en="Lowest dimension of a tie (count of ties)",
        da="Laveste dimension i en relation (antal relationer)",
    ),
    "picture.by_dimension": Message(en="Mean per dimension", da="Gennemsnit pr. dimension"),
    "picture.no_ratings": Message(en="No rated ties", da="Ingen vurderede relationer"),
    "picture.received": Message(
        en="circle area: invitations received",
        da="cirklens areal: invitationer modtaget",
    ),
    "picture.arrow_note": Message(
        en="arrows run from the rater to the rated role",
        da="pilene går fra den vurderende til den vurderede gruppe",
    ),
    # which arrows a dense network map shows (relcoord.report_map)
    "picture.map_selected": Message(
        en="shown: {shown} of {total} arrows, the weak ties (RC below {low})",
        da="vist: {shown} af {total} pile, de svage relationer (RC under {low})",
    ),
    "picture.map_selected_one_sided": Message(
        en="shown: {shown} of {total} arrows, the weak ties (RC below {low}) and the one-sided "
           "arrows",
        da="vist: {shown} af {total} pile, de svage relationer (RC under {low}) og de ensidige "
           "pile",
    ),
    "picture.map_weakest": Message(
        en="shown: the {shown} weakest of {total} ties (RC up to {rc})",
        da="vist: de {shown} svageste af {total} relationer (RC op til {rc})",
    ),
    "picture.map_weakest_one_sided": Message(
        en="shown: the {shown} weakest of the weak and one-sided arrows, of {total} in all (RC "
           "up to {rc})",
        da="vist: de {shown} svageste af de svage og ensidige pile, af i alt {total} (RC op til "
           "{rc})",
    ),
    "picture.withheld": Message(
        en="rated, withheld (< {k} respondents)",
        da="vurderet, skjult (< {k} deltagere)",
    ),
    "picture.withheld_cell": Message(
        en="–: rated, withheld (fewer than {k} respondents)",
        da="–: vurderet, men skjult (færre end {k} deltagere)",
    ),
    "picture.colours_only": Message(
        en="too many roles to print each RC: the colour shows it (numbers in the tables)",
        da="for mange grupper til at skrive hver RC: farven viser den (tallene står i tabellerne)",
    ),
    "picture.withheld_grey": Message(
        en="dark grey: rated, withheld (fewer than {k} respondents)",
        da="mørkegrå: vurderet, men skjult (færre end {k} deltagere)",
    ),
    "picture.change": Message(en="Change {a} → {b}", da="Ændring {a} → {b}"),
    "picture.as_rater": Message(en="As rater (row)", da="Som vurderende (række)"),
    "picture.as_target": Message(en="As target (column)", da="Som vurderet (søjle)"),
    "picture.change_axis": Message(en="Change in RC ({b} − {a})", da="Ændring i RC ({b} − {a})"),
    "picture.up": Message(en="clear rise", da="tydelig stigning"),
    "picture.down": Message(en="clear fall", da="tydeligt fald"),
    "picture.unclear": Message(en="within the uncertainty", da="inden for usikkerheden"),
    "picture.change_note": Message(
        en="bars: {p} bootstrap interval ({n} replicates, seed {seed}); clear = interval excludes "
           "0 and change exceeds the MDC",
        da="streger: {p} bootstrap-interval ({n} gentagelser, frø {seed}); tydelig = intervallet "
           "udelukker 0, og ændringen er større end MDC",
    ),
    "picture.no_change": Message(
        en="No tie can be compared (too few respondents in a wave)",
        da="Ingen relation kan sammenlignes (for få deltagere i en runde)",
    ),
}
