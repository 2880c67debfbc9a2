"""read_grid: any import file (CSV, XLSX, XLS, ODS), told apart by content, as a grid of text cells."""
import io
import zipfile

from directory.spreadsheets.csv_grid import read_csv_grid
from directory.spreadsheets.grid import Grid, ReadLimits, UnreadableFile, limit_exceeded
from directory.spreadsheets.workbook import read_workbook_grid

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # .xls (BIFF inside an OLE2 compound file)
WORKBOOK_PARTS = ("xl/workbook.xml", "xl/workbook.bin", "content.xml")   # XLSX, XLSB, ODS


def read_grid(data: bytes, *, sheet: str | int | None = None, limits: ReadLimits = ReadLimits()) -> Grid:
    """The non-empty rows of one sheet (default: the first visible one; an int counts from 0).

    Raises ``UnreadableFile``, or its subclass ``LimitExceeded`` when the file passes a limit.
    """
    if len(data) > limits.bytes:
        raise limit_exceeded("bytes", limits)
    if data.startswith(ZIP_MAGIC):
        _check_workbook_archive(data)
        return read_workbook_grid(data, sheet=sheet, limits=limits)
    if data.startswith(OLE2_MAGIC):
        return read_workbook_grid(data, sheet=sheet, limits=limits)
    return read_csv_grid(data, limits)


def _check_workbook_archive(data: bytes) -> None:
    """A zip archive must be a workbook; only its directory is read here."""
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        names = set()
    if not names.intersection(WORKBOOK_PARTS):
        raise UnreadableFile("The file is a zip archive but not an XLSX or ODS workbook.",
                             "文件是压缩包，但不是 XLSX 或 ODS 表格。")
