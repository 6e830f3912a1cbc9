"""The commands of a federated analysis: ``relcoord stats`` and ``relcoord merge``.

``stats`` reads a site's study with any importer and writes what the site may share
([`relcoord.site_statistics`][relcoord.site_statistics]); ``merge`` adds sites' files into one;
``relcoord analyze`` reads a ``.stats`` file (or several) as it reads a study.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from relcoord.cli_console import current_console, verbosity_options
from relcoord.cli_errors import reports_errors
from relcoord.cli_input import read_input, study_input_options
from relcoord.cli_options import analysis_options, settings_from_options
from relcoord.errors import InvalidInputError
from relcoord.settings import LANGS

__all__ = ["analyze_sites", "merge", "read_sites", "stats"]

#: The settings that decide what a site shares.
SHARING_OPTIONS = ("min_respondents", "min_respondents_override", "min_items", "lang")


def _sharing_options(command: Any) -> Any:
    return analysis_options(command, only=SHARING_OPTIONS,
                            lang_help="Language of the line printed (default: en).")


def _summary_line(statistics: Any, output: str, lang: str) -> str:
    from relcoord import messages

    summary = statistics.summary
    return messages.text(
        "cli.stats.written", lang, file=output, sites=len(statistics.sites),
        cells=len(summary.cells), respondents=int(summary.respondents.sum()),
        min_respondents=statistics.min_respondents)


@click.command("stats")
@click.argument("file", type=click.Path(allow_dash=True))
@click.option("-o", "--output", "output", required=True, metavar="OUT",
              help="The .stats file to write.")
@study_input_options
@_sharing_options
@verbosity_options
@reports_errors
def stats(file: str, output: str, from_id: str | None, read_options: tuple[str, ...],
          **options: Any) -> None:
    """Write the statistics FILE's site may share for a federated analysis to OUT.

    OUT holds the study's facts (roles, named ties, invitations; no respondent) and, per
    tie and wave, the sums of the ratings that the privacy rules publish at
    --min-respondents: a tie and wave with fewer respondents is not in the file, so that
    their answers change no byte of it.  'relcoord merge' adds sites' files; 'relcoord
    analyze OUT' analyses them.
    """
    from relcoord.site_statistics import SiteStatistics
    from relcoord.site_statistics_file import write_site_statistics

    lang = options.get("lang") or "en"
    settings = settings_from_options(options)
    console = current_console()
    with console.step("read", file):
        study, _ = read_input(file, from_id, read_options)
    statistics = SiteStatistics.of(study, settings)
    with console.step("write", output):
        write_site_statistics(statistics, Path(output))
    click.echo(_summary_line(statistics, output, lang))


def read_sites(files: tuple[str, ...], max_bytes: int | None = None) -> Any:
    """The sites' statistics in ``files``, merged; a file that cannot be read or merged is
    an [`InvalidInputError`][relcoord.errors.InvalidInputError] naming it."""
    from relcoord.site_statistics import merge_sites
    from relcoord.site_statistics_file import read_site_statistics

    limits = {} if max_bytes is None else {"max_bytes": max_bytes}
    sites = []
    for file in files:
        with current_console().step("read", file):
            sites.append(read_site_statistics(file, **limits))
    for index in range(1, len(sites)):
        try:
            merge_sites(sites[: index + 1])
        except ValueError as error:
            raise InvalidInputError(files[index], str(error)) from None
    return merge_sites(sites)


@click.command("merge")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", "output", required=True, metavar="OUT",
              help="The .stats file to write.")
@click.option("--lang", type=click.Choice(LANGS), default="en",
              help="Language of the line printed (default: en).")
@verbosity_options
@reports_errors
def merge(files: tuple[str, ...], output: str, lang: str) -> None:
    """Add the .stats FILES of several sites into one .stats file OUT.

    The sites must share instrument, roles, waves, --min-items and --min-respondents, and
    must not share respondents; their named ties and invitations are pooled.
    """
    from relcoord.site_statistics_file import write_site_statistics

    merged = read_sites(files)
    with current_console().step("write", output):
        write_site_statistics(merged, Path(output))
    click.echo(_summary_line(merged, output, lang))


def analyze_sites(files: tuple[str, ...], as_json: bool, settings: Any, lang: str) -> None:
    """``relcoord analyze all.stats``: the pooled analysis of the sites in ``files``, printed
    as text in ``lang`` or, with ``as_json``, as JSON."""
    import json

    from relcoord.analysis_text import pooled_lines
    from relcoord.pooled_analysis import pooled_analysis

    merged = read_sites(files)
    with current_console().step("analyse"):
        pooled = pooled_analysis(merged, settings)
    if as_json:
        click.echo(json.dumps(pooled.to_mapping(), indent=2, ensure_ascii=False,
                              allow_nan=False))
        return
    for line in pooled_lines(pooled, lang):
        click.echo(line)
