"""relcoord-xlsx: spreadsheets for relcoord.

- reading a workbook (format ``xlsx``): survey answers in the long or wide layout or
  relationskort arrows, with roles, named ties and invitations sheets, through the CSV
  importers' own layouts and options (:mod:`relcoord_xlsx.workbook_import`, on
  :mod:`relcoord_xlsx.sheets`);
- writing the published results as a workbook an analyst opens in Excel
  (:mod:`relcoord_xlsx.results_workbook`);
- writing workshop templates, data-entry workbooks with drop-down lists that read back
  with the importer (:mod:`relcoord_xlsx.template_workbook`).

The hooks are in :mod:`relcoord_xlsx.plugin`.
"""

__all__: list[str] = []
