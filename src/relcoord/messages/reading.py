"""The phrases of reading and writing study data: import notes, warnings and the errors that
name an option.

An importer reports every guess it makes (``reading.note.``) and stops where a guess could
change data (``reading.error.``); the plugin host warns when study data is read or written
without respondents and refuses to mix study data with published results (``study_data.``).
Every note names the option that settles the guess, as it is typed on the command line.

These lines are written in [`LANGUAGE`][relcoord.messages.reading.LANGUAGE], the language of the
command line's messages; the Danish phrases are kept beside them for when the command line speaks
Danish.
"""

from __future__ import annotations

from typing import Final

from relcoord.messages.message import Message

__all__ = ["ENTRIES", "LANGUAGE"]

#: The language notes, warnings and errors of reading and writing are written in.
LANGUAGE: Final = "en"

#: The entries of this part of the catalogue, by key.
ENTRIES: Final[dict[str, Message]] = {
    # guesses an importer makes (relcoord.formats.csv), one line each
    "reading.note.dialect": Message(
        en="fields separated by {delimiter}{decimal} (settle it with -I delimiter={option})",
        da="felter adskilt af {delimiter}{decimal} (fastlæg det med -I delimiter={option})",
    ),
    "reading.note.table_dialect": Message(
        en="fields separated by {delimiter}{decimal}",
        da="felter adskilt af {delimiter}{decimal}",
    ),
    "reading.note.decimal_comma": Message(
        en=", decimal comma accepted", da=", decimalkomma accepteret"),
    "reading.note.layout": Message(
        en="read as {format}: {why} (settle it with --from {format})",
        da="læst som {format}: {why} (fastlæg det med --from {format})",
    ),
    "reading.why.long": Message(
        en="one row per answer (an item column and an answer column)",
        da="én række pr. svar (en kolonne med spørgsmål og en med svar)",
    ),
    "reading.why.wide": Message(
        en="the header holds item columns ({items})",
        da="overskriften har en kolonne pr. spørgsmål ({items})",
    ),
    "reading.why.relationskort": Message(
        en="the header holds only a relationship map's communication items ({items})",
        da="overskriften har kun et relationskorts kommunikationsspørgsmål ({items})",
    ),
    "reading.why.default": Message(
        en="the header names neither items nor answers; the long layout is the default",
        da="overskriften nævner hverken spørgsmål eller svar; det lange format er standard",
    ),
    "reading.note.columns": Message(
        en="columns found by their headers: {mapping} (settle it with -I 'columns={json}')",
        da="kolonner fundet ud fra overskriften: {mapping} (fastlæg det med "
           "-I 'columns={json}')",
    ),
    "reading.note.table_columns": Message(
        en="columns found by their headers: {mapping} (head them {fields} to settle it)",
        da="kolonner fundet ud fra overskriften: {mapping} (giv dem overskrifterne {fields} "
           "for at fastlægge det)",
    ),
    "reading.note.items": Message(
        en="item columns: {mapping} (settle it with -I 'items={json}')",
        da="spørgsmålskolonner: {mapping} (fastlæg det med -I 'items={json}')",
    ),
    "reading.note.instrument": Message(
        en="the file names no built-in instrument: read as {instrument} "
           "(settle it with -I instrument={instrument})",
        da="filen nævner intet indbygget instrument: læst som {instrument} "
           "(fastlæg det med -I instrument={instrument})",
    ),
    "reading.note.values": Message(
        en="answers read as {kind}: the answer column is headed {header} "
           "(settle it with -I values={kind})",
        da="svar læst som {kind}: svarkolonnen hedder {header} "
           "(fastlæg det med -I values={kind})",
    ),
    # doubtful input, read anyway
    "reading.warning.ignored": Message(
        en="column(s) {columns} ignored: neither a field nor an item of instrument "
           "{instrument} (name an item column with -I 'items={{\"HEADER\": \"frequent\"}}')",
        da="kolonne(r) {columns} ignoreret: hverken et felt eller et spørgsmål i instrument "
           "{instrument} (navngiv en spørgsmålskolonne med "
           "-I 'items={{\"OVERSKRIFT\": \"frequent\"}}')",
    ),
    "reading.warning.ignored_table": Message(
        en="column(s) {columns} ignored: not a column of {table} (see the CSV page of the "
           "documentation)",
        da="kolonne(r) {columns} ignoreret: ikke en kolonne i {table} (se dokumentationens "
           "side om CSV)",
    ),
    "reading.table.roles": Message(en="a roles table", da="en rolletabel"),
    "reading.table.ties": Message(en="a ties table", da="en tabel over pile"),
    "reading.table.invitations": Message(en="an invitations table",
                                         da="en tabel over invitationer"),
    # where a guess would change data, the import stops
    "reading.error.ambiguous_values": Message(
        en="column {header} ({item}) could hold answer positions or scores, and instrument "
           "{instrument} scores them differently ({example}); say which with "
           "-I values=positions (the number of the answer ticked, 1 = the first shown, as "
           "survey platforms export it) or -I values=scores (already scored, "
           "{best} = best)",
        da="kolonne {header} ({item}) kan rumme svarnumre eller point, og instrument "
           "{instrument} giver dem forskellige point ({example}); angiv hvilket med "
           "-I values=positions (nummeret på det afkrydsede svar, 1 = det første viste, som "
           "surveyplatforme eksporterer det) eller -I values=scores (allerede pointsat, "
           "{best} = bedst)",
    ),
    "reading.error.position_scores": Message(
        en="answer {position} scores {score}", da="svar {position} giver {score} point"),
    "reading.hint.layout": Message(
        en="the header fits the {layout} layout: read it with {setting}",
        da="overskriften passer til det {layout} format: læs den med {setting}",
    ),
    "reading.layout.long": Message(en="long", da="lange"),
    "reading.layout.wide": Message(en="wide", da="brede"),
    "reading.layout.relationskort": Message(en="relationskort", da="relationskort-"),
    # study data and published results (the plugin host)
    "study_data.omitted": Message(
        en="respondents left out (respondent_ids=omit): an analysis of this study counts "
           "every rating as a respondent of its own, so a person who rated a tie in several "
           "waves counts several times and the minimum-respondent rule may show a group it "
           "would withhold; keep them, or use respondent_ids=pseudonymise",
        da="deltagere udeladt (respondent_ids=omit): en analyse af denne undersøgelse "
           "tæller hver vurdering som en deltager for sig, så en person, der vurderede en "
           "relation i flere runder, tælles flere gange, og reglen om mindste antal "
           "deltagere kan vise en gruppe, den ellers ville skjule; behold dem, eller brug "
           "respondent_ids=pseudonymise",
    ),
    "study_data.key_alone": Message(
        en="respondent_key is only used with respondent_ids=pseudonymise",
        da="respondent_key bruges kun med respondent_ids=pseudonymise",
    ),
    "study_data.key_empty": Message(
        en="respondent_key must be a non-empty secret",
        da="respondent_key skal være en hemmelighed, der ikke er tom",
    ),
    "study_data.published_has_no_ids": Message(
        en="writes published results, which never hold respondent ids; {option} is an "
           "option of study data (relcoord convert, format json)",
        da="skriver offentliggjorte resultater, som aldrig rummer deltager-id'er; {option} "
           "er en indstilling for undersøgelsesdata (relcoord convert, formatet json)",
    ),
    "study_data.convert_published": Message(
        en="format {format} writes published results, not study data; use "
           "relcoord export {source} --to {format} -o {destination}",
        da="formatet {format} skriver offentliggjorte resultater, ikke undersøgelsesdata; "
           "brug relcoord export {source} --to {format} -o {destination}",
    ),
    "study_data.export_study": Message(
        en="format {format} writes study data (every answer and respondent), not published "
           "results; use relcoord convert {source} {destination}, or export to a results "
           "format such as analysis-json, csv, graphml or figures",
        da="formatet {format} skriver undersøgelsesdata (alle svar og deltagere), ikke "
           "offentliggjorte resultater; brug relcoord convert {source} {destination}, eller "
           "eksportér til et resultatformat som analysis-json, csv, graphml eller figures",
    ),
}
