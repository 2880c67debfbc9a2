"""POST /api/v1/match: contract shape, ranking rule, unserved needs, freshness across processes."""
import json
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from directory import create_app

TIER_RANK = {"county": 0, "municipal": 1, "provincial": 2, "national": 3, "other": 4}


def match(client, **body):
    response = client.post("/api/v1/match", json=body)
    assert response.status_code == 200, response.json
    return response.json


def chain_codes(client, region_code):
    path = client.get(f"/api/v1/regions/{region_code}").json["path"]
    return {p["level"]: p["code"] for p in path}


def test_a_need_in_the_smes_words_finds_its_own_network_nearest_first(sample_client):
    body = match(sample_client, need="我们厂的专利被人抄袭了，想找人维权", region_code="320583")
    assert body["categories"][0]["code"] == "ip" and body["categories"][0]["matched_terms"]
    assert set(body) == {"categories", "providers", "unserved_categories", "events"}
    providers = body["providers"]
    assert providers and len(providers) <= 10
    chain = chain_codes(sample_client, "320583")
    expected_place = {"county": chain["county"], "municipal": chain["prefecture"],
                      "provincial": chain["province"], "national": None}
    for p in providers:
        institution = p["institution"]
        assert set(p["covered_categories"]) <= set(institution["services"]) and p["covered_categories"]
        assert institution["status"] == "active" and p["reasons"] and p["reasons_en"]
        if not p["out_of_area"]:
            assert institution["region_code"] == expected_place[p["tier"]]
    assert_contract_order(providers)


def assert_contract_order(providers):
    """Coverage desc, then tier nearest first; out-of-area after every in-chain provider."""
    keys = [(p["out_of_area"], -len(p["covered_categories"]), TIER_RANK[p["tier"]]) for p in providers]
    assert keys == sorted(keys)
    scores = [p["score"] for p in providers]
    assert scores == sorted(scores, reverse=True)


def test_several_needs_rank_the_provider_covering_more_first(sample_client):
    body = match(sample_client, need="想申请专利，还需要一笔贷款，另外招不到技术工人", region_code="320500")
    assert {"ip", "financing", "talent"} <= {c["code"] for c in body["categories"]}
    assert_contract_order(body["providers"])
    assert len(body["providers"][0]["covered_categories"]) >= 2


def test_reasons_say_why(sample_client):
    provider = match(sample_client, need="专利维权", region_code="320583")["providers"][0]
    assert any(r.startswith("提供") for r in provider["reasons"])
    assert any(r.startswith("位于同一") or r.startswith("国家级") for r in provider["reasons"])


@pytest.mark.parametrize("need", ["今天天气不错", "hello", "1234567", "😀😀", "   "])
def test_off_topic_text_matches_nothing(sample_client, need):
    body = match(sample_client, need=need, region_code="320583")
    assert body["categories"] == [] and body["providers"] == [] and body["unserved_categories"] == []


@pytest.mark.parametrize("body,field", [
    ({"need": "贷款", "region_code": "999999"}, "region_code"),
    ({"need": "贷款", "region_code": "32"}, "region_code"),
    ({"need": "贷款", "limit": 0}, "limit"),
    ({"need": "贷款", "limit": 51}, "limit"),
    ({"region_code": "320583"}, "need"),
    ({"need": "贷款", "colour": "red"}, "colour"),
])
def test_bad_requests_are_422(sample_client, body, field):
    response = sample_client.post("/api/v1/match", json=body)
    assert response.status_code == 422 and field in response.json["errors"]


def test_limit_is_respected(sample_client):
    assert len(match(sample_client, need="贷款", region_code="320583", limit=2)["providers"]) == 2


def test_a_need_the_chain_cannot_serve_gets_out_of_area_providers_after_in_chain_ones(client, add_institution):
    local = add_institution("昆山市知识产权服务中心", "county", "320583", services=("ip",))
    hangzhou = add_institution("杭州市法律服务中心", "municipal", "330100", services=("legal",))
    urumqi = add_institution("新疆法律服务中心", "provincial", "650000", services=("legal",))
    body = match(client, need="专利被侵权，还有客户拖欠货款要打官司", region_code="320583")
    assert {c["code"] for c in body["categories"]} >= {"ip", "legal"}
    assert body["unserved_categories"] == ["legal"]
    ids = [(p["institution"]["id"], p["out_of_area"], p["tier"]) for p in body["providers"]]
    assert ids == [(local, False, "county"), (hangzhou, True, "other"), (urumqi, True, "other")]


def test_changes_are_seen_by_every_process(app, add_institution):
    """Two app instances stand for two server processes sharing one database."""
    other = create_app({"DATABASE_URL": app.config["DATABASE_URL"], "TESTING": True}).test_client()
    assert match(other, need="专利维权", region_code="320583")["providers"] == []  # index built, empty
    new = add_institution("昆山市知识产权服务中心", "county", "320583", services=("ip",))
    assert [p["institution"]["id"] for p in match(other, need="专利维权", region_code="320583")["providers"]] == [new]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(need=st.text(max_size=300))
def test_any_unicode_need_gets_a_valid_response(sample_client, need):
    response = sample_client.post("/api/v1/match", json={"need": need, "region_code": "320583"})
    assert response.status_code == 200
    assert isinstance(response.json["categories"], list) and isinstance(response.json["providers"], list)


@pytest.mark.parametrize("body", [
    {"need": "我们厂的专利被人抄袭了，想找人维权", "region_code": "320583"},
    {"need": "想申请一笔贷款扩大生产，也想参加融资对接会", "region_code": "320100"},
    {"need": "How can we export our products to Southeast Asia?", "region_code": "330100", "limit": 20},
    {"need": "工厂想上云，做数字化改造", "region_code": None},
    {"need": "今天天气不错", "region_code": "440300"},
])
def test_the_answer_is_what_the_documented_schema_dumps(sample_app, sample_client, body):
    """The view sends match_need's answer without dumping it again: it must already be the schema's shape."""
    from directory.database import get_session
    from directory.finder.schemas import MatchResultSchema
    from directory.finder.service import match_need

    answer = sample_client.post("/api/v1/match", json=body)
    with sample_app.test_request_context():
        expected = MatchResultSchema().dump(match_need(get_session(), **body))
    assert answer.status_code == 200
    as_text = lambda data: json.dumps(data, ensure_ascii=False, sort_keys=True)   # 1 and 1.0 differ here
    assert as_text(answer.json) == as_text(json.loads(json.dumps(expected, ensure_ascii=False)))
    assert answer.json["events"] or "贷款" not in body["need"]
