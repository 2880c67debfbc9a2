"""Stand-in for ``directory.spreadsheets`` (Grid, GridRow) until the bounded readers land.

The lead replaces this module with ``from directory.spreadsheets import read_grid, Grid, GridRow``
at merge; only :func:`grid_from_upload` reads bytes, through the existing ``read_table``.
"""
import csv
from dataclasses import dataclass, field
from typing import NamedTuple

from directory.institutions.import_file import UnreadableFile, read_table


class GridRow(NamedTuple):
    number: int          # as the spreadsheet shows it (1-based)
    cells: list[str]     # the text a person typed; trailing empty cells trimmed


@dataclass
class Grid:
    rows: list[GridRow]
    sheet: str = ""
    sheet_names: list[str] = field(default_factory=list)


def grid_from_upload(data: bytes) -> Grid:
    """Every non-empty row of a CSV or XLSX upload, the first one included (no header assumed)."""
    first, rest = read_table(data)
    try:
        rows = [GridRow(1, first)] + [GridRow(number, cells) for number, cells in rest]
    except csv.Error as error:
        raise UnreadableFile(f"The CSV text cannot be read: {error}.") from None
    return Grid(rows=[row for row in rows if any(cell.strip() for cell in row.cells)])
