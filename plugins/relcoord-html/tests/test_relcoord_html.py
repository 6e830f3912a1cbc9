"""The HTML page, read back without a browser: what it holds (every section, table and role
of the report, in each language asked for), what it must not hold (withheld figures,
anything fetched from elsewhere, unescaped text), its options, the command line and the
conformance kit (the same input gives the same bytes).  ``test_browser.py`` opens it."""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from relcoord import messages
from relcoord.analysis import Analysis, analyze
from relcoord.cli import cli
from relcoord.errors import InvalidInputError
from relcoord.example import load_example
from relcoord.messages import Language
from relcoord.plugins import PluginHost
from relcoord.report import Table, build_report
from relcoord.testing import assert_same_output
from relcoord.testing.surveys import care_study
from relcoord_html import CONTENT_POLICY
from relcoord_html.markup import element, esc, json_script, slug

# --- the studies and pages these tests share, analysed and written once per module ----------


@cache
def analysis_of(name: str, lang: Language = "en") -> Analysis:
    """``example`` (the embedded example), ``surveyN`` (a generated N-role RC survey) or
    ``mapN`` (a generated N-role relationship map), analysed in ``lang``."""
    if name == "example":
        return analyze(load_example(), lang=lang)
    if name.startswith("survey"):
        return analyze(care_study(int(name[6:])), lang=lang)
    if name.startswith("map"):
        return analyze(care_study(int(name[3:]), kind="relationskort"), lang=lang)
    raise KeyError(name)


@cache
def page(name: str, lang: str = "en") -> Path:
    """The page of study ``name`` (see :func:`analysis_of`), option ``lang`` as given
    (``"da,en"`` for both), written by the registered ``html`` exporter."""
    analysis = analysis_of(name, lang.split(",")[0])
    path = Path(tempfile.mkdtemp(prefix="relcoord-html-")) / f"{name}-{lang}.html"
    PluginHost().write(analysis.study, path, format="html", analysis=analysis,
                       options={"lang": lang, "dpi": "72"})
    return path


@pytest.fixture(scope="module")
def html_page() -> Callable[..., Path]:
    """:func:`page`: the page of a study by name, written once."""
    return page


@pytest.fixture(scope="module")
def html_analysis() -> Callable[..., Analysis]:
    """:func:`analysis_of`: a study by name, analysed once."""
    return analysis_of



class Elements(HTMLParser):
    """Every element of a page: its tag and attributes, in document order, and the text
    of every ``<script type="application/json">``."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.data: list[str] = []
        self._in_json = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))
        self._in_json = tag == "script" and dict(attrs).get("type") == "application/json"

    def handle_endtag(self, tag: str) -> None:
        self._in_json = False

    def handle_data(self, data: str) -> None:
        if self._in_json:
            self.data.append(data)

    def having(self, attribute: str, value: str | None = None) -> list[dict[str, str | None]]:
        """The attributes of every element with ``attribute`` (equal to ``value``)."""
        return [a for _, a in self.found
                if attribute in a and (value is None or a[attribute] == value)]

    def classed(self, name: str) -> list[dict[str, str | None]]:
        return [a for _, a in self.found if name in (a.get("class") or "").split()]


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# --- what the page holds ------------------------------------------------------------------------


def test_the_exporter_is_registered() -> None:
    html = PluginHost().find_format(id="html", kind="write")
    assert html.extensions[0] == ".html"
    assert html.carries == "analysis"
    assert PluginHost().find_format(path="report.html", kind="write").id == "html"


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_section_table_and_role_is_in_the_page(
        html_page: Callable[..., Path], html_analysis: Callable[..., Analysis], lang: str
) -> None:
    text = read(html_page("example", lang))
    page = Elements(text)
    analysis = html_analysis("example", lang)
    report = build_report(analysis, lang)
    sections = [a["data-section"] for a in page.having("data-section")]
    assert sections == [s.id for _, s in report.walk()]
    for _, section in report.walk():
        assert f'id="{lang}-{slug(section.id)}"' in text
    tables = [t for _, s in report.walk() for t in s.blocks if isinstance(t, Table)]
    assert len(page.classed("rc-table")) == len(tables)
    for table in tables:
        assert f"<caption>{esc(table.caption)}</caption>" in text
    nodes = page.classed("rc-node")
    assert sorted(str(n["data-role"]) for n in nodes) == sorted(analysis.study.role_ids)
    assert all(n["tabindex"] == "0" and n["role"] == "button" for n in nodes)
    assert page.found[0] == ("html", {"lang": messages.language_tag(lang)})


def test_arrows_carry_the_published_figures(
        html_page: Callable[..., Path], html_analysis: Callable[..., Analysis]) -> None:
    page = Elements(read(html_page("example")))
    analysis = html_analysis("example")
    ids = [str(n["data-role"]) for n in page.classed("rc-node")]
    ties = {(t.source, t.target): t for t in analysis.scores.ties}
    arrows = page.classed("rc-arrow")
    named = {(t.source, t.target) for t in analysis.study.ties if t.source != t.target}
    published = {p for p, t in ties.items() if t.rc is not None and p[0] != p[1]}
    drawn = {(ids[int(str(a["data-s"]))], ids[int(str(a["data-t"]))]) for a in arrows}
    assert drawn == named | published
    for arrow in arrows:
        pair = ids[int(str(arrow["data-s"]))], ids[int(str(arrow["data-t"]))]
        tie = ties.get(pair)
        if tie is None or tie.rc is None:
            assert "data-rc" not in arrow
        else:
            assert float(str(arrow["data-rc"])) == tie.rc
            assert arrow["data-band"] == tie.band
        assert ("data-named" in arrow) == (pair in named)


def test_both_languages_with_a_switch(html_page: Callable[..., Path]) -> None:
    page = Elements(read(html_page("example", "da,en")))
    roots = page.classed("rc-lang")
    assert [r["data-lang"] for r in roots] == ["da", "en"]
    assert "hidden" not in roots[0]
    assert "hidden" in roots[1]
    assert [b["data-to"] for b in page.classed("rc-lang-to")] == ["da", "en"]
    assert len(page.classed("rc-map")) == 2
    words = [w for w in page.data if '"tag"' in w]
    assert len(words) == 2
    assert "da-DK" in words[0]
    assert "en-" in words[1]
    ids = [a["id"] for a in page.having("id")]
    assert len(ids) == len(set(ids)), "an id twice"


def test_one_language_has_no_switch(html_page: Callable[..., Path]) -> None:
    page = Elements(read(html_page("example", "en")))
    assert not page.classed("rc-switch")
    assert len(page.classed("rc-lang")) == 1


def test_the_page_loads_nothing_from_elsewhere(html_page: Callable[..., Path]) -> None:
    page = Elements(read(html_page("example", "da,en")))
    policy = page.having("http-equiv", "Content-Security-Policy")
    assert policy
    assert policy[0]["content"] == CONTENT_POLICY
    for tag, attributes in page.found:
        for name in ("src", "href"):
            value = attributes.get(name)
            if value is not None:
                assert value.startswith(("data:", "#")), (tag, value[:60])
        if tag == "script":
            assert "src" not in attributes
        assert tag not in ("iframe", "object", "embed", "base")
    assert not page.having("rel", "stylesheet")


def test_a_group_page_for_every_group_when_the_report_has_none(
        html_page: Callable[..., Path], html_analysis: Callable[..., Analysis]) -> None:
    """40 groups are more than the report gives a page each: the page adds them folded,
    so that a click on any role finds its page."""
    page = Elements(read(html_page("survey40")))
    analysis = html_analysis("survey40")
    extra = [a["data-section"] for a in page.classed("rc-extra")]
    present = {r.id for r in analysis.study.roles if r.present}
    assert {str(s).removeprefix("group-") for s in extra} == present


def test_a_dense_map_opens_on_the_printed_map_s_arrows(
        html_page: Callable[..., Path], html_analysis: Callable[..., Analysis]) -> None:
    from relcoord.report_map import map_arrows

    page = Elements(read(html_page("survey40")))
    chosen = map_arrows(html_analysis("survey40"))
    assert chosen.rule != "all"
    assert sum("data-sel" in a for a in page.classed("rc-arrow")) == len(chosen.arrows)
    box = page.classed("rc-f-sel")
    assert len(box) == 1
    assert "checked" in box[0]


# --- privacy: withheld figures are not in the file -------------------------------------------


def test_withheld_figures_are_absent_from_the_page(tmp_path: Path) -> None:
    """A 12-role survey in which small groups' ties are withheld (minimum 5 respondents):
    no figure of the page's data (``data-v`` of tables and heat map cells, ``data-rc`` and
    ``data-n`` of arrows) is a figure that those ties have with a minimum of 1, unless a
    published tie happens to have the same value; the published ties' figures are there
    (so the search finds what is there)."""
    study = care_study(12)
    published = analyze(study, lang="en")
    everything = analyze(study, lang="en", min_respondents=1, min_respondents_override=True)
    withheld = {(t.source, t.target) for t in published.scores.ties if t.suppressed}
    assert withheld, "the study should have withheld ties"
    path = tmp_path / "report.html"
    PluginHost().write(study, path, format="html", analysis=published,
                       options={"lang": "da,en", "dpi": "72"})
    text = read(path)
    data = {float(v) for v in re.findall(r'data-(?:v|rc|n)="([^"]+)"', text)}
    public = {v for t in published.scores.ties
              for v in (t.rc, t.communication, t.relationship, t.gap) if v is not None}
    public |= {v for r in published.roles
               for v in (r.rc_as_rater, r.rc_as_target, r.rc_within, r.weak_share)
               if v is not None}
    hidden = {v for t in everything.scores.ties if (t.source, t.target) in withheld
              for v in (t.rc, t.communication, t.relationship)
              if v is not None and not v.is_integer()} - public  # a whole number may be a count
    assert len(hidden) > 10
    assert not hidden & data, sorted(hidden & data)
    assert {t.rc for t in published.scores.ties if t.rc is not None} <= data
    for part in text.split('<div class="rc-lang"')[1:]:  # each language's map
        page = Elements(part)
        ids = [str(n["data-role"]) for n in page.classed("rc-node")]
        for arrow in page.classed("rc-arrow"):
            pair = ids[int(str(arrow["data-s"]))], ids[int(str(arrow["data-t"]))]
            if pair in withheld:
                assert arrow["data-band"] == "withheld"
                assert "data-rc" not in arrow
                assert "data-n" not in arrow


# --- escaping -------------------------------------------------------------------------------------


NASTY = '<script>alert("x")</script> & \'quotes\' \x07bell'


def test_role_names_are_text_never_markup(tmp_path: Path) -> None:
    study = load_example()
    roles = tuple(attrs.evolve(r, name=NASTY + r.name, names=()) if i < 3 else r
                  for i, r in enumerate(study.roles))
    study = attrs.evolve(study, roles=roles)
    analysis = analyze(study, lang="en")
    path = tmp_path / "report.html"
    PluginHost().write(study, path, format="html", analysis=analysis,
                       options={"lang": "en", "dpi": "72"})
    text = read(path)
    assert "<script>alert" not in text
    assert "\x07" not in text
    page = Elements(text)
    scripts = [a for tag, a in page.found if tag == "script"]
    assert len(scripts) == 2  # the words (JSON) and the page's own script
    names = [str(n["data-name"]) for n in page.classed("rc-node")]
    start = '<script>alert("x")</script> & \'quotes\' bell'
    assert sum(name.startswith(start) for name in names) == 3


@given(st.text(max_size=40), st.text(max_size=40))
def test_element_escapes_text_and_attributes(text: str, value: str) -> None:
    """Whatever the text, an attribute holds it (less what HTML does not allow) and a JSON
    script holds it as data, and no element but the two is made."""
    page = Elements(element("p", esc(text), title=value) + json_script({"k": text}, "w"))
    clean = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
    assert page.found[0] == ("p", {"title": clean.sub("", value)})
    assert [tag for tag, _ in page.found] == ["p", "script"]
    # JSON writes control characters as \u escapes; the rest HTML does not allow is dropped
    dropped = re.compile("[\x7f\ufffe\uffff\ud800-\udfff]")
    assert json.loads("".join(page.data)) == {"k": dropped.sub("", text)}


@given(st.text(max_size=30), st.text(max_size=30))
def test_slugs_keep_ids_apart(a: str, b: str) -> None:
    assert (slug(a) == slug(b)) == (a == b)
    assert re.fullmatch(r"[A-Za-z0-9_.\-]*", slug(a))


# --- options, command line, conformance ------------------------------------------------------


@pytest.mark.parametrize(("options", "expected"), [
    ({"lang": "fr"}, "option lang"),
    ({"lang": ""}, "option lang"),
    ({"dpi": "10"}, "option dpi"),
    ({"colour": "red"}, "colour"),
])
def test_bad_options_are_located_errors(tmp_path: Path, options: dict[str, Any],
                                        expected: str) -> None:
    analysis = analyze(load_example(), lang="en")
    with pytest.raises(InvalidInputError, match=expected):
        PluginHost().write(analysis.study, tmp_path / "r.html", format="html",
                           analysis=analysis, options=options)
    assert not (tmp_path / "r.html").exists()


def _example_file(folder: Path) -> Path:
    from relcoord.example import example_text

    path = folder / "study.json"
    path.write_text(example_text(), encoding="utf-8")
    return path


def test_command_line_export(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["export", str(_example_file(tmp_path)), "--to", "html",
                                      "-o", str(out), "-O", "lang=da,en", "-O", "dpi=72"])
    assert result.exit_code == 0, result.output
    text = read(out)
    assert text.startswith("<!DOCTYPE html>")
    assert 'data-lang="da"' in text
    assert 'data-lang="en"' in text


def test_command_line_refuses_a_bad_language(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["export", str(_example_file(tmp_path)), "--to", "html",
                                      "-o", str(out), "-O", "lang=de"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "lang" in result.output
    assert not out.exists()


def test_conformance_the_same_input_gives_the_same_bytes(tmp_path: Path) -> None:
    analysis = analyze(load_example(), lang="da")
    for name in ("first.html", "second.html"):
        PluginHost().write(analysis.study, tmp_path / name, format="html", analysis=analysis,
                           options={"lang": "da,en", "dpi": "72"})
    assert_same_output(tmp_path / "first.html", tmp_path / "second.html")


def test_sixty_roles_stay_under_three_megabytes(html_page: Callable[..., Path]) -> None:
    """One language of a complete 60-role survey (3540 ties, 60 group pages): the size the
    issue asks for ("under a few MB"); the measured sizes are in the plugin's docs."""
    assert html_page("survey60").stat().st_size < 3_000_000


def test_the_documented_options_are_the_declarations() -> None:
    from relcoord.formats.format_option import options_table
    from relcoord.plugins.format_io import options_of
    from relcoord_html import HTML

    declared = options_of(HTML, "write")
    assert declared is not None
    page = Path(__file__).resolve().parents[3] / "docs" / "plugins" / "html.md"
    assert options_table(declared) in page.read_text(encoding="utf-8")
