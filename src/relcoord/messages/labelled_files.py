"""The phrases of reading labelled data files (SPSS ``.sav``, ``.zsav``, ``.por``, Stata
``.dta``; the ``relcoord-spss`` plugin): the notes on how variables, value labels and
missing codes were read.

Like the notes of [`relcoord.messages.reading`][relcoord.messages.reading], each says what was
guessed and names the option that settles it, as it is typed on the command line; they are written
in [`relcoord.messages.reading.LANGUAGE`][relcoord.messages.reading.LANGUAGE].
"""

from __future__ import annotations

from typing import Final

from relcoord.messages.message import Message

__all__ = ["ENTRIES"]

#: The entries of this part of the catalogue, by key.
ENTRIES: Final[dict[str, Message]] = {
    "labelled.note.layout": Message(
        en="read in the {layout} layout: {why} (settle it with -I layout={layout})",
        da="læst i formatet {layout}: {why} (fastlæg det med -I layout={layout})",
    ),
    "labelled.note.columns": Message(
        en="variables found by their labels: {mapping} (settle it with -I 'columns={json}')",
        da="variabler fundet ud fra deres etiketter: {mapping} (fastlæg det med "
           "-I 'columns={json}')",
    ),
    "labelled.note.items": Message(
        en="item variables found by their labels: {mapping} (settle it with "
           "-I 'items={json}')",
        da="spørgsmålsvariabler fundet ud fra deres etiketter: {mapping} (fastlæg det med "
           "-I 'items={json}')",
    ),
    "labelled.note.label_codes": Message(
        en="codes read as their value labels: {mapping} (settle it with "
           "-I value_labels=labels, or read the codes with -I value_labels=codes)",
        da="koder læst som deres værdietiketter: {mapping} (fastlæg det med "
           "-I value_labels=labels, eller læs koderne med -I value_labels=codes)",
    ),
    "labelled.note.answers_by_label": Message(
        en="answer codes read by their value labels as the answers of {item}: {mapping} "
           "(settle it with -I value_labels=labels)",
        da="svarkoder læst ud fra deres værdietiketter som svarene på {item}: {mapping} "
           "(fastlæg det med -I value_labels=labels)",
    ),
    "labelled.note.codes_as_they_are": Message(
        en="the value labels name none of the answers of {item} in instrument "
           "{instrument}; the codes are read as they are (settle it with "
           "-I value_labels=codes)",
        da="værdietiketterne nævner ingen af svarene på {item} i instrument {instrument}; "
           "koderne læses som de er (fastlæg det med -I value_labels=codes)",
    ),
    "labelled.note.positions": Message(
        en="answers read as positions: the value labels of {variables} name the "
           "instrument's answers (settle it with -I values=positions)",
        da="svar læst som svarnumre: værdietiketterne på {variables} nævner instrumentets "
           "svar (fastlæg det med -I values=positions)",
    ),
    "labelled.note.user_missing": Message(
        en="{count} answer(s) with the user-missing code(s) {codes} read as missing, as the "
           "file declares",
        da="{count} svar med brugerdefineret manglende kode(r) {codes} læst som manglende, "
           "som filen angiver",
    ),
    "labelled.note.missing_codes": Message(
        en="{count} answer(s) with the code(s) {codes} read as missing (the missing_codes "
           "option)",
        da="{count} svar med kode(r) {codes} læst som manglende (indstillingen "
           "missing_codes)",
    ),
    "labelled.note.dont_know": Message(
        en="{count} answer(s) with the code(s) {codes} read as missing: their value labels "
           "say the respondent did not answer (settle it with -I missing_codes={option})",
        da="{count} svar med kode(r) {codes} læst som manglende: deres værdietiketter siger, "
           "at respondenten ikke svarede (fastlæg det med -I missing_codes={option})",
    ),
    "labelled.note.merged": Message(
        en="{count} files merged; column {column} says which file each row came from "
           "({files}); name it in the columns option to use it, e.g. "
           "-I 'columns={{\"wave\": \"{column}\"}}'",
        da="{count} filer flettet; kolonnen {column} siger, hvilken fil hver række kom fra "
           "({files}); nævn den i indstillingen columns for at bruge den, f.eks. "
           "-I 'columns={{\"wave\": \"{column}\"}}'",
    ),
    "labelled.note.per_file": Message(
        en="respondent ids prefixed with their file's name, as two files may number their "
           "respondents alike (settle it with -I merge_respondents=per_file)",
        da="respondent-id'er foranstillet deres fils navn, da to filer kan nummerere deres "
           "respondenter ens (fastlæg det med -I merge_respondents=per_file)",
    ),
}
