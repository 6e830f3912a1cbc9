"""What a notebook shows of a study or an analysis: an HTML summary table and the findings.

Jupyter calls an object's ``_repr_html_`` to show it; [`Study`][relcoord.model.Study] and
[`Analysis`][relcoord.analysis_result.Analysis] build theirs with
[`summary_html`][relcoord.notebook.summary_html] from phrases of the catalogue (``notebook.*``,
`relcoord.messages.notebook`) in the language
[`notebook_language`][relcoord.notebook.notebook_language] picks.  Every text from the data (a
title, a role name, a finding) is escaped, so a name such as ``<script>`` is shown, never run.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from relcoord.messages import LANGUAGES, text

__all__ = ["notebook_language", "summary_html"]


def notebook_language(*preferred: str | None) -> str:
    """The first of ``preferred`` that the catalogue has (a study's language, then a
    setting's), else English."""
    for lang in preferred:
        if lang in LANGUAGES:
            return lang
    return "en"


def summary_html(caption: str, rows: Sequence[tuple[str, str]], lang: str,
                 findings: Sequence[str] | None = None) -> str:
    """A table of ``rows`` (label, value) under ``caption``, then the ``findings`` as a
    list (``None``: no findings section; empty: the catalogue's "no findings")."""
    lines = ['<div class="relcoord-summary">', "<table>",
             f'<caption style="text-align:left"><strong>{escape(caption)}</strong></caption>',
             "<tbody>"]
    lines += [f'<tr><th scope="row" style="text-align:left">{escape(label)}</th>'
              f'<td style="text-align:left">{escape(value)}</td></tr>' for label, value in rows]
    lines += ["</tbody>", "</table>"]
    if findings is not None:
        lines.append(f"<p><strong>{escape(text('notebook.findings', lang))}</strong></p>")
        if findings:
            lines += ["<ul>", *(f"<li>{escape(f)}</li>" for f in findings), "</ul>"]
        else:
            lines.append(f"<p>{escape(text('notebook.no_findings', lang))}</p>")
    lines.append("</div>")
    return "\n".join(lines)
