"""The hook implementations: the ``xlsx`` format and the ``.xlsx`` workshop templates.

The entry point ``xlsx = "relcoord_xlsx.plugin"`` in the group ``relcoord`` (see
``pyproject.toml``) points here.

- ``relcoord validate survey.xlsx``, ``relcoord convert survey.xlsx -o study.json``:
  the importer (`relcoord_xlsx.workbook_import.read_xlsx`);
- ``relcoord export study.json -o results.xlsx``: the results workbook
  (`relcoord_xlsx.results_workbook.write_xlsx`), published results like the CSV
  folder (``carries="both"``: results and the study's facts, no answers);
- ``relcoord template --roles roles.csv --kind survey -o workshop.xlsx``: the data-entry
  workbook (`relcoord_xlsx.template_workbook.write_template_workbook`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from relcoord.formats import Format
from relcoord.formats.workshop_template import TemplateWriter
from relcoord.plugins import hookimpl
from relcoord_xlsx.results_workbook import XLSX_WRITE_OPTIONS, write_xlsx
from relcoord_xlsx.template_workbook import write_template_workbook
from relcoord_xlsx.workbook_import import XLSX_READ_OPTIONS, read_xlsx

__all__ = ["XLSX", "XLSX_TEMPLATES", "relcoord_register_exporters",
           "relcoord_register_importers", "relcoord_register_template_writers"]

_MEDIA_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: Workbooks: survey answers, arrows and side sheets in; published results out.
XLSX: Final = Format(
    id="xlsx", title="Excel workbook", extensions=(".xlsx",), media_type=_MEDIA_TYPE,
    carries="both", read=read_xlsx, write=write_xlsx, read_options=XLSX_READ_OPTIONS,
    write_options=XLSX_WRITE_OPTIONS,
    description="Reads survey answers (long or wide layout) or relationskort arrows from a "
    "sheet, with roles, ties, invitations and study sheets, as the CSV importers read "
    "them; writes the published results (findings, tie matrix coloured by band, function "
    "groups, rated ties, reliability, method) and the study's facts, no answers.",
)
#: Workshop templates as data-entry workbooks.
XLSX_TEMPLATES: Final = TemplateWriter(
    id="xlsx", title="Data-entry workbook (Excel)", extensions=(".xlsx",),
    write=write_template_workbook)


@hookimpl
def relcoord_register_importers() -> Iterable[Format]:
    """The workbook importer."""
    return (XLSX,)


@hookimpl
def relcoord_register_exporters() -> Iterable[Format]:
    """The results workbook."""
    return (XLSX,)


@hookimpl
def relcoord_register_template_writers() -> Iterable[TemplateWriter]:
    """The data-entry workbook of a workshop."""
    return (XLSX_TEMPLATES,)
