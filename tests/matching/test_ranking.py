"""rank_providers follows docs/contract.md's rule: coverage, then tier, then text; out-of-area last."""
from dataclasses import dataclass

import pytest

from matching.classify import lexicon_terms_in
from matching.explain import render_reasons
from matching.geography import Division, Geography
from matching.ranking import Provider, ProviderIndex, rank_providers


@dataclass(frozen=True)
class Need:  # what classify_need returns, as far as ranking cares
    code: str
    score: float = 1.0
    matched_terms: tuple[str, ...] = ()


GEOGRAPHY = Geography([
    Division("320000", "江苏省", "province", None, 118.76, 32.06),
    Division("320500", "苏州市", "prefecture", "320000", 120.58, 31.30),
    Division("320583", "昆山市", "county", "320500", 120.98, 31.39),
    Division("320581", "常熟市", "county", "320500", 120.75, 31.65),
    Division("320100", "南京市", "prefecture", "320000", 118.80, 32.06),
    Division("330000", "浙江省", "province", None, 120.15, 30.27),
    Division("330100", "杭州市", "prefecture", "330000", 120.16, 30.27),
    Division("650000", "新疆维吾尔自治区", "province", None, 87.62, 43.79),
    Division("110000", "北京市", "province", None, 116.41, 39.90),
    Division("110105", "朝阳区", "county", "110000", 116.44, 39.92),
])


def provider(pid, level, region, services, description=""):
    return Provider(id=pid, name=f"机构{pid}", level=level, region_code=region,
                    services=frozenset(services), terms=lexicon_terms_in(description))


def rank(providers, needs, region="320583", limit=10):
    index = ProviderIndex(providers, GEOGRAPHY)
    return rank_providers(needs=[Need(n) if isinstance(n, str) else n for n in needs],
                          chain=GEOGRAPHY.chain(region), index=index, limit=limit)


def test_more_coverage_beats_a_nearer_tier():
    ranked, unserved = rank([provider(1, "county", "320583", {"ip"}),
                             provider(2, "national", None, {"ip", "financing"})], ["ip", "financing"])
    assert [r.provider.id for r in ranked] == [2, 1] and unserved == []
    assert ranked[0].score > ranked[1].score


def test_at_equal_coverage_the_nearer_tier_wins():
    providers = [provider(1, "national", None, {"ip"}), provider(2, "provincial", "320000", {"ip"}),
                 provider(3, "municipal", "320500", {"ip"}), provider(4, "county", "320583", {"ip"})]
    ranked, _ = rank(providers, ["ip"])
    assert [(r.provider.id, r.tier) for r in ranked] == [
        (4, "county"), (3, "municipal"), (2, "provincial"), (1, "national")]
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)


def test_then_the_closer_text_match():
    providers = [provider(1, "municipal", "320500", {"financing"}, "提供银行贷款服务"),
                 provider(2, "municipal", "320500", {"financing"}, "开展知识产权质押融资")]
    ranked, _ = rank(providers, [Need("financing", matched_terms=("质押", "融资"))])
    assert [r.provider.id for r in ranked] == [2, 1]
    assert "描述匹配：质押" in render_reasons(ranked[0].reasons, language="zh", category_names={})


def test_providers_outside_the_chain_are_not_in_chain_results():
    providers = [provider(1, "county", "320581", {"ip"}),      # another county of the same city
                 provider(2, "municipal", "330100", {"ip"}),   # another province
                 provider(3, "municipal", "320500", {"ip"})]
    ranked, unserved = rank(providers, ["ip"])
    assert [r.provider.id for r in ranked] == [3] and unserved == []


def test_unserved_need_gets_nearest_out_of_area_providers_after_in_chain_ones():
    providers = [provider(1, "municipal", "320500", {"ip"}),
                 provider(2, "municipal", "330100", {"legal"}),      # Hangzhou, ~100 km away
                 provider(3, "provincial", "650000", {"legal"})]     # Xinjiang, ~3,000 km
    ranked, unserved = rank(providers, ["ip", "legal"])
    assert unserved == ["legal"]
    assert [(r.provider.id, r.out_of_area, r.tier) for r in ranked] == [
        (1, False, "municipal"), (2, True, "other"), (3, True, "other")]
    assert ranked[1].distance_km < ranked[2].distance_km
    assert all(r.score < ranked[0].score for r in ranked[1:])
    reasons = render_reasons(ranked[1].reasons, language="zh", category_names={"legal": "法律服务"})
    assert reasons[0] == "提供法律服务" and reasons[1].startswith("所在地区无此项服务，最近的在杭州市（约 ")


def test_out_of_area_providers_keep_room_within_the_limit():
    providers = [provider(i, "county", "320583", {"ip"}) for i in range(1, 20)]
    providers.append(provider(99, "municipal", "330100", {"legal"}))
    ranked, unserved = rank(providers, ["ip", "legal"], limit=5)
    assert len(ranked) == 5 and ranked[-1].provider.id == 99 and unserved == ["legal"]


def test_no_needs_no_providers():
    assert rank([provider(1, "national", None, {"ip"})], []) == ([], [])


def test_municipal_institution_of_a_municipality_is_the_smes_city():
    ranked, _ = rank([provider(1, "municipal", "110000", {"policy"}),
                      provider(2, "provincial", "110000", {"policy"})], ["policy"], region="110105")
    assert [(r.provider.id, r.tier) for r in ranked] == [(1, "municipal"), (2, "provincial")]


def test_without_a_region_only_national_providers_are_in_chain():
    ranked, unserved = rank([provider(1, "national", None, {"ip"}), provider(2, "county", "320583", {"ip"})],
                            ["ip"], region=None)
    assert [(r.provider.id, r.tier) for r in ranked] == [(1, "national")] and unserved == []


@pytest.mark.parametrize("language,expected", [
    ("zh", ["提供知识产权服务", "位于同一地级市：苏州市"]),
    ("en", ["Offers intellectual property", "In the same city: 苏州市"]),
])
def test_reasons_are_readable_in_both_languages(language, expected):
    ranked, _ = rank([provider(1, "municipal", "320500", {"ip"})], ["ip"])
    names = {"zh": {"ip": "知识产权"}, "en": {"ip": "Intellectual property"}}[language]
    assert render_reasons(ranked[0].reasons, language=language, category_names=names) == expected


def test_place_search_finds_divisions_by_short_or_traditional_name():
    from matching.geography import search_places
    assert [d.code for d in search_places(GEOGRAPHY, "昆山")] == ["320583"]
    assert [d.code for d in search_places(GEOGRAPHY, "蘇州")] == ["320500"]
    assert search_places(GEOGRAPHY, "") == [] and search_places(GEOGRAPHY, "xyz") == []
    assert [d.name for d in GEOGRAPHY.path("320583")] == ["江苏省", "苏州市", "昆山市"]
