"""The core commands that read a study: ``validate``, ``demo`` and ``analyze``.

They are imported lazily by [`RelcoordGroup`][relcoord.cli_group.RelcoordGroup] (named in
[`relcoord.cli`][relcoord.cli] with their one-line help), so that ``relcoord --help`` imports
neither numpy nor the analysis.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from relcoord.cli_console import current_console, verbosity_options
from relcoord.cli_errors import reports_errors
from relcoord.cli_input import parse_key_values, read_input, study_input_options
from relcoord.cli_options import (
    analysis_options,
    in_report_language,
    settings_from_options,
)
from relcoord.cli_output import is_standard_output
from relcoord.errors import InvalidInputError
from relcoord.plugins.analysis_engine import MEMORY_ENGINE

if TYPE_CHECKING:  # imported where they are used, so that a command's --help is quick
    from relcoord.model import Study

__all__ = ["analyze", "demo", "study_summary", "validate"]

F = TypeVar("F", bound=Callable[..., Any])


@click.command()
@click.argument("file", type=click.Path(allow_dash=True))
@study_input_options
@verbosity_options
@reports_errors
def validate(file: str, from_id: str | None, read_options: tuple[str, ...]) -> None:
    """Read FILE with any importer and check it: exit 0 if valid, 1 listing every problem.

    The canonical JSON is checked against the study format's schema and rules; any other
    format (--from, or FILE's name and header) is read and checked as it is imported.
    """
    with current_console().step("read", file):
        study, _ = read_input(file, from_id, read_options)
    click.echo(
        f"{file}: valid study {study.metadata.id!r} ({len(study.roles)} roles, "
        f"{len(study.respondents)} respondents, {len(study.ties)} ties, "
        f"{len(study.ratings)} ratings, {len(study.invitations)} invitations)"
    )


# --- demo: the whole pipeline on the embedded example --------------------------------------

def study_summary(study: Study, lang: str = "en") -> list[str]:
    """A short plain-text overview of ``study`` (what ``relcoord demo`` prints first).

    Counts roles present and absent (with respondents per present role, by organisation),
    named arrows, ratings and missing items, invitations by status and the waves; role
    names in ``lang`` (``da`` or ``en``), falling back to the study's own names.
    """
    import numpy as np

    from relcoord import messages
    from relcoord.model import INVITATION_STATUSES
    from relcoord.report_labels import organisation_label

    text = messages.section("cli.demo", lang)
    absent_word = messages.text("role.absent", lang)
    people = Counter(p.role for p in study.respondents)
    present = [r for r in study.roles if r.present]
    absent = [r for r in study.roles if not r.present]
    scores = study.ratings.scores
    missing = int(np.isnan(scores).sum())
    status: Counter[str] = Counter(i.status for i in study.invitations)
    lines = [
        study.metadata.title or study.metadata.id,
        f"  {text['process']}: {study.metadata.focal_process or '-'}",
        f"  {text['instrument']}: {study.instrument.id} ({', '.join(study.instrument.keys)})",
        f"  {text['waves']}: {', '.join(study.waves) or '-'}",
        f"  {text['roles']}: {len(study.roles)} ({len(present)} {text['present']}, "
        f"{len(absent)} {absent_word})",
    ]
    def listing(heading: str, items: list[str]) -> list[str]:
        return textwrap.wrap(f"{heading}: {', '.join(sorted(items))}", width=92,
                             initial_indent="    ", subsequent_indent="      ")

    for organisation in (*study.organisations, None):
        group = [r for r in present if r.organisation == organisation]
        if group:
            lines += listing(organisation_label(organisation, lang),
                             [f"{r.label(lang)} ({people[r.id]})" for r in group])
    if absent:
        lines += listing(absent_word, [r.label(lang) for r in absent])
    distinct = len({(t.source, t.target) for t in study.ties})
    lines += [
        f"  {text['respondents'].capitalize()}: {len(study.respondents)}",
        f"  {text['arrows']}: {len(study.ties)} ({distinct} {text['distinct']})",
        f"  {text['ratings']}: {len(study.ratings)} ({scores.size - missing} {text['scores']}, "
        f"{missing} {text['missing']})",
        f"  {text['invitations']}: {len(study.invitations)} ("
        + ", ".join(f"{status[s]} {messages.text(f'status.{s}', lang)}"
                    for s in INVITATION_STATUSES) + ")",
    ]
    return lines


def _demo_options(command: F) -> F:
    return analysis_options(command, lang_help=(
        "Language of the summary, the findings and the report (default: en, although the "
        "example's own language is da; see above)."))


@click.command()
@click.option("-o", "--output", "output", type=click.Path(file_okay=False),
              default="relcoord-demo", show_default=True,
              help="Folder to write the report, tables, figures and JSON into.")
@_demo_options
@verbosity_options
@reports_errors
def demo(output: str, **options: Any) -> None:
    """Run relcoord on the embedded example study, end to end.

    The example is illustrative: modelled on the three Trivsel Smiley conferences (2019),
    whose real data was never published.  It is loaded, validated, summarised and
    analysed; the report (DOCX, with the relcoord-docx plugin), the network (GraphML), the
    CSV tables, the figures (PNG and SVG) and the Analysis JSON are written into OUTPUT,
    and the findings and the files written are printed.

    The demo speaks English unless --lang da, although the example study is Danish (and
    'relcoord export' or 'analyze' of the same study would default to Danish): it is the
    walk-through that the English documentation describes, for a reader who may not read
    Danish.  --lang da shows the same outputs in the example's own language.
    """
    from pathlib import Path

    from relcoord import messages
    from relcoord.analysis import analyze as run_analysis
    from relcoord.demo import write_outputs
    from relcoord.example import NOTICE, load_example

    if is_standard_output(output):
        raise InvalidInputError("-o", "the demo writes a folder, which cannot go to standard "
                                "output ('-'); give a folder name")
    lang = options.get("lang") or "en"
    options["lang"] = lang
    settings = settings_from_options(options)
    console = current_console()
    study = load_example()  # validated on load: schema, then domain rules
    lines = study_summary(study, lang)
    click.echo(lines[0])
    click.echo(f"  ({messages.text('cli.demo.valid', lang)})")
    for line in lines[1:]:
        click.echo(line)
    with console.step("analyse"):
        analysis = run_analysis(study, settings)
    click.echo("")
    click.echo(messages.text("cli.demo.findings", lang) + ":")
    for finding in analysis.findings:
        click.echo(textwrap.fill(finding.sentence(lang), width=92, initial_indent="  - ",
                                 subsequent_indent="    "))
    outputs = write_outputs(study, analysis, output,
                            around=lambda path: console.step("write", path))
    folder = Path(output)
    click.echo("")
    click.echo(f"{messages.text('cli.demo.written', lang)} {folder}:")
    for item in outputs:
        if item.skipped is not None:
            click.echo(f"  ({messages.text('cli.demo.skipped', lang)} {item.skipped})")
        for path in item.files:
            click.echo(f"  {path.relative_to(folder).as_posix()}")
    click.echo("")
    click.echo(click.wrap_text(NOTICE[lang], width=92))


@click.command()
@click.argument("file", type=click.Path(allow_dash=True))
@click.option("--json", "as_json", is_flag=True,
              help="Print the Analysis as JSON (validates against analysis.schema.json).")
@click.option("--engine", "engine_id", default=MEMORY_ENGINE, show_default=True, metavar="ID",
              help="Where the analysis runs: 'memory' reads the whole study into this "
                   "process; an engine a plugin adds (dask, with relcoord-dask) reads the "
                   "study where it lies, partition by partition. 'relcoord plugins' lists "
                   "the installed engines.")
@click.option("--scheduler", metavar="ADDRESS",
              help="The engine's cluster (dask: a dask.distributed scheduler, "
                   "tcp://host:8786); without it the engine starts a local cluster.")
@click.option("-E", "--engine-option", "engine_options", multiple=True, metavar="KEY=VALUE",
              help="An option for the engine (repeatable), e.g. -E workers=4 -E "
                   "memory_limit=2GiB; 'relcoord plugins --options' lists them.")
@study_input_options
@analysis_options
@verbosity_options
@reports_errors
def analyze(file: str, as_json: bool, engine_id: str, scheduler: str | None,
            engine_options: tuple[str, ...], from_id: str | None,
            read_options: tuple[str, ...], **options: Any) -> None:
    """Analyse FILE (any importer's input): RC scores, network, invitations, reliability
    and findings.

    Prints the findings and the key tables, or with --json the whole Analysis.  With
    --compare WAVE_A WAVE_B it also prints the change of the network, each role and each
    tie from WAVE_A to WAVE_B, with bootstrap intervals (--boot, --seed) and the minimal
    detectable change, and the arrows gained, lost and reversed; only ties publishable in
    every wave and rated in both take part.  The text is in --lang, else in the study's
    own language.  With --engine dask (the relcoord-dask plugin) a study store
    (FILE.parquet, a folder) is analysed partition by partition on a Dask cluster, with the
    same result.
    """
    import json

    from relcoord.analysis import analyze as run_analysis
    from relcoord.analysis_text import analysis_lines
    lang = options.get("lang")
    settings = settings_from_options(options)
    if file.endswith(".stats"):  # sites' statistics (relcoord stats / merge): a pooled analysis
        if engine_id != MEMORY_ENGINE or scheduler is not None or engine_options:
            raise InvalidInputError("--engine", "a .stats file holds sites' statistics, which "
                                    "the pooled analysis reads in this process; no engine")
        from relcoord.cli_stats import analyze_sites

        analyze_sites((file,), as_json, settings, lang or "en")
        return
    from relcoord.plugins.manager import get_host

    engine = get_host().find_engine(engine_id)
    if engine is None:
        if scheduler is not None or engine_options:
            raise InvalidInputError("--scheduler" if scheduler is not None else "-E",
                                    f"the {MEMORY_ENGINE} engine takes no cluster or options; "
                                    "choose an engine with --engine")
        with current_console().step("read", file):
            study, _ = read_input(file, from_id, read_options)
        settings = in_report_language(settings, lang, study)
        with current_console().step("analyse"):
            analysis = run_analysis(study, settings)
    else:
        if from_id is not None or read_options:
            raise InvalidInputError("--from" if from_id is not None else "-I",
                                    f"engine {engine.id!r} reads FILE itself; --from and -I "
                                    "are for the memory engine's importers")
        given = parse_key_values(engine_options, "-E")
        if scheduler is not None:
            given["scheduler"] = scheduler
        unknown = sorted(set(given) - set(engine.options))
        if unknown:
            known = ", ".join(engine.options) or "none"
            raise InvalidInputError(f"-E {unknown[0]}", f"engine {engine.id!r} has no option "
                                    f"{unknown[0]!r}; its options are {known} ('relcoord "
                                    "plugins --options' describes them)")
        source = Path(file)
        with current_console().step("read", file):
            facts = engine.facts(source)
        settings = in_report_language(settings, lang, facts)
        with current_console().step("analyse"):
            analysis = engine.analyze(source, settings, given)
    if as_json:
        click.echo(json.dumps(analysis.to_mapping(), ensure_ascii=False, indent=2,
                              allow_nan=False))
        return
    for line in analysis_lines(analysis, settings.lang):
        click.echo(line)
