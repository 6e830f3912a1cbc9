"""The phrases of the function groups' pages and the contact guide.

They serve [`relcoord.report_groups`][relcoord.report_groups] (``report.groups.*``: a page per
group, to hand to the group) and [`relcoord.report_contacts`][relcoord.report_contacts]
(``report.contacts.*``: "Who do I contact?", the start of a shared plan of who does what).  The
wording follows the seed article's
care: strengths first, differences as "rates ... lower than ...", questions rather than
verdicts (Psykiatrifonden, *Trivsel Smiley*, 2019).
"""

from __future__ import annotations

from typing import Final

from relcoord.messages.message import Message

__all__ = ["ENTRIES"]

#: The entries of this part of the catalogue, by key.
ENTRIES: Final[dict[str, Message]] = {
    # a page per function group (relcoord.report_groups)
    "report.groups.title": Message(en="The function groups, one page each",
                                   da="Funktionsgrupperne, en side hver"),
    "report.groups.page": Message(en="The group's place in the network",
                                  da="Gruppens plads i netværket"),
    "report.groups.sheets": Message(en="Pages for the function groups",
                                    da="Sider til funktionsgrupperne"),
    "report.groups.intro": Message(
        en="Each group that took part has a page of its own, to print and hand to the group: "
           "who named it and whom it named, how others rate their coordination with it and how "
           "it rates them, its weakest ties, its invitations, and one or two points to discuss.",
        da="Hver gruppe, der deltog, har sin egen side, som kan udskrives og gives til gruppen: "
           "hvem der pegede på den, og hvem den pegede på, hvordan andre vurderer samarbejdet "
           "med den, og hvordan den selv vurderer det, dens svageste relationer, dens "
           "invitationer og et eller to punkter til drøftelse.",
    ),
    "report.groups.separate": Message(
        en="{n} groups took part, more than the {max} this report gives a page each. Each "
           "group's page is printed on its own (in relcoord: -O part=groups for every group, "
           "-O group=ID for one); the table of roles above shows every group on one line.",
        da="{n} grupper deltog, flere end de {max}, som rapporten giver en side hver. Hver "
           "gruppes side udskrives for sig (i relcoord: -O part=groups for alle grupper, "
           "-O group=ID for én); tabellen over funktionsgrupper ovenfor viser hver gruppe på "
           "én linje.",
    ),
    "report.groups.none": Message(
        en="No group took part, so there are no group pages.",
        da="Ingen grupper deltog, så der er ingen sider for grupperne.",
    ),
    "report.groups.summary_arrows": Message(
        en="Respondents from {group}: {n}. Other groups that named {group} as an important "
           "partner: {named_by}; groups {group} named: {names}.",
        da="Deltagere fra {group}: {n}. Andre grupper, der pegede på {group} som en vigtig "
           "samarbejdspartner: {named_by}; grupper, {group} selv pegede på: {names}.",
    ),
    "report.groups.summary_ratings": Message(
        en="Respondents from {group}: {n}. Groups they rated their coordination with: {names}; "
           "groups that rated their coordination with {group}: {named_by}.",
        da="Deltagere fra {group}: {n}. Grupper, de vurderede samarbejdet med: {names}; "
           "grupper, der vurderede samarbejdet med {group}: {named_by}.",
    ),
    "report.groups.summary_withheld": Message(
        en="The ratings {group} gave rest on fewer than {k} respondents, so they are not shown. "
           "Groups that named or rated {group}: {named_by}.",
        da="De vurderinger, {group} gav, bygger på færre end {k} deltagere, så de vises ikke. "
           "Grupper, der pegede på eller vurderede {group}: {named_by}.",
    ),
    "report.groups.strength_out": Message(
        en="The coordination {group} itself rates best is with {partner} ({rc}).",
        da="Det samarbejde, {group} selv vurderer bedst, er med {partner} ({rc}).",
    ),
    "report.groups.strength_in": Message(
        en="The group that rates its coordination with {group} best is {partner} ({rc}).",
        da="Den gruppe, der vurderer samarbejdet med {group} bedst, er {partner} ({rc}).",
    ),
    "report.groups.views": Message(
        en="On average, other groups rate their coordination with {group} at {rc_in}, and "
           "{group} rates its coordination with them at {rc_out}.",
        da="I gennemsnit vurderer andre grupper samarbejdet med {group} til {rc_in}, og "
           "{group} vurderer selv samarbejdet med dem til {rc_out}.",
    ),
    "report.groups.views_lower": Message(
        en="{group} thus rates the coordination somewhat lower than the others do.",
        da="{group} vurderer altså samarbejdet noget lavere, end de andre gør.",
    ),
    "report.groups.views_higher": Message(
        en="{group} thus rates the coordination somewhat higher than the others do.",
        da="{group} vurderer altså samarbejdet noget højere, end de andre gør.",
    ),
    "report.groups.views_similar": Message(
        en="{group} and the others thus rate the coordination about the same.",
        da="{group} og de andre vurderer altså samarbejdet omtrent ens.",
    ),
    "report.groups.views_in": Message(
        en="On average, other groups rate their coordination with {group} at {rc_in}. The "
           "ratings of {group} itself are not shown: fewer than {k} respondents gave them.",
        da="I gennemsnit vurderer andre grupper samarbejdet med {group} til {rc_in}. Gruppens "
           "egne vurderinger vises ikke, fordi færre end {k} deltagere gav dem.",
    ),
    "report.groups.views_out": Message(
        en="{group} rates its coordination with other groups at {rc_out} on average; no other "
           "group's rating of {group} can be shown.",
        da="{group} vurderer i gennemsnit samarbejdet med andre grupper til {rc_out}; ingen "
           "anden gruppes vurdering af {group} kan vises.",
    ),
    "report.groups.views_none": Message(
        en="No rating of or by {group} can be shown (each rests on fewer than {k} respondents, "
           "or there is none).",
        da="Ingen vurdering af eller fra {group} kan vises (hver bygger på færre end {k} "
           "deltagere, eller der er ingen).",
    ),
    "report.groups.table": Message(en="{group} and its partners",
                                   da="{group} og samarbejdspartnerne"),
    "report.groups.names_group": Message(en="Named the group", da="Pegede på gruppen"),
    "report.groups.named_by_group": Message(en="Named by the group", da="Gruppen pegede på"),
    "report.groups.rc_in": Message(en="Their rating of the group",
                                   da="Deres vurdering af gruppen"),
    "report.groups.rc_out": Message(en="The group's rating of them",
                                    da="Gruppens vurdering af dem"),
    "report.groups.table_note": Message(
        en="RC from 1 (weak) to 5 (strong). Gap = the group's rating minus theirs. –: not "
           "rated, or withheld because fewer than {k} respondents gave it.",
        da="RC fra 1 (svag) til 5 (stærk). Forskel = gruppens vurdering minus deres. –: ikke "
           "vurderet, eller skjult, fordi færre end {k} deltagere gav den.",
    ),
    "report.groups.weakest": Message(en="The weakest ties: {ties}.",
                                     da="De svageste relationer: {ties}."),
    "report.groups.tie_lowest": Message(
        en="{source} → {target} ({rc}; lowest: {dimension})",
        da="{source} → {target} ({rc}; lavest: {dimension})",
    ),
    "report.groups.invitations": Message(
        en="Dialogues agreed, and invitations to answer",
        da="Aftalte dialoger og invitationer, der venter på svar",
    ),
    "report.groups.invitation_counts": Message(
        en="Invitations to dialogue: {group} sent {sent} and received {received}.",
        da="Invitationer til dialog: {group} sendte {sent} og modtog {received}.",
    ),
    "report.groups.counted": Message(en="{n} ({statuses})", da="{n} ({statuses})"),
    "report.groups.more_invitations": Message(
        en="{n} more: every invitation is in the appendix.",
        da="{n} flere: alle invitationer står i bilaget.",
    ),
    "report.groups.others": Message(en="{n} other groups", da="{n} andre grupper"),
    "report.groups.no_count": Message(en="none", da="ingen"),
    "report.groups.no_invitations": Message(
        en="{group} sent and received no invitations to dialogue.",
        da="{group} sendte og modtog ingen invitationer til dialog.",
    ),
    "report.groups.direction": Message(en="Direction", da="Retning"),
    "report.groups.sent": Message(en="sent to", da="sendt til"),
    "report.groups.received": Message(en="received from", da="modtaget fra"),
    "report.groups.discuss": Message(en="To discuss", da="Til drøftelse"),
    "report.groups.point_unnamed": Message(
        en="{partners} named {group} as a partner, but {group} did not name them. What can they "
           "help with that {group} may not know of?",
        da="{partners} pegede på {group} som samarbejdspartner, men {group} pegede ikke på dem. "
           "Hvad kan de hjælpe med, som {group} måske ikke kender?",
    ),
    "report.groups.point_weak": Message(
        en="{group} rates its coordination with {partner} weak ({rc}), lowest on {dimension}. "
           "What would make it stronger?",
        da="{group} vurderer samarbejdet med {partner} som svagt ({rc}), lavest på "
           "{dimension}. Hvad skal der til for at styrke det?",
    ),
    "report.groups.point_weak_plain": Message(
        en="{group} rates its coordination with {partner} weak ({rc}). What would make it "
           "stronger?",
        da="{group} vurderer samarbejdet med {partner} som svagt ({rc}). Hvad skal der til for "
           "at styrke det?",
    ),
    "report.groups.point_gap": Message(
        en="{group} and {partner} may see their coordination differently: {group} rates it "
           "{rc_out}, {partner} {rc_in}. What does each side see?",
        da="{group} og {partner} ser måske samarbejdet forskelligt: {group} vurderer det til "
           "{rc_out}, {partner} til {rc_in}. Hvad ser hver side?",
    ),
    "report.groups.point_open": Message(
        en="Invitations to {group} not answered yet: {n}. Who answers them, and when?",
        da="Invitationer til {group}, der endnu ikke er besvaret: {n}. Hvem svarer, og hvornår?",
    ),
    "report.groups.point_keep": Message(
        en="What makes the coordination of {group} with {partner} work well, and could it "
           "help other ties?",
        da="Hvad får samarbejdet mellem {group} og {partner} til at fungere godt, og kan det "
           "bruges i andre relationer?",
    ),
    # the contact guide (relcoord.report_contacts)
    "report.contacts.title": Message(en="Who do I contact?", da="Hvem kontakter jeg?"),
    "report.contacts.intro": Message(
        en="A start for a shared plan of who does what: for each group, whom it works with on "
           "“{focal}”, which of those ties are weak or one-sided, the dialogues agreed in the "
           "invitation round, and the groups that named it but that it did not name, whose "
           "help it may not know of. Such a plan says who does what and whom to contact, so "
           "that the task is shared rather than left to each person.",
        da="Et udgangspunkt for en fælles beredskabsplan: for hver gruppe, hvem den samarbejder "
           "med om »{focal}«, hvilke af de relationer der er svage eller ensidige, hvilke "
           "dialoger der blev aftalt med balkortene, og hvilke grupper der pegede på den, uden "
           "at den pegede på dem: hjælp, den måske ikke kender. En beredskabsplan siger, hvem "
           "der gør hvad, og hvem man kontakter, så opgaven bliver fælles og ikke den "
           "enkeltes.",
    ),
    "report.contacts.for_the_plan": Message(
        en="For a shared plan of who does what",
        da="Til en fælles beredskabsplan",
    ),
    "report.contacts.the_task": Message(en="the shared task", da="den fælles opgave"),
    "report.contacts.none": Message(
        en="No group took part, so the guide is empty.",
        da="Ingen grupper deltog, så oversigten er tom.",
    ),
    "report.contacts.table": Message(en="Who works with whom", da="Hvem samarbejder med hvem"),
    "report.contacts.works_with": Message(en="Works with", da="Samarbejder med"),
    "report.contacts.weak": Message(en="Rates weak (RC)", da="Vurderer svage (RC)"),
    "report.contacts.agreed": Message(en="Dialogues agreed", da="Aftalte dialoger"),
    "report.contacts.unreturned": Message(
        en="Named it, not named back",
        da="Pegede på gruppen, som ikke pegede tilbage",
    ),
    "report.contacts.rated": Message(en="{n} groups rated", da="{n} grupper vurderet"),
    "report.contacts.one_sided": Message(en="one-sided", da="ensidig"),
    "report.contacts.more": Message(en="and {n} more", da="og {n} andre"),
    "report.contacts.note_arrows": Message(
        en="Works with: the groups it named; weak: one of the two rates the tie below {low}; "
           "one-sided: it named the group, which did not name it back. Dialogues agreed: "
           "invitations accepted or held, sent or received, with how many when more than one.",
        da="Samarbejder med: de grupper, den pegede på; svag: en af de to vurderer relationen "
           "under {low}; ensidig: den pegede på gruppen, som ikke pegede tilbage. Aftalte "
           "dialoger: invitationer, der blev accepteret eller holdt, sendt eller modtaget, med "
           "antallet, når der er flere end én.",
    ),
    "report.contacts.note_ratings": Message(
        en="The study has no named arrows, so every group rated is a partner. Rates weak: the "
           "groups whose coordination with it the group rates below {low}, the weakest first "
           "(each group's page has both sides). Dialogues agreed: invitations accepted or held, "
           "sent or received.",
        da="Undersøgelsen har ingen tegnede pile, så hver vurderet gruppe er en "
           "samarbejdspartner. Vurderer svage: de grupper, gruppen vurderer samarbejdet med "
           "under {low}, de svageste først (hver gruppes side viser begge sider). Aftalte "
           "dialoger: invitationer, der blev accepteret eller holdt, sendt eller modtaget.",
    ),
}
