"""The phrases of the interactive HTML report (the ``relcoord-html`` plugin): the map's
controls and help, the tooltips, the language switch and the table sorting.

The report's own words (headings, table headers, findings) are those of the other parts;
these are only the page's controls (``html.*``).
"""

from __future__ import annotations

from typing import Final

from relcoord.messages.message import Message

__all__ = ["ENTRIES"]

#: The entries of this part of the catalogue, by key.
ENTRIES: Final[dict[str, Message]] = {
    # the language switch: each language's name for itself
    "html.language_name": Message(en="English", da="Dansk"),
    "html.language": Message(en="Language", da="Sprog"),
    "html.contents": Message(en="Contents", da="Indhold"),
    "html.no_script": Message(
        en="The map and the tables are interactive with JavaScript; without it the page "
           "still shows every figure.",
        da="Kortet og tabellerne er interaktive med JavaScript; uden det viser siden stadig "
           "alle tal.",
    ),
    # the network map
    "html.map_label": Message(en="Interactive network map", da="Interaktivt netværkskort"),
    "html.map_help": Message(
        en="Point at a role or an arrow for its figures. Click a role (or move to it with Tab "
           "and press Enter) to highlight the arrows it sends and receives and to show its "
           "group's page; click it again, or press Escape, to clear. Drag to move the map, "
           "scroll or use the buttons to zoom.",
        da="Peg på en gruppe eller en pil for at se dens tal. Klik på en gruppe (eller gå til "
           "den med Tab, og tryk Enter) for at fremhæve de pile, den sender og modtager, og "
           "vise gruppens side; klik igen, eller tryk Escape, for at rydde. Træk for at flytte "
           "kortet, rul eller brug knapperne for at zoome.",
    ),
    "html.filters": Message(en="Show arrows", da="Vis pile"),
    "html.filter_kind": Message(en="Named or rated", da="Tegnet eller vurderet"),
    "html.kind_all": Message(en="All arrows", da="Alle pile"),
    "html.kind_named": Message(en="Named on the relationship map",
                               da="Tegnet på relationskortet"),
    "html.kind_rated": Message(en="Rated", da="Vurderet"),
    "html.all_waves": Message(en="All waves", da="Alle runder"),
    "html.selection": Message(
        en="Only the {shown} arrows the printed map shows (of {total})",
        da="Kun de {shown} pile, som det trykte kort viser (af {total})",
    ),
    "html.zoom_in": Message(en="Zoom in", da="Zoom ind"),
    "html.zoom_out": Message(en="Zoom out", da="Zoom ud"),
    "html.zoom_fit": Message(en="Fit the map", da="Tilpas kortet"),
    "html.clear": Message(en="Clear the selection", da="Ryd valget"),
    "html.pick_role": Message(
        en="Click a role on the map to see its arrows and its group's page.",
        da="Klik på en gruppe på kortet for at se dens pile og gruppens side.",
    ),
    "html.arrows_shown": Message(en="{shown} of {total} arrows shown",
                                 da="{shown} af {total} pile vises"),
    "html.go_to_page": Message(en="Go to the group's page in the report",
                               da="Gå til gruppens side i rapporten"),
    # tooltips
    "html.named": Message(en="named on the relationship map", da="tegnet på relationskortet"),
    "html.rated_by": Message(en="rated by {n} respondents", da="vurderet af {n} deltagere"),
    "html.withheld_tip": Message(
        en="figures withheld: fewer than {k} respondents",
        da="tal skjult: færre end {k} deltagere",
    ),
    "html.heat_help": Message(
        en="Each row is a rating role, each column the role it rates. Point at a cell for its "
           "value.",
        da="Hver række er en vurderende gruppe, hver kolonne den gruppe, den vurderer. Peg på "
           "en celle for at se dens værdi.",
    ),
    "html.heat_label": Message(en="Heat map of the tie matrix", da="Varmekort over relationerne"),
    # the tables
    "html.sort": Message(en="Sort by {column}", da="Sortér efter {column}"),
}
