"""A place typed as an SME types it: Chinese (昆山, 蘇州, 南京 鼓楼) or pinyin and English (Kunshan,
Suzhou Gusu, Pudong New Area, Gulou, Nanjing), resolved on the real division list of seed_data."""
import csv
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from matching.geography import AmbiguousPlace, Division, Geography, resolve_place, search_places

DIVISIONS = Path(__file__).resolve().parents[2] / "seed_data" / "divisions.csv"


@pytest.fixture(scope="module")
def china() -> Geography:
    with open(DIVISIONS, encoding="utf-8", newline="") as file:
        return Geography([Division(row["code"], row["name"], row["level"], row["parent_code"] or None)
                          for row in csv.DictReader(file)])


def codes(divisions) -> list[str]:
    return [division.code for division in divisions]


@pytest.mark.parametrize("typed", [
    "Kunshan", "kunshan", "KUNSHAN", "Kun Shan", "Kunshan Shi", "kunshanshi", "Kunshan City", "昆山", "昆山市",
    "Suzhou Kunshan", "Jiangsu Suzhou Kunshan", "Kunshan, Suzhou", "江苏省苏州市昆山市", "苏州 Kunshan",
])
def test_kunshan_in_any_script_is_kunshan(china, typed):
    assert resolve_place(china, typed).code == "320583"
    assert codes(search_places(china, typed)) == ["320583"]


@pytest.mark.parametrize("typed, code", [
    ("Suzhou Gusu", "320508"), ("suzhou gusu qu", "320508"), ("Gusu District, Suzhou", "320508"),
    ("苏州 姑苏", "320508"),
    ("Pudong", "310115"), ("Pudong New Area", "310115"), ("pudongxinqu", "310115"), ("Shanghai Pudong", "310115"),
    ("Nanjing Gulou", "320106"), ("nanjing shi gulou qu", "320106"), ("Gulou District, Nanjing", "320106"),
    ("南京 Gulou", "320106"), ("南京 鼓楼", "320106"), ("Fuzhou Gulou", "350102"),
    ("Beijing Chaoyang", "110105"),   # pypinyin reads 朝阳 zhaoyang: other readings count too
    ("Hongtong", "141024"),           # 洪洞: pypinyin says hongdong
    ("Jiangsu", "320000"), ("Jiangsu Province", "320000"), ("Shaanxi", "610000"), ("Tibet", "540000"),
    ("Lüliang Shi", "141100"), ("Lvliang City", "141100"), ("Harbin", "230100"),
])
def test_pinyin_and_english_places_resolve_like_their_chinese_names(china, typed, code):
    assert resolve_place(china, typed).code == code
    assert codes(search_places(china, typed))[0] == code


@pytest.mark.parametrize("typed, expected", [
    ("Gulou", {"320106", "320302", "350102", "410204"}),    # four 鼓楼区
    ("鼓楼区", {"320106", "320302", "350102", "410204"}),
    ("Suzhou", {"320500", "341300", "620902"}),               # 苏州市, 宿州市, 肃州区: no tones
    ("Shanxi", {"140000", "610000"}),                          # 山西省; 陕西省 without the double a
])
def test_a_name_several_divisions_share_is_ambiguous(china, typed, expected):
    with pytest.raises(AmbiguousPlace) as raised:
        resolve_place(china, typed)
    assert set(codes(raised.value.candidates)) == expected
    assert set(codes(search_places(china, typed))) == expected


def test_namesakes_are_listed_bigger_first(china):
    assert codes(search_places(china, "Nanjing")) == ["320100", "350627"]        # 南京市, 南靖县
    assert codes(search_places(china, "Suzhou"))[:2] == ["320500", "341300"]     # the two prefectures


@pytest.mark.parametrize("typed", ["", "   ", "xyz", "qu", "'", "火星市", "Mars City", "😀", "\x00"])
def test_nothing_fits_gives_nothing(china, typed):
    assert resolve_place(china, typed) is None
    assert search_places(china, typed) == []


def test_codes_still_resolve(china):
    assert resolve_place(china, "320583").name == "昆山市"


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.text(max_size=60),
                 st.lists(st.sampled_from(["shi", "qu", "xian", "new", "area", "Suzhou", "Gulou", "昆山",
                                           "'", ",", " ", "ü", "Nanjing", "district"]), max_size=8).map(" ".join)))
def test_any_typed_place_answers_without_raising_anything_else(china, typed):
    try:
        found = resolve_place(china, typed)
    except AmbiguousPlace as error:
        assert len(error.candidates) > 1
    else:
        assert found is None or isinstance(found, Division)
    assert len(search_places(china, typed)) <= 8


@pytest.mark.parametrize("typed", ["昆山" * 50_000, "Kunshan " * 20_000, "a" * 100_000],
                         ids=["chinese", "pinyin", "letters"])
def test_a_huge_cell_answers_quickly(china, typed):
    import time
    search_places(china, "Kunshan")   # the spellings are worked out on the first Latin query
    start = time.perf_counter()
    try:
        resolve_place(china, typed)
    except AmbiguousPlace:
        pass
    search_places(china, typed)
    assert time.perf_counter() - start < 1
