"""Statistics count against the divisions in force on their day and say which edition they use."""
import pytest

TIBET = "540000"


@pytest.fixture
def tibet_network(add_institution, set_history):
    """A county institution in 米林 since 2020 (米林县 then, 米林市 since 2023-04-03), one in 和康县."""
    set_history(add_institution("米林市中小企业服务中心", "county", "540481"), "2020-03-01T00:00:00+00:00")
    set_history(add_institution("和康县中小企业服务中心", "county", "653228"), "2025-01-10T00:00:00+00:00")


def county(body: dict) -> dict:
    return next(level for level in body["levels"] if level["level"] == "county")


@pytest.mark.parametrize("as_of, divisions", [("2022-12-31", 2843), ("2023-01-20", 2844), ("2023-04-02", 2844),
                                              ("2023-04-03", 2844), ("2024-12-27", 2846), (None, 2846)])
def test_coverage_counts_the_counties_in_force_that_day(client, as_of, divisions):
    body = client.get("/api/v1/stats/coverage", query_string={"as_of": as_of} if as_of else {}).get_json()
    assert county(body)["divisions"] == divisions
    assert body["divisions_edition"] == "2024"


def test_an_institution_counts_where_its_division_then_was(client, tibet_network):
    before = client.get(f"/api/v1/stats/coverage?region_code={TIBET}&as_of=2022-12-31").get_json()
    assert {"code": "540422", "name": "米林县", "level": "county"} not in before["uncovered"]   # covered then
    assert {"code": "540481", "name": "米林市", "level": "county"} not in before["uncovered"]   # not yet in force
    assert county(before)["covered"] == 1 and county(before)["divisions"] == 74
    now = client.get(f"/api/v1/stats/coverage?region_code={TIBET}").get_json()
    assert county(now)["covered"] == 1 and county(now)["divisions"] == 74
    assert not any(d["code"] in ("540422", "540530") for d in now["uncovered"])


def test_gaps_and_trend_say_their_edition_and_leave_retired_divisions_out(client, tibet_network):
    gaps = client.get("/api/v1/stats/gaps?region_code=540000&category=legal").get_json()
    assert gaps["divisions_edition"] == "2024"
    listed = [d["code"] for p in gaps["provinces"] for divisions in p["divisions"].values() for d in divisions]
    assert "540530" not in listed and "540581" in listed
    assert "540422" not in [b["code"] for b in gaps["category"]["blind_spots"]]
    trend = client.get("/api/v1/stats/trend").get_json()
    assert trend["divisions_edition"] == "2024" and trend["divisions"]["county"] == 2846
    months = {m["month"]: m for m in trend["months"]}
    assert months["2022-12"]["divisions"]["county"] == 2843 and months["2024-12"]["divisions"]["county"] == 2846
    assert months["2022-12"]["covered"]["county"] == 1            # 米林县, by the institution now in 米林市
    assert months["2025-01"]["covered"]["county"] == 2


def test_the_stats_page_and_workbook_name_the_edition(client, tibet_network):
    page = client.get("/stats?as_of=2022-12-31&lang=zh").get_data(as_text=True)
    assert 'data-edition="2024"' in page and "2024 年版区划代码" in page
    english = client.get("/stats?lang=en").get_data(as_text=True)
    assert "the 2024 edition of the division codes" in english
    table = client.get("/stats/levels.csv?as_of=2022-12-31&lang=zh").get_data(as_text=True)
    assert ",2843," in table
