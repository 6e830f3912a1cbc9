"""``pip install relcoord`` alone: the lean core analyses a study, and every extra it lacks is
named when something needs it.

The test builds relcoord from this checkout and installs it, with the dependencies its
``pyproject.toml`` declares, from the package registry into a fresh virtual environment
(``pip install --no-deps`` would prove nothing: the point is what the declared
dependencies bring).  It takes minutes, so it runs under ``CI=true`` (``.ci/run``) or with
``RELCOORD_INSTALL_TESTS=1`` and is skipped otherwise; under ``CI=true`` a failure to
install is a failure, never a skip.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.slow_install,
    pytest.mark.skipif(
        os.environ.get("CI") != "true" and os.environ.get("RELCOORD_INSTALL_TESTS") != "1",
        reason="installs relcoord into a fresh venv from the registry (minutes); runs under "
        "CI=true or RELCOORD_INSTALL_TESTS=1",
    ),
]

#: What the lean install must not bring: each is an extra.
OPTIONAL = ("matplotlib", "polars", "igraph", "pandas", "docx")

_CHECK = textwrap.dedent("""
    import importlib.util, json, sys
    import relcoord
    from relcoord.example import example_text

    report = {"absent": [m for m in %r if importlib.util.find_spec(m) is None]}
    study = relcoord.load_example()
    analysis = relcoord.analyze(study)
    report["findings"] = len(analysis.findings)
    report["ties"] = len(analysis.scores.ties)
    report["backend"] = analysis.network.backend
    report["loaded"] = sorted(m for m in %r if m in sys.modules)
    for package, needs in (("matplotlib", "relcoord.pictures"),
                           ("polars", "relcoord.formats.csv.table")):
        try:
            module = __import__(needs, fromlist=["_"])
            if package == "polars":
                module.pl.read_csv  # the stand-in imports polars on first use
            report[package] = "no error"
        except relcoord.MissingDependencyError as error:
            report[package] = str(error)
    print(json.dumps(report))
""")


def _run(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run outside this checkout's environment (no PYTHONPATH pointing at its sources)."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    return subprocess.run(args, capture_output=True, text=True, env=env, check=False,
                          timeout=1800, cwd=cwd)


@pytest.fixture(scope="module")
def lean_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding relcoord and only the dependencies its core declares."""
    venv = tmp_path_factory.mktemp("lean") / "venv"
    made = _run([sys.executable, "-m", "venv", str(venv)])
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    installed = _run([str(python), "-m", "pip", "install", "--quiet",
                      "--disable-pip-version-check", str(ROOT)])
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return venv


def test_the_core_alone_analyses_the_example(lean_venv: Path) -> None:
    python = lean_venv / "bin" / "python"
    result = _run([str(python), "-c", _CHECK % (OPTIONAL, OPTIONAL)], cwd=lean_venv)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["absent"] == list(OPTIONAL)  # none of the extras came with the core
    assert report["loaded"] == []
    assert report["findings"] > 0
    assert report["ties"] > 0
    assert report["backend"] == "networkx"  # igraph is an extra; networkx gives the same
    assert "pip install 'relcoord[figures]'" in report["matplotlib"]
    assert "pip install 'relcoord[csv]'" in report["polars"]


def test_the_command_line_names_the_missing_extra(lean_venv: Path, tmp_path: Path) -> None:
    relcoord = lean_venv / "bin" / "relcoord"
    study = tmp_path / "example.json"
    from relcoord.example import example_text

    study.write_text(example_text(), encoding="utf-8")
    analysed = _run([str(relcoord), "analyze", str(study)])
    assert analysed.returncode == 0, analysed.stderr
    assert analysed.stdout.strip()
    exported = _run([str(relcoord), "export", str(study), "--to", "figures",
                     "-o", str(tmp_path / "figures")])
    assert exported.returncode == 1, exported.stdout + exported.stderr
    assert "relcoord[figures]" in exported.stderr
    assert "Traceback" not in exported.stderr
    assert not (tmp_path / "figures").exists()
