"""Writing a picture as PNG or SVG, deterministically
([`save_picture`][relcoord.pictures.saving.save_picture])."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal

import matplotlib as mpl

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["ImageFormat", "save_picture"]

#: Image formats [`save_picture`][relcoord.pictures.saving.save_picture] writes.
ImageFormat = Literal["png", "svg"]


def save_picture(
    picture: Figure, destination: str | Path | BinaryIO, format: ImageFormat = "png", *,
    dpi: int = 150,
) -> None:
    """Write ``picture`` as PNG or SVG, deterministically: the same picture, the same bytes.

    PNG carries no software stamp; SVG has no date and a fixed hash salt for its ids.
    Writes straight to ``destination`` (a path or a binary file); callers that replace a file use
    [`relcoord.atomic_files.atomic_path`][relcoord.atomic_files.atomic_path] (the exporters do).
    """
    if format == "png":
        picture.savefig(destination, format="png", dpi=dpi, metadata={"Software": None},
                       facecolor="white")
    elif format == "svg":
        with mpl.rc_context({"svg.hashsalt": "relcoord", "svg.fonttype": "path"}):
            picture.savefig(destination, format="svg", metadata={"Date": None},
                           facecolor="white")
    else:
        raise ValueError(f"unknown image format {format!r}; expected 'png' or 'svg'")
