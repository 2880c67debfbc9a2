"""Statistics downloads open safely in a spreadsheet: no cell runs as a formula."""
import csv
import io

from openpyxl import load_workbook

from directory.statistics.exports import Table, table_csv, workbook_bytes

HOSTILE = Table(name="provinces", title="各省覆盖率", headers=["地区", "覆盖率", "机构数"],
                rows=[["=HYPERLINK(\"http://evil.example\")", 0.5, 3], ["+1+1", 1.0, 0], ["江苏省", 0.75, 12]])


def test_csv_quotes_formula_starts_and_keeps_numbers():
    text = table_csv(HOSTILE)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["地区", "覆盖率", "机构数"]
    assert rows[1][0].startswith("'=") and rows[2][0] == "'+1+1"
    assert rows[3] == ["江苏省", "0.75", "12"]


def test_workbook_has_a_summary_and_a_sheet_per_table_with_text_not_formulas():
    book = load_workbook(io.BytesIO(workbook_bytes([HOSTILE], summary=[("截至", "2026-11-22")])))
    assert book.sheetnames == ["summary", "provinces"]
    sheet = book["provinces"]
    assert sheet["A1"].value == "各省覆盖率"
    assert [c.value for c in sheet[2]] == ["地区", "覆盖率", "机构数"]
    assert sheet["A3"].data_type == "s" and sheet["A3"].value.startswith("=HYPERLINK")
    assert sheet["B5"].value == 0.75 and sheet["C5"].value == 12
