"""Reading the published shapes: editions, change lists (dates, selectors) and hostile text."""
from datetime import date

import pytest
from hypothesis import given, strategies as st

from directory.regions.editions import UnreadableList, parse_day, read_changes, read_edition
from directory.regions.selectors import DivisionList, UnresolvedSelector, resolve
from matching.geography import Division, Geography, resolve_place, search_places

OLD = DivisionList({"320000": "江苏省", "320600": "南通市", "320602": "崇川区", "320611": "港闸区",
                    "130000": "河北省", "130500": "邢台市", "130503": "桥西区", "130100": "石家庄市", "130104": "桥西区"})
NEW = DivisionList({"320000": "江苏省", "320600": "南通市", "320613": "崇川区",
                    "130000": "河北省", "130500": "邢台市", "130503": "信都区", "130100": "石家庄市", "130104": "桥西区"})


@pytest.mark.parametrize("text, day", [
    ("日期：2023年4月3日", date(2023, 4, 3)), ("日期：2024-12-27", date(2024, 12, 27)),
    ("日期：一九八五年四月十五日", date(1985, 4, 15)), ("日期：二〇〇二年十二月三十一日", date(2002, 12, 31)),
    ("日期：2023年2月30日", None), ("日期：近日", None)])
def test_notice_dates_in_the_forms_the_lists_use(text, day):
    assert parse_day(text) == day


def test_a_change_takes_the_latest_date_of_its_notice_and_its_title():
    changes = read_changes("## 第一份通告\n# 日期：2023年6月5日\n#\n## 第二份通告\n# 日期：2023年12月27日\n"
                           "=620121 永登县>皋兰县\n## 另一份\n# 日期：2023年4月3日\n-540422 米林县>米林市\n")
    assert [(c.kind, c.code, c.day, c.notice) for c in changes.lines] == [
        ("=", "620121", date(2023, 12, 27), "第一份通告"), ("-", "540422", date(2023, 4, 3), "另一份")]


def test_selectors_of_the_spec_examples():
    merge = read_changes("-320602 崇川区>_\n-320611 港闸区>崇川区\n+320613 崇川区<_,港闸区\n").lines
    assert resolve(merge[0], own=OLD, other=NEW) == ["320613"]
    assert resolve(merge[1], own=OLD, other=NEW) == ["320613"]
    assert resolve(merge[2], own=NEW, other=OLD) == ["320602", "320611"]
    rename = read_changes("-130503 桥西区>.\n+130503 信都区<.\n").lines
    assert resolve(rename[0], own=OLD, other=NEW) == ["130503"]
    parent = read_changes("+320613 崇川区<..!\n").lines[0]
    assert resolve(parent, own=NEW, other=OLD) == ["320600"]
    doubtful = read_changes("-320611 港闸区>崇川区,通州区?\n").lines[0]
    assert resolve(doubtful, own=OLD, other=NEW) == ["320613"]


def test_an_ambiguous_name_is_settled_by_the_parent_and_an_unknown_one_refused():
    # 桥西区 exists under 石家庄市 and (before the rename) 邢台市: the parent's name decides
    line = read_changes("-130503 桥西区>桥西区\n").lines[0]
    assert resolve(line, own=OLD, other=DivisionList(OLD.names)) == ["130503"]
    with pytest.raises(UnresolvedSelector, match="names no division"):
        resolve(read_changes("-320611 港闸区>通州区\n").lines[0], own=OLD, other=NEW)


def test_an_edition_reports_every_bad_line_at_once():
    with pytest.raises(UnreadableList) as error:
        read_edition("\ufeff110000 北京市\n\n1101 短\n110000 又一个\n110101 东城区\n990101 无省\n")
    assert error.value.problems == ["line 3: expected a six-digit code, a space and a name, got '1101 短'",
                                    "line 4: code 110000 listed twice",
                                    "code 990101: its parent division 990000 is not in the list"]


def test_an_empty_edition_is_refused():
    with pytest.raises(UnreadableList, match="no divisions"):
        read_edition("\n\n")


@given(st.text(max_size=300))
def test_any_text_gives_a_list_or_a_clear_refusal(text):
    for reader in (read_edition, read_changes):
        try:
            reader(text)
        except UnreadableList as error:
            assert error.problems


def test_retired_divisions_are_never_offered_as_places():
    geography = Geography([Division("540000", "西藏自治区", "province", None),
                           Division("540400", "林芝市", "prefecture", "540000"),
                           Division("540422", "米林县", "county", "540400", retired=True),
                           Division("540481", "米林市", "county", "540400")])
    assert resolve_place(geography, "米林").code == "540481"
    assert [d.code for d in search_places(geography, "米林")] == ["540481"]
    assert geography.get("540422").name == "米林县"          # still known, for records placed there
    assert [d.code for d in geography.path("540422")] == ["540000", "540400", "540422"]
