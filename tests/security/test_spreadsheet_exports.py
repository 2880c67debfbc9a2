"""Downloads open safely in a spreadsheet, exactly as SECURITY.md "Formula-injection-safe exports"
says: CSV cells starting with = + - @ tab or CR get a leading ', XLSX cells are strings (never
formulas) and formula-like ones carry the quotePrefix style, their text unchanged."""
import csv
import io
import re
import zipfile

import pytest
from openpyxl import load_workbook
from pages.html_reading import csrf_token_in

from directory.tables import Table, workbook_bytes

PASSWORD = "correct-horse-battery"
HOSTILE = ['=HYPERLINK("http://evil.example","点击")', "+1+1", "-2+3", "@SUM(A1)"]
# Saved text refuses control characters, but a report cell may start with a tab. (A CR cannot
# survive in XLSX at all: XML reads it back as a line feed.)
HOSTILE_TABLE = HOSTILE + ["\t=1+1"]


def no_formulas_and_quote_prefixed(data: bytes, hostile: list[str]) -> None:
    archive = zipfile.ZipFile(io.BytesIO(data))
    for name in archive.namelist():
        if name.startswith("xl/worksheets/"):
            assert not re.search(rb"<f[ >]", archive.read(name)), f"a formula in {name}"
    book = load_workbook(io.BytesIO(data))
    cells = {cell.value: cell for sheet in book for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str)}
    for text in hostile:
        cell = cells[text]                      # the text as it was, no ' added
        assert cell.data_type == "s" and cell.quotePrefix, text
    assert not cells["江苏省"].quotePrefix      # ordinary text keeps the ordinary style


def test_a_workbook_keeps_formula_like_text_as_quote_prefixed_text():
    table = Table(name="t", title="标题", headers=["地区", "数"],
                  rows=[[text, 1] for text in HOSTILE_TABLE] + [["江苏省", -1]])
    data = workbook_bytes([table], summary=[("截至", "=today()")])
    no_formulas_and_quote_prefixed(data, HOSTILE_TABLE + ["=today()"])
    assert load_workbook(io.BytesIO(data))["标题"]["B8"].value == -1   # numbers stay numbers (sheet named by title)


@pytest.fixture
def national(app, make_admin):
    make_admin("national", password=PASSWORD)
    client = app.test_client()
    token = csrf_token_in(client.get("/admin/login").data)
    client.post("/admin/login", data={"username": "national", "password": PASSWORD, "csrf_token": token})
    return client


def test_institution_exports_are_spreadsheet_safe(national, add_institution):
    for number, text in enumerate(HOSTILE):
        add_institution(text, "provincial", "320000", description=f"{text}{number}")
    add_institution("江苏省", "provincial", "320000")
    xlsx = national.get("/admin/institutions/export.xlsx")
    assert xlsx.status_code == 200
    no_formulas_and_quote_prefixed(xlsx.data, HOSTILE)
    rows = list(csv.DictReader(io.StringIO(national.get("/admin/institutions/export.csv").get_data(as_text=True)
                                           .lstrip("\ufeff"))))
    assert sorted(row["name"] for row in rows) == sorted(["'" + text for text in HOSTILE] + ["江苏省"])
