"""The ``plugins``, ``export`` and ``convert`` commands of the command line.

They are imported lazily by :class:`~relcoord.cli_group.RelcoordGroup` (named in
``relcoord.cli``), so they may import from :mod:`relcoord.cli` at the top.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from relcoord.cli_console import current_console, verbosity_options
from relcoord.cli_errors import reports_errors
from relcoord.cli_group import RelcoordGroup
from relcoord.cli_options import analysis_options, in_report_language, settings_from_options
from relcoord.cli_output import check_output, write_output
from relcoord.errors import InvalidInputError
from relcoord.formats.format_type import Format
from relcoord.plugins.manager import PluginHost, get_host
from relcoord.plugins.registry import PluginInfo, UnknownFormatError

__all__ = ["convert", "export", "parse_options", "plugins_command", "plugins_report"]


def parse_options(values: Sequence[str], flag: str) -> dict[str, str]:
    """``KEY=VALUE`` strings from a repeated option as a mapping (values stay strings)."""
    options: dict[str, str] = {}
    for value in values:
        key, sep, text = value.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InvalidInputError(flag, f"expected KEY=VALUE, got {value!r}")
        if key in options:
            raise InvalidInputError(flag, f"option {key!r} given twice")
        options[key] = text
    return options


def _plugin_record(host: PluginHost, info: PluginInfo) -> dict[str, Any]:
    registry = host.registry
    commands = sorted(n for n in host.commands() if host.command_owner(n) == info)
    return {
        "name": info.name,
        "distribution": info.distribution,
        "version": info.version,
        "builtin": info.builtin,
        "importers": list(registry.ids_of(info, "read")),
        "exporters": list(registry.ids_of(info, "write")),
        "commands": commands,
    }


def _format_record(host: PluginHost, item: Format, readable: bool, writable: bool
                   ) -> dict[str, Any]:
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
    return {
        "plugins": [_plugin_record(host, info) for info in host.plugins()],
        "formats": formats,
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


def _text_report(report: Mapping[str, Any]) -> Iterable[str]:
    yield "Plugins:"
    for plugin in report["plugins"]:
        kind = "built-in" if plugin["builtin"] else "entry point"
        yield f"  {plugin['name']} ({kind}; {plugin['distribution']} {plugin['version']})"
        for key in ("importers", "exporters", "commands"):
            if plugin[key]:
                yield f"    {key}: {', '.join(plugin[key])}"
    yield "Formats:"
    for item in report["formats"]:
        modes = "/".join(m for m in ("read", "write") if item[m])
        extensions = ", ".join(item["extensions"]) or "folder"
        yield (f"  {item['id']:<20} {modes:<10} {item['carries']:<8} {extensions:<24} "
               f"{item['title']}")
    failures = report["failures"]
    yield "Load failures:" + ("" if failures else " none")
    for failure in failures:
        yield (f"  {failure['plugin']} ({failure['distribution']} {failure['version']}) "
               f"[{failure['stage']}]: {failure['message']}")


@click.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@verbosity_options
@reports_errors
def plugins_command(as_json: bool) -> None:
    """List loaded plugins, their versions and formats, and plugins that failed to load."""
    root = click.get_current_context().find_root().command
    if isinstance(root, RelcoordGroup):
        root.plugin_commands()  # refuse plugin commands that shadow core ones, as a run would
    report = plugins_report(get_host())
    if as_json:
        click.echo(json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False))
    else:
        for line in _text_report(report):
            click.echo(line)


def _hint_failures(host: PluginHost, error: UnknownFormatError) -> UnknownFormatError:
    failures = host.failures()
    if not failures:
        return error
    return UnknownFormatError(
        f"{error} ({len(failures)} plugin problem(s); run 'relcoord plugins' to see them)"
    )


def _find(host: PluginHost, kind: str, format_id: str | None, path: str) -> Format:
    try:
        return host.find_format(id=format_id, path=path, kind="read" if kind == "read" else "write")
    except UnknownFormatError as error:
        raise _hint_failures(host, error) from None


@click.command("convert")
@click.argument("source", metavar="IN", type=click.Path(path_type=Path))
@click.argument("destination", metavar="OUT", type=click.Path(path_type=Path))
@click.option("--from", "from_id", metavar="ID", help="Importer id (default: by IN's extension).")
@click.option("--to", "to_id", metavar="ID", help="Exporter id (default: by OUT's extension).")
@click.option("-I", "--read-option", "read_options", multiple=True, metavar="KEY=VALUE",
              help="An option for the importer (repeatable).")
@click.option("-O", "--write-option", "write_options", multiple=True, metavar="KEY=VALUE",
              help="An option for the exporter (repeatable).")
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
    """Read a study from IN with any importer and write it to OUT with any exporter.

    Formats are chosen by id (--from, --to) or by the files' extensions; OUT is written
    atomically, or to standard output when OUT is - (a format that writes one file, named
    with --to).  To write an analysis, use 'relcoord export'.
    """
    host = get_host()
    console = current_console()
    reader = _find(host, "read", from_id, str(source))
    writer = _find(host, "write", to_id, str(destination))
    check_output(writer, destination, "OUT")
    if writer.carries == "analysis":
        raise UnknownFormatError(
            f"format {writer.id!r} writes an analysis, not a study; use 'relcoord export "
            f"{source} --to {writer.id} -o {destination}'"
        )
    read_opts = parse_options(read_options, "--read-option")
    write_opts = parse_options(write_options, "--write-option")
    with console.step("read", source):
        study = host.read(source, format=reader.id, options=read_opts)
    with console.step("write", destination):
        write_output(host, study, destination, format=writer, options=write_opts, option="OUT")
    console.info(f"{source} ({reader.id}) -> {destination} ({writer.id})")


@click.command("export")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--to", "to_id", metavar="ID",
              help="Exporter id (default: by OUT's extension); see 'relcoord plugins'.")
@click.option("-o", "--output", "output", required=True, metavar="OUT",
              type=click.Path(path_type=Path),
              help="The file (or folder) to write; - writes a one-file format to standard "
                   "output.")
@click.option("--from", "from_id", metavar="ID", help="Importer id (default: by FILE's extension).")
@click.option("-I", "--read-option", "read_options", multiple=True, metavar="KEY=VALUE",
              help="An option for the importer (repeatable).")
@click.option("-O", "--write-option", "write_options", multiple=True, metavar="KEY=VALUE",
              help="An option for the exporter (repeatable).")
@analysis_options
@verbosity_options
@reports_errors
def export(**values: Any) -> None:
    """Write the study in FILE, and its analysis, with any registered exporter.

    For a format that carries an analysis the study is analysed first, with the analysis
    options below; the report is in --lang, else in the study's own language.  OUT is
    written atomically (a failure leaves the old OUT as it was); with -o - a format that
    writes one file (name it with --to) goes to standard output.
    """
    lang = values.get("lang")
    settings = settings_from_options(values)
    source: Path = values["file"]
    destination: Path = values["output"]
    host = get_host()
    console = current_console()
    writer = _find(host, "write", values["to_id"], str(destination))
    check_output(writer, destination, "-o")
    reader = _find(host, "read", values["from_id"], str(source))
    read_opts = parse_options(values["read_options"], "--read-option")
    write_opts = parse_options(values["write_options"], "--write-option")
    with console.step("read", source):
        study = host.read(source, format=reader.id, options=read_opts)
    analysis = None
    if writer.carries in ("analysis", "both"):
        from relcoord.analysis import analyze

        with console.step("analyse"):
            analysis = analyze(study, in_report_language(settings, lang, study))
    with console.step("write", destination):
        write_output(host, study, destination, format=writer, analysis=analysis,
                     options=write_opts)
    console.info(f"{source} ({reader.id}) -> {destination} ({writer.id})")
