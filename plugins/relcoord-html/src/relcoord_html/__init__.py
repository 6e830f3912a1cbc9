"""relcoord-html: the Relational Coordination report as one interactive, self-contained page.

``relcoord export study.json --to html -o report.html`` (the ``html`` exporter,
`HTML`, registered by `relcoord_html.plugin`) writes the report model of
[`relcoord.report.build_report`][relcoord.report.build_report] as a single HTML file: an interactive
network map, the heat map with its values on hover, sortable tables, the findings, the invitations,
the contact guide and the method, in Danish, English or both (``-O lang=da,en``, with a switch).

Why our own SVG and a small script rather than a network-drawing library: the map is a
circle of at most a few dozen roles whose positions the report already fixes
([`relcoord.report_map.map_positions`][relcoord.report_map.map_positions]), so nothing needs a force
layout or a canvas renderer; what the page needs is hover, click, filters and zoom, a few hundred
lines of plain JavaScript (``assets/report.js``) with no dependency to keep up to date, audit or
inline (Cytoscape.js or sigma.js alone are several hundred kB and ship with no Python
wheel, so they would have to be vendored).  The SVG is written in Python
(`relcoord_html.network`, `relcoord_html.heatmap`), so the page shows the map
and every figure even with scripts off, and prints.  No template engine either: the page
has one shape, and `relcoord_html.markup` escapes every text and attribute in one
place.

The page carries only what the analysis publishes: a tie the minimum-respondent rule
withheld has no figure in it, not one hidden by a style.
"""

from relcoord_html.page import CONTENT_POLICY, LanguagePart, language_part, render_html
from relcoord_html.plugin import HTML, write_html

__all__ = ["CONTENT_POLICY", "HTML", "LanguagePart", "language_part", "render_html",
           "write_html"]

__version__ = "0.1.0"
