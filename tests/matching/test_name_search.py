import csv
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from matching.name_search import NameIndex

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def names() -> dict[int, str]:
    """The sample network's institution names by id."""
    with (ROOT / "seed_data" / "institutions.csv").open(encoding="utf-8") as file:
        return {int(row["id"]): row["name"] for row in csv.DictReader(file)}


@pytest.fixture(scope="module")
def index(names) -> NameIndex:
    return NameIndex(names.items())


@pytest.fixture(scope="module")
def top(index, names):
    """The name that comes first for a query, or None."""
    def first(query: str) -> str | None:
        found = index.search(query, limit=1)
        return names[found[0][0]] if found else None
    return first


@pytest.mark.parametrize(("query", "expected"), [
    ("苏州中小企业服务中心", "苏州市中小企业公共服务中心"),
    ("江苏知识产权保户中心", "江苏省知识产权保护中心"),
    ("蘇州市中小企業公共服務中心", "苏州市中小企业公共服务中心"),
    ("suzhou zhongxiao qiye", "苏州市中小企业公共服务中心"),
    ("suzhouzhongxiaoqiye", "苏州市中小企业公共服务中心"),
    ("szszxqy", "苏州市中小企业公共服务中心"),
    ("苏州 gonggong fuwu", "苏州市中小企业公共服务中心"),
    ("工信部", "工业和信息化部中小企业发展促进中心"),
    ("工信部中小企业发展促进中心", "工业和信息化部中小企业发展促进中心"),
    ("江苏知产保护中心", "江苏省知识产权保护中心"),
    ("宁夏中小企公共服务中心", "宁夏回族自治区中小企业公共服务中心"),
    ("内蒙知识产权", "内蒙古自治区知识产权保护中心"),
    ("广西人才服务中心", "广西壮族自治区中小企业人才服务中心"),
    ("新疆中小企业公共服务中心", "新疆维吾尔自治区中小企业公共服务中心"),
    ("苏州 知识产权", "苏州市知识产权服务中心"),
    ("ＳＵＺＨＯＵ　ＺＨＯＮＧＸＩＡＯ　ＱＩＹＥ", "苏州市中小企业公共服务中心"),
])
def test_finds_the_institution_first(top, query, expected):
    assert top(query) == expected


def test_generic_words_do_not_swamp_the_distinctive_ones(index, names):
    ranked = [names[i] for i, _ in index.search("苏州 知识产权", limit=20)]
    generic = [n for n in ranked if n.endswith(("中小企业服务中心", "中小企业公共服务中心"))]
    assert ranked[0] == "苏州市知识产权服务中心"
    assert all(ranked.index("苏州市知识产权服务中心") < ranked.index(n) for n in generic)


def test_generic_words_alone_still_find_the_names_that_hold_them(index, names):
    found = [names[i] for i, _ in index.search("知识产权保护中心", limit=10)]
    assert len(found) >= 5 and all("知识产权保护中心" in name for name in found)


def test_a_place_and_a_service_beat_the_place_alone(top):
    assert top("湖北 融资") == "湖北省中小企业融资服务平台"
    assert top("长沙人才") == "长沙市中小企业人才服务中心"


def test_a_province_before_a_city_only_qualifies_it(top):
    assert top("江苏省苏州市中小企业公共服务中心") == "苏州市中小企业公共服务中心"


@pytest.mark.parametrize("query", [
    "", "   ", "！？。", "12345", "asdf qwer", "hello world", "天气怎么样", "我今天吃了苹果",
    "\x00\u200b", "a\ud800b",
])
def test_nothing_close_gives_nothing(index, query):
    assert index.search(query) == []


def test_limit_is_respected(index):
    assert len(index.search("中小企业服务中心", limit=3)) == 3
    assert index.search("苏州", limit=0) == []


def test_scores_are_best_first(index):
    scores = [score for _, score in index.search("苏州", limit=20)]
    assert scores == sorted(scores, reverse=True) and len(scores) > 3


def test_an_empty_index_finds_nothing():
    empty = NameIndex([(1, ""), (2, "！！")])
    assert len(empty) == 0
    assert empty.search("苏州") == [] and empty.suggest("苏") == []


def test_suggestions_begin_with_the_prefix(index, names):
    assert all(name.startswith("苏州") for _, name in index.suggest("苏州", limit=5))
    assert index.suggest("suzh", limit=3)[0][1].startswith(("苏州", "宿州"))
    assert "苏州市中小企业公共服务中心" in [name for _, name in index.suggest("szszxqy")]
    assert all(names[i] == name for i, name in index.suggest("知识产权"))
    assert index.suggest("") == [] and index.suggest("苏州", limit=0) == []


ANY_TEXT = st.text() | st.text(st.characters(categories=["Cs", "Lo", "Zs", "Nd", "Ll", "Po"]))


@settings(max_examples=300, deadline=None)
@given(query=ANY_TEXT, limit=st.integers(min_value=-1, max_value=30))
def test_any_text_gives_valid_results(index, names, query, limit):
    found = index.search(query, limit=limit)
    assert isinstance(found, list) and len(found) <= max(limit, 0)
    for institution_id, score in found:
        assert institution_id in names and isinstance(score, float) and 0 < score <= 100
    assert all(institution_id in names for institution_id, _ in index.suggest(query, limit=5))


def test_evaluation_set_top1_is_at_least_90_percent(index, names):
    with (ROOT / "bench" / "eval" / "name_queries.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) >= 60 and set(r["expected_name"] for r in rows) <= set(names.values())
    hits = 0
    for row in rows:
        found = index.search(row["query"], limit=1)
        hits += bool(found) and names[found[0][0]] == row["expected_name"]
    assert hits / len(rows) >= 0.90
