r"""Tables as downloads: one CSV per table, or every table in one XLSX workbook (statistics, institution lists).

Both are safe to open in a spreadsheet. CSV: text cells that start like a formula (``=``, ``+``,
``-``, ``@``, tab, carriage return) get a leading ``'`` (``safe_cell``). XLSX: numbers are typed
numbers and everything else a plain string cell, never a formula (``"=1+1"`` is stored as that
text); string cells that start like a formula also carry the ``quotePrefix`` style — the
workbook's own form of the leading apostrophe — so they stay text even when someone edits them.
The text itself is kept as it was (no ``'`` added).

Rates are ``Percent`` numbers: fractions in the CSV (0.8258), numbers shown as percentages in the
workbook (82.6 %, still 0.8258 to a formula). Sheets are named after the tables' titles, in the
visitor's language, made safe for a sheet name (≤ 31 characters, none of ``[]:*?/\``).
"""
import csv
import io
import re
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from directory.csv_text import FORMULA_STARTS, safe_cell

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT_FORMAT = "0.0%"
SHEET_NAME_LENGTH = 31
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


class Percent(float):
    """A rate (0–1) that a spreadsheet shows as a percentage."""


def percent(rate: float | None, digits: int = 4) -> "Percent | None":
    """``rate`` as a ``Percent`` rounded to ``digits`` (None stays None: nothing to divide)."""
    return None if rate is None else Percent(round(rate, digits))


def sheet_name(title: str, taken: set[str]) -> str:
    """``title`` as a sheet name: forbidden characters replaced, ≤ 31 characters, not in ``taken``."""
    name = _NOT_IN_SHEET_NAMES.sub(" ", title).strip(" '") or "Sheet"
    name = re.sub(r"\s+", " ", name)[:SHEET_NAME_LENGTH].strip()
    candidate, n = name, 2
    while candidate.lower() in {t.lower() for t in taken}:
        suffix = f" ({n})"
        candidate, n = name[:SHEET_NAME_LENGTH - len(suffix)].strip() + suffix, n + 1
    return candidate


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


def workbook_bytes(tables: list[Table], *, summary: list[tuple[str, object]], summary_title: str = "概况") -> bytes:
    """Every table on a sheet of its own (named after its title), after a summary sheet of
    (label, value) lines."""
    book = Workbook()
    first = book.active
    first.title = sheet_name(summary_title, set())
    taken = {first.title}
    for row, (label, value) in enumerate(summary, start=1):
        _write_row(first, row, [label, value])
    first.column_dimensions["A"].width = 36
    first.column_dimensions["B"].width = 48
    for table in tables:
        sheet = book.create_sheet(sheet_name(table.title, taken))
        taken.add(sheet.title)
        _write_row(sheet, 1, [table.title])
        sheet["A1"].font = Font(bold=True)
        _write_row(sheet, 2, table.headers)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row, values in enumerate(table.rows, start=3):
            _write_row(sheet, row, values)
        for column in range(1, len(table.headers) + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 16
        sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_row(sheet, row: int, values: list) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        if value is None:
            continue
        if isinstance(value, (int, float)):
            cell.value = value
            if isinstance(value, Percent):
                cell.number_format = PERCENT_FORMAT
            continue
        cell.value = str(value)
        cell.data_type = TYPE_STRING   # "=1+1" stays text, never a formula
        if cell.value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True    # and stays text when the cell is edited
