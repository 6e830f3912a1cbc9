"""The findings' phrases: each kind's title, its sentences and the labels of its numbers.

A sentence is whole in every language (no sentence is pieced together from words), so a
translator sees what a reader reads; the rules of [`relcoord.findings`][relcoord.findings] fill in
the role names (joined by [`relcoord.messages.join`][relcoord.messages.locales.join]) and the
numbers (formatted by [`relcoord.messages.decimal`][relcoord.messages.locales.decimal] and
[`relcoord.messages.percent`][relcoord.messages.locales.percent]).
"""

from __future__ import annotations

from typing import Final

from relcoord.messages.message import Message

__all__ = ["ENTRIES"]

#: The entries of this part of the catalogue, by key.
ENTRIES: Final[dict[str, Message]] = {
    # the title of each kind of finding (a report subsection's heading)
    "finding.most_named.title": Message(en="Central partners", da="Centrale samarbejdspartnere"),
    "finding.overlooked.title": Message(en="Overlooked resources", da="Oversete ressourcer"),
    "finding.internal_external_gap.title": Message(
        en="Internal and external ties",
        da="Internt og eksternt samarbejde",
    ),
    "finding.named_but_absent.title": Message(
        en="Named but absent",
        da="Nævnt, men ikke til stede",
    ),
    "finding.weak_ties.title": Message(en="Weak ties", da="Svage relationer"),
    "finding.perception_gap.title": Message(en="Perception gap", da="Forskellig opfattelse"),
    "finding.dialogue.title": Message(en="Dialogue", da="Dialog"),
    # the sentences, one rule each (relcoord.findings)
    "finding.most_named.one": Message(
        en="Most {word} point to {roles} ({counts} in; the median of the roles named is "
           "{median}). It points to {outs} others.",
        da="Flest {word} peger mod {roles} ({counts} ind; medianen for de nævnte grupper er "
           "{median}). Selv peger gruppen på {outs} andre.",
    ),
    "finding.most_named.many": Message(
        en="Most {word} point to {roles} ({counts} in; the median of the roles named is "
           "{median}). They point to {outs} others.",
        da="Flest {word} peger mod {roles} ({counts} ind; medianen for de nævnte grupper er "
           "{median}). Selv peger de på {outs} andre.",
    ),
    "finding.most_named.arrows": Message(en="arrows", da="pile"),
    "finding.most_named.ratings": Message(en="ratings", da="vurderinger"),
    "finding.overlooked": Message(
        en="Overlooked resources: {roles} point to many other groups, but few point back (out → "
           "in). Others may not know the help they offer.",
        da="Oversete ressourcer: {roles} peger på mange andre grupper, men få peger tilbage (ud → "
           "ind). Andre kender måske ikke den hjælp, de kan give.",
    ),
    "finding.internal_external_gap.higher": Message(
        en="Ties inside an organisation are rated higher (mean {internal}, {internal_ties} ties) "
           "than ties across organisations ({external}, {external_ties} ties).",
        da="Samarbejdet internt i organisationerne vurderes bedre (gennemsnit {internal}, "
           "{internal_ties} relationer) end samarbejdet på tværs af dem ({external}, "
           "{external_ties} relationer).",
    ),
    "finding.internal_external_gap.lower": Message(
        en="Ties inside an organisation are rated lower (mean {internal}, {internal_ties} ties) "
           "than ties across organisations ({external}, {external_ties} ties).",
        da="Samarbejdet internt i organisationerne vurderes dårligere (gennemsnit {internal}, "
           "{internal_ties} relationer) end samarbejdet på tværs af dem ({external}, "
           "{external_ties} relationer).",
    ),
    "finding.named_but_absent": Message(
        en="{n} groups were named as partners but were not present ({present} groups were "
           "present): {roles}.",
        da="{n} grupper blev nævnt som samarbejdspartnere uden at være til stede ({present} "
           "grupper var til stede): {roles}.",
    ),
    "finding.weak_ties": Message(
        en="{weak} of {rated} rated ties are weak (below {limit}). At least half of the ties are "
           "weak for {roles}.",
        da="{weak} af {rated} vurderede relationer er svage (under {limit}). Mindst halvdelen af "
           "relationerne er svage for {roles}.",
    ),
    "finding.perception_gap": Message(
        en="{a} and {b} see their collaboration differently: {a} rate {b} {rc_a}, while {b} rate "
           "{a} {rc_b}.",
        da="{a} og {b} ser samarbejdet forskelligt: {a} vurderer {b} til {rc_a}, mens {b} "
           "vurderer {a} til {rc_b}.",
    ),
    # where the Social Relations Model places a perception gap (relcoord.findings.gap_source);
    # {a} rates {b} higher than {b} rates {a}
    "finding.perception_gap.source.rater": Message(
        en="The difference appears to lie mostly with the raters' leniency: {a} rate all groups "
           "more generously than {b} do.",
        da="Forskellen ser ud til mest at skyldes, hvor mildt grupperne vurderer: {a} vurderer "
           "alle grupper mere positivt, end {b} gør.",
    ),
    "finding.perception_gap.source.target": Message(
        en="The difference appears to lie mostly with the groups' reputation: all groups rate "
           "{b} higher than they rate {a}.",
        da="Forskellen ser ud til mest at skyldes gruppernes omdømme: alle grupper vurderer "
           "{b} højere, end de vurderer {a}.",
    ),
    "finding.perception_gap.source.relationship": Message(
        en="The difference appears to lie mostly with the tie itself: beyond how the two groups "
           "rate and are rated in general, {a} see this collaboration as better than {b} do.",
        da="Forskellen ser ud til mest at ligge i selve relationen: ud over hvordan de to "
           "grupper generelt vurderer og bliver vurderet, oplever {a} samarbejdet som bedre, "
           "end {b} gør.",
    ),
    "finding.perception_gap.source.respondents": Message(
        en="The difference appears to lie mostly with the individual respondents behind the "
           "two ratings, not with the groups or the tie.",
        da="Forskellen ser ud til mest at skyldes de enkelte besvarelser bag de to "
           "vurderinger, ikke grupperne eller relationen.",
    ),
    "finding.perception_gap.source.unclear": Message(
        en="No single source appears to carry most of the difference: the raters' leniency, "
           "the groups' reputation and the tie itself each explain less than half of it.",
        da="Ingen enkelt kilde ser ud til at forklare det meste af forskellen: gruppernes "
           "mildhed, deres omdømme og selve relationen forklarer hver under halvdelen af den.",
    ),
    # the same for an overlooked role: {role} rates its partners higher than they rate it
    "finding.overlooked.source.rater": Message(
        en="{role} rate their partners higher than the partners rate them ({diff} on "
           "average); this appears to lie mostly with their own leniency: they rate all "
           "groups generously.",
        da="{role} vurderer deres samarbejdspartnere højere, end partnerne vurderer dem "
           "({diff} i gennemsnit); det ser ud til mest at skyldes deres egen mildhed: de "
           "vurderer alle grupper positivt.",
    ),
    "finding.overlooked.source.target": Message(
        en="{role} rate their partners higher than the partners rate them ({diff} on "
           "average); this appears to lie mostly with their reputation: all groups rate "
           "{role} lower than they rate those partners.",
        da="{role} vurderer deres samarbejdspartnere højere, end partnerne vurderer dem "
           "({diff} i gennemsnit); det ser ud til mest at skyldes gruppens omdømme: alle "
           "grupper vurderer {role} lavere end disse partnere.",
    ),
    "finding.overlooked.source.relationship": Message(
        en="{role} rate their partners higher than the partners rate them ({diff} on "
           "average); this appears to lie mostly with the ties themselves, beyond how "
           "generously the groups rate and how highly they are rated in general.",
        da="{role} vurderer deres samarbejdspartnere højere, end partnerne vurderer dem "
           "({diff} i gennemsnit); det ser ud til mest at ligge i selve relationerne, ud over "
           "hvor mildt grupperne generelt vurderer, og hvor højt de bliver vurderet.",
    ),
    "finding.overlooked.source.respondents": Message(
        en="{role} rate their partners higher than the partners rate them ({diff} on "
           "average); this appears to lie mostly with the individual respondents, not with "
           "the groups or the ties.",
        da="{role} vurderer deres samarbejdspartnere højere, end partnerne vurderer dem "
           "({diff} i gennemsnit); det ser ud til mest at skyldes de enkelte besvarelser, "
           "ikke grupperne eller relationerne.",
    ),
    "finding.overlooked.source.unclear": Message(
        en="{role} rate their partners higher than the partners rate them ({diff} on "
           "average); no single source (leniency, reputation or the ties themselves) appears "
           "to carry most of it.",
        da="{role} vurderer deres samarbejdspartnere højere, end partnerne vurderer dem "
           "({diff} i gennemsnit); ingen enkelt kilde (mildhed, omdømme eller selve "
           "relationerne) ser ud til at forklare det meste af det.",
    ),
    "finding.dialogue.counts": Message(
        en="{n} dialogue invitations: {accepted} accepted, {declined} declined and {pending} left "
           "open.",
        da="{n} invitationer til dialog: {accepted} accepteret, {declined} afslået og {pending} "
           "ubesvaret.",
    ),
    "finding.dialogue.counts_rate": Message(
        en="{n} dialogue invitations: {accepted} accepted, {declined} declined and {pending} left "
           "open ({rate} of those answered were accepted).",
        da="{n} invitationer til dialog: {accepted} accepteret, {declined} afslået og {pending} "
           "ubesvaret ({rate} af de besvarede blev accepteret).",
    ),
    "finding.dialogue.most_invited": Message(
        en="Most invitations went to {roles} ({n}).",
        da="Flest invitationer gik til {roles} ({n}).",
    ),
    "finding.dialogue.coverage": Message(
        en="The invitations reach {share} of the {n} weak or one-sided ties.",
        da="Invitationerne når {share} af de {n} svage eller ensidige relationer.",
    ),
    "finding.dialogue.stalled": Message(
        en="Dialogue stalls for {roles}: only {rates} of their answered invitations were accepted.",
        da="Dialogen går i stå for {roles}: kun {rates} af deres besvarede invitationer blev "
           "accepteret.",
    ),
    # the numbers behind a finding (keys of Finding.figures), as the report labels them
    "finding.figure.in_degree": Message(en="Arrows in", da="Pile ind"),
    "finding.figure.out_degree": Message(en="Arrows out", da="Pile ud"),
    "finding.figure.median_in_degree": Message(en="Median arrows in", da="Median for pile ind"),
    "finding.figure.median_out_degree": Message(en="Median arrows out", da="Median for pile ud"),
    "finding.figure.unreciprocated_share": Message(en="Not returned", da="Ikke gengældt"),
    "finding.figure.internal": Message(
        en="Inside one organisation",
        da="Inden for én organisation",
    ),
    "finding.figure.external": Message(en="Across organisations", da="På tværs af organisationer"),
    "finding.figure.difference": Message(en="Difference", da="Forskel"),
    "finding.figure.internal_ties": Message(
        en="Ties inside one organisation",
        da="Relationer inden for én organisation",
    ),
    "finding.figure.external_ties": Message(
        en="Ties across organisations",
        da="Relationer på tværs af organisationer",
    ),
    "finding.figure.count": Message(
        en="Roles named but absent",
        da="Grupper nævnt, men ikke til stede",
    ),
    "finding.figure.present": Message(en="Roles present", da="Grupper til stede"),
    "finding.figure.low": Message(en="Weak below", da="Svag under"),
    "finding.figure.weak_ties": Message(en="Weak ties", da="Svage relationer"),
    "finding.figure.rated_ties": Message(en="Rated ties", da="Vurderede relationer"),
    "finding.figure.weak_share": Message(en="Weak ties", da="Svage relationer"),
    "finding.figure.n_rated_ties": Message(en="Rated ties", da="Vurderede relationer"),
    "finding.figure.sent": Message(en="Sent", da="Sendt"),
    "finding.figure.accepted": Message(en="Accepted", da="Accepteret"),
    "finding.figure.declined": Message(en="Declined", da="Afslået"),
    "finding.figure.pending": Message(en="Left open", da="Ubesvaret"),
    "finding.figure.acceptance_rate": Message(en="Acceptance rate", da="Acceptrate"),
    "finding.figure.most_invited": Message(en="Invitations received", da="Invitationer modtaget"),
    "finding.figure.reciprocated_pairs": Message(
        en="Pairs inviting each other",
        da="Par, der inviterede hinanden",
    ),
    "finding.figure.weak_or_asymmetric_ties": Message(
        en="Weak or one-way ties",
        da="Svage eller ensidige relationer",
    ),
    "finding.figure.coverage": Message(
        en="Weak or one-way ties covered",
        da="Svage eller ensidige relationer dækket",
    ),
    "finding.figure.low_acceptance": Message(
        en="Acceptance where dialogue stalls",
        da="Accept, hvor dialogen går i stå",
    ),
}
