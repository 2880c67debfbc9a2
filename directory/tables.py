"""Tables as downloads: one CSV per table, or every table in one XLSX workbook (statistics, institution lists).

Both are safe to open in a spreadsheet. CSV: text cells that start like a formula (``=``, ``+``,
``-``, ``@``, tab, carriage return) get a leading ``'`` (``safe_cell``). XLSX: numbers are typed
numbers and everything else a plain string cell, never a formula (``"=1+1"`` is stored as that
text); string cells that start like a formula also carry the ``quotePrefix`` style — the
workbook's own form of the leading apostrophe — so they stay text even when someone edits them.
The text itself is kept as it was (no ``'`` added).
"""
import csv
import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from directory.csv_text import FORMULA_STARTS, safe_cell

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Table:
    """A named table of the report: ``name`` is its file / sheet name, ``title`` shown to people."""

    name: str
    title: str
    headers: list[str]
    rows: list[list]


def table_csv(table: Table) -> str:
    """The table as CSV text with a BOM, so that Excel reads the Chinese as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([value if isinstance(value, (int, float)) else safe_cell(value) for value in row])
    return "\ufeff" + out.getvalue()


def workbook_bytes(tables: list[Table], *, summary: list[tuple[str, str]]) -> bytes:
    """Every table on a sheet of its own, after a summary sheet of (label, value) lines."""
    book = Workbook()
    first = book.active
    first.title = "summary"
    for label, value in summary:
        _append(first, [label, value])
    first.column_dimensions["A"].width = 36
    first.column_dimensions["B"].width = 48
    for table in tables:
        sheet = book.create_sheet(table.name[:31])
        _append(sheet, [table.title])
        sheet["A1"].font = Font(bold=True)
        _append(sheet, table.headers)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            _append(sheet, row)
        for column in range(1, len(table.headers) + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 16
        sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _append(sheet, values: list) -> None:
    sheet.append([None if v is None else v if isinstance(v, (int, float)) else str(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = TYPE_STRING   # "=1+1" stays text, never a formula
            if cell.value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True    # and stays text when the cell is edited
