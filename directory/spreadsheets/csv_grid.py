"""CSV text as a grid: UTF-8 (with or without BOM) or GB 18030, read row by row within limits."""
import csv
import io

from directory.csv_text import decode_csv
from directory.spreadsheets.grid import Grid, ReadLimits, Tally, UnreadableFile, trimmed

CHECK_TIME_EVERY = 1000   # rows


def read_csv_grid(data: bytes, limits: ReadLimits) -> Grid:
    """The non-empty rows of a CSV file, numbered as a spreadsheet program would show them."""
    if b"\x00" in data:
        raise UnreadableFile("The file is neither CSV text (UTF-8 or GB 18030) nor an XLSX, XLS or ODS workbook.",
                             "文件既不是 CSV 文本（UTF-8 或 GB 18030），也不是 XLSX、XLS 或 ODS 表格。")
    try:
        text = decode_csv(data)
    except ValueError:
        raise UnreadableFile("The file is neither UTF-8 nor GB 18030 text, nor an XLSX, XLS or ODS workbook.",
                             "文件既不是 UTF-8 或 GB 18030 编码的文本，也不是 XLSX、XLS 或 ODS 表格。") from None
    # The csv module refuses fields over 128 KB; a field can be no longer than the file itself,
    # and the file's size is already bounded, so the cell reaches the checks that name its column.
    csv.field_size_limit(max(csv.field_size_limit(), limits.bytes))
    tally = Tally(limits)
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    try:
        for number, values in enumerate(reader, start=1):
            if number % CHECK_TIME_EVERY == 0:
                tally.check_time()
            cells = trimmed(values)
            if cells:
                rows.append(tally.add(number, cells))
    except csv.Error as error:
        raise UnreadableFile(f"Row {number + 1}: the CSV text cannot be read ({error}).",
                             f"第 {number + 1} 行：无法读取 CSV 文本（{error}）。") from None
    return Grid(sheet_names=[], sheet="", rows=rows)
