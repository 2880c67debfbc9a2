"""Reading places written as words against the division tree: never a guess."""
import csv
from pathlib import Path

import pytest

from directory.institutions.import_places import PlaceNotFound, PlaceReader
from matching.geography import AmbiguousPlace, Division, Geography

DIVISIONS = Path(__file__).parents[2] / "seed_data" / "divisions.csv"


@pytest.fixture(scope="module")
def places() -> PlaceReader:
    with DIVISIONS.open(encoding="utf-8") as file:
        return PlaceReader(Geography([Division(r["code"], r["name"], r["level"], r["parent_code"] or None)
                                      for r in csv.DictReader(file)]))


@pytest.mark.parametrize("text, code", [
    ("安徽省芜湖市", "340200"), ("安徽芜湖", "340200"), ("安徽省 芜湖市", "340200"), ("江苏苏州昆山", "320583"),
    ("江苏省 苏州市 昆山市", "320583"), ("江苏/苏州/昆山", "320583"), ("320583", "320583"), ("昆山", "320583"),
    ("南京市鼓楼区", "320106"), ("南京 鼓楼", "320106"), ("北京市", "110000"), ("北京市朝阳区", "110105"),
    ("北京市市辖区朝阳区", "110105"), ("吉林市", "220200"), ("廣東省深圳市", "440300"), ("广西南宁", "450100"),
    ("中国江苏省南京市", "320100"), ("上海浦东", "310115"), ("天津滨海", "120116"),
])
def test_a_place_written_in_any_usual_form_is_read(places, text, code):
    assert places.read(text).code == code


@pytest.mark.parametrize("text", ["", "全国", "  "])
def test_no_place_means_national(places, text):
    assert places.read(text) is None


@pytest.mark.parametrize("text, codes", [
    ("鼓楼区", {"320106", "320302", "350102", "410204"}), ("朝阳区", {"110105", "220104"}), ("吉林", {"220000", "220200"}),
])
def test_a_name_several_divisions_share_is_ambiguous_and_lists_them(places, text, codes):
    with pytest.raises(AmbiguousPlace) as raised:
        places.read(text)
    assert {d.code for d in raised.value.candidates} == codes


@pytest.mark.parametrize("text", ["火星市", "昆删", "999999", "12", "浙江省苏州市", "湖北省武汉市东湖新技术开发区", "苏州市昆山市江苏省"])
def test_an_unknown_or_inconsistent_place_is_not_guessed(places, text):
    with pytest.raises(PlaceNotFound):
        places.read(text)


def test_a_place_under_the_wrong_province_suggests_the_division_it_names(places):
    with pytest.raises(PlaceNotFound) as raised:
        places.read("浙江省苏州市")
    assert [d.code for d in raised.value.suggestions] == ["320500"]
