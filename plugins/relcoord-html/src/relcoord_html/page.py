"""The page: the report model as HTML, one part per language, with the style sheet and the
script inlined.

`render_html` draws [`relcoord.report.Report`][relcoord.report_model.Report] objects; it computes no
figure of its own.  Each section becomes a ``<section>`` (its id the section's stable id, prefixed
by the language), each block its HTML counterpart: a paragraph, a list, a table (sortable by
any column, numbers right-aligned and formatted by
[`relcoord.report.format_cell`][relcoord.report_model.format_cell], the figure itself in ``data-v``
for sorting) or a picture.  Two pictures are drawn as interactive SVG, the network map
(`relcoord_html.network`) and the heat map (`relcoord_html.heatmap`); the others (profiles,
invitations, change) are the report's own pictures as PNG images inside the page.

When the report has no page per group (a study with more groups than the report gives a
page each), every group's page
([`relcoord.report_groups.group_sheet_sections`][relcoord.report_groups.group_sheet_sections]) is
added to the groups section folded, so that clicking a role on the map always finds its page.

The page is one file: the style sheet (``assets/report.css``) and the script
(``assets/report.js``) are read from this package and written into it, pictures are
``data:`` URLs, and a Content Security Policy forbids the browser to fetch anything, so it
opens the same on a projector with no network.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from importlib.resources import files
from typing import TYPE_CHECKING, Final

import attrs

from relcoord import messages
from relcoord.report import BulletList, Paragraph, PictureRef, Report, Section, Table, format_cell
from relcoord.report_labels import heading
from relcoord_html.heatmap import heat_map_svg
from relcoord_html.markup import element, esc, json_script, raw_number, slug
from relcoord_html.network import (
    BAND_ORDER,
    NetworkMap,
    arrow_defs,
    network_map,
    network_svg,
)

if TYPE_CHECKING:
    from relcoord.analysis import Analysis

__all__ = ["CONTENT_POLICY", "PALETTE", "LanguagePart", "asset", "language_part",
           "render_html", "small_png"]

#: The page may load nothing: styles and scripts are inline, images ``data:`` URLs.
CONTENT_POLICY: Final = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
                         "script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'")
_NUMERIC: Final = ("int", "number", "percent")
#: The pictures drawn as images (the network and the heat map are interactive SVG).
_IMAGES: Final = ("profiles", "invitations", "change")
#: The colours of a picture shown as an image (`small_png`).
PALETTE: Final = 128


def asset(name: str) -> str:
    """The text of a file of ``relcoord_html/assets`` (the style sheet, the script)."""
    return files("relcoord_html").joinpath("assets", name).read_text("utf-8")


@attrs.frozen
class LanguagePart:
    """What the page shows in one language: the report, the map's data, the heat map's
    SVG, the images (PNG bytes by picture name), the group pages the report lacks, and
    the analysis's band limits and minimum respondents."""

    report: Report
    network: NetworkMap
    heat_map: str
    images: Mapping[str, bytes]
    extra_groups: tuple[Section, ...]
    bands: tuple[float, float]
    min_respondents: int


def language_part(analysis: Analysis, lang: str, dpi: int) -> LanguagePart:
    """Build the report of ``analysis`` in ``lang`` and everything the page draws with it."""
    from relcoord.pictures import change_plot, dimension_profiles, invitation_map, save_picture
    from relcoord.report import build_report
    from relcoord.report_groups import group_sheet_sections

    report = build_report(analysis, lang)
    draw = {"profiles": dimension_profiles, "invitations": invitation_map,
            "change": change_plot}
    images: dict[str, bytes] = {}
    for name in report.picture_names:
        if name in _IMAGES:
            buffer = io.BytesIO()
            save_picture(draw[name](analysis, lang), buffer, "png", dpi=dpi)
            images[name] = small_png(buffer.getvalue())
    has_pages = any(s.id.startswith("group-") for _, s in report.walk())
    extra = () if has_pages else tuple(
        attrs.evolve(s, new_page=False) for s in group_sheet_sections(analysis, lang))
    label = messages.text("html.heat_label", lang)
    return LanguagePart(report, network_map(analysis, lang),
                        heat_map_svg(analysis, lang, label), images, extra,
                        analysis.settings.bands, analysis.settings.min_respondents)


def small_png(png: bytes) -> bytes:
    """``png`` with a palette of `PALETTE` colours: a chart of flat colours looks the
    same and takes a quarter of the bytes (the 60-role invitation map: 580 kB -> 155 kB).
    Median cut without dithering, so the same picture gives the same bytes."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        palette = image.convert("RGB").quantize(
            colors=PALETTE, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, "PNG", optimize=True)
    return out.getvalue()


def _id(lang: str, section_id: str) -> str:
    return f"{lang}-{slug(section_id)}"


def _table(table: Table, lang: str) -> str:
    sortable = len(table.rows) > 2
    cells = []
    for name, kind in zip(table.header, table.kinds, strict=True):
        numeric = kind in _NUMERIC
        text = esc(name)
        if sortable:
            text = element("button", text, type="button", class_="rc-sort",
                           title=messages.text("html.sort", lang, column=name))
        cells.append(element("th", text, scope="col", class_="rc-num" if numeric else None,
                             data_kind=kind))
    rows = []
    for row in table.rows:
        tds = []
        for value, kind in zip(row, table.kinds, strict=True):
            numeric = kind in _NUMERIC and isinstance(value, int | float) \
                and not isinstance(value, bool)
            tds.append(element("td", esc(format_cell(value, kind, lang)),
                               class_="rc-num" if kind in _NUMERIC else None,
                               data_v=raw_number(value) if numeric else None))  # type: ignore[arg-type]
        rows.append(element("tr", tds))
    body = element("table", [element("caption", esc(table.caption)),
                             element("thead", element("tr", cells)), element("tbody", rows)],
                   class_="rc-table", data_sortable="1" if sortable else None)
    note = element("p", esc(table.note), class_="rc-note") if table.note else ""
    return element("div", element("div", body, class_="rc-scroll") + note, class_="rc-tablebox")


def _band_label(band: str, part: LanguagePart, lang: str) -> str:
    low, high = (format_cell(b, "number", lang) for b in part.bands)
    if band == "weak":
        return f"{heading('band.weak', lang)} (< {low})"
    if band == "moderate":
        return f"{heading('band.moderate', lang)} ({low}–{high})"
    if band == "strong":
        return f"{heading('band.strong', lang)} (> {high})"
    if band == "none":
        return messages.capital(messages.text("picture.not_rated", lang))
    return messages.capital(messages.text("picture.withheld", lang, k=part.min_respondents))


def _swatch(colour: str, dashed: bool = False) -> str:
    return element("span", class_="rc-swatch rc-dashed" if dashed else "rc-swatch",
                   style=f"--c:{colour}", aria_hidden="true")


def _controls(part: LanguagePart, lang: str, colours: Mapping[str, str]) -> str:
    """The map's filters: band, organisation, wave, named or rated, the printed map's
    selection."""
    data = part.network
    t = messages.section("html", lang)
    report_words = messages.section("report", lang)
    groups = []
    bands = [b for b in reversed(BAND_ORDER) if any(a.band == b for a in data.arrows)]
    boxes = [element("label", [element("input", type="checkbox", checked=True,
                                       class_="rc-f-band", value=band),
                               _swatch(colours[band], band == "withheld"),
                               esc(_band_label(band, part, lang))])
             for band in bands]
    groups.append(element("fieldset", [element("legend", esc(report_words["band"])), *boxes]))
    if len(data.organisations) > 1:
        boxes = [element("label", [element("input", type="checkbox", checked=True,
                                           class_="rc-f-org", value=org),
                                   _swatch(colour), esc(label)])
                 for org, label, colour in data.organisations]
        groups.append(element("fieldset", [element("legend",
                                                   esc(report_words["organisation"])),
                                           *boxes]))
    if len(data.waves) > 1:
        options = [element("option", esc(t["all_waves"]), value="")]
        options += [element("option", esc(w), value=w) for w in data.waves]
        groups.append(element("fieldset", [
            element("legend", esc(report_words["wave"])),
            element("select", options, class_="rc-f-wave",
                    aria_label=report_words["wave"])]))
    if any(a.named for a in data.arrows) and any(a.rated for a in data.arrows):
        radios = [element("label", [element("input", type="radio", name=f"{lang}-kind",
                                            value=value, class_="rc-f-kind",
                                            checked=value == "all"), esc(t[key])])
                  for value, key in (("all", "kind_all"), ("named", "kind_named"),
                                     ("rated", "kind_rated"))]
        groups.append(element("fieldset", [element("legend", esc(t["filter_kind"])),
                                           *radios]))
    if data.rule != "all":
        groups.append(element("fieldset", [element("label", [
            element("input", type="checkbox", checked=True, class_="rc-f-sel"),
            esc(t["selection"].format(shown=data.shown, total=data.total))])],
            class_="rc-wide"))
    return element("div", [element("p", esc(t["filters"]), class_="rc-controls-title"),
                           *groups], class_="rc-controls")


def _legend(part: LanguagePart, lang: str) -> str:
    items = [element("li", [_swatch(colour), esc(label)])
             for _, label, colour in part.network.organisations]
    if any(not n.present for n in part.network.nodes):
        items.append(element("li", [element("span", class_="rc-swatch rc-hollow",
                                            aria_hidden="true"),
                                    esc(messages.capital(messages.text("picture.absent",
                                                                       lang)))]))
    items.append(element("li", esc(messages.capital(messages.text("picture.size", lang)))))
    items.append(element("li", esc(messages.capital(messages.text("picture.arrow_note",
                                                                  lang)))))
    return element("ul", items, class_="rc-legend")


def _map(block: PictureRef, part: LanguagePart, lang: str, colours: Mapping[str, str]) -> str:
    t = messages.section("html", lang)
    zoom = element("div", [
        element("button", "+", type="button", class_="rc-zoom-in", title=t["zoom_in"],
                aria_label=t["zoom_in"]),
        element("button", "−", type="button", class_="rc-zoom-out", title=t["zoom_out"],
                aria_label=t["zoom_out"]),
        element("button", "⤢", type="button", class_="rc-zoom-fit", title=t["zoom_fit"],
                aria_label=t["zoom_fit"])], class_="rc-zoom")
    svg = network_svg(part.network, t["map_label"])
    panel = element("aside", [element("p", esc(t["pick_role"]), class_="rc-pick"),
                              element("div", class_="rc-panel-body")],
                    class_="rc-panel", aria_live="polite")
    return element("figure", [
        element("figcaption", esc(block.caption)),
        element("p", esc(t["map_help"]), class_="rc-help"),
        _controls(part, lang, colours),
        element("div", [element("div", [zoom, svg], class_="rc-map-frame"), panel],
                class_="rc-map-body"),
        element("p", "", class_="rc-count", aria_live="polite"),
        _legend(part, lang),
        element("p", esc(block.alt), class_="rc-alt"),
    ], class_="rc-map", data_k=part.min_respondents)


def _picture(block: PictureRef, part: LanguagePart, lang: str,
             colours: Mapping[str, str]) -> str:
    if block.name == "network":
        return _map(block, part, lang, colours)
    if block.name == "heatmap":
        if not part.heat_map:
            return element("p", esc(messages.text("picture.no_ratings", lang)))
        return element("figure", [
            element("figcaption", esc(block.caption)),
            element("p", esc(messages.text("html.heat_help", lang)), class_="rc-help"),
            element("div", part.heat_map, class_="rc-scroll rc-heat"),
            element("p", esc(block.alt), class_="rc-alt")], class_="rc-heatmap")
    png = part.images.get(block.name)
    if png is None:
        return ""
    source = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return element("figure", [
        f'<img src="{source}" alt="{esc(block.alt or block.caption)}" class="rc-picture">',
        element("figcaption", esc(block.caption))], class_="rc-figure")


def _blocks(section: Section, part: LanguagePart, lang: str,
            colours: Mapping[str, str]) -> list[str]:
    out = []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            out.append(element("p", esc(block.text), class_=f"rc-{block.style}"))
        elif isinstance(block, BulletList):
            out.append(element("ul", [element("li", esc(item)) for item in block.items]))
        elif isinstance(block, Table):
            out.append(_table(block, lang))
        elif isinstance(block, PictureRef):
            out.append(_picture(block, part, lang, colours))
    return out


def _section(section: Section, level: int, part: LanguagePart, lang: str,
             colours: Mapping[str, str]) -> str:
    title = element(f"h{min(level + 1, 6)}", esc(section.title))
    inner = _blocks(section, part, lang, colours)
    inner += [_section(sub, level + 1, part, lang, colours) for sub in section.subsections]
    if section.id == "groups":
        for extra in part.extra_groups:
            body = "".join(_blocks(extra, part, lang, colours))
            inner.append(element("details", [element("summary", esc(extra.title)), body],
                                 id=_id(lang, extra.id), class_="rc-section rc-extra",
                                 data_section=extra.id))
    return element("section", [title, *inner], id=_id(lang, section.id),
                   class_="rc-section", data_section=section.id)


def _words(part: LanguagePart, lang: str) -> dict[str, object]:
    """The words the script writes (tooltips, the panel), in ``lang``."""
    t = messages.section("html", lang)
    r = messages.section("report", lang)
    return {
        "tag": messages.language_tag(lang),
        "rc": r["rc"], "in": r["in"], "out": r["out"],
        "named": t["named"], "rated_by": t["rated_by"],
        "withheld": t["withheld_tip"].format(k=part.min_respondents),
        "shown": t["arrows_shown"], "go": t["go_to_page"], "clear": t["clear"],
        "bands": {band: _band_label(band, part, lang) for band in BAND_ORDER},
        "rater": r["rater"], "target": r["target"],
    }


def _language(part: LanguagePart, lang: str, hidden: bool, colours: Mapping[str, str]
              ) -> str:
    report = part.report
    header = [element("h1", esc(report.title))]
    if report.subtitle:
        header.append(element("p", esc(report.subtitle), class_="rc-subtitle"))
    if report.description:
        header.append(element("p", esc(report.description), class_="rc-note"))
    contents = element("nav", [
        element("h2", esc(messages.text("html.contents", lang))),
        element("ol", [element("li", element("a", esc(s.title), href=f"#{_id(lang, s.id)}"))
                       for s in report.sections])], class_="rc-toc")
    body = [_section(s, 1, part, lang, colours) for s in report.sections]
    return element("div", [
        element("header", header),
        element("noscript", element("p", esc(messages.text("html.no_script", lang)),
                                    class_="rc-note")),
        contents, element("main", body), json_script(_words(part, lang), "rc-words")],
        class_="rc-lang", lang=messages.language_tag(lang), data_lang=lang, hidden=hidden)


def render_html(parts: Sequence[tuple[str, LanguagePart]]) -> str:
    """The page for one or more ``(lang, part)``: the first language is shown, a switch
    offers the others."""
    from relcoord.pictures.style import BAND_COLOURS

    if not parts:
        raise ValueError("the page needs at least one language")
    first_lang, first = parts[0]
    colours = dict(BAND_COLOURS)
    switch = ""
    if len(parts) > 1:
        buttons = [element("button", esc(messages.text("html.language_name", lang)),
                           type="button", class_="rc-lang-to", data_to=lang,
                           lang=messages.language_tag(lang),
                           aria_pressed="true" if n == 0 else "false")
                   for n, (lang, _) in enumerate(parts)]
        switch = element("div", [element("span", esc(messages.text("html.language",
                                                                   first_lang))), *buttons],
                         class_="rc-switch", role="group",
                         aria_label=messages.text("html.language", first_lang))
    languages = [_language(part, lang, n > 0, colours) for n, (lang, part) in enumerate(parts)]
    head = "".join([
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CONTENT_POLICY)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="relcoord">',
        '<link rel="icon" href="data:,">',
        element("title", esc(first.report.title)),
        element("style", asset("report.css")),
    ])
    script = element("script", asset("report.js"))
    body = element("body", [switch, arrow_defs(colours), *languages, script])
    return ("<!DOCTYPE html>\n"
            + element("html", [element("head", head), body],
                      lang=messages.language_tag(first_lang)) + "\n")
