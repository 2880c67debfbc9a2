"""The error page: friendly, in the visitor's language; the API keeps its JSON errors."""
import pytest
from html_reading import parse


@pytest.mark.parametrize("lang,title,message", [
    ("zh", "找不到该页面", "您要找的页面不存在"),
    ("en", "Page not found", "The page you are looking for does not exist"),
])
def test_unknown_address_is_a_friendly_404(sample_client, lang, title, message):
    response = sample_client.get(f"/no/such/page?lang={lang}")
    assert response.status_code == 404
    page = parse(response.data)
    assert page.find("h1").text == title
    assert message in page.by_class("error-message")[0].text
    assert "404" in page.by_class("error-code")[0].text
    assert page.by_class("error-page")[0].find("a", href="/").text in ("返回首页", "Back to the home page")


@pytest.mark.parametrize("path,lang,message", [
    ("/institutions/999999", "zh", "没有编号为 999999 的机构。"),
    ("/institutions/999999", "en", "There is no institution with id 999999."),
    ("/regions/999999", "zh", "没有代码为 999999 的行政区划。"),
    ("/regions/999999", "en", "There is no administrative division with code 999999."),
])
def test_unknown_institution_or_region_is_404_with_a_translated_message(sample_client, path, lang, message):
    response = sample_client.get(f"{path}?lang={lang}")
    assert response.status_code == 404
    assert parse(response.data).by_class("error-message")[0].text == message


def test_markup_in_an_unknown_code_is_escaped(sample_client):
    response = sample_client.get("/regions/<script>alert(1)<%2Fscript>")
    assert response.status_code == 404
    assert b"<script>alert" not in response.data


def test_wrong_method_on_a_page_is_405_page(sample_client):
    response = sample_client.post("/institutions?lang=en")
    assert response.status_code == 405
    assert response.mimetype == "text/html"
    assert parse(response.data).find("h1").text == "Method not allowed"


def test_api_errors_stay_json(sample_client):
    response = sample_client.get("/api/v1/institutions/999999")
    assert response.status_code == 404
    assert response.json["code"] == 404 and response.json["status"] == "Not Found"


def test_out_of_range_institution_id_is_404_not_500(sample_client):
    assert sample_client.get("/institutions/99999999999999999999").status_code == 404
    assert sample_client.get("/institutions/0").status_code == 404
