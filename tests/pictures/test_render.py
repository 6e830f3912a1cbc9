"""Every picture renders, for the example and for a 60-role study with long names, names
every role, and survives names that matplotlib could misread (``$``, control characters)."""

from __future__ import annotations

import io
from functools import cache

import attrs
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from relcoord.analysis import Analysis, analyze
from relcoord.example import load_example
from relcoord.model import Invitation, InvitationStatus, Metadata, NamedTie, Respondent, Role, Study
from relcoord.pictures import PICTURE_NAMES, render_pictures, save_picture
from relcoord.ratings import Rating
from relcoord.report import build_report

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
            ties.add(NamedTie(person.role, target))
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
def large_analysis() -> Analysis:
    return analyze(large_study())


def png_bytes(picture: Figure, dpi: int = 40) -> bytes:
    buffer = io.BytesIO()
    save_picture(picture, buffer, "png", dpi=dpi)
    return buffer.getvalue()


def texts(picture: Figure) -> list[str]:
    return [t.get_text() for t in picture.findobj(Text) if isinstance(t, Text) and t.get_text()]


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_picture_renders_for_the_example(lang: str, example_analysis: Analysis) -> None:
    analysis = example_analysis
    pictures = render_pictures(analysis, lang)
    # "change" only with a wave comparison (tests/test_report_quality.py)
    assert tuple(pictures) == tuple(n for n in PICTURE_NAMES if n != "change")
    for picture in pictures.values():
        assert png_bytes(picture).startswith(b"\x89PNG")
    # Every role is labelled in the network map, in the chosen language.
    labels = " ".join(texts(pictures["network"])).replace("\n", " ")
    for role in analysis.study.roles:
        assert role.label(lang) in labels


def test_report_refers_only_to_rendered_pictures(example_analysis: Analysis) -> None:
    analysis = example_analysis
    assert set(build_report(analysis, "da").picture_names) == set(render_pictures(analysis))


def test_every_picture_renders_for_60_roles_with_long_names() -> None:
    analysis = large_analysis()
    pictures = render_pictures(analysis, "da")
    assert set(pictures) == set(PICTURE_NAMES) - {"change"}
    for picture in pictures.values():
        assert png_bytes(picture, dpi=20).startswith(b"\x89PNG")
    # '$' in a name is shown as typed, not parsed as mathematics.
    assert any("($ og \\ i navnet)" in t.replace("\n", " ") for t in texts(pictures["network"]))


def test_control_characters_in_names_do_not_break_pictures() -> None:
    study = load_example()
    role = study.roles[0]
    renamed = attrs.evolve(role, name="Bad\x01name\x1f here", names={})
    broken = attrs.evolve(study, roles=[renamed, *study.roles[1:]])
    for picture in render_pictures(analyze(broken), "da").values():
        png_bytes(picture)
