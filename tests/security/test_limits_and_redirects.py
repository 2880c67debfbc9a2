"""Oversized bodies are a clean 413 (never a 500), and no redirect leaves the site
(SECURITY.md "Upload limits" and "Redirects")."""
import io
from urllib.parse import quote, urlsplit

import pytest
from pages.html_reading import csrf_token_in, page_text

PASSWORD = "correct-horse-battery"
TOO_BIG = b"a" * (11 * 1024 * 1024)   # MAX_CONTENT_LENGTH is 10 MB


def log_in(client, username: str = "national", next_: str | None = None):
    form = client.get("/admin/login" + ("" if next_ is None else "?next=" + quote(next_, safe="")))
    data = {"csrf_token": csrf_token_in(form.data), "username": username, "password": PASSWORD}
    if next_ is not None:
        data["next"] = next_
    return client.post("/admin/login", data=data)


def test_an_oversized_api_import_is_a_413_contract_body(client, make_admin):
    headers = make_admin() | {"Content-Type": "text/csv"}
    response = client.post("/api/v1/institutions/import", data=TOO_BIG, headers=headers)
    assert response.status_code == 413
    assert response.json["code"] == 413 and response.json["status"] == "Request Entity Too Large"
    assert "10 MB" in response.json["message"] and response.json["errors"] == {}


def test_an_oversized_api_upload_as_a_file_is_a_413(client, make_admin):
    response = client.post("/api/v1/institutions/import", headers=make_admin(),
                           data={"file": (io.BytesIO(TOO_BIG), "big.csv")}, content_type="multipart/form-data")
    assert response.status_code == 413 and response.json["code"] == 413


def test_an_oversized_json_body_is_a_413(client, make_admin):
    response = client.post("/api/v1/institutions", data=b'{"name": "' + TOO_BIG + b'"}', headers=make_admin(),
                           content_type="application/json")
    assert response.status_code == 413 and response.json["code"] == 413


@pytest.mark.parametrize("path", ["/admin/import", "/admin/login", "/events/1/register"])
def test_an_oversized_form_is_a_413_page(client, make_admin, path):
    make_admin()
    if path == "/admin/import":
        assert log_in(client).status_code == 303
    response = client.post(path, data={"file": (io.BytesIO(TOO_BIG), "big.csv")}, content_type="multipart/form-data")
    assert response.status_code == 413
    assert response.mimetype == "text/html"
    text = page_text(response.data)
    assert "413" in text and "10 MB" in text
    assert response.headers["Content-Security-Policy"]


HOSTILE_TARGETS = ["https://evil.example", "//evil.example", "/\\evil.example", "\\\\evil.example",
                   "javascript:alert(1)", "%2F%2Fevil.example", "/%0d%0aLocation:%20http://evil",
                   "/\r\nLocation: http://evil", "///evil.example", "/\t/evil.example", "https:evil.example",
                   " //evil.example", "http://localhost@evil.example", "/admin/../\\\\evil.example"]


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_login_never_redirects_off_the_site(client, make_admin, target):
    make_admin()
    response = log_in(client, next_=target)
    assert response.status_code == 303
    location = urlsplit(response.headers["Location"])
    assert location.netloc in ("", "localhost") and location.scheme in ("", "http")
    assert location.path.startswith("/") and not location.path.startswith("//")
    assert "\\" not in response.headers["Location"] and "\n" not in response.headers["Location"]
    # Already logged in: the GET shortcut applies the same check.
    again = client.get("/admin/login?next=" + quote(target, safe=""))
    assert urlsplit(again.headers["Location"]).netloc in ("", "localhost")
    assert not urlsplit(again.headers["Location"]).path.startswith("//")


def test_a_local_next_is_followed(client, make_admin):
    make_admin()
    response = log_in(client, next_="/admin/institutions?q=%E8%8B%8F%E5%B7%9E")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/admin/institutions?q=%E8%8B%8F%E5%B7%9E")

