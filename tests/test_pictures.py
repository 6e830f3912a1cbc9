"""The pictures: each renders for the example and for a 60-role study with long names, shows
what it claims (arrow colours, absent roles, values), and the exporter writes PNG and SVG
deterministically."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch
from matplotlib.text import Text

from relcoord.analysis import Analysis, analyze
from relcoord.errors import InvalidInputError
from relcoord.example import load_example
from relcoord.model import Invitation, InvitationStatus, Metadata, Respondent, Role, Study, Tie
from relcoord.pictures import (
    BAND_COLOURS,
    PICTURE_NAMES,
    heat_map,
    network_map,
    render_pictures,
    save_picture,
)
from relcoord.plugins import PluginHost
from relcoord.ratings import Rating
from relcoord.report import build_report
from relcoord.testing import assert_same_output

_LONG_NAMES = (
    "Pædagogisk-psykologisk rådgivning og specialundervisning",
    "Ungdommens Uddannelsesvejledning i kommunen",
    "Specialpædagogisk støtte (SPS) og vejledning på erhvervsskolen",
    "Sundhedsplejerske, skolelæge og sundhedsfaglige medarbejdere",
    "Misbrugsbehandling for unge under 25 år ($ og \\ i navnet)",
    "Erhvervsgrunduddannelsens koordinator",
)
_RC7 = ("frequent", "timely", "accurate", "problem_solving", "shared_goals",
        "shared_knowledge", "mutual_respect")


def large_study(n_roles: int = 60, seed: int = 5) -> Study:
    """A generated study: ``n_roles`` roles with long Danish names in three organisations,
    a quarter of them absent, two respondents per present role rating six roles each on
    the RC7 items, the arrows those ratings imply, and 40 invitations."""
    rng = np.random.default_rng(seed)
    organisations = ("school", "municipality", "region")
    roles = [
        Role(id=f"role-{i:02d}", name=f"{_LONG_NAMES[i % len(_LONG_NAMES)]} nr. {i}",
             organisation=organisations[i % 3], present=i % 4 != 3,
             names={"en": f"A long English name for role number {i} of the study"})
        for i in range(n_roles)
    ]
    present = [r.id for r in roles if r.present]
    respondents = [Respondent(f"p-{r}-{k}", r) for r in present for k in range(2)]
    ratings, ties = [], set()
    for person in respondents:
        for index in rng.choice(n_roles, size=6, replace=False):
            target = roles[int(index)].id
            if target == person.role:
                continue
            scores = {k: float(rng.integers(1, 6)) for k in _RC7}
            ratings.append(Rating(source=person.role, target=target, scores=scores,
                                  respondent=person.id))
            ties.add(Tie(person.role, target))
    statuses: tuple[InvitationStatus, ...] = ("pending", "accepted", "declined", "held")
    invitations = [
        Invitation(present[int(a)], roles[int(b)].id, "dialog", statuses[int(s)])
        for a, b, s in zip(rng.integers(0, len(present), 40), rng.integers(0, n_roles, 40),
                           rng.integers(0, 4, 40), strict=True)
        if present[int(a)] != roles[int(b)].id
    ]
    return Study(metadata=Metadata(id="large", title="En stor undersøgelse"),
                 instrument="rc7", roles=roles, respondents=respondents, ties=ties,
                 ratings=ratings, invitations=invitations)


@cache
def example_analysis() -> Analysis:
    return analyze(load_example())


@cache
def large_analysis() -> Analysis:
    return analyze(large_study())


def png_bytes(picture: Figure, dpi: int = 40) -> bytes:
    buffer = io.BytesIO()
    save_picture(picture, buffer, "png", dpi=dpi)
    return buffer.getvalue()


def hex_colour(colour: Any) -> str:
    """A matplotlib colour (RGBA array or tuple) as ``#rrggbb``."""
    r, g, b = (float(c) for c in list(colour)[:3])
    return str(to_hex((r, g, b)))


def texts(picture: Figure) -> list[str]:
    return [t.get_text() for t in picture.findobj(Text) if isinstance(t, Text) and t.get_text()]


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_picture_renders_for_the_example(lang: str) -> None:
    analysis = example_analysis()
    pictures = render_pictures(analysis, lang)
    # "change" only with a wave comparison (tests/test_report_quality.py)
    assert tuple(pictures) == tuple(n for n in PICTURE_NAMES if n != "change")
    for picture in pictures.values():
        assert png_bytes(picture).startswith(b"\x89PNG")
    # Every role is labelled in the network map, in the chosen language.
    labels = " ".join(texts(pictures["network"])).replace("\n", " ")
    for role in analysis.study.roles:
        assert role.label(lang) in labels


def test_report_refers_only_to_rendered_pictures() -> None:
    analysis = example_analysis()
    assert set(build_report(analysis, "da").picture_names) == set(render_pictures(analysis))


def test_every_picture_renders_for_60_roles_with_long_names() -> None:
    analysis = large_analysis()
    pictures = render_pictures(analysis, "da")
    assert set(pictures) == set(PICTURE_NAMES) - {"change"}
    for picture in pictures.values():
        assert png_bytes(picture, dpi=20).startswith(b"\x89PNG")
    # '$' in a name is shown as typed, not parsed as mathematics.
    assert any("($ og \\ i navnet)" in t.replace("\n", " ") for t in texts(pictures["network"]))


def test_network_arrows_are_coloured_by_band() -> None:
    analysis = example_analysis()
    picture = network_map(analysis, "en")
    arrows = [p for p in picture.axes[0].patches if isinstance(p, FancyArrowPatch)]
    arrow_pairs = {(t.source, t.target) for t in analysis.study.ties if t.source != t.target}
    assert len(arrows) == len(arrow_pairs)
    bands = {(t.source, t.target): t.band for t in analysis.scores.ties}
    expected = sum(1 for pair in arrow_pairs if bands.get(pair) == "weak")
    weak = [a for a in arrows if hex_colour(a.get_edgecolor()) == BAND_COLOURS["weak"].lower()]
    assert len(weak) == expected > 0


def test_absent_roles_are_hollow() -> None:
    analysis = example_analysis()
    picture = network_map(analysis, "en")
    nodes = [c for c in picture.axes[0].collections if isinstance(c, PathCollection)]
    hollow = [c for c in nodes if hex_colour(c.get_facecolor()[0]) == "#ffffff"]
    assert len(nodes) == len(analysis.study.roles)
    assert len(hollow) == sum(1 for r in analysis.study.roles if not r.present) > 0


def test_node_area_grows_with_arrows_in() -> None:
    analysis = example_analysis()
    picture = network_map(analysis, "en")
    sizes = [float(c.get_sizes()[0]) for c in picture.axes[0].collections
             if isinstance(c, PathCollection)]
    degrees = [r.in_degree for r in analysis.roles]
    top = max(degrees)
    assert sizes.count(max(sizes)) == degrees.count(top)
    assert sizes.count(min(sizes)) == degrees.count(0)
    assert max(sizes) > min(sizes)


def test_heat_map_writes_each_value() -> None:
    analysis = example_analysis()
    picture = heat_map(analysis, "da")
    cells = [t.get_text() for t in picture.axes[0].texts]
    rated = [t for t in analysis.scores.ties if t.rc is not None]
    withheld = [t for t in analysis.scores.ties if t.suppressed]
    assert len(cells) == len(rated) + len(withheld)
    assert cells.count("–") == len(withheld)
    assert f"{rated[0].rc:.1f}".replace(".", ",") in cells


def test_control_characters_in_names_do_not_break_pictures() -> None:
    study = load_example()
    role = study.roles[0]
    renamed = attrs.evolve(role, name="Bad\x01name\x1f here", names={})
    broken = attrs.evolve(study, roles=[renamed, *study.roles[1:]])
    for picture in render_pictures(analyze(broken), "da").values():
        png_bytes(picture)


def test_exporter_writes_png_and_svg_the_same_each_time(tmp_path: Path) -> None:
    analysis = example_analysis()
    host = PluginHost(entry_points=list)
    for name in ("first", "second"):
        host.write(analysis.study, tmp_path / name, format="figures", analysis=analysis,
                   options={"dpi": "72", "lang": "en"})
    names = sorted(p.name for p in (tmp_path / "first").iterdir())
    assert names == sorted(f"{n}.{k}" for n in PICTURE_NAMES if n != "change"
                           for k in ("png", "svg"))
    assert (tmp_path / "first" / "network.png").read_bytes().startswith(b"\x89PNG")
    root = ET.parse(tmp_path / "first" / "heatmap.svg").getroot()
    assert root.tag.endswith("svg")
    assert_same_output(tmp_path / "first", tmp_path / "second")
    svg = (tmp_path / "first" / "network.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg


def test_exporter_options_are_checked(tmp_path: Path) -> None:
    analysis = example_analysis()
    host = PluginHost(entry_points=list)
    with pytest.raises(InvalidInputError, match="gif"):
        host.write(analysis.study, tmp_path / "f", format="figures", analysis=analysis,
                   options={"formats": "gif"})
    with pytest.raises(InvalidInputError, match="lang"):
        host.write(analysis.study, tmp_path / "f", format="figures", analysis=analysis,
                   options={"lang": "fr"})
    with pytest.raises(InvalidInputError, match="dpi"):
        host.write(analysis.study, tmp_path / "f", format="figures", analysis=analysis,
                   options={"dpi": "9000"})
    assert not (tmp_path / "f").exists()
