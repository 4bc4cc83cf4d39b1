"""Tables as files: CSV of records and markdown of rows.

Every table the package writes (toy-lab results, snapshot metrics, Dirac-GAN behaviour) goes
through :func:`write_csv` or :func:`markdown_table`, so they share one layout.

Numeric core: standard library only.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path

__all__ = ["append_csv", "markdown_table", "write_csv"]


def write_csv(records: Sequence[Mapping[str, object]], path: str | Path) -> Path:
    """Write records (one dict per row) as CSV with a header; return the path.

    The columns are the keys in order of first appearance over all records; a record without
    a column leaves it empty. The parent folder is created.

    Examples
    --------
    >>> import tempfile
    >>> path = write_csv([{"a": 1, "b": 2}, {"a": 3, "c": 4}], tempfile.mkdtemp() + "/t.csv")
    >>> path.read_text().splitlines()
    ['a,b,c', '1,2,', '3,,4']
    """
    if not records:
        raise ValueError("records must hold at least one row to write a CSV table")
    columns = list(dict.fromkeys(key for record in records for key in record))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(records)
    return path


def append_csv(records: Sequence[Mapping[str, object]], path: str | Path) -> Path:
    """Append records to the CSV at ``path``, writing the header first if the file is new.

    For a log written interval by interval (an image run's ``losses.csv``): every call must
    give the columns of the first, in the same order.

    Examples
    --------
    >>> import tempfile
    >>> path = tempfile.mkdtemp() + "/log.csv"
    >>> _ = append_csv([{"step": 1, "loss": 0.5}], path)
    >>> append_csv([{"step": 2, "loss": 0.25}], path).read_text().splitlines()
    ['step,loss', '1,0.5', '2,0.25']
    """
    if not records:
        raise ValueError("records must hold at least one row to append to a CSV table")
    path = Path(path)
    columns = list(records[0])
    new = not path.exists()
    if not new:
        with path.open(newline="") as fh:
            header = next(csv.reader(fh), [])
        if header != columns:
            raise ValueError(f"the columns {columns} differ from {path}'s header {header}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        if new:
            writer.writeheader()
        writer.writerows(records)
    return path


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A markdown (GitHub) table: the header, its rule and one line per row, no final newline.

    Examples
    --------
    >>> print(markdown_table(["method", "modes"], [["gan", "6.3 ± 0.5"]]))
    | method | modes |
    |---|---|
    | gan | 6.3 ± 0.5 |
    """
    for i, row in enumerate(rows):
        if len(row) != len(header):
            raise ValueError(f"rows[{i}] has {len(row)} cells for {len(header)} columns")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
