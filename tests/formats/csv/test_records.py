"""The tables beside the ratings: roles, ties and invitations tables named by options."""

from __future__ import annotations

from pathlib import Path

from relcoord.formats.csv import read_long
from relcoord.model import NamedTie, Role

DATA = Path(__file__).resolve().parents[2] / "data" / "csv"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_roles_and_invitations_tables_combine_with_ratings(tmp_path: Path) -> None:
    invitations = write(tmp_path / "inv.csv", "fra;til;emne;status;runde\n"
                        "kui;teachers;trivsel;accepteret;c1\nteachers;kui;;;\n")
    ties = write(tmp_path / "ties.csv", "source,target\nkui,teachers\n")
    study = read_long(DATA / "good_long.csv", {"roles": str(DATA / "roles.csv"),
                                               "invitations": str(invitations),
                                               "ties": str(ties)})
    teachers = study.role("teachers")
    assert teachers == Role("teachers", "Undervisere", "school", True, {"en": "Teachers"})
    assert [(i.source, i.status, i.topic, i.wave) for i in study.invitations] == [
        ("teachers", "pending", "", None), ("kui", "accepted", "trivsel", "c1")]
    assert study.ties == (NamedTie("kui", "teachers"),)
