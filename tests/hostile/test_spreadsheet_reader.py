"""read_grid on every format it accepts, and on files built to exhaust it: it answers within its limits.

No database: the reader is a plain function. Workbooks are parsed in a child process with its
own memory and CPU limits; these tests also check that the calling process stays small.
"""
import time
import tracemalloc
from datetime import date

import pytest

from directory.spreadsheets import GridRow, LimitExceeded, ReadLimits, UnreadableFile, read_grid
from spreadsheet_files import HEADER, RECORD, far_corner_xlsx, ods_of, slow_xlsx, tall_xlsx, xls_of, xlsx_of

ROWS = [HEADER, RECORD, [None, None, None, None], ["苏州市中小企业公共服务中心", "municipal", 320500, "policy;ip"]]
EXPECTED = [GridRow(1, HEADER), GridRow(2, RECORD),
            GridRow(4, ["苏州市中小企业公共服务中心", "municipal", "320500", "policy;ip"])]


@pytest.mark.parametrize("build", [xlsx_of, xls_of, ods_of], ids=["xlsx", "xls", "ods"])
def test_each_workbook_format_reads_as_the_text_a_person_typed(build):
    grid = read_grid(build(ROWS, sheets=("名录", "说明")))
    assert grid.sheet_names == ["名录", "说明"] and grid.sheet == "名录"
    assert grid.rows == EXPECTED   # 320500 not 320500.0; the empty row 3 left out, the numbering kept


@pytest.mark.parametrize("build", [xlsx_of, xls_of, ods_of], ids=["xlsx", "xls", "ods"])
def test_a_sheet_is_chosen_by_name_or_by_index(build):
    data = build(ROWS, sheets=("名录", "说明"))
    assert read_grid(data, sheet="说明").rows == [GridRow(1, ["说明"])]
    assert read_grid(data, sheet=1).sheet == "说明"
    with pytest.raises(UnreadableFile) as refused:
        read_grid(data, sheet="Sheet9")
    assert "Sheet9" in refused.value.message and "名录" in refused.value.message_zh
    assert not isinstance(refused.value, LimitExceeded)


def test_merged_ranges_are_filled_with_their_top_left_value():
    rows = [["province", "prefecture", "name"], ["江苏省", "苏州市", "甲"], [None, None, "乙"], [None, "无锡市", "丙"]]
    expected = [GridRow(1, ["province", "prefecture", "name"]), GridRow(2, ["江苏省", "苏州市", "甲"]),
                GridRow(3, ["江苏省", "苏州市", "乙"]), GridRow(4, ["江苏省", "无锡市", "丙"])]
    assert read_grid(xlsx_of(rows, merges=("A2:A4", "B2:B3"))).rows == expected
    assert read_grid(xls_of(rows, merges=((1, 3, 0, 0), (1, 2, 1, 1)))).rows == expected
    assert read_grid(ods_of(rows, spans={(1, 0): (3, 1), (1, 1): (2, 1)})).rows == expected


def test_a_title_merged_across_the_header_fills_the_whole_row():
    rows = [["2025年江苏省中小企业公共服务机构名录", None, None], ["name", "level", "services"]]
    grid = read_grid(xlsx_of(rows, merges=("A1:C1",)))
    assert grid.rows[0].cells == ["2025年江苏省中小企业公共服务机构名录"] * 3
    assert grid.rows[1] == GridRow(2, ["name", "level", "services"])


def test_dates_and_numbers_read_as_written():
    rows = [["name", "designated", "phone", "share"], ["甲", date(2024, 5, 1), 13800000000, 0.25]]
    for data in (xlsx_of(rows), xls_of(rows)):
        assert read_grid(data).rows[1].cells == ["甲", "2024-05-01", "13800000000", "0.25"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_and_in_gb18030(encoding):
    text = "名称,层级\r\n昆山市中小企业服务中心,县级\r\n\r\n,\r\n苏州市,市级,\r\n"
    grid = read_grid(text.encode(encoding))
    assert grid.rows == [GridRow(1, ["名称", "层级"]), GridRow(2, ["昆山市中小企业服务中心", "县级"]),
                         GridRow(5, ["苏州市", "市级"])]


def test_a_csv_field_over_128_kb_is_a_cell_not_an_error():
    """The csv module's own limit (131,072 characters) used to escape as a 500."""
    long = "x" * 200_000
    assert read_grid(f"name,description\n甲,{long}\n".encode()).rows[1].cells == ["甲", long]


def test_files_that_are_no_spreadsheet_are_refused_in_both_languages():
    for data in (b"PK\x03\x04" + b"\x00" * 100, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
                 b"\xff\xfe\x00\x00garbage", "名称".encode("utf-16")):
        with pytest.raises(UnreadableFile) as refused:
            read_grid(data)
        assert refused.value.message and refused.value.message_zh


def test_issue_11_tall_sheet_is_read_as_the_two_rows_it_holds():
    """<dimension ref="A1:XFD1048576"/>, header at row 1, one record at row 1048576: once ~1M × 16,384 padded cells."""
    data = tall_xlsx()
    assert len(data) < 2000
    tracemalloc.start()
    started = time.monotonic()
    grid = read_grid(data)
    elapsed = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert grid.rows == [GridRow(1, HEADER), GridRow(1048576, RECORD)]
    assert elapsed < 15 and peak < 20 * 2**20


def test_issue_11_cell_at_the_far_corner_stops_at_the_memory_limit_of_the_child():
    tracemalloc.start()
    started = time.monotonic()
    with pytest.raises(LimitExceeded) as refused:
        read_grid(far_corner_xlsx())
    assert time.monotonic() - started < 10
    assert tracemalloc.get_traced_memory()[1] < 20 * 2**20
    tracemalloc.stop()
    assert refused.value.limit == "memory"
    assert "memory" in refused.value.message and "内存" in refused.value.message_zh


def test_a_cell_far_to_the_right_passes_the_column_limit():
    data = xlsx_of([["name", "level"], ["甲", "county"] + [None] * 700 + ["far"]])
    with pytest.raises(LimitExceeded) as refused:
        read_grid(data)
    assert refused.value.limit == "columns" and "Row 2" in refused.value.message and "第 2 行" in refused.value.message_zh


def test_a_file_that_takes_long_is_stopped_at_the_wall_time_limit():
    data = slow_xlsx(60)    # 60 MB of sheet XML in a ~80 KB file
    started = time.monotonic()
    with pytest.raises(LimitExceeded) as refused:
        read_grid(data, limits=ReadLimits(seconds=0.5))
    assert refused.value.limit == "seconds" and time.monotonic() - started < 5


@pytest.mark.parametrize(("limit", "limits", "data"), [
    ("rows", ReadLimits(rows=3), "a\nb\nc\nd\n".encode()),
    ("columns", ReadLimits(columns=3), "a,b,c,d\n".encode()),
    ("cells", ReadLimits(cells=5), "a,b,c\nd,e,f\n".encode()),
    ("characters", ReadLimits(characters=10), "abcdef,ghijkl\n".encode()),
    ("bytes", ReadLimits(bytes=10), "a" * 11),
    ("rows", ReadLimits(rows=3), None),
], ids=["rows", "columns", "cells", "characters", "bytes", "workbook-rows"])
def test_every_limit_is_counted_as_read_and_named(limit, limits, data):
    if data is None:
        data = xlsx_of([[n] for n in range(10)])
    with pytest.raises(LimitExceeded) as refused:
        read_grid(data.encode() if isinstance(data, str) else data, limits=limits)
    assert refused.value.limit == limit and refused.value.message and refused.value.message_zh
