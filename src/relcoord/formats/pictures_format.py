"""Built-in plugin: the report's pictures as image files (format ``figures``, write only).

``relcoord export study.json --to figures -o figures/`` writes every picture of
[`relcoord.pictures.render_pictures`][relcoord.pictures.render.render_pictures] into a folder, as
``<name>.png`` and ``<name>.svg`` (``network``, ``heatmap``, ``profiles``, ``invitations`` when the
study has invitations, and ``change`` when the analysis compares two waves).  The host hands the
writer an empty temporary folder and renames it into place when it is complete, so a failed
export leaves no half-filled folder.

Options (all optional; from the command line they arrive as text):

``lang``
    ``da`` or ``en``: the language of titles, legends and role names (default: the
    analysis settings' ``lang``).
``formats``
    which image formats, comma-separated: ``png,svg`` (default), ``png`` or ``svg``.
``dpi``
    resolution of the PNG files (default 150; 72 to 600).

Both image formats are deterministic: the same analysis gives the same bytes.

The format's id ``figures`` (``--to figures``, the ``figures/`` folder of ``relcoord demo``)
keeps its established name, which users and scripts already type, although the code calls
these drawings *pictures* (a *figure* in relcoord is a number of the results).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from relcoord.formats.format_option import FormatOption, parse_options, text_list, whole_number
from relcoord.formats.format_type import Format
from relcoord.plugins.hookspecs import hookimpl
from relcoord.settings import LANGS

if TYPE_CHECKING:
    from relcoord.analysis import Analysis
    from relcoord.model import Study
    from relcoord.pictures import ImageFormat

__all__ = ["PICTURES", "PICTURES_WRITE_OPTIONS", "relcoord_register_exporters",
           "write_pictures"]

_IMAGE_FORMATS: Final = ("png", "svg")


def _image_formats(value: Any) -> tuple[ImageFormat, ...]:
    chosen: list[ImageFormat] = []
    known: dict[str, ImageFormat] = {"png": "png", "svg": "svg"}
    for item in (i.strip().lower() for i in text_list(value)):
        if item not in known:
            raise ValueError(f"unknown image format {item!r}; use png, svg or png,svg")
        if known[item] not in chosen:
            chosen.append(known[item])
    if not chosen:
        raise ValueError("name png, svg or both")
    return tuple(chosen)


#: The options of the pictures exporter.
PICTURES_WRITE_OPTIONS: Final = (
    FormatOption("lang", "language of titles, legends and role names", choices=LANGS,
                 shown_default="the analysis's language"),
    FormatOption("formats", "which image formats, comma-separated", parse=_image_formats,
                 default=_IMAGE_FORMATS, metavar="png,svg"),
    FormatOption("dpi", "resolution of the PNG files", parse=whole_number(72, 600),
                 default=150, metavar="72..600"),
)


def write_pictures(
    study: Study, analysis: Analysis | None, destination: Path, options: Mapping[str, Any]
) -> None:
    """Render the pictures of ``analysis`` and write them into the folder ``destination``."""
    from relcoord.pictures import render_pictures, save_picture

    values = parse_options("figures", options, PICTURES_WRITE_OPTIONS)
    if analysis is None:
        raise TypeError("the figures exporter needs an analysis; compute one with "
                        "relcoord.analysis.analyze")
    lang = values["lang"] or analysis.settings.lang
    kinds: tuple[ImageFormat, ...] = values["formats"]
    dpi: int = values["dpi"]
    destination.mkdir(exist_ok=True)
    for name, picture in render_pictures(analysis, lang).items():
        for kind in kinds:
            save_picture(picture, destination / f"{name}.{kind}", kind, dpi=dpi)


#: The report's pictures as PNG and SVG files in a folder (write only; id ``figures``).
PICTURES: Final = Format(
    id="figures",
    title="Report figures (PNG and SVG)",
    extensions=(),
    media_type="image/png",
    carries="analysis",
    write=write_pictures,
    writes_directory=True,
    description="The network map, the heat map of the tie matrix, the dimension profiles, "
    "the invitation map and (with --compare) the change between waves, as PNG and SVG "
    "files in a folder; options lang, formats, dpi.",
    write_options=PICTURES_WRITE_OPTIONS,
)


@hookimpl
def relcoord_register_exporters() -> Iterable[Format]:
    """The pictures exporter (format id ``figures``)."""
    return (PICTURES,)
