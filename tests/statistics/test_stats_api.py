"""/api/v1/stats: the CONTRACT shape, drill-down, as-of, gaps, trend and 422s."""
import pytest

CONTRACT_KEYS = {"levels", "national_institutions", "municipal_and_above", "uncovered"}


@pytest.fixture
def small_network(add_institution, set_history):
    add_institution("国家中心", "national", None, ("policy",), demonstration_platform=True)
    add_institution("江苏省中心", "provincial", "320000", ("policy", "legal"))
    add_institution("苏州市中心", "municipal", "320500", ("financing",))
    set_history(add_institution("昆山市中心", "county", "320583", ("legal",)), "2024-06-01T00:00:00+00:00")


def test_national_coverage(client, small_network):
    body = client.get("/api/v1/stats/coverage").get_json()
    assert CONTRACT_KEYS <= body.keys()
    assert body["levels"][0] == {"level": "provincial", "divisions": 31, "covered": 1,
                                 "rate": pytest.approx(1 / 31), "institutions": 1}
    assert [lvl["level"] for lvl in body["levels"]] == ["provincial", "municipal", "county"]
    assert body["national_institutions"] == 1
    assert body["municipal_and_above"] == {"divisions": 364, "covered": 2, "rate": pytest.approx(2 / 364)}
    assert {"code": "330000", "name": "浙江省", "level": "province"} in body["uncovered"]
    assert body["demonstration_platforms"]["total"] == 1
    assert {row["code"]: row["institutions"] for row in body["by_category"]}["legal"] == 2


def test_province_drill_down_as_of(client, small_network):
    body = client.get("/api/v1/stats/coverage?region_code=320000").get_json()
    assert body["municipal_and_above"] == {"divisions": 14, "covered": 2, "rate": pytest.approx(2 / 14)}
    assert body["levels"][2] | {"rate": None} == {"level": "county", "divisions": 95, "covered": 1,
                                                  "rate": None, "institutions": 1}
    assert body["national_institutions"] == 0
    # The others were created today; 昆山 since June 2024.
    past = client.get("/api/v1/stats/coverage?region_code=320000&as_of=2025-01-01").get_json()
    assert [lvl["covered"] for lvl in past["levels"]] == [0, 0, 1]
    assert past["as_of"] == "2025-01-01"


def test_gaps_with_a_category(client, small_network):
    body = client.get("/api/v1/stats/gaps?region_code=320000&category=legal").get_json()
    assert [p["code"] for p in body["provinces"]] == ["320000"]
    assert body["provinces"][0]["uncovered"] == {"provincial": 0, "municipal": 12, "county": 94}
    assert body["category"]["code"] == "legal"
    assert body["category"]["blind_spots"] == []  # the provincial centre reaches every county
    zhejiang = client.get("/api/v1/stats/gaps?region_code=330000&category=financing").get_json()
    assert len(zhejiang["category"]["blind_spots"]) == 90  # no financing service in Zhejiang
    assert client.get("/api/v1/stats/gaps").get_json()["category"] is None


def test_trend(client, small_network):
    body = client.get("/api/v1/stats/trend?region_code=320000").get_json()
    assert body["months"][0]["month"] == "2024-06"
    assert body["months"][0]["covered"] == {"provincial": 0, "municipal": 0, "county": 1}
    assert body["months"][-1]["municipal_and_above"] == {"covered": 2, "rate": pytest.approx(2 / 14)}


@pytest.mark.parametrize("url, field", [
    ("/api/v1/stats/coverage?region_code=320500", "region_code"),   # a prefecture
    ("/api/v1/stats/coverage?region_code=810000", "region_code"),   # Hong Kong: outside the network
    ("/api/v1/stats/coverage?region_code=990000", "region_code"),   # unknown
    ("/api/v1/stats/coverage?region_code=32", "region_code"),       # not a code
    ("/api/v1/stats/coverage?as_of=2024-02-30", "as_of"),
    ("/api/v1/stats/coverage?as_of=2999-01-01", "as_of"),
    ("/api/v1/stats/gaps?region_code=320583", "region_code"),
    ("/api/v1/stats/gaps?category=astrology", "category"),
    ("/api/v1/stats/trend?region_code=320100", "region_code"),
])
def test_unprocessable(client, url, field):
    response = client.get(url)
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == [field]


def test_sample_network_matches_readme(sample_client):
    """README: "municipal level and above: 306 / 364 = 84.1%"."""
    upper = sample_client.get("/api/v1/stats/coverage").get_json()["municipal_and_above"]
    assert (upper["covered"], upper["divisions"]) == (306, 364)
    assert round(upper["rate"] * 100, 1) == 84.1
