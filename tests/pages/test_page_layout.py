"""What every page shares: sample banner, navigation, language switch, no inline script."""
from urllib.parse import parse_qs, urlsplit

import pytest
from html_reading import page_text, parse

BANNER_ZH = "示例数据：本站机构为程序生成的样例网络，并非真实机构。"
BANNER_EN = "Sample data: the institutions shown are a generated sample network, not real institutions."
PAGES = ["/", "/institutions", "/institutions?region_code=320583&level=county", "/institutions/1",
         "/regions", "/regions/320000", "/regions/320583", "/api/v1/docs",
         "/no-such-page", "/institutions/999999", "/regions/999999"]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_carries_the_sample_banner_in_chinese_by_default(sample_client, url):
    response = sample_client.get(url)
    assert response.status_code in (200, 404)
    assert response.mimetype == "text/html"
    page = parse(response.data)
    assert page.find("html").attrs["lang"] == "zh-CN"
    assert BANNER_ZH in page.by_class("sample-banner")[0].text


@pytest.mark.parametrize("url", PAGES)
def test_every_page_carries_the_sample_banner_in_english(sample_client, url):
    response = sample_client.get(url + ("&" if "?" in url else "?") + "lang=en")
    page = parse(response.data)
    assert page.find("html").attrs["lang"] == "en"
    assert BANNER_EN in page.by_class("sample-banner")[0].text
    assert BANNER_ZH not in page.text


def test_header_navigation(sample_client):
    page = parse(sample_client.get("/").data)
    nav = page.find("nav", aria_label="主导航")
    links = {a.text: a.attrs["href"] for a in nav.find_all("a")}
    assert links["首页"] == "/"
    assert links["机构名录"] == "/institutions"
    assert links["API 文档"] == "/api/v1/docs"
    assert "中文" in links and "English" in links


def test_navigation_marks_the_current_section(sample_client):
    page = parse(sample_client.get("/institutions/1").data)
    current = [a.text for a in page.find_all("a", aria_current="page")]
    assert current == ["机构名录"]


def test_language_switch_keeps_the_other_query_arguments(sample_client):
    page = parse(sample_client.get("/institutions?q=苏州&level=county&region_code=320500&lang=zh").data)
    switch = {a.text: a.attrs["href"] for a in page.by_class("language-switch")[0].find_all("a")}
    english = urlsplit(switch["English"])
    assert english.path == "/institutions"
    assert parse_qs(english.query) == {"q": ["苏州"], "level": ["county"], "region_code": ["320500"],
                                       "lang": ["en"]}
    assert parse_qs(urlsplit(switch["中文"]).query)["lang"] == ["zh"]


def test_english_is_remembered_until_switched_back(sample_client):
    first = sample_client.get("/?lang=en")
    assert "lang=en" in first.headers["Set-Cookie"]
    assert "Directory" in page_text(sample_client.get("/institutions").data)
    assert BANNER_EN in page_text(sample_client.get("/regions/320000").data)
    sample_client.get("/?lang=zh")
    assert BANNER_ZH in page_text(sample_client.get("/institutions").data)


@pytest.mark.parametrize("url", PAGES)
def test_no_inline_script_or_event_handler(sample_client, url):
    page = parse(sample_client.get(url).data)
    for script in page.find_all("script"):
        assert script.attrs.get("src", "").startswith("/static/"), script.attrs
        assert script.text == ""
    for element in page.iter():
        assert not [name for name in element.attrs if name.startswith("on")], element.tag
        assert not element.attrs.get("href", "").lower().startswith("javascript:")
        assert "style" not in element.attrs


def test_stylesheets_are_served(sample_client):
    page = parse(sample_client.get("/").data)
    hrefs = [link.attrs["href"] for link in page.find_all("link", rel="stylesheet")]
    assert hrefs == ["/static/vendor/pico/pico.min.css", "/static/css/site.css"]
    for href in hrefs:
        assert sample_client.get(href).status_code == 200


def test_swagger_ui_is_served_from_vendored_files_only(sample_client):
    response = sample_client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "http://" not in html and "https://" not in html
    page = parse(html)
    assets = ([s.attrs["src"] for s in page.find_all("script")]
              + [link.attrs["href"] for link in page.find_all("link", rel="stylesheet")])
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in assets
    assert "/static/vendor/swagger-ui/swagger-ui-standalone-preset.js" in assets
    assert "/static/vendor/swagger-ui/swagger-ui.css" in assets
    assert "/static/js/swagger-init.js" in assets
    for asset in assets:
        assert asset.startswith("/static/")
        assert sample_client.get(asset).status_code == 200
    assert page.find(id="swagger-ui-container").attrs["data-spec-url"] == "/api/v1/openapi.json"
    assert sample_client.get("/api/v1/openapi.json").status_code == 200
