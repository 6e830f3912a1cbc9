"""The terms every output shares: one word per concept, whatever output shows it.

The report, its pictures, the findings and the command line all name the RC bands, the
invitation statuses, the organisations, the sub-indices and the parts of the network with
these entries, so that one concept has one word.  Terms are written as they appear in
running text (lower case); a heading or a table cell capitalises them with
[`relcoord.messages.capital`][relcoord.messages.capital].
"""

from __future__ import annotations

from typing import Final

from relcoord.messages.message import Message

__all__ = ["ENTRIES"]

#: The entries of this part of the catalogue, by key.
ENTRIES: Final[dict[str, Message]] = {
    # the RC bands (relcoord.metrics.scores)
    "band.weak": Message(en="weak", da="svag"),
    "band.moderate": Message(en="moderate", da="moderat"),
    "band.strong": Message(en="strong", da="stærk"),
    # the status of a dialogue invitation (balkort)
    "status.accepted": Message(en="accepted", da="accepteret"),
    "status.held": Message(en="held", da="afholdt"),
    "status.declined": Message(en="declined", da="afslået"),
    "status.pending": Message(en="left open", da="ubesvaret"),
    # organisation ids of the example study (the Trivsel Smiley conferences,
    # docs/example.md) and of health and care studies (relcoord.testing.surveys); other
    # ids are shown as the study spells them, hyphens as spaces (report_labels)
    "organisation.school": Message(en="school", da="skole"),
    "organisation.municipality": Message(en="municipality", da="kommune"),
    "organisation.hospital": Message(en="hospital", da="sygehus"),
    "organisation.general-practice": Message(en="general practice", da="almen praksis"),
    "organisation.none": Message(en="no organisation", da="ingen organisation"),
    # the sub-indices of RC
    "sub_index.communication": Message(en="communication", da="kommunikation"),
    "sub_index.relationship": Message(en="relationship", da="relationer"),
    # the parts of the network an RC figure covers
    "scope.network": Message(en="network (all ties)", da="netværket (alle relationer)"),
    "scope.within": Message(en="within roles", da="inden for grupper"),
    "scope.between": Message(en="between roles", da="mellem grupper"),
    "scope.internal": Message(en="inside one organisation", da="inden for én organisation"),
    "scope.external": Message(en="across organisations", da="på tværs af organisationer"),
    # what the degrees of the role network count
    "basis.arrows": Message(en="named arrows", da="tegnede pile"),
    "basis.ratings": Message(en="rated ties", da="vurderede relationer"),
    # a role others named or rated but that had nobody present
    "role.absent": Message(en="named but absent", da="nævnt, men ikke til stede"),
    # a yes/no table cell
    "bool.yes": Message(en="yes", da="ja"),
    "bool.no": Message(en="no", da="nej"),
    # the built-in instruments (relcoord.instruments): English as the instrument's title
    "instrument.rc7": Message(
        en="Relational Coordination Survey (7 items)",
        da="Spørgeskema om relationel koordinering (7 spørgsmål)",
    ),
    "instrument.rc7-classic": Message(
        en="Relational Coordination Survey (7 items, classic frequency scale)",
        da="Spørgeskema om relationel koordinering (7 spørgsmål, klassisk skala for hyppighed)",
    ),
    "instrument.relationskort": Message(
        en="Relationskort (relationship map): communication qualities",
        da="Relationskort: kommunikationens kvaliteter",
    ),
}
