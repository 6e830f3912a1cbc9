"""CodedColumn.text_table: one look-up per cell gives each cell's text, whether the column's
first cells hold every label (the sampled table) or not (one cell decoded per code), for all
rows or some."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from relcoord.formats.csv.coded_column import CodedColumn


@pytest.mark.parametrize("distinct", [3, 10_000])  # within the sample, and far beyond it
@pytest.mark.parametrize("subset", [False, True])
def test_text_table_decodes_every_cell(distinct: int, subset: bool) -> None:
    rng = np.random.default_rng(distinct)
    labels = np.array([f"label-{i}" for i in range(distinct)] + [""], dtype=object)
    picks = rng.integers(0, distinct + 1, size=30_000)
    cells = [None if labels[i] == "" and k % 2 else labels[i] for k, i in enumerate(picks)]
    column = CodedColumn(pl.Series(cells, dtype=pl.Categorical))
    rows = np.sort(rng.choice(len(cells), size=5_000, replace=False)) if subset else None
    codes, table, texts = column.text_table(rows)
    assert table[-1] == -1
    assert len(table) == int(codes.max()) + 2
    index = table[codes]
    assert (index >= 0).all()
    wanted = [cells[i] or "" for i in (rows if rows is not None else range(len(cells)))]
    assert [texts[i] for i in index] == wanted
    if subset:  # a text no picked cell holds is blanked
        assert set(texts) - {""} == set(wanted) - {""}
    local, same = column.texts(rows)
    assert [same[i] for i in local] == wanted
