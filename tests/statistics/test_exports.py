"""Statistics downloads open safely in a spreadsheet: no cell runs as a formula."""
import csv
import io

from openpyxl import load_workbook

from directory.tables import PERCENT_FORMAT, Table, percent, sheet_name, table_csv, workbook_bytes

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
    book = load_workbook(io.BytesIO(workbook_bytes([HOSTILE], summary=[("截至", "2026-11-22")], summary_title="概况")))
    assert book.sheetnames == ["概况", "各省覆盖率"]
    sheet = book["各省覆盖率"]
    assert sheet["A1"].value == "各省覆盖率"
    assert [c.value for c in sheet[2]] == ["地区", "覆盖率", "机构数"]
    assert sheet["A3"].data_type == "s" and sheet["A3"].value.startswith("=HYPERLINK")
    assert sheet["B5"].value == 0.75 and sheet["C5"].value == 12


def test_rates_are_numbers_shown_as_percentages_and_counts_are_numbers():
    table = Table(name="levels", title="各层级覆盖率", headers=["层级", "覆盖率", "机构数"],
                  rows=[["省级", percent(0.82581), 12], ["县级", percent(None), 0]])
    book = load_workbook(io.BytesIO(workbook_bytes([table], summary=[("运营中机构", 1740), ("覆盖率", percent(0.5))],
                                                   summary_title="概况")))
    summary = book["概况"]
    assert summary["B1"].value == 1740 and summary["B1"].data_type == "n"
    assert summary["B2"].value == 0.5 and summary["B2"].number_format == PERCENT_FORMAT
    sheet = book["各层级覆盖率"]
    assert sheet["B3"].value == 0.8258 and sheet["B3"].data_type == "n" and sheet["B3"].number_format == PERCENT_FORMAT
    assert sheet["C3"].value == 12 and sheet["C3"].number_format == "General"
    assert sheet["B4"].value is None                     # nothing to divide: an empty cell, not 0 %
    assert table_csv(table).splitlines()[1] == "省级,0.8258,12"


def test_sheet_names_are_titles_made_safe_and_unique():
    assert sheet_name("服务盲区：法律服务", set()) == "服务盲区：法律服务"        # the full-width colon is allowed
    assert sheet_name("Service blind spots: Legal services", set()) == "Service blind spots Legal servi"
    assert sheet_name("a[b]c*d?e/f\\g", set()) == "a b c d e f g"
    long = "Institutions in operation per service category"
    first = sheet_name(long, set())
    second = sheet_name(long, {first})
    assert len(first) == len(second) == 31 and first != second and second.endswith("(2)")
    assert sheet_name("", set()) == "Sheet"
