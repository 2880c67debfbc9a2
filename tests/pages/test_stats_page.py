"""The /stats page and its downloads, against figures worked out by hand on a small registry."""
import csv
import io

import pytest
from html_reading import parse
from openpyxl import load_workbook

from directory.demand.recording import demand_recorder

SUZHOU_COUNTIES = 9      # 姑苏区 … 昆山市 in the reference data
JIANGSU_COUNTIES = 95
JIANGSU_PREFECTURES = 13


@pytest.fixture
def small_registry(add_institution, set_history):
    """江苏省 (provincial, policy), 苏州市 (municipal, legal), 姑苏区 (county), a closed 南京市 one."""
    ids = {
        "jiangsu": add_institution("江苏省中小企业服务中心", "provincial", "320000", ("policy",)),
        "suzhou": add_institution("苏州市法律服务中心", "municipal", "320500", ("legal",)),
        "gusu": add_institution("姑苏区中小企业服务站", "county", "320508", ("policy",)),
        "nanjing": add_institution("南京市中小企业服务中心", "municipal", "320100", ("policy",), status="closed"),
    }
    set_history(ids["jiangsu"], "2020-01-10T00:00:00+08:00")
    set_history(ids["suzhou"], "2024-03-01T00:00:00+08:00")
    set_history(ids["gusu"], "2025-06-01T00:00:00+08:00")
    set_history(ids["nanjing"], "2020-01-10T00:00:00+08:00", "2023-05-01T00:00:00+08:00")
    return ids


def figure(page, name):
    return float(page.find(data_figure=name).attrs["data-value"])


def level_row(page, level):
    return [cell.text for cell in page.find("tr", data_level=level).find_all("td")][1:]


def test_national_figures(client, small_registry):
    page = parse(client.get("/stats").data)
    assert figure(page, "municipal_and_above") == pytest.approx(2 / 364)
    assert page.find(data_figure="institutions").text == "3"
    assert level_row(page, "provincial")[:3] == ["31", "1", "3.2%"]
    assert level_row(page, "municipal")[:3] == ["333", "1", "0.3%"]
    assert level_row(page, "county")[:3] == ["2846", "1", "0.0%"]
    assert len(page.find_all("tr", data_area=True)) == 31
    assert page.find("figure", class_="chart chart-areas").find_all("g", class_="bar")


def test_province_drill_down(client, small_registry):
    page = parse(client.get("/stats?region_code=320000").data)
    assert figure(page, "municipal_and_above") == pytest.approx(2 / 14)
    assert level_row(page, "county")[:2] == [str(JIANGSU_COUNTIES), "1"]
    assert len(page.find_all("tr", data_area=True)) == JIANGSU_PREFECTURES
    suzhou = [cell.text for cell in page.find("tr", data_area="320500").find_all("td")]
    assert suzhou[3] == f"1 / {SUZHOU_COUNTIES}"
    assert page.find("li", data_county="320508").attrs["data-covered"] == "yes"
    assert page.find("li", data_county="320583").attrs["data-covered"] == "no"


def test_as_of_a_past_day_reads_opening_and_closing_dates(client, small_registry):
    page = parse(client.get("/stats?region_code=320000&as_of=2023-12-31").data)
    # 江苏省 (since 2020) only: 苏州 opened in 2024, 南京 closed in 2023, 姑苏 opened in 2025.
    assert figure(page, "municipal_and_above") == pytest.approx(1 / 14)
    page = parse(client.get("/stats?region_code=320000&as_of=2023-04-30").data)
    assert figure(page, "municipal_and_above") == pytest.approx(2 / 14)        # 南京 still open
    assert page.find(id="as-of").attrs["data-as-of"] == "2023-04-30"


def test_category_blind_spots_follow_the_chain(client, small_registry):
    page = parse(client.get("/stats?region_code=320000&category=legal").data)
    spots = {e.attrs["data-blind-spot"] for e in page.find_all(data_blind_spot=True)}
    assert "320508" not in spots and "320583" not in spots        # 苏州市 offers legal for its counties
    assert "320102" in spots                                      # 南京 has no legal provider in its chain
    assert len(spots) == JIANGSU_COUNTIES - SUZHOU_COUNTIES


def test_nonsense_arguments_are_ignored_and_listed(client, small_registry):
    response = client.get("/stats?region_code=320500&as_of=2999-01-01&category=astrology")
    assert response.status_code == 200
    text = parse(response.data).text
    assert "region_code=320500" in text and "as_of=2999-01-01" in text and "category=astrology" in text


def test_tables_download_as_csv_and_the_report_as_xlsx(client, small_registry):
    response = client.get("/stats/areas.csv?region_code=320000")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 1 + JIANGSU_PREFECTURES
    suzhou = next(row for row in rows if row[0] == "320500")
    assert suzhou[1] == "苏州市" and suzhou[4:6] == ["1", str(SUZHOU_COUNTIES)]
    assert client.get("/stats/nothing.csv").status_code == 404
    book = load_workbook(io.BytesIO(client.get("/stats/report.xlsx?region_code=320000").data))
    assert book.sheetnames == ["summary", "levels", "areas", "uncovered", "blind_spots", "categories", "trend",
                               "demand_categories", "demand_provinces", "designations", "designation_provinces"]
    assert book["areas"].max_row == 2 + JIANGSU_PREFECTURES
    assert [book["summary"]["B1"].value, book["summary"]["B2"].value] == ["江苏省", "当前"]


def test_demand_shows_what_smes_asked_for(client, small_registry):
    client.post("/api/v1/match", json={"need": "合同纠纷，客户拖欠货款", "region_code": "320508"})
    client.post("/api/v1/match", json={"need": "合同纠纷需要律师", "region_code": "320102"})
    demand_recorder(client.application).flush()
    demand = client.get("/api/v1/stats/demand").json
    legal = next(row for row in demand["by_category"] if row["category_code"] == "legal")
    assert legal["requests"] == 2 and legal["not_served_in_chain"] == 1            # 南京's chain has no legal
    assert demand["overview"]["unserved_share"] == 0.5
    page = parse(client.get("/stats").data)
    assert page.find("figure", class_="chart chart-demand").find("g", data_label="法律服务")
    assert client.get("/api/v1/stats/demand?region_code=320500").status_code == 422
