"""What a notebook shows: short reprs, and HTML summaries that are escaped and written in
the study's language from the catalogue."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import attrs
import pytest

import relcoord
from relcoord import Analysis, Metadata, Role, Study, analyze
from relcoord.messages import text
from relcoord.notebook import notebook_language, summary_html


@pytest.fixture(scope="module")
def example() -> Analysis:
    return analyze(relcoord.load_example(), compare=("konference-1", "konference-2"))


class _Cells(HTMLParser):
    """The text of every cell, caption and list item, unescaped, and the tags met."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.texts.append(data)


def _cells(html: str) -> _Cells:
    parser = _Cells()
    parser.feed(html)
    return parser


def test_reprs_are_a_line_or_two(example: Analysis) -> None:
    objects = [example, example.study, example.study.ratings, example.scores, example.network,
               example.reliability, example.privacy, example.srm, example.invitations,
               example.change]
    for value in objects:
        shown = repr(value)
        assert len(shown) <= 200, (type(value).__name__, shown)
        assert "\n" not in shown
    assert repr(example).startswith("<Analysis of 'trivsel-smiley-2019': RC 3.89 (moderate)")
    assert repr(example.study) == (
        "<Study 'trivsel-smiley-2019': 24 roles, 100 respondents, 564 ratings, 226 named "
        "ties, 94 invitations; instrument 'relationskort'>")


def test_the_analysis_summary_is_in_the_study_s_language(example: Analysis) -> None:
    lang = example.study.metadata.language
    assert lang == "da"
    cells = _cells(example._repr_html_())
    assert cells.texts[0] == text("notebook.analysis", lang,
                                  title=example.study.metadata.title)
    assert text("notebook.rc", lang) in cells.texts
    assert "3,89" in cells.texts  # the Danish decimal comma
    assert text("notebook.findings", lang) in cells.texts
    assert [f.sentence(lang) for f in example.findings] == cells.texts[-len(example.findings):]
    assert {"table", "caption", "tr", "th", "td", "ul", "li"} <= set(cells.tags)


def test_the_study_summary_counts_what_the_study_holds(example: Analysis) -> None:
    study = example.study
    cells = _cells(study._repr_html_())
    assert cells.texts[0] == text("notebook.study", "da", title=study.metadata.title)
    row = cells.texts.index(text("notebook.ratings", "da"))
    assert cells.texts[row + 1] == str(len(study.ratings))
    assert "ul" not in cells.tags  # a study has no findings


def test_every_text_from_the_data_is_escaped() -> None:
    hostile = "<script>alert('x')</script> & <b>"
    study = Study(metadata=Metadata("s", title=hostile, language="en"), instrument="rc7",
                  roles=[Role("a", hostile)])
    for html in (study._repr_html_(), analyze(study)._repr_html_()):
        assert "<script>" not in html
        assert "<b>" not in html
        assert hostile in "".join(_cells(html).texts)


def test_an_english_study_and_a_language_the_catalogue_lacks() -> None:
    study = relcoord.load_example()
    english = attrs.evolve(study, metadata=attrs.evolve(study.metadata, language="en"))
    assert _cells(english._repr_html_()).texts[0].startswith("Study ")
    german = attrs.evolve(study, metadata=attrs.evolve(study.metadata, language="de"))
    assert _cells(german._repr_html_()).texts[0].startswith("Study ")
    summary = analyze(german, lang="da")._repr_html_()
    assert _cells(summary).texts[0].startswith("Analyse af ")  # the settings' language
    assert notebook_language("de", None, "da") == "da"
    assert notebook_language() == "en"


def test_no_findings_is_said() -> None:
    html = summary_html("T", [("a", "1")], "da", [])
    assert text("notebook.no_findings", "da") in _cells(html).texts
    assert re.search(r"<th scope=\"row\"[^>]*>a</th>", html)
