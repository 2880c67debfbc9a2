"""Security headers (SECURITY.md "Headers"): on pages, API JSON, static files and error pages."""
import pytest
from pages.html_reading import parse

HTML_PAGES = ["/", "/institutions", "/regions", "/find?need=%E8%B4%B7%E6%AC%BE", "/events", "/stats",
              "/admin/login", "/api/v1/docs"]
OTHER_RESPONSES = ["/api/v1/institutions", "/api/v1/openapi.json", "/static/css/site.css",
                   "/static/js/swagger-init.js", "/no-such-page", "/api/v1/no-such-thing", "/institutions/999999",
                   "/admin/"]
EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def directives(policy: str) -> dict[str, list[str]]:
    """``{"script-src": ["'self'"], ...}`` from a Content-Security-Policy value."""
    parsed = {}
    for directive in filter(None, (part.strip() for part in policy.split(";"))):
        name, *sources = directive.split()
        parsed[name] = sources
    return parsed


@pytest.mark.parametrize("url", HTML_PAGES + OTHER_RESPONSES)
def test_every_response_carries_the_security_headers(sample_client, url):
    response = sample_client.get(url)
    assert response.status_code < 500
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, name
    assert response.headers.get("Permissions-Policy")
    policy = directives(response.headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert "Strict-Transport-Security" not in response.headers   # plain HTTP: no HSTS


@pytest.mark.parametrize("url", HTML_PAGES)
def test_pages_allow_neither_inline_scripts_nor_inline_styles(sample_client, url):
    policy = directives(sample_client.get(url).headers["Content-Security-Policy"])
    assert policy["style-src"] == ["'self'"]
    assert not any("unsafe" in source for sources in policy.values() for source in sources)


@pytest.mark.parametrize("url", ["/", "/api/v1/institutions", "/static/css/site.css", "/no-such-page"])
def test_hsts_is_sent_over_https(sample_client, url):
    response = sample_client.get(url, base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_hsts_follows_the_proxy_only_when_it_is_trusted(sample_database_url, monkeypatch):
    from directory import create_app

    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    monkeypatch.delenv("SME_TRUST_PROXY", raising=False)
    untrusted = create_app({"DATABASE_URL": sample_database_url, "TESTING": True}).test_client()
    assert "Strict-Transport-Security" not in untrusted.get("/regions", headers=forwarded).headers
    monkeypatch.setenv("SME_TRUST_PROXY", "1")
    trusted = create_app({"DATABASE_URL": sample_database_url, "TESTING": True}).test_client()
    assert "Strict-Transport-Security" in trusted.get("/regions", headers=forwarded).headers
    assert "Strict-Transport-Security" not in trusted.get("/regions").headers


def test_templates_hold_no_inline_script_or_style(sample_client):
    for url in HTML_PAGES:
        page = parse(sample_client.get(url).data)
        for script in page.find_all("script"):
            assert script.attrs.get("src"), f"inline <script> on {url}"
        assert not page.find_all(style=True), f"style= attribute on {url}"
        assert not page.find_all("style"), f"<style> element on {url}"
