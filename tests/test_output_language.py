"""Every output speaks one language: the Danish report, findings, analysis summary and
pictures of the example show no catalogue key and no English-only phrase, and the English
ones no Danish-only phrase."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import pytest
from matplotlib.text import Text

from relcoord import messages
from relcoord.analysis import Analysis, analyze
from relcoord.analysis_text import analysis_lines
from relcoord.cli_study import study_summary
from relcoord.example import load_example
from relcoord.messages import CATALOGUE
from relcoord.pictures import render_pictures
from relcoord.report import BulletList, Paragraph, PictureRef, Table, build_report, format_cell
from relcoord.settings import Lang

#: Labels that leaked into Danish reports before every phrase moved into the catalogue
#: (keys of ``Finding.figures`` shown as they are, r_wg bands, the instrument's title).
KNOWN_LEAKS = ("median out degree", "reciprocated pairs", "weak or asymmetric ties",
               "low acceptance", "internal ties", "external ties", "count", "agreement",
               "relationship map", "communication qualities")


@cache
def example(lang: Lang) -> Analysis:
    """The example with a wave comparison, so that the change section and picture show."""
    return analyze(load_example(), lang=lang, compare=("konference-1", "konference-3"),
                   n_boot=20, min_respondents=3)


def _report_items(analysis: Analysis, lang: str) -> Iterator[str]:
    """Every text of the report that relcoord writes (the study's own title and description
    are the study's words, not relcoord's)."""
    report = build_report(analysis, lang)
    for _, section in report.walk():
        yield section.title
        for block in section.blocks:
            if isinstance(block, Paragraph):
                yield block.text
            elif isinstance(block, BulletList):
                yield from block.items
            elif isinstance(block, Table):
                yield from (block.caption, block.note, *block.header)
                for row in block.rows:
                    yield from (format_cell(v, k, lang)
                                for v, k in zip(row, block.kinds, strict=True))
            elif isinstance(block, PictureRef):
                yield block.caption


@cache
def shown(lang: str) -> tuple[str, ...]:
    """Each text a reader of the example's outputs in ``lang`` sees, one item each: the
    report's titles, paragraphs, captions, headers and cells, the findings, the lines of
    ``relcoord analyze`` and the demo's overview, and the pictures' titles and labels."""
    analysis = example(lang)
    items = [*_report_items(analysis, lang)]
    items += [f.sentence(lang) for f in analysis.findings]
    items += analysis_lines(analysis, lang)[1:]  # the first line is the study's title
    items += study_summary(analysis.study, lang)[1:]
    for picture in render_pictures(analysis, lang).values():
        items += [t.get_text() for t in picture.findobj(Text) if isinstance(t, Text)]
    return tuple(item.replace("\n", " ").strip() for item in items if item.strip())


def _fragments(phrase: str) -> list[str]:
    """The literal parts of a phrase between its ``{fields}``, longer than three words."""
    return [part.strip() for part in re.split(r"\{[^}]*\}", phrase)
            if len(part.split()) > 3]


def only_in(lang: str, other: str) -> tuple[set[str], set[str]]:
    """The phrases of ``lang`` that ``other`` writes differently: the long fragments (more
    than three words) and the whole short phrases."""
    long, short = set(), set()
    for message in CATALOGUE.values():
        mine, theirs = message.in_language(lang), message.in_language(other)
        if mine != theirs:
            long.update(_fragments(mine))
            if not messages.fields_of(mine):
                short.add(mine.casefold())
    return long, short


@pytest.mark.parametrize(("lang", "other"), [("da", "en"), ("en", "da")])
def test_no_phrase_of_the_other_language(lang: str, other: str) -> None:
    items = shown(lang)
    text = "\n".join(items)
    long, short = only_in(other, lang)
    assert not [p for p in long if p in text]
    assert not [i for i in items if i.casefold() in short]


def test_no_catalogue_key_is_shown() -> None:
    text = "\n".join(shown("da") + shown("en"))
    assert not [key for key in CATALOGUE if key in text]


def test_no_known_english_label_in_danish() -> None:
    text = "\n".join(shown("da")).casefold()
    assert not [label for label in KNOWN_LEAKS if re.search(rf"\b{label}\b", text)]
