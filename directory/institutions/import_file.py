"""The table inside an uploaded import file: CSV text or an XLSX workbook, told apart by content.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2.
"""
import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time

from openpyxl import load_workbook

from directory.csv_text import decode_csv

ZIP_MAGIC = b"PK"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"   # .xls (and other OLE2 files)


class UnreadableFile(ValueError):
    """The upload is neither a CSV file nor an XLSX workbook."""


def read_table(data: bytes) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header cells and the numbered record rows (cells as text) of a CSV or XLSX file."""
    if data.startswith(ZIP_MAGIC):
        return _read_workbook(data)
    if data.startswith(OLD_EXCEL_MAGIC):
        raise UnreadableFile("Old Excel .xls files cannot be read: save the sheet as .xlsx or CSV.")
    if b"\x00" in data:
        raise UnreadableFile("The file is neither CSV text (UTF-8 or GB 18030) nor an XLSX workbook.")
    try:
        text = decode_csv(data)
    except ValueError as error:
        raise UnreadableFile(f"{error} It is not an XLSX workbook either.") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    return next(reader, []), enumerate(reader, start=2)


def _read_workbook(data: bytes) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise UnreadableFile("The file looks like a zip archive but is not a readable XLSX workbook.") from None
    if not workbook.worksheets:
        raise UnreadableFile("The workbook has no sheet.")
    rows = workbook.worksheets[0].iter_rows(values_only=True)
    header = _trimmed([cell_text(c) for c in next(rows, ())])
    records = ((number, _trimmed([cell_text(c) for c in values])) for number, values in enumerate(rows, start=2))
    return header, records


def _trimmed(cells: list[str]) -> list[str]:
    """Without the empty cells a spreadsheet keeps at the end of formatted rows."""
    while cells and not cells[-1].strip():
        cells.pop()
    return cells


def cell_text(value) -> str:
    """A workbook cell as the text a person typed: 320583 not 320583.0, dates as ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)
