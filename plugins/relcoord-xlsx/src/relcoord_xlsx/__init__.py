"""relcoord-xlsx: spreadsheets for relcoord.

- reading a workbook (format ``xlsx``): survey answers in the long or wide layout or
  relationskort arrows, with roles, named ties and invitations sheets, through the CSV
  importers' own layouts and options (`read_xlsx`, on `sheet_table`);
- writing the published results as a workbook an analyst opens in Excel
  (`write_xlsx`);
- writing workshop templates, data-entry workbooks with drop-down lists that read back
  with the importer (`write_template_workbook`).

The hooks are in `relcoord_xlsx.plugin` (`XLSX`, `XLSX_TEMPLATES`).
"""

from relcoord_xlsx.plugin import XLSX, XLSX_TEMPLATES
from relcoord_xlsx.results_workbook import write_xlsx
from relcoord_xlsx.sheets import SheetTable, sheet_table
from relcoord_xlsx.template_workbook import write_template_workbook
from relcoord_xlsx.workbook_import import read_xlsx

__all__ = ["XLSX", "XLSX_TEMPLATES", "SheetTable", "read_xlsx", "sheet_table",
           "write_template_workbook", "write_xlsx"]

__version__ = "0.1.0"
