"""Designations counted by kind, holder's level and province, today and as of a past day."""
import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from directory.database import write_session
from directory.database import get_session
from directory.designations.models import Designation
from directory.institutions.models import Institution
from directory.statistics.designations import designation_counts


@pytest.fixture
def designated(app, add_institution, set_history):
    """Five institutions with designations granted and revoked on known days."""
    ids = {
        "national": add_institution("国家中心", "national", None),
        "jiangsu": add_institution("江苏省中心", "provincial", "320000"),
        "suzhou": add_institution("苏州市中心", "municipal", "320500"),
        "kunshan": add_institution("昆山市中心", "county", "320583", status="suspended"),
        "hangzhou": add_institution("杭州市中心", "municipal", "330100"),
    }
    for iid in ids.values():
        set_history(iid, "2015-01-01T00:00:00+00:00")
    rows = [
        ("national", "national_demo_platform", date(2016, 10, 1), None),
        ("jiangsu", "national_demo_platform", date(2018, 10, 1), date(2023, 4, 1)),   # out at a review
        ("jiangsu", "provincial_demo_platform", None, None),                           # day never recorded
        ("suzhou", "national_demo_platform", date(2020, 12, 1), None),
        ("suzhou", "provincial_base", date(2019, 5, 1), None),
        ("kunshan", "provincial_demo_platform", date(2021, 6, 1), None),               # suspended now
        ("hangzhou", "national_base", date(2022, 11, 1), None),
        ("hangzhou", "provincial_demo_platform", date(2017, 3, 1), date(2019, 3, 1)),
    ]
    with app.app_context(), write_session() as session, session.begin():
        held = {name: session.get(Institution, iid) for name, iid in ids.items()}   # kept alive until the flush
        for name, kind, granted, revoked in rows:
            held[name].designations.append(Designation(kind=kind, granted_on=granted, revoked_on=revoked))
    return ids


def counts(app, **kwargs):
    with app.test_request_context():
        result = designation_counts(get_session(), **kwargs)
    return result, {k["kind"]: k["designations"] for k in result["by_kind"]}


@pytest.mark.parametrize("as_of, expected", [
    (None, {"national_demo_platform": 2, "provincial_demo_platform": 1, "national_base": 1, "provincial_base": 1}),
    (date(2016, 9, 30), {"national_demo_platform": 0, "provincial_demo_platform": 1, "national_base": 0,
                         "provincial_base": 0}),
    (date(2018, 12, 31), {"national_demo_platform": 2, "provincial_demo_platform": 2, "national_base": 0,
                          "provincial_base": 0}),
    (date(2019, 3, 1), {"national_demo_platform": 2, "provincial_demo_platform": 1, "national_base": 0,
                        "provincial_base": 0}),   # revoked on the day: gone by its end
    (date(2021, 6, 1), {"national_demo_platform": 3, "provincial_demo_platform": 2, "national_base": 0,
                        "provincial_base": 1}),   # suspension leaves no dates: Kunshan counts in the past
    (date(2023, 4, 1), {"national_demo_platform": 2, "provincial_demo_platform": 2, "national_base": 1,
                        "provincial_base": 1}),
])
def test_counts_by_kind_today_and_as_of(app, designated, as_of, expected):
    result, by_kind = counts(app, as_of=as_of)
    assert by_kind == expected
    assert result["total"] == sum(expected.values())
    assert result["as_of"] == (as_of.isoformat() if as_of else None)


def test_counts_by_level_and_province(app, designated):
    result, _ = counts(app, as_of=date(2021, 12, 31))
    national = next(k for k in result["by_kind"] if k["kind"] == "national_demo_platform")
    assert national["level"] == "national"
    assert national["by_level"] == {"national": 1, "provincial": 1, "municipal": 1, "county": 0}
    provinces = {p["code"]: p for p in result["by_province"]}
    assert len(provinces) == 31
    assert provinces["320000"]["designations"] == 5   # 江苏: 2 national, 2 provincial platforms, 1 base
    assert provinces["320000"]["by_kind"] == {"national_demo_platform": 2, "provincial_demo_platform": 2,
                                              "national_base": 0, "provincial_base": 1}
    assert provinces["330000"]["designations"] == 0 and provinces["110000"]["designations"] == 0


def test_inside_a_province(app, designated):
    result, by_kind = counts(app, region_code="330000")
    assert by_kind == {"national_demo_platform": 0, "provincial_demo_platform": 0, "national_base": 1,
                       "provincial_base": 0}
    assert [p["code"] for p in result["by_province"]] == ["330000"]


def test_the_api(client, designated):
    body = client.get("/api/v1/stats/designations?as_of=2023-04-01&region_code=320000").json
    assert body["as_of"] == "2023-04-01" and body["region_code"] == "320000"
    assert {k["kind"]: k["designations"] for k in body["by_kind"]}["national_demo_platform"] == 1
    assert body["by_kind"][0]["name_zh"] == "国家中小企业公共服务示范平台"
    coverage = client.get("/api/v1/stats/coverage?as_of=2020-01-01").json
    assert coverage["demonstration_platforms"]["total"] == 2   # derived from the designations of that day


@pytest.mark.parametrize("query", ["as_of=2999-01-01", "as_of=yesterday", "region_code=320500", "region_code=12",
                                   "region_code=999999", "as_of=2021-02-30"])
def test_the_api_refuses_bad_scopes(client, query):
    response = client.get(f"/api/v1/stats/designations?{query}")
    assert response.status_code == 422 and response.json["errors"]


def test_page_csv_and_workbook(client, designated):
    page = client.get("/stats?as_of=2021-12-31").get_data(as_text=True)
    assert 'data-kind="national_demo_platform"' in page and "认定情况" in page
    assert "Designations by kind" not in page
    rows = list(csv.reader(io.StringIO(client.get("/stats/designations.csv?as_of=2021-12-31")
                                       .get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["认定类型", "认定级别", "有效认定"]
    assert rows[1][:3] == ["国家中小企业公共服务示范平台", "国家级", "3"]
    provinces = list(csv.reader(io.StringIO(client.get("/stats/designation_provinces.csv?as_of=2021-12-31")
                                            .get_data(as_text=True).lstrip("\ufeff"))))
    assert ["320000", "江苏省", "5"] == next(row for row in provinces if row[0] == "320000")[:3]
    book = load_workbook(io.BytesIO(client.get("/stats/report.xlsx?as_of=2021-12-31").data))
    assert book["认定情况（按类型）"]["C3"].value == 3 and book["认定情况（按类型）"]["A3"].value == "国家中小企业公共服务示范平台"
    english = client.get("/stats?as_of=2021-12-31&lang=en").get_data(as_text=True)   # remembered from here on
    assert "National SME public service demonstration platform" in english and "Designations in force" in english
    rows = list(csv.reader(io.StringIO(client.get("/stats/designations.csv?as_of=2021-12-31")
                                       .get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Kind of designation", "Designation level", "Designations in force"]
