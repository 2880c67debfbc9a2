"""The service figures where people read them: the /stats section (figures, levels, provinces, monthly trend,
in a province and as of a past day), its CSV tables and workbook sheets, one institution's own page for its
staff, and the 429 message of the submission route."""
import io
from datetime import timedelta

import openpyxl
from admin_forms import post_login
from pages.html_reading import csrf_token_in
from service_request_support import submission

from directory.timestamps import SHANGHAI, utcnow


def test_the_stats_api_gives_the_monthly_trend_and_province_names(client, rated_requests):
    rated_requests()
    stats = client.get("/api/v1/stats/service").json
    this_month = utcnow().astimezone(SHANGHAI).strftime("%Y-%m")
    assert len(stats["trend"]) == 12 and stats["trend"][-1]["month"] == this_month
    assert stats["trend"][-1]["requests"] == 3 and stats["trend"][-1]["satisfaction_rate"] == 0.5
    assert all(month["requests"] == 0 and month["response_rate"] is None for month in stats["trend"][:-1])
    assert stats["provinces"] == [stats["provinces"][0] | {"region_code": "320000", "name": "江苏省"}]


def test_the_stats_page_shows_the_service_section(client, rated_requests):
    empty = client.get("/stats").get_data(as_text=True)
    assert "服务请求办理情况" in empty and "尚无服务请求" in empty
    rated_requests()
    html = client.get("/stats").get_data(as_text=True)
    section = html.split('id="service"')[1].split('aria-labelledby="demand-heading"')[0]
    assert 'data-figure="service_requests">3<' in section
    assert 'data-figure="resolution_rate" data-value="0.3333">33.3%' in section
    assert 'data-figure="satisfaction_rate" data-value="0.5">50.0%' in section
    assert '<tr data-level="county"><td>县级</td><td>3</td>' in section
    assert 'data-province="320000"><td>江苏省</td>' in section and 'data-label="江苏省"' in section
    assert section.count('class="chart chart-line"') == 3
    for secret in ("13800000001", "王经理", "wang@example.cn"):
        assert secret not in html
    english = client.get("/stats?lang=en").get_data(as_text=True)
    assert "Service requests" in english and "Satisfaction rate" in english
    client.get("/stats?lang=zh")
    # A province without requests, and a past day before any request.
    assert "尚无服务请求" in client.get("/stats?region_code=330000").get_data(as_text=True)
    past = (utcnow().astimezone(SHANGHAI).date() - timedelta(days=3)).isoformat()
    assert "尚无服务请求" in client.get(f"/stats?as_of={past}").get_data(as_text=True)
    assert 'data-figure="service_requests">3<' in client.get("/stats?region_code=320000").get_data(as_text=True)


def test_csv_tables_and_workbook_sheets(client, rated_requests):
    rated_requests()
    levels = client.get("/stats/service_levels.csv")
    assert levels.status_code == 200 and levels.mimetype == "text/csv"
    lines = levels.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("层级,请求数,响应率,办结率,满意率")
    assert lines[1].startswith("县级,3,1.0,0.3333,0.5,")
    assert lines[-1].startswith("合计,3,")
    assert "江苏省" in client.get("/stats/service_provinces.csv").get_data(as_text=True)
    trend = client.get("/stats/service_trend.csv").get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert len(trend) == 13
    book = openpyxl.load_workbook(io.BytesIO(client.get("/stats/report.xlsx").data))
    assert {"服务请求办理情况（按层级）", "服务请求办理情况（按省份）", "服务请求月度趋势"} <= set(book.sheetnames)
    sheet = book["服务请求办理情况（按层级）"]
    assert sheet["A3"].value == "县级" and sheet["B3"].value == 3
    assert sheet["D3"].value == 0.3333 and sheet["D3"].number_format == "0.0%"
    summary = {row[0].value: row[1] for row in book["概况"].iter_rows()}
    assert summary["服务请求满意率"].value == 0.5 and summary["服务请求满意率"].number_format == "0.0%"
    assert summary["服务请求数"].value == 3


def test_an_institution_page_for_its_staff(app, client, network, rated_requests, make_staff):
    rated_requests()
    make_staff("suzhou-desk", network["municipal"])
    post_login(client, "gusu-desk")
    inbox = client.get("/admin/service-requests").get_data(as_text=True)
    url = f"/admin/service-requests/institutions/{network['county']}"
    assert url in inbox
    html = client.get(url).get_data(as_text=True)
    assert "姑苏区中小企业服务中心" in html and 'data-figure="service_requests">3<' in html
    assert "50.0%" in html and "13800000001" not in html
    assert client.get(f"/admin/service-requests/institutions/{network['municipal']}").status_code == 403
    assert client.get("/admin/service-requests/institutions/999999").status_code == 404
    other = app.test_client()
    post_login(other, "suzhou-desk")
    page = other.get(f"/admin/service-requests/institutions/{network['municipal']}").get_data(as_text=True)
    assert 'data-figure="service_requests">0<' in page and "—" in page   # nothing to divide
    assert app.test_client().get(url).status_code in (302, 303)         # anonymous: log in first


def test_too_many_submissions_say_so(empty_database_url, network):
    from directory import create_app

    limited = create_app({"DATABASE_URL": empty_database_url, "TESTING": True, "RATELIMIT_STORAGE_URI": "memory://"})
    client = limited.test_client()
    for n in range(6):
        response = client.post("/api/v1/service-requests", json=submission(contact_phone=f"1391234{n:04d}"))
    assert response.status_code == 429 and "Retry-After" in response.headers
    assert "login" not in response.json["message"].lower() and "submissions" in response.json["message"]
    token = csrf_token_in(client.get("/service-requests/new").get_data(as_text=True))
    for _ in range(6):
        page = client.post("/service-requests/new", data={"csrf_token": token, "need": "x"})
    assert page.status_code == 429
    text = page.get_data(as_text=True)
    assert "登录" not in text and "提交过于频繁" in text
