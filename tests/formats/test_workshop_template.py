"""What a workshop template holds (relcoord.formats.workshop_template) and the ``template``
command, with a template writer registered by a test plugin: the headers are words the
CSV importers' column aliases know, groups are told apart by name, and the core command
line imports no spreadsheet library."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from relcoord.cli import cli
from relcoord.errors import InvalidInputError
from relcoord.formats.csv.columns import item_index, layout_columns, normalise
from relcoord.formats.workshop_template import (
    TEMPLATE_KINDS,
    TemplateWriter,
    WorkshopTemplate,
    answer_labels,
)
from relcoord.instruments import INSTRUMENTS
from relcoord.model import Role
from relcoord.plugins import PluginHost, PluginInfo, hookimpl
from relcoord.plugins.manager import install_host
from relcoord.settings import LANGS

ROLES = (Role("a", "Sygeplejersker", names={"en": "Nurses"}), Role("b", "Læger"))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_the_headers_are_words_the_column_aliases_know(kind: str, lang: str) -> None:
    template = WorkshopTemplate.of(kind, ROLES, lang)
    header = template.header()
    pos, problems = layout_columns(header, "t", template.fields, columns={}, constants={})
    assert problems == []
    assert [header[pos[f]] for f in template.fields] == [template.field_header(f)
                                                          for f in template.fields]
    index = item_index(template.instrument)
    assert [index[normalise(h)] for h in header[len(template.fields):]] == [
        d.key for d in template.items]


def test_labels_kinds_and_instruments() -> None:
    template = WorkshopTemplate.of("survey", ROLES, "en")
    assert template.role_labels() == ("Nurses", "Læger")
    assert template.instrument == INSTRUMENTS["rc7"]
    assert WorkshopTemplate.of("relationskort", ROLES, "da").instrument.id == "relationskort"
    assert WorkshopTemplate.of("balkort", ROLES, "da").items == ()
    frequent = INSTRUMENTS["rc7"].dimension("frequent")
    assert answer_labels(frequent, "da") == frequent.answers["da"]
    with pytest.raises(InvalidInputError, match="expected one of relationskort"):
        WorkshopTemplate.of("poster", ROLES, "da")
    with pytest.raises(InvalidInputError, match="another group's id"):
        WorkshopTemplate.of("survey", (Role("a", "b"), Role("b", "B")), "da")


class TextForms:
    @hookimpl
    def relcoord_register_template_writers(self) -> Iterable[TemplateWriter]:
        def write(template: WorkshopTemplate, path: Path) -> None:
            path.write_text("\n".join(template.header()), encoding="utf-8")

        return (TemplateWriter("txt", "Text forms", (".txt",), write),)


@pytest.fixture
def text_host() -> Iterator[PluginHost]:
    host = PluginHost(entry_points=list, environ={})
    host.register(TextForms(), PluginInfo("text-forms", "text-forms", "1.0"))
    previous = install_host(host)
    try:
        yield host
    finally:
        install_host(previous)


def test_the_template_command(tmp_path: Path, text_host: PluginHost) -> None:
    roles = tmp_path / "roles.csv"
    roles.write_text("id,name,name_en\na,Sygeplejersker,Nurses\nb,Læger,Doctors\n",
                     encoding="utf-8")
    out = tmp_path / "forms.txt"
    result = CliRunner().invoke(cli, ["template", "--roles", str(roles), "--kind", "balkort",
                                      "--lang", "en", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").splitlines()[:2] == ["Rater group", "Target group"]
    assert "template for 2 groups" in result.output
    for arguments, fragment in (
            (["--roles", str(tmp_path / "none.csv")], "cannot read the file"),
            (["--roles", str(roles), "--instrument", "nope"], "nope"),
            (["--roles", str(roles), "-o", str(tmp_path / "forms.xlsx")], ".txt")):
        command = ["template", "--kind", "survey", "-o", str(out), *arguments]
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 1, result.output
        assert fragment in result.output
        assert "Traceback" not in result.output


def test_the_core_command_line_imports_no_spreadsheet_library() -> None:
    code = ("import sys, relcoord.cli, relcoord.cli_template; "
            "assert 'openpyxl' not in sys.modules and 'docx' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
