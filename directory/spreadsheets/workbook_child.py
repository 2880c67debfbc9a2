"""Parse one sheet of an XLSX, XLS or ODS workbook in a process of its own, within hard resource limits.

Run by ``workbook.py`` as ``python -I workbook_child.py OPTIONS_JSON`` with the file on stdin; it
writes one JSON value per line: the sheet names, then ``[row number, [cell text, ...]]`` for
every non-empty row (merged ranges filled with their top-left value), then ``{"end": true}``.
calamine builds a dense range from the cells' extent, so a file can claim (and make it allocate)
any size: the address-space and CPU limits set here, and the parent's wall-time kill, are what
bound it. It imports nothing from the application (stdlib and python-calamine only) so that it
starts in milliseconds.
"""
import io
import json
import math
import resource
import sys
import zipfile
from datetime import date, datetime, time, timedelta
from xml.etree.ElementTree import iterparse

ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
SHOWN_SHEET_NAMES = 20


def main() -> None:
    options = json.loads(sys.argv[1])
    _limit_resources(options["memory_bytes"], options["seconds"])
    data = sys.stdin.buffer.read()
    try:
        _read(data, options["sheet"])
    except MemoryError:
        _emit({"error": "memory"})


def _limit_resources(memory_bytes: int, seconds: float) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    cpu = math.ceil(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def _emit(value) -> None:
    sys.stdout.buffer.write(json.dumps(value, ensure_ascii=False).encode("utf-8") + b"\n")


def _unreadable(message: str, message_zh: str) -> None:
    _emit({"error": "unreadable", "message": message, "message_zh": message_zh})


def _read(data: bytes, wanted) -> None:
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError:
        return _unreadable("The workbook is protected by a password: save it without one.",
                           "表格设置了密码保护，请取消密码后重新保存。")
    except Exception as error:   # calamine's errors for every malformed part of a file
        return _unreadable(f"The workbook cannot be read ({str(error)[:200]}).",
                           f"无法读取该表格文件（{str(error)[:200]}）。")
    names = list(workbook.sheet_names)
    name = _chosen_sheet(workbook, names, wanted)
    if name is None:
        shown = "、".join(names[:SHOWN_SHEET_NAMES])
        return _unreadable(f"The workbook has no sheet {wanted!r}; its sheets: {shown}.",
                           f"表格中没有工作表 {wanted!r}；现有工作表：{shown}。")
    _emit({"sheet_names": names, "sheet": name})
    try:
        sheet = workbook.get_sheet_by_name(name)
        merges = sheet.merged_cell_ranges
        if merges is None and data.startswith(b"PK"):
            merges = _ods_merges(data, name)
    except MemoryError:
        raise
    except Exception as error:
        return _unreadable(f"Sheet {name!r} cannot be read ({str(error)[:200]}).",
                           f"无法读取工作表 {name!r}（{str(error)[:200]}）。")
    for number, cells in _rows(sheet, merges or []):
        _emit([number, cells])
    _emit({"end": True})


def _chosen_sheet(workbook, names: list[str], wanted) -> str | None:
    if wanted is None:
        from python_calamine import SheetTypeEnum, SheetVisibleEnum

        visible = [m.name for m in workbook.sheets_metadata
                   if m.typ == SheetTypeEnum.WorkSheet and m.visible == SheetVisibleEnum.Visible]
        return (visible or names or [None])[0]
    if isinstance(wanted, int):
        return names[wanted] if 0 <= wanted < len(names) else None
    return wanted if wanted in names else None


def _rows(sheet, merges: list):
    """(number, cells) of each non-empty row; merged ranges filled, trailing empty cells trimmed."""
    if sheet.start is None:
        return
    first_row, first_column = sheet.start
    last_column = first_column + sheet.width - 1
    pending = sorted(((r0, c0, r1, min(c1, last_column)) for (r0, c0), (r1, c1) in merges), reverse=True)
    active: list[tuple[int, int, int, str]] = []
    for offset, values in enumerate(sheet.iter_rows()):
        index = first_row + offset
        if not active and not (pending and pending[-1][0] <= index) and all(v == "" for v in values):
            continue
        cells = [""] * first_column + [cell_text(v) for v in values]
        while pending and pending[-1][0] <= index:
            r0, c0, r1, c1 = pending.pop()
            if r0 == index:   # a range starting above the sheet's data has no value to spread
                active.append((c0, r1, c1, cells[c0] if c0 < len(cells) else ""))
        active = [m for m in active if m[1] >= index]
        for c0, _r1, c1, value in active:
            if value:
                cells.extend([""] * (c1 + 1 - len(cells)))
                cells[c0:c1 + 1] = [value] * (c1 + 1 - c0)
        while cells and not cells[-1].strip():
            cells.pop()
        if cells:
            yield index + 1, cells


def cell_text(value) -> str:
    """A cell as the text a person typed: 320583 not 320583.0, dates as ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _ods_merges(data: bytes, sheet_name: str) -> list:
    """Merged ranges of an ODS sheet (calamine does not report them), read from content.xml as a stream."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        content = archive.open("content.xml")
    except (KeyError, zipfile.BadZipFile):
        return []
    merges, in_sheet, row, column = [], False, 0, 0
    with content:
        for event, element in iterparse(content, events=("start", "end")):
            tag = element.tag
            if tag == ODS_TABLE + "table":
                if event == "start":
                    in_sheet = element.get(ODS_TABLE + "name") == sheet_name
                    row = 0
                elif in_sheet:
                    break
            elif not in_sheet:
                if event == "end":
                    element.clear()
            elif tag == ODS_TABLE + "table-row":
                if event == "start":
                    column = 0
                else:
                    row += int(element.get(ODS_TABLE + "number-rows-repeated", "1"))
                    element.clear()
            elif tag in (ODS_TABLE + "table-cell", ODS_TABLE + "covered-table-cell") and event == "start":
                rows = int(element.get(ODS_TABLE + "number-rows-spanned", "1"))
                columns = int(element.get(ODS_TABLE + "number-columns-spanned", "1"))
                if rows > 1 or columns > 1:
                    merges.append(((row, column), (row + rows - 1, column + columns - 1)))
                column += int(element.get(ODS_TABLE + "number-columns-repeated", "1"))
    return merges


if __name__ == "__main__":
    main()
