"""``relcoord stats`` and ``relcoord merge`` through click's runner."""

from __future__ import annotations

from pathlib import Path

import attrs
import numpy as np
import pytest
from click.testing import CliRunner

from relcoord.cli import cli
from relcoord.example import load_example
from relcoord.site_statistics import SiteStatistics, merge_sites
from relcoord.site_statistics_file import read_site_statistics, site_statistics_bytes
from relcoord.study_json import dump


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The example study split by respondent into two sites, as study files."""
    study = load_example()
    even = np.isin(study.ratings.respondent, np.arange(0, len(study.ratings.respondents), 2))
    folder = tmp_path_factory.mktemp("sites")
    paths = []
    for index, mask in enumerate((even, ~even)):
        part = attrs.evolve(study, metadata=attrs.evolve(study.metadata, id=f"site-{index}"),
                            ratings=study.ratings.select(mask))
        path = folder / f"site-{index}.json"
        dump(part, path)
        paths.append(path)
    return paths


def test_stats_writes_what_the_site_may_share(sites: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "a.stats"
    result = CliRunner().invoke(cli, ["stats", str(sites[0]), "-o", str(out),
                                      "--min-respondents", "3"])
    assert result.exit_code == 0, result.output
    assert "no respondent and no answer is in the file" in result.output
    written = read_site_statistics(out)
    assert written.min_respondents == 3
    from relcoord.study_json import load

    expected = SiteStatistics.of(load(sites[0]), min_respondents=3)
    assert out.read_bytes() == site_statistics_bytes(expected)


def test_stats_in_danish(sites: list[Path], tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["stats", str(sites[0]), "-o", str(tmp_path / "a.stats"),
                                      "--lang", "da"])
    assert result.exit_code == 0, result.output
    assert "ingen deltager og intet svar er i filen" in result.output


def test_stats_takes_only_the_settings_that_decide_what_is_shared(sites: list[Path],
                                                                  tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["stats", str(sites[0]), "-o", str(tmp_path / "a.stats"),
                                      "--weighting", "tie"])
    assert result.exit_code == 2
    assert "No such option" in result.output


def test_merge_adds_sites(sites: list[Path], tmp_path: Path) -> None:
    runner = CliRunner()
    files = []
    for path in sites:
        out = tmp_path / f"{path.stem}.stats"
        assert runner.invoke(cli, ["stats", str(path), "-o", str(out),
                                   "--min-respondents", "3"]).exit_code == 0
        files.append(out)
    merged = tmp_path / "all.stats"
    result = runner.invoke(cli, ["merge", *map(str, files), "-o", str(merged)])
    assert result.exit_code == 0, result.output
    assert "2 site(s)" in result.output
    expected = merge_sites([read_site_statistics(f) for f in files])
    assert merged.read_bytes() == site_statistics_bytes(expected)


def test_merge_refuses_a_site_twice(sites: list[Path], tmp_path: Path) -> None:
    runner = CliRunner()
    one = tmp_path / "one.stats"
    assert runner.invoke(cli, ["stats", str(sites[0]), "-o", str(one)]).exit_code == 0
    result = runner.invoke(cli, ["merge", str(one), str(one), "-o", str(tmp_path / "x.stats")])
    assert result.exit_code == 1
    assert "given twice" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.stats").exists()


def test_merge_refuses_sites_with_different_rules(sites: list[Path], tmp_path: Path) -> None:
    runner = CliRunner()
    a, b = tmp_path / "a.stats", tmp_path / "b.stats"
    assert runner.invoke(cli, ["stats", str(sites[0]), "-o", str(a)]).exit_code == 0
    assert runner.invoke(cli, ["stats", str(sites[1]), "-o", str(b),
                               "--min-respondents", "6"]).exit_code == 0
    result = runner.invoke(cli, ["merge", str(a), str(b), "-o", str(tmp_path / "x.stats")])
    assert result.exit_code == 1
    assert str(b) in result.output
    assert "min_respondents" in result.output


def test_merge_of_a_file_that_is_no_stats_file(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.stats"
    bogus.write_text("hello")
    result = CliRunner().invoke(cli, ["merge", str(bogus), "-o", str(tmp_path / "x.stats")])
    assert result.exit_code == 1
    assert f"{bogus}: not a .stats file" in result.output
    assert "Traceback" not in result.output


@pytest.fixture(scope="module")
def pooled_file(sites: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pooled")
    runner = CliRunner()
    files = []
    for path in sites:
        out = folder / f"{path.stem}.stats"
        assert runner.invoke(cli, ["stats", str(path), "-o", str(out),
                                   "--min-respondents", "3"]).exit_code == 0
        files.append(str(out))
    merged = folder / "all.stats"
    assert runner.invoke(cli, ["merge", *files, "-o", str(merged)]).exit_code == 0
    return merged


def test_analyze_of_a_stats_file_prints_the_pooled_analysis(pooled_file: Path) -> None:
    result = CliRunner().invoke(cli, ["analyze", str(pooled_file), "--min-respondents", "3"])
    assert result.exit_code == 0, result.output
    assert "Pooled analysis of 2 site(s): site-0, site-1" in result.output
    assert "Not reported (sums cannot give them):" in result.output
    danish = CliRunner().invoke(cli, ["analyze", str(pooled_file), "--min-respondents", "3",
                                      "--lang", "da"])
    assert "Samlet analyse af 2 sted(er)" in danish.output


def test_analyze_of_a_stats_file_as_json(pooled_file: Path) -> None:
    import json

    from relcoord.pooled_analysis import pooled_analysis

    result = CliRunner().invoke(cli, ["analyze", str(pooled_file), "--json",
                                      "--min-respondents", "3"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    expected = pooled_analysis(read_site_statistics(pooled_file), min_respondents=3)
    assert document == json.loads(json.dumps(expected.to_mapping()))
    assert document["kind"] == "pooled analysis"
    assert "srm" in document["not_reported"]


@pytest.mark.parametrize(("options", "message"), [
    (["--compare", "a", "b"], "cannot compare waves"),
    (["--min-items", "4"], "min_items=3"),
])
def test_analyze_of_a_stats_file_refuses_what_sums_cannot_give(
        pooled_file: Path, options: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["analyze", str(pooled_file), *options])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
