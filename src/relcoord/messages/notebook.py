"""The notebook's phrases: the captions and row labels of the HTML summaries that Jupyter
shows for a study and an analysis ([`relcoord.notebook`][relcoord.notebook]).

Band and weighting names are terms (`relcoord.messages.terms`) or the
report's (``report.weighting_*``); this part holds only what the summaries add.
"""

from __future__ import annotations

from typing import Final

from relcoord.messages.message import Message

__all__ = ["ENTRIES"]

#: The entries of this part of the catalogue, by key.
ENTRIES: Final[dict[str, Message]] = {
    "notebook.study": Message(en="Study {title}", da="Undersøgelse {title}"),
    "notebook.analysis": Message(en="Analysis of {title}", da="Analyse af {title}"),
    "notebook.id": Message(en="Id", da="Id"),
    "notebook.instrument": Message(en="Measurement instrument", da="Måleinstrument"),
    "notebook.roles": Message(en="Roles", da="Grupper"),
    "notebook.absent": Message(en="of them named but absent", da="heraf nævnt, men ikke til stede"),
    "notebook.respondents": Message(en="Respondents", da="Deltagere"),
    "notebook.ratings": Message(en="Ratings", da="Vurderinger"),
    "notebook.arrows": Message(en="Named arrows", da="Tegnede pile"),
    "notebook.invitations": Message(en="Invitations to dialogue", da="Invitationer til dialog"),
    "notebook.waves": Message(en="Waves", da="Runder"),
    "notebook.none": Message(en="none", da="ingen"),
    "notebook.rc": Message(en="RC of the network", da="RC for netværket"),
    "notebook.band": Message(en="Band", da="Niveau"),
    "notebook.within": Message(en="RC within roles", da="RC inden for grupper"),
    "notebook.between": Message(en="RC between roles", da="RC mellem grupper"),
    "notebook.rated_ties": Message(en="Rated ties", da="Vurderede relationer"),
    "notebook.counted": Message(en="Ratings counted", da="Vurderinger talt med"),
    "notebook.withheld": Message(
        en="Ratings withheld (fewer than {k} respondents)",
        da="Vurderinger tilbageholdt (færre end {k} deltagere)",
    ),
    "notebook.weighting": Message(en="Weighting", da="Vægtning"),
    "notebook.findings": Message(en="Findings", da="Fund"),
    "notebook.no_findings": Message(en="No findings.", da="Ingen fund."),
    "notebook.no_figure": Message(en="no figure", da="intet tal"),
}
