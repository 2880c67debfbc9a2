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
    assert book.sheetnames == ["概况", "各层级覆盖率", "各地市覆盖情况", "区县", "未覆盖的行政区", "服务盲区：法律服务",
                               "各服务类别的运营中机构", "覆盖率月度趋势", "企业需求（按服务类别）", "企业需求（按省份）",
                               "认定情况（按类型）", "认定情况（按省份）"]
    assert book["各地市覆盖情况"].max_row == 2 + JIANGSU_PREFECTURES
    assert [book["概况"]["B1"].value, book["概况"]["B2"].value] == ["江苏省", "当前"]


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


def csv_rows(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_csv_tables_show_every_row_of_the_page_and_name_province_and_prefecture(client, small_registry):
    levels = csv_rows(client, "/stats/levels.csv")
    assert levels[-1][:4] == ["地市级及以上", "364", "2", "0.0055"]          # the row the page shows under the levels
    uncovered = csv_rows(client, "/stats/uncovered.csv?region_code=320000")
    assert uncovered[0] == ["代码", "名称", "层级", "省份代码", "省份", "地市代码", "地市"]
    nanjing = next(row for row in uncovered if row[0] == "320100")
    assert nanjing == ["320100", "南京市", "地级行政区", "320000", "江苏省", "320100", "南京市"]
    xuanwu = next(row for row in uncovered if row[0] == "320102")
    assert xuanwu[1] == "玄武区" and xuanwu[3:] == ["320000", "江苏省", "320100", "南京市"]
    national = csv_rows(client, "/stats/uncovered.csv")
    xinhua = [row for row in national if row[1] == "新华区"]
    assert len(xinhua) > 1 and len({(row[4], row[6]) for row in xinhua}) == len(xinhua)   # told apart by place
    beijing = next(row for row in national if row[0] == "110101")                  # 东城区: no prefecture
    assert beijing[3:] == ["110000", "北京市", "", ""]
    spots = csv_rows(client, "/stats/blind_spots.csv?region_code=320000")
    assert spots[0][3:] == ["省份代码", "省份", "地市代码", "地市"]
    assert next(row for row in spots if row[0] == "320102")[3:] == ["320000", "江苏省", "320100", "南京市"]
    counties = csv_rows(client, "/stats/counties.csv?region_code=320000")        # the page's county list
    assert len(counties) == 1 + JIANGSU_COUNTIES
    assert next(row for row in counties if row[0] == "320508") == ["320508", "姑苏区", "是", "320000", "江苏省",
                                                                    "320500", "苏州市"]
    assert client.get("/stats/counties.csv").status_code == 404                   # nationally there is none
    areas = csv_rows(client, "/stats/areas.csv?region_code=320000")
    assert areas[0][-2:] == ["省份代码", "省份"] and {tuple(row[-2:]) for row in areas[1:]} == {("320000", "江苏省")}


def test_workbook_numbers_are_numbers_and_rates_percentages(client, small_registry):
    book = load_workbook(io.BytesIO(client.get("/stats/report.xlsx").data))
    summary = {row[0].value: row[1] for row in book["概况"].iter_rows()}
    assert summary["运营中机构"].value == 3 and summary["运营中机构"].data_type == "n"
    assert summary["地市级及以上行政区数"].value == 364 and summary["地市级及以上已覆盖"].value == 2
    rate = summary["地市级及以上覆盖率"]
    assert rate.value == pytest.approx(2 / 364, abs=1e-4) and rate.number_format == "0.0%"
    levels = book["各层级覆盖率"]
    rows = [[cell.value for cell in row] for row in levels.iter_rows(min_row=3)]
    assert [row[0] for row in rows] == ["省级", "市级", "县级", "地市级及以上"]
    assert rows[0][1:3] == [31, 1] and levels["D3"].number_format == "0.0%"
    assert all(levels.cell(row=r, column=4).number_format == "0.0%" for r in range(3, 7))
    areas = book["各省覆盖情况"]
    assert areas["C2"].value == "地市级及以上覆盖率" and areas["C3"].number_format == "0.0%"
    assert isinstance(areas["G3"].value, int)
    trend = book["覆盖率月度趋势"]
    assert trend["C3"].number_format == "0.0%"
    for sheet in book.worksheets:
        assert len(sheet.title) <= 31 and not set(sheet.title) & set("[]:*?/\\")


def test_workbook_in_english_has_english_sheet_names(client, small_registry):
    book = load_workbook(io.BytesIO(client.get("/stats/report.xlsx?lang=en&category=talent").data))
    assert book.sheetnames[0] == "Summary"
    assert all(not any("\u4e00" <= ch <= "\u9fff" for ch in name) for name in book.sheetnames)
    assert all(len(name) <= 31 and ":" not in name for name in book.sheetnames)


def test_uncovered_and_blind_spots_are_grouped_by_province_then_prefecture(client, small_registry):
    page = parse(client.get("/stats").data)
    jiangsu = page.find("details", class_="gap-province", data_province="320000")
    assert jiangsu.find("summary").text.startswith("江苏省")                    # a name, not "320000 · …"
    nanjing = jiangsu.find("div", data_prefecture="320100")
    heading, counties = nanjing.find("dt").text, nanjing.find("dd")
    assert heading.startswith("南京市") and "县级行政区" in heading           # the level said once, in the heading
    assert counties.find(data_uncovered="320102").text == "玄武区"
    assert "县级行政区" not in counties.text and "（" not in counties.text
    prefectures = jiangsu.find("div", data_level="prefecture").find("dd").text
    assert "南京市" in prefectures and "苏州市" not in prefectures               # 苏州 has its municipal institution
    beijing = page.find("details", class_="gap-province", data_province="110000")
    assert beijing.find("summary").text.startswith("北京市")
    assert beijing.find("div", data_prefecture="110000").find("dt").text.startswith("省直辖")
    provinces = [d.attrs["data-province"] for d in page.find_all("details", class_="gap-province")]
    assert provinces == sorted(provinces) and len(provinces) == 31
    spots = parse(client.get("/stats?region_code=320000&category=legal").data)
    group = spots.find("details", class_="blind-province", data_province="320000")
    assert group.find("summary").text.startswith("江苏省")
    assert group.find("div", data_prefecture="320100").find(data_blind_spot="320102").text == "玄武区"
    assert not group.find_all("div", data_prefecture="320500")      # 苏州 offers legal to its counties


def test_download_links_say_what_they_download(client, small_registry):
    page = parse(client.get("/stats").data)
    links = {a.text: a.attrs["href"] for a in page.find_all("a", data_download="csv")}
    assert links["下载 CSV：各省需求"].startswith("/stats/demand_provinces.csv")
    assert links["下载 CSV：各类别需求"].startswith("/stats/demand_categories.csv")
    assert "CSV" not in links and len(links) == 10
    english = parse(client.get("/stats?lang=en").data)
    texts = [a.text for a in english.find_all("a", data_download="csv")]
    assert "Download CSV: Demand by province" in texts and all(t.startswith("Download CSV: ") for t in texts)


def test_the_page_follows_a_change_to_the_directory_at_once(client, small_registry, add_institution):
    before = parse(client.get("/stats").data)
    assert before.find(data_figure="institutions").text == "3"
    assert client.get("/api/v1/stats/coverage").json["levels"][1]["covered"] == 1
    add_institution("南京市法律服务中心", "municipal", "320100", ("legal",))
    after = parse(client.get("/stats").data)
    assert after.find(data_figure="institutions").text == "4"
    assert not after.find_all(data_uncovered="320100")
    assert client.get("/api/v1/stats/coverage").json["levels"][1]["covered"] == 2   # 苏州, now 南京


@pytest.mark.parametrize("path", [
    "/stats/levels.csv?region_code=<script>&as_of=9999-99-99&category=astrology",
    "/stats/report.xlsx?region_code=110101&lang=xx&category=' OR 1=1 --",
    "/stats/uncovered.csv?as_of=2000-01-01&region_code=710000",
    "/stats?lang=en&region_code=%E6%B1%9F%E8%8B%8F&as_of=2020-02-30",
])
def test_hostile_scopes_are_ignored_never_an_error(client, small_registry, path):
    assert client.get(path).status_code == 200
    assert client.get("/stats/..%2Flevels.csv").status_code == 404
    assert client.get("/stats/levels.csv?category=%00").status_code == 400     # NUL bytes refused before the view
