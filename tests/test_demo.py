"""``relcoord demo``: the whole pipeline on the embedded example, into a folder."""

from __future__ import annotations

import contextlib
import json
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from relcoord.analysis import analyze
from relcoord.cli import cli
from relcoord.demo import DEMO_OUTPUTS, write_outputs
from relcoord.example import load_example
from relcoord.plugins import PluginHost, install_host
from relcoord.settings import Lang


def sentences(lang: Lang) -> list[str]:
    """The first wrapped line of each finding, as the demo prints it."""
    analysis = analyze(load_example(), lang=lang)
    return [textwrap.wrap(f.text[lang], width=88)[0] for f in analysis.findings]


@pytest.mark.parametrize("lang", ["en", "da"])
def test_demo_writes_every_output_and_prints_findings(tmp_path: Path, lang: Lang) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["demo", "-o", str(out), "--lang", lang])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    for first_line in sentences(lang):
        assert " ".join(first_line.split()) in text
    expected = ["analysis.json", "network.graphml", "network.gexf", "cytoscape/elements.json",
                "cytoscape/style.json", "figures/network.png",
                "figures/network.svg", "figures/heatmap.png", "tables/roles.csv"]
    host = PluginHost()
    if any(f.id == "docx" for f in host.exporters()):
        expected.append("report.docx")
    if any(f.id == "html" for f in host.exporters()):
        expected.append("report.html")
    for name in expected:
        assert (out / name).is_file(), name
        assert f"  {name}\n" in result.output  # listed among the files written
    analysis = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    assert analysis["settings"]["lang"] == lang
    assert ("Findings:" if lang == "en" else "Fund:") in result.output


def test_demo_default_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "relcoord-demo" / "analysis.json").is_file()
    assert "Files written to relcoord-demo:" in result.output
    # English unless --lang da, although the example is Danish (see 'relcoord demo --help')
    assert "Findings:" in result.output
    analysis = json.loads((tmp_path / "relcoord-demo" / "analysis.json").read_text("utf-8"))
    assert analysis["settings"]["lang"] == "en"


def test_demo_without_docx_plugin_says_so(tmp_path: Path) -> None:
    previous = install_host(PluginHost(entry_points=list))  # built-ins only
    try:
        result = CliRunner().invoke(cli, ["demo", "-o", str(tmp_path), "--lang", "en"])
    finally:
        install_host(previous)
    assert result.exit_code == 0, result.output
    assert "skipped: no 'docx' exporter: install the relcoord-docx plugin" in result.output
    assert not (tmp_path / "report.docx").exists()
    assert "skipped: no 'html' exporter: install the relcoord-html plugin" in result.output
    assert not (tmp_path / "report.html").exists()
    assert (tmp_path / "figures" / "profiles.svg").is_file()


def test_write_outputs_reports_each_exporter(tmp_path: Path) -> None:
    study = load_example()
    host = PluginHost(entry_points=list)
    wrapped: list[Path] = []

    @contextlib.contextmanager
    def around(path: Path) -> Iterator[None]:
        yield
        wrapped.append(path)

    outputs = write_outputs(study, analyze(study), tmp_path / "new" / "folder", host=host,
                            around=around)
    assert [o.format_id for o in outputs] == [f for f, _ in DEMO_OUTPUTS]
    assert wrapped == [o.path for o in outputs if o.path is not None]
    for output in outputs:
        if output.path is None:
            assert output.skipped
        else:
            assert output.files
            assert all(p.is_file() for p in output.files)
