"""Hostile import files: any bytes, CSV-shaped text or XLSX workbook gives a report, never a 500 or a half-import.

Files go through ``POST /api/v1/institutions/import`` as a national administrator. Every
answer is either 200 with the import report or a 4xx with the contract's error body; when the
report rejects anything, the registry is exactly as before (same institutions, same count).
SQLite only: the property is about the importer's checks, which are the same on both engines.
"""
import csv
import io
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, event, given, settings, strategies as st
from openpyxl import Workbook
from sqlalchemy import func, select

from directory.database import write_session
from directory.institutions.import_columns import column_fields
from directory.institutions.importer import ImportReport, import_institutions
from directory.institutions.models import Institution
from error_body import error_keys

SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
IMPORT_URL = "/api/v1/institutions/import"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HOSTILE = settings(max_examples=60, deadline=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                          HealthCheck.data_too_large])

KNOWN_HEADERS = [title for spec in column_fields().values() for title in spec["titles"]]
GOOD_CELLS = ["county", "municipal", "provincial", "national", "县级", "市级", "320583", "320500", "320000",
              "110000", "policy", "policy;ip", "financing，talent", "active", "已关闭", "是", "1", "",
              "苏州市中小企业公共服务中心", "昆山市中小企业服务中心", "蘇州市中小企業服務中心"]
NASTY_CELLS = ["=1+1", "+cmd|' /C calc'!A0", "-2", "@SUM(A1)", "\t=x", '"', '""quoted""', "a,b", "\r\n",
               "\x00", "\x1b[31m", "\u202e", "\ufeff", "\ud7ff", "9" * 40, "x" * 5000, "0", "-1", "１２３"]
header_cells = st.one_of(st.sampled_from(KNOWN_HEADERS), st.text(max_size=12))
text_cells = st.one_of(st.sampled_from(GOOD_CELLS + NASTY_CELLS),
                       st.text(st.characters(codec="utf-8"), max_size=40),
                       st.text(st.characters(min_codepoint=0, max_codepoint=0x1f), max_size=5))


@pytest.fixture
def admin_headers(make_admin) -> dict:
    """A national administrator's token, shared by every example of one test."""
    return make_admin("importer")


def institution_count(app) -> int:
    with app.app_context(), write_session() as session:
        return session.scalar(select(func.count()).select_from(Institution))


def post(client, headers, data: bytes, content_type: str, dry_run: bool):
    return client.post(IMPORT_URL + ("?dry_run=true" if dry_run else ""), headers=headers, data=data,
                       content_type=content_type)


def assert_report_or_clear_refusal(app, client, headers, data: bytes, content_type="text/csv",
                                   dry_run=False) -> None:
    before = institution_count(app)
    response = post(client, headers, data, content_type, dry_run)
    after = institution_count(app)
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    body = response.get_json()
    if response.status_code != 200:
        assert 400 <= response.status_code < 500
        assert set(body) == error_keys(response.status_code) and body["code"] == response.status_code
        assert after == before
        event(f"refused with {response.status_code}")
        return
    assert set(body) >= {"created", "updated", "rejected", "possible_duplicates", "applied"}
    for rejection in body["rejected"]:
        assert set(rejection) == {"row", "field", "message", "column", "message_zh"}
        assert rejection["message"] and rejection["message_zh"]
    event("rejected" if body["rejected"] else "dry run" if dry_run else "applied")
    if body["rejected"] or dry_run:
        assert not body["applied"] and after == before
    else:
        assert body["applied"] and after == before + body["created"]


def csv_bytes(rows: list[list[str]], encoding: str) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding, "replace" if encoding == "gb18030" else "surrogatepass")


@st.composite
def csv_files(draw) -> bytes:
    header = draw(st.lists(header_cells, min_size=0, max_size=8))
    width = max(len(header), 1)
    rows = draw(st.lists(st.lists(text_cells, min_size=0, max_size=width + 1), max_size=6))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
    if draw(st.booleans()):
        return csv_bytes([header, *rows], encoding)
    # Unquoted: stray quotes and separators inside cells break the shape on purpose.
    text = "\n".join(",".join(row) for row in [header, *rows])
    return text.encode(encoding, "replace" if encoding == "gb18030" else "surrogatepass")


PLACES = [("county", "320583"), ("municipal", "320500"), ("provincial", "320000"), ("national", ""),
          ("县级", "320581"), ("市级", "110000")]
names = st.text(st.characters(codec="gb18030", categories=["L", "N", "P", "Zs"]), min_size=2, max_size=30
                ).filter(lambda name: len(name.strip()) >= 2)


@st.composite
def nearly_valid_csv_files(draw) -> bytes:
    """The real header and plausible rows, some with one hostile cell: files that are often applied."""
    rows = [["name", "level", "region_code", "services", "phone", "description"]]
    for _ in range(draw(st.integers(1, 5))):
        level, region = draw(st.sampled_from(PLACES))
        row = [draw(names), level, region, draw(st.sampled_from(["policy", "ip;financing", "talent、market"])),
               draw(st.sampled_from(["", "0512-12345678"])), draw(st.sampled_from(["", "简介"]))]
        if draw(st.integers(0, 4)) == 0:
            row[draw(st.integers(0, len(row) - 1))] = draw(text_cells)
        rows.append(row)
    return csv_bytes(rows, draw(st.sampled_from(["utf-8", "gb18030"])))


xlsx_values = st.one_of(st.none(), text_cells, st.integers(-10**12, 10**12), st.floats(allow_nan=True),
                        st.booleans(), st.dates(min_value=date(1900, 3, 1)),
                        st.datetimes(min_value=datetime(1900, 3, 1)))


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        # openpyxl refuses control characters and lone surrogates in cells; Excel cannot hold them either.
        sheet.append([v.encode("utf-8", "ignore").decode().translate(CONTROL) if isinstance(v, str) else v
                      for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


CONTROL = {c: None for c in [*range(0, 9), 11, 12, *range(14, 32)]}


@st.composite
def xlsx_files(draw) -> bytes:
    header = draw(st.lists(header_cells, min_size=0, max_size=8))
    rows = draw(st.lists(st.lists(xlsx_values, max_size=len(header) + 1), max_size=5))
    return xlsx_bytes([header, *rows])


@SQLITE_ONLY
@HOSTILE
@given(data=st.binary(max_size=3000), dry_run=st.booleans())
def test_any_bytes_give_a_report(app, client, admin_headers, data, dry_run):
    assert_report_or_clear_refusal(app, client, admin_headers, data, dry_run=dry_run)


@SQLITE_ONLY
@HOSTILE
@given(data=csv_files(), dry_run=st.booleans())
def test_csv_shaped_text_gives_a_report_and_all_or_nothing(app, client, admin_headers, data, dry_run):
    assert_report_or_clear_refusal(app, client, admin_headers, data, dry_run=dry_run)


@SQLITE_ONLY
@HOSTILE
@given(data=nearly_valid_csv_files())
def test_plausible_files_are_applied_whole_or_not_at_all(app, client, admin_headers, data):
    assert_report_or_clear_refusal(app, client, admin_headers, data)


@SQLITE_ONLY
@HOSTILE
@given(data=xlsx_files(), dry_run=st.booleans())
def test_xlsx_workbooks_give_a_report_and_all_or_nothing(app, client, admin_headers, data, dry_run):
    assert_report_or_clear_refusal(app, client, admin_headers, data, XLSX_TYPE, dry_run=dry_run)


@SQLITE_ONLY
@HOSTILE
@given(data=st.one_of(st.binary(max_size=2000), csv_files(), nearly_valid_csv_files(), xlsx_files()))
def test_the_import_function_returns_a_report(app, data):
    with app.app_context(), write_session() as session, session.begin():
        before = session.scalar(select(func.count()).select_from(Institution))
        report = import_institutions(session, data=data, dry_run=False)
        session.flush()
        after = session.scalar(select(func.count()).select_from(Institution))
    assert isinstance(report, ImportReport)
    assert after == (before if report.rejected else before + report.created)

