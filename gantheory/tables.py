"""Tables as files: CSV of records and markdown of rows.

Every table the package writes (toy-lab results, snapshot metrics, Dirac-GAN behaviour) goes
through :func:`write_csv` or :func:`markdown_table`, so they share one layout.

Numeric core: standard library only.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path

__all__ = ["markdown_table", "write_csv"]


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
