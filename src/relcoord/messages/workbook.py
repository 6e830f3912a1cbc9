"""The phrases of spreadsheets: the results workbook, the workshop templates and their
printable twin (the ``relcoord-xlsx`` and ``relcoord-docx`` plugins, ``relcoord template``).

``workbook.sheet.`` names the sheets (a reader finds a roles, ties, invitations or study
sheet by its name in any language); ``workbook.column.`` heads a template's columns with
words the CSV importers' column aliases know, so a filled template reads back;
``workbook.instructions.`` and ``workbook.check.`` are what the person typing sees;
``workbook.form.`` the printed forms; ``workbook.results.`` the results workbook's own
words (the rest comes from the report, [`relcoord.messages.report`][relcoord.messages.report]).
"""

from __future__ import annotations

from typing import Final

from relcoord.messages.message import Message

__all__ = ["ENTRIES"]

#: The entries of this part of the catalogue, by key.
ENTRIES: Final[dict[str, Message]] = {
    # sheet names (at most 31 characters, no : \ / ? * [ ])
    "workbook.sheet.study": Message(en="study", da="undersøgelse"),
    "workbook.sheet.roles": Message(en="roles", da="roller"),
    "workbook.sheet.ties": Message(en="ties", da="pile"),
    "workbook.sheet.invitations": Message(en="invitations", da="invitationer"),
    "workbook.sheet.instructions": Message(en="Instructions", da="Vejledning"),
    "workbook.sheet.relationskort": Message(en="Relationship map", da="Relationskort"),
    "workbook.sheet.balkort": Message(en="Dialogue invitations", da="Balkort"),
    "workbook.sheet.survey": Message(en="Survey", da="Spørgeskema"),
    "workbook.sheet.lists": Message(en="lists", da="lister"),
    "workbook.sheet.overview": Message(en="Overview", da="Overblik"),
    "workbook.sheet.findings": Message(en="Findings", da="Fund"),
    "workbook.sheet.matrix": Message(en="Tie matrix", da="Relationsmatrix"),
    "workbook.sheet.groups": Message(en="Function groups", da="Funktionsgrupper"),
    "workbook.sheet.rated_ties": Message(en="Rated ties", da="Vurderede relationer"),
    "workbook.sheet.reliability": Message(en="Reliability", da="Pålidelighed"),
    "workbook.sheet.method": Message(en="Method", da="Metode"),
    # template columns: words the CSV column aliases know (relcoord.formats.csv.columns)
    "workbook.column.respondent": Message(en="Respondent", da="Deltager"),
    "workbook.column.source": Message(en="Rater group", da="Fra gruppe"),
    "workbook.column.target": Message(en="Target group", da="Til gruppe"),
    "workbook.column.wave": Message(en="Wave", da="Runde"),
    "workbook.column.topic": Message(en="Topic", da="Emne"),
    "workbook.column.id": Message(en="id", da="kode"),
    "workbook.column.name": Message(en="name", da="navn"),
    "workbook.column.organisation": Message(en="organisation", da="organisation"),
    "workbook.column.present": Message(en="present", da="til stede"),
    "workbook.column.key": Message(en="key", da="felt"),
    "workbook.column.value": Message(en="value", da="værdi"),
    # the instructions sheet
    "workbook.instructions.title": Message(
        en="How to fill in this workbook", da="Sådan udfylder du projektmappen"),
    "workbook.instructions.relationskort": Message(
        en="One row per arrow on the relationship map: the group that drew it, the group it "
           "points to and, when the arrow was rated, the four communication qualities.",
        da="Én række pr. pil på relationskortet: gruppen, der tegnede den, gruppen, den "
           "peger på, og - når pilen blev vurderet - de fire kvaliteter i kommunikationen."),
    "workbook.instructions.balkort": Message(
        en="One row per invitation on a balkort: the group that invites, the group invited, "
           "the topic and what became of it.",
        da="Én række pr. invitation på et balkort: gruppen, der inviterer, gruppen, der "
           "inviteres, emnet og hvad der kom ud af det."),
    "workbook.instructions.survey": Message(
        en="One row per respondent and group rated: who answered (a number will do), their "
           "own group, the group they rate and one answer per question.",
        da="Én række pr. deltager og vurderet gruppe: hvem der svarede (et nummer er nok), "
           "deltagerens egen gruppe, gruppen der vurderes, og ét svar pr. spørgsmål."),
    "workbook.instructions.lists": Message(
        en="Pick groups, answers and statuses from the drop-down lists; Excel refuses "
           "anything else. Leave an answer empty when it was not given.",
        da="Vælg grupper, svar og status i rullelisterne; Excel afviser alt andet. Lad et "
           "svar stå tomt, når det ikke blev givet."),
    "workbook.instructions.roles": Message(
        en="The groups are listed on the sheet '{sheet}'. Do not rename the sheets.",
        da="Grupperne står på arket '{sheet}'. Omdøb ikke arkene."),
    "workbook.instructions.import": Message(
        en="When you are done, read the workbook with: relcoord validate {file}",
        da="Når du er færdig, læses projektmappen med: relcoord validate {file}"),
    "workbook.instructions.group": Message(en="Group", da="Gruppe"),
    # input checks Excel shows while typing
    "workbook.check.role_title": Message(en="Unknown group", da="Ukendt gruppe"),
    "workbook.check.role": Message(
        en="Pick a group from the list.", da="Vælg en gruppe fra listen."),
    "workbook.check.answer_title": Message(en="Not an answer", da="Ikke et svar"),
    "workbook.check.answer": Message(
        en="Pick one of the answers in the list, or leave the cell empty.",
        da="Vælg et af svarene i listen, eller lad cellen stå tom."),
    "workbook.check.status_title": Message(en="Unknown status", da="Ukendt status"),
    "workbook.check.status": Message(
        en="Pick a status from the list.", da="Vælg en status fra listen."),
    # the printable forms (relcoord-docx)
    "workbook.form.relationskort": Message(
        en="{group}: which groups do you work with?",
        da="{group}: hvilke grupper arbejder I sammen med?"),
    "workbook.form.relationskort_lead": Message(
        en="Tick each group you draw an arrow to, and rate the arrow on the four qualities: "
           "write the number of the answer (the answers are listed under the table).",
        da="Sæt kryds ved hver gruppe, I tegner en pil til, og vurdér pilen på de fire "
           "kvaliteter: skriv svarets nummer (svarene står under tabellen)."),
    "workbook.form.balkort": Message(
        en="{group}: which groups do you invite to a dialogue?",
        da="{group}: hvilke grupper inviterer I til dialog?"),
    "workbook.form.balkort_lead": Message(
        en="Tick each group you invite and write the topic of the dialogue.",
        da="Sæt kryds ved hver gruppe, I inviterer, og skriv dialogens emne."),
    "workbook.form.survey": Message(
        en="{group}: how do you work with the other groups?",
        da="{group}: hvordan arbejder I sammen med de andre grupper?"),
    "workbook.form.survey_lead": Message(
        en="For each group, write the number of your answer to each question (the answers "
           "are listed under the table).",
        da="Skriv for hver gruppe nummeret på dit svar på hvert spørgsmål (svarene står "
           "under tabellen)."),
    "workbook.form.tick": Message(en="Arrow", da="Pil"),
    "workbook.form.invite": Message(en="Invite", da="Invitér"),
    "workbook.form.title": Message(en="Workshop forms", da="Workshopskemaer"),
    # the results workbook
    "workbook.results.finding": Message(en="Finding", da="Fund"),
    "workbook.results.text": Message(en="What it says", da="Hvad det siger"),
    "workbook.results.matrix_note": Message(
        en="RC of each tie, rater in the row, target in the column; colours by band: below "
           "{low} weak, from {high} strong. An empty cell: not rated or withheld.",
        da="RC for hver relation, vurderende i rækken, vurderet i søjlen; farve efter "
           "niveau: under {low} svag, fra {high} stærk. En tom celle: ikke vurderet eller "
           "tilbageholdt."),
    # what the xlsx importer notes (in the command line's language, as reading.* notes)
    "workbook.note.layout": Message(
        en="read as the {layout} layout, as its header fits (settle it with -I layout=...)",
        da="læst i {layout}-formatet, som overskriften passer til (fastlæg det med "
           "-I layout=...)"),
    "workbook.note.role_names": Message(
        en="groups written by name are read as the roles sheet's ids",
        da="grupper skrevet med navn læses som rollearkets koder"),
    "workbook.note.answer_labels": Message(
        en="answers written as the instrument's labels are read as answer {kind} "
           "(settle it with -I values=positions|scores)",
        da="svar skrevet som instrumentets svartekster læses som {kind} "
           "(fastlæg det med -I values=positions|scores)"),
    # the template command
    "workbook.cli.written": Message(
        en="{path}: {kind} template for {roles} groups ({language})",
        da="{path}: {kind}-skabelon til {roles} grupper ({language})"),
}
