"""The report's pictures, drawn with matplotlib: network map, heat map, profiles, invitations.

In relcoord a *figure* is a number of the results
([`Figure`][relcoord.metrics.scores.results.Figure],
`Finding.figures`) and a drawing is a *picture*; only
matplotlib's own class keeps its name ``Figure``.

Every function returns a `matplotlib.figure.Figure` built directly (never through
``pyplot``), so no global figure state leaks between calls and nothing needs closing; the
pictures are rendered with the Agg backend when saved
([`save_picture`][relcoord.pictures.saving.save_picture]), which works on machines without a
display.

[`render_pictures`][relcoord.pictures.render.render_pictures] gives all of them for an analysis, by
name:

``network``
    the role network on a circle: roles grouped and coloured by organisation, node area by
    arrows received, arrows drawn from the rater to the rated role and coloured by the band
    of the tie's RC (grey: named, not rated); roles named but absent are hollow and dashed.
    Labels sit outside the circle along each role's ray, wrapped, so that 60 roles with long
    Danish names stay readable.
``heatmap``
    the tie matrix, rater (rows) by target (columns), coloured from 1 to 5 with each value
    written in its cell; organisations are separated by lines and named by label colour.
``profiles``
    the mean of each RC dimension (coloured by sub-index, with the band limits drawn), and
    how often each dimension is the lowest of a rated tie.
``invitations``
    the dialogue invitations (balkort) on the same circle, coloured by status (only when
    the study has invitations).
``change``
    the change between the two compared waves (only when the analysis carries a comparison,
    ``compare=(A, B)``): the network and every role as rater and as target, each a point
    at its change with its bootstrap confidence interval as a bar; a clear change (interval
    excluding 0 and larger than the minimal detectable change) is coloured, others grey.

Text is in Danish or English (``lang``), from the catalogue
([`relcoord.messages`][relcoord.messages], ``picture.*`` and the shared terms); role names come from
[`Role.label`][relcoord.model.Role.label].  [`save_picture`][relcoord.pictures.saving.save_picture]
writes PNG or SVG deterministically (no date or software stamp, a fixed SVG hash salt), so the same
analysis gives the same bytes.

The package, one module per picture and one per shared part:

* `network`, `heatmap`,
  `profiles`, `invitations`,
  `change`: one picture each, named as in
  `PICTURE_NAMES`;
* `circle`: the role circle that the network and invitations maps share;
* `organisations`: organisation colours and the order in which
  roles are listed;
* `style`: band, sub-index and scale colours, the ink, the empty picture;
* `text`: phrases, numbers in the language's style, names made safe to
  show;
* `render`:
  [`render_pictures`][relcoord.pictures.render.render_pictures];
  `saving`: [`save_picture`][relcoord.pictures.saving.save_picture];
* `inline`: [`picture`][relcoord.pictures.inline.picture], one picture
  as a [`Picture`][relcoord.pictures.inline.Picture] that a notebook shows inline (``_repr_svg_``,
  ``_repr_png_``).

Only this package imports matplotlib (the extra ``figures``; importing the package without
it raises [`MissingDependencyError`][relcoord.optional_dependencies.MissingDependencyError]), and
its callers (the ``figures`` exporter, the Word plugin) import it inside the function that draws, so
``import relcoord`` does not load matplotlib.
"""

from __future__ import annotations

from relcoord.optional_dependencies import require

# Before any picture module imports matplotlib: a missing extra is one clear error.
require("matplotlib", "drawing the figures (relcoord.pictures)")

from relcoord.pictures.change import change_plot  # noqa: E402
from relcoord.pictures.heatmap import heat_map  # noqa: E402
from relcoord.pictures.inline import Picture, picture  # noqa: E402
from relcoord.pictures.invitations import invitation_map  # noqa: E402
from relcoord.pictures.network import network_map  # noqa: E402
from relcoord.pictures.organisations import organisation_colours  # noqa: E402
from relcoord.pictures.profiles import dimension_profiles  # noqa: E402
from relcoord.pictures.render import PICTURE_NAMES, render_pictures  # noqa: E402
from relcoord.pictures.saving import ImageFormat, save_picture  # noqa: E402
from relcoord.pictures.style import BAND_COLOURS  # noqa: E402

__all__ = [
    "BAND_COLOURS",
    "PICTURE_NAMES",
    "ImageFormat",
    "Picture",
    "change_plot",
    "dimension_profiles",
    "heat_map",
    "invitation_map",
    "network_map",
    "organisation_colours",
    "picture",
    "render_pictures",
    "save_picture",
]
