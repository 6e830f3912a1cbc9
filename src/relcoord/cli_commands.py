"""The ``plugins``, ``export`` and ``convert`` commands of the command line.

They are imported lazily by [`RelcoordGroup`][relcoord.cli_group.RelcoordGroup] (named in
``relcoord.cli``), so they may import from [`relcoord.cli`][relcoord.cli] at the top.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from relcoord.cli_console import current_console, verbosity_options
from relcoord.cli_errors import reports_errors
from relcoord.cli_group import RelcoordGroup
from relcoord.cli_input import hint_failures, parse_key_values, read_input, study_input_options
from relcoord.cli_options import analysis_options, in_report_language, settings_from_options
from relcoord.cli_output import check_output, write_output

if TYPE_CHECKING:  # imported where they are used, so that 'relcoord convert --help' is quick
    from relcoord.formats.format_option import FormatOption
    from relcoord.formats.format_type import Format
    from relcoord.plugins.manager import PluginHost
    from relcoord.plugins.registry import PluginInfo, UnknownFormatError

__all__ = ["convert", "export", "plugins_command", "plugins_report"]


def _option_records(declared: tuple[FormatOption, ...] | None) -> list[dict[str, Any]] | None:
    if declared is None:
        return None
    return [{"name": o.name, "value": o.value_text, "default": o.default_text or None,
             "choices": list(o.choices), "help": o.help} for o in declared]


def _plugin_record(host: PluginHost, info: PluginInfo) -> dict[str, Any]:
    registry = host.registry
    commands = sorted(n for n in host.commands() if host.command_owner(n) == info)
    templates = sorted(w.id for w in host.template_writers()
                       if host.template_owner(w.id) == info)
    engines = sorted(e.id for e in host.engines() if host.engine_owner(e.id) == info)
    return {
        "name": info.name,
        "distribution": info.distribution,
        "version": info.version,
        "builtin": info.builtin,
        "importers": list(registry.ids_of(info, "read")),
        "exporters": list(registry.ids_of(info, "write")),
        "commands": commands,
        "templates": templates,
        "engines": engines,
    }


def _format_record(host: PluginHost, item: Format, readable: bool, writable: bool
                   ) -> dict[str, Any]:
    from relcoord.plugins.format_io import options_of

    owner = host.owner(item)
    return {
        "id": item.id,
        "title": item.title,
        "extensions": list(item.extensions),
        "media_type": item.media_type,
        "carries": item.carries,
        "read": readable,
        "write": writable,
        "writes_directory": item.writes_directory,
        "plugin": owner.name,
        "distribution": owner.distribution,
        "description": item.description,
        "read_options": _option_records(options_of(item, "read")) if readable else None,
        "write_options": _option_records(options_of(item, "write")) if writable else None,
    }


def plugins_report(host: PluginHost) -> dict[str, Any]:
    """What ``relcoord plugins --json`` prints: plugins, formats and load failures."""
    failures = host.failures()  # collects formats and commands first
    readers = {f.id: f for f in host.importers()}
    writers = {f.id: f for f in host.exporters()}
    formats = [
        _format_record(host, readers.get(i) or writers[i], i in readers, i in writers)
        for i in sorted(readers.keys() | writers.keys())
    ]
    engines = [{"id": e.id, "title": e.title, "plugin": host.engine_owner(e.id).name,
                "options": dict(e.options)} for e in host.engines()]
    return {
        "plugins": [_plugin_record(host, info) for info in host.plugins()],
        "formats": formats,
        "engines": engines,
        "failures": [
            {
                "plugin": f.plugin.name,
                "distribution": f.plugin.distribution,
                "version": f.plugin.version,
                "stage": f.stage,
                "message": f.message,
            }
            for f in failures
        ],
    }


def _option_text(records: list[dict[str, Any]] | None, flag: str) -> list[str]:
    from relcoord.formats.format_option import FormatOption, option_lines

    if records is None:
        return [f"      {flag} ... (the format checks its own options)"]
    declared = tuple(FormatOption(r["name"], r["help"], metavar=r["value"],
                                  shown_default=r["default"] or "") for r in records)
    return [f"      {line}" for line in option_lines(declared, flag)]


def _text_report(report: Mapping[str, Any], with_options: bool = False) -> Iterable[str]:
    yield "Plugins:"
    for plugin in report["plugins"]:
        kind = "built-in" if plugin["builtin"] else "entry point"
        yield f"  {plugin['name']} ({kind}; {plugin['distribution']} {plugin['version']})"
        for key in ("importers", "exporters", "commands", "templates", "engines"):
            if plugin[key]:
                yield f"    {key}: {', '.join(plugin[key])}"
    yield "Formats:"
    for item in report["formats"]:
        modes = "/".join(m for m in ("read", "write") if item[m])
        extensions = ", ".join(item["extensions"]) or "folder"
        yield (f"  {item['id']:<20} {modes:<10} {item['carries']:<8} {extensions:<24} "
               f"{item['title']}")
        if with_options:
            for kind, flag in (("read_options", "-I"), ("write_options", "-O")):
                if item[kind.split("_")[0]]:
                    yield from _option_text(item[kind], flag)
    yield "Analysis engines (relcoord analyze --engine ID):"
    yield "  memory               the whole study in this process (built in, the default)"
    for engine in report["engines"]:
        yield f"  {engine['id']:<20} {engine['title']} (plugin {engine['plugin']})"
        if with_options:
            for name, text in engine["options"].items():
                yield f"      -E {name}=...  {text}"
    failures = report["failures"]
    yield "Load failures:" + ("" if failures else " none")
    for failure in failures:
        yield (f"  {failure['plugin']} ({failure['distribution']} {failure['version']}) "
               f"[{failure['stage']}]: {failure['message']}")


@click.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--options", "with_options", is_flag=True,
              help="List every format's options (-I for reading, -O for writing).")
@verbosity_options
@reports_errors
def plugins_command(as_json: bool, with_options: bool) -> None:
    """List loaded plugins, their versions and formats, and plugins that failed to load.

    With --options, each format's options follow it: what -I (read) and -O (write) take,
    with their values, defaults and meaning.
    """
    from relcoord.plugins.manager import get_host

    root = click.get_current_context().find_root().command
    if isinstance(root, RelcoordGroup):
        root.plugin_commands()  # refuse plugin commands that shadow core ones, as a run would
    report = plugins_report(get_host())
    if as_json:
        click.echo(json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False))
    else:
        for line in _text_report(report, with_options):
            click.echo(line)


def _writer(host: PluginHost, format_id: str | None, path: Path, *, published: bool = False
            ) -> Format:
    """The exporter named ``format_id``, else the one ``path``'s name fits: with
    ``published``, a format of published results if one fits (``result.json`` is
    ``analysis-json`` for ``relcoord export``)."""
    from relcoord.plugins.registry import UnknownFormatError

    try:
        if format_id is None and published:
            with contextlib.suppress(UnknownFormatError):
                return host.find_format(path=path, kind="write",
                                        accept=lambda f: f.carries != "study")
        return host.find_format(id=format_id, path=path, kind="write")
    except UnknownFormatError as error:
        raise hint_failures(error) from None


def _refuse(key: str, writer: Format, source: Path, destination: Path) -> UnknownFormatError:
    from relcoord import messages
    from relcoord.messages.reading import LANGUAGE
    from relcoord.plugins.registry import UnknownFormatError

    return UnknownFormatError(messages.text(key, LANGUAGE, format=writer.id, source=source,
                                            destination=destination))


_WRITE_OPTION_HELP = ("An option for the exporter (repeatable), e.g. -O profile=excel; "
                      "'relcoord plugins --options' lists every format's.")


@click.command("convert")
@click.argument("source", metavar="IN", type=click.Path(path_type=Path, allow_dash=True))
@click.argument("destination", metavar="OUT", type=click.Path(path_type=Path))
@click.option("--to", "to_id", metavar="ID", help="Exporter id (default: by OUT's extension).")
@study_input_options
@click.option("-O", "--write-option", "write_options", multiple=True, metavar="KEY=VALUE",
              help=_WRITE_OPTION_HELP)
@verbosity_options
@reports_errors
def convert(
    source: Path,
    destination: Path,
    from_id: str | None,
    to_id: str | None,
    read_options: tuple[str, ...],
    write_options: tuple[str, ...],
) -> None:
    """Read the study in IN with any importer and write it, whole, as study data to OUT.

    Formats are chosen by id (--from, --to) or by the files' names (a .csv file's header
    decides its layout).  Respondents keep their ids unless -I or -O respondent_ids asks
    for pseudonyms (or, with a warning, for none).  OUT is written atomically, or to
    standard output when OUT is - (a format that writes one file, named with --to).  For
    published results (tables, network, figures, report), use 'relcoord export'.
    """
    from relcoord.plugins.manager import get_host

    host = get_host()
    console = current_console()
    writer = _writer(host, to_id, destination)
    check_output(writer, destination, "OUT", source)
    if writer.carries != "study":
        raise _refuse("study_data.convert_published", writer, source, destination)
    write_opts = parse_key_values(write_options, "--write-option")
    with console.step("read", source):
        study, reader = read_input(source, from_id, read_options)
    with console.step("write", destination):
        write_output(host, study, destination, format=writer, options=write_opts, option="OUT")
    console.info(f"{source} ({reader.id}) -> {destination} ({writer.id})")


@click.command("export")
@click.argument("file", type=click.Path(path_type=Path, allow_dash=True))
@click.option("--to", "to_id", metavar="ID",
              help="Exporter id (default: by OUT's extension); see 'relcoord plugins'.")
@click.option("-o", "--output", "output", required=True, metavar="OUT",
              type=click.Path(path_type=Path),
              help="The file (or folder) to write; - writes a one-file format to standard "
                   "output.")
@study_input_options
@click.option("-O", "--write-option", "write_options", multiple=True, metavar="KEY=VALUE",
              help=_WRITE_OPTION_HELP)
@analysis_options
@verbosity_options
@reports_errors
def export(**values: Any) -> None:
    """Analyse the study in FILE and write published results with any exporter.

    The study is read with any importer (--from, -I), analysed with the analysis options
    below, and written by a format of published results (analysis-json, csv, csv-zip,
    graphml, figures, docx...): never a raw answer, a respondent id or a figure the
    minimum-respondent rule withheld.  The report is in --lang, else in the study's own
    language.  OUT is written atomically (a failure leaves the old OUT as it was); with
    -o - a format that writes one file (name it with --to) goes to standard output.  To
    write the study itself, use 'relcoord convert'.
    """
    lang = values.get("lang")
    settings = settings_from_options(values)
    source: Path = values["file"]
    destination: Path = values["output"]
    from relcoord.plugins.manager import get_host

    host = get_host()
    console = current_console()
    writer = _writer(host, values["to_id"], destination, published=True)
    check_output(writer, destination, "-o", source)
    if writer.carries == "study":
        raise _refuse("study_data.export_study", writer, source, destination)
    write_opts = parse_key_values(values["write_options"], "--write-option")
    with console.step("read", source):
        study, reader = read_input(source, values["from_id"], values["read_options"])
    from relcoord.analysis import analyze

    with console.step("analyse"):
        analysis = analyze(study, in_report_language(settings, lang, study))
    with console.step("write", destination):
        write_output(host, study, destination, format=writer, analysis=analysis,
                     options=write_opts)
    console.info(f"{source} ({reader.id}) -> {destination} ({writer.id})")
