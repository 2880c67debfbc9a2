"""Finding the header of a published list and reading its columns (no database needed)."""
import pytest

from directory.institutions.import_columns import interpret_grid, normalise_title, parse_mapping, parse_mapping_pairs
from directory.spreadsheets import Grid, GridRow
from directory.institutions.importer import ImportReport


def grid(*rows: list[str], first: int = 1) -> Grid:
    return Grid(sheet_names=[], sheet="", rows=[GridRow(number, cells) for number, cells in enumerate(rows, start=first) if cells])


def interpret(g: Grid, mapping=None):
    report = ImportReport(dry_run=True)
    return interpret_grid(None, g, report, mapping=mapping), report


@pytest.mark.parametrize("title, expected", [
    ("服务机构\n名称（必填）", "服务机构名称"), ("*名称", "名称"), ("ＥＭＡＩＬ", "email"), ("联系电话:", "联系电话"),
    ("县（市、区）", "县"), ("所在 地区 [选填]", "所在地区"), ("（必填）", "(必填)")])
def test_titles_are_compared_without_spaces_width_case_or_trailing_notes(title, expected):
    assert normalise_title(title) == expected


def test_the_header_is_found_below_title_and_note_rows_and_notes_below_are_dropped():
    table, report = interpret(grid(
        ["2023年度国家中小企业公共服务示范平台名单"],
        ["", "", "填报单位：工业和信息化部中小企业局"],
        ["序号", "平台名称", "", "所在地区", "服务内容", "备注"],
        ["1", "芜湖市中小企业公共服务平台", "", "安徽省芜湖市", "政策咨询、投融资", ""],
        ["序号", "平台名称", "", "所在地区", "服务内容", "备注"],       # the header repeated on a new page
        ["2", "苏州市中小企业公共服务中心", "", "江苏苏州", "融资对接", "复核"],
        ["3", "", "", "", "", ""],
        ["合计", "2 家"],
        ["注：排名不分先后。"],
        ["说明：服务内容以申报材料为准"]))
    assert report.rejected == []
    assert table.header_row == 3
    assert [(c.title, c.field) for c in table.columns] == [
        ("序号", None), ("平台名称", "name"), ("所在地区", "region_code"), ("服务内容", "services"), ("备注", None)]
    assert table.ignored_columns == ["序号", "备注"]
    assert [(r.number, r.values["name"]) for r in table.records] == [
        (4, "芜湖市中小企业公共服务平台"), (6, "苏州市中小企业公共服务中心")]
    assert "备注" not in table.records[1].values


def test_a_column_without_a_title_but_with_data_is_listed_by_its_letter():
    table, _ = interpret(grid(["名称", "服务内容"], ["芜湖市中小企业公共服务平台", "投融资", "多出的一格"]))
    assert table.ignored_columns == ["C"]


def test_separate_place_columns_and_two_columns_for_one_field():
    table, report = interpret(grid(["单位名称", "省份", "城市", "区县", "服务领域", "电话", "手机"],
                                   ["某平台", "江苏省", "苏州市", "昆山市", "政策咨询", "0512-1234567", "13800000000"]))
    assert report.rejected == []
    assert table.records[0].values == {"name": "某平台", "province": "江苏省", "city": "苏州市", "district": "昆山市",
                                       "services": "政策咨询", "phone": "0512-1234567"}
    assert table.ignored_columns == ["手机"]   # the first column of a field wins
    assert table.title_of("region_code") == "省份/城市/区县"


def test_missing_required_columns_are_reported_on_the_header_row_with_the_columns_kept():
    table, report = interpret(grid(["标题"], ["平台名称", "所在地区", "备注"], ["某平台", "安徽省芜湖市", ""]))
    assert [(r["row"], r["field"]) for r in report.rejected] == [(2, "services")]
    assert report.rejected[0]["message_zh"] == "缺少必需的列：服务内容。"
    assert table.records == [] and table.ignored_columns == ["备注"]


@pytest.mark.parametrize("rows, row, message", [
    ([], 1, "empty"),
    ([["名单"], ["甲", "乙"], ["1", "2"]], 1, "No header row"),
    ([["名称", "服务内容"], ["注：无"]], 2, "no institution rows"),
])
def test_files_without_a_usable_table_are_refused_clearly(rows, row, message):
    table, report = interpret(grid(*rows))
    assert table is None
    assert [(r["row"], r["field"]) for r in report.rejected] == [(row, "file")]
    assert message in report.rejected[0]["message"] and report.rejected[0]["message_zh"]


def test_an_explicit_mapping_overrides_the_synonyms_and_helps_find_the_header():
    table, report = interpret(grid(["名单"], ["平台全名", "主营", "地区"], ["某平台", "投融资", "安徽省芜湖市"]),
                              mapping={"平台全名": "name", "主营": "services", "地区": "ignore"})
    assert report.rejected == [] and table.header_row == 2
    assert table.records[0].values == {"name": "某平台", "services": "投融资"}
    assert table.mapping() == {"平台全名": "name", "主营": "services", "地区": "ignore"}


@pytest.mark.parametrize("raw", [["名称"], {"名称": "colour"}, {"名称": 1}, {"": "name"}, {"  ": "name"}])
def test_a_malformed_mapping_is_refused(raw):
    with pytest.raises(ValueError):
        parse_mapping(raw)


def test_command_line_pairs_become_a_mapping():
    assert parse_mapping_pairs(["平台名称=name", " 备注 = ignore ", "a=b=name"]) == {
        "平台名称": "name", "备注": "ignore", "a=b": "name"}
    with pytest.raises(ValueError):
        parse_mapping_pairs(["平台名称"])


def test_a_banner_merged_across_the_row_is_not_an_institution():
    # Readers fill a merged range with its text: a section heading then fills every cell.
    table, report = interpret(grid(["序号", "名称", "所在地区", "服务内容"],
                                   ["一、东部地区"] * 4,
                                   ["1", "芜湖市中小企业公共服务平台", "安徽省芜湖市", "投融资"]))
    assert report.rejected == [] and [r.number for r in table.records] == [3]
