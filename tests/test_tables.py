"""The CSV and markdown table writers."""

import csv

import pytest

from gantheory.tables import markdown_table, write_csv


def test_write_csv_keeps_the_order_of_first_appearance_and_creates_the_folder(tmp_path):
    path = write_csv([{"method": "gan", "modes": 6.5}, {"method": "r1", "kl": 0.1}],
                     tmp_path / "new" / "rows.csv")
    with path.open(newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows == [["method", "modes", "kl"], ["gan", "6.5", ""], ["r1", "", "0.1"]]
    with pytest.raises(ValueError, match="at least one row"):
        write_csv([], tmp_path / "empty.csv")


def test_markdown_table_layout_and_ragged_rows():
    text = markdown_table(["a", "b"], [[1, "x"], [2.5, None]])
    assert text.splitlines() == ["| a | b |", "|---|---|", "| 1 | x |", "| 2.5 | None |"]
    with pytest.raises(ValueError, match=r"rows\[1\] has 1 cells for 2 columns"):
        markdown_table(["a", "b"], [[1, 2], [3]])
