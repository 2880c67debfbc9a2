"""Spreadsheet files built for the tests: the exact hostile files of issue 11 (written by hand with
``zipfile``), ordinary XLSX, XLS and ODS workbooks (openpyxl, xlwt, odfpy), and a slow one."""
import io
import zipfile
from datetime import date
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PARTS = {
    "[Content_Types].xml":
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels":
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument"/></Relationships>',
    "xl/workbook.xml":
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{MAIN}" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels":
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/worksheet"/></Relationships>',
}
HEADER = ["name", "level", "region_code", "services"]
RECORD = ["昆山市中小企业服务中心", "county", "320583", "policy"]


def _cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def _row(number: int, cells: dict[str, str]) -> str:
    return f'<row r="{number}">' + "".join(_cell(f"{col}{number}", text) for col, text in cells.items()) + "</row>"


def xlsx_by_hand(rows: str, *, dimension: str = "A1:XFD1048576") -> bytes:
    """A one-sheet workbook whose sheet XML holds ``rows`` (``<row>`` elements) under ``<dimension>``."""
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN}">'
             f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (PARTS | {"xl/worksheets/sheet1.xml": sheet}).items():
            archive.writestr(name, text)
    return out.getvalue()


def header_cells() -> dict[str, str]:
    return dict(zip("ABCD", HEADER))


def tall_xlsx() -> bytes:
    """Issue 11's file: ``<dimension ref="A1:XFD1048576"/>``, the header at row 1, one record at row 1048576."""
    return xlsx_by_hand(_row(1, header_cells()) + _row(1048576, dict(zip("ABCD", RECORD))))


def far_corner_xlsx() -> bytes:
    """The variant with a cell at XFD1048576 (the sheet's last column of its last row)."""
    return xlsx_by_hand(_row(1, header_cells()) + _row(1048576, {"XFD": "x"}))


def slow_xlsx(megabytes: int = 150) -> bytes:
    """A small file whose sheet XML inflates to ``megabytes`` MB of empty cells: long to parse, little to keep."""
    row = "<row>" + "<c/>" * 2000 + "</row>"
    block = (row * (1024 * 1024 // len(row) + 1)).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'.encode())
            for _ in range(megabytes):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def xlsx_of(rows: list[list], *, merges: tuple[str, ...] = (), sheets: tuple[str, ...] = ("名录",)) -> bytes:
    """An XLSX workbook (openpyxl) whose first sheet holds ``rows``; ``merges`` like ``"A3:B4"``."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = sheets[0]
    for name in sheets[1:]:
        workbook.create_sheet(name)["A1"] = name
    for row in rows:
        workbook.active.append(row)
    for merged in merges:
        workbook.active.merge_cells(merged)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xls_of(rows: list[list], *, merges: tuple[tuple[int, int, int, int], ...] = (),
           sheets: tuple[str, ...] = ("名录",)) -> bytes:
    """An XLS (BIFF8) workbook (xlwt); ``merges`` as (first row, last row, first column, last column), from 0."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(sheets[0])
    merged_cells = {(r, c) for r0, r1, c0, c1 in merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or ((r, c) in merged_cells and not any((r, c) == (m[0], m[2]) for m in merges)):
                continue
            if isinstance(value, date):
                sheet.write(r, c, value, xlwt.easyxf(num_format_str="YYYY-MM-DD"))
            elif (r, c) in {(m[0], m[2]) for m in merges}:
                r0, r1, c0, c1 = next(m for m in merges if (m[0], m[2]) == (r, c))
                sheet.write_merge(r0, r1, c0, c1, value)
            else:
                sheet.write(r, c, value)
    for name in sheets[1:]:
        book.add_sheet(name).write(0, 0, name)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ods_of(rows: list[list], *, spans: dict[tuple[int, int], tuple[int, int]] | None = None,
           sheets: tuple[str, ...] = ("名录",)) -> bytes:
    """An ODS workbook (odfpy); ``spans`` maps a cell (row, column) from 0 to the (rows, columns) it covers."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    spans = spans or {}
    covered = {(r, c) for (r0, c0), (nr, nc) in spans.items() for r in range(r0, r0 + nr)
               for c in range(c0, c0 + nc)} - set(spans)
    document = OpenDocumentSpreadsheet()
    table = Table(name=sheets[0])
    for r, row in enumerate(rows):
        element = TableRow()
        for c, value in enumerate(row):
            if (r, c) in covered:
                element.addElement(CoveredTableCell())
                continue
            extra = {}
            if (r, c) in spans:
                extra = {"numberrowsspanned": spans[r, c][0], "numbercolumnsspanned": spans[r, c][1]}
            if isinstance(value, (int, float)):
                cell = TableCell(valuetype="float", value=value, **extra)
            else:
                cell = TableCell(valuetype="string", **extra)
            if value is not None:
                cell.addElement(P(text=str(value)))
            element.addElement(cell)
        table.addElement(element)
    document.spreadsheet.addElement(table)
    for name in sheets[1:]:
        other, row, cell = Table(name=name), TableRow(), TableCell(valuetype="string")
        cell.addElement(P(text=name))
        row.addElement(cell)
        other.addElement(row)
        document.spreadsheet.addElement(other)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()
