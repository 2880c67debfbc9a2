"""Stored XSS (SECURITY.md "Escaping"): hostile text saved through the API renders inert on every
page that shows it, and ``javascript:`` links are refused when saved and never rendered."""
from urllib.parse import quote, urlsplit

import pytest
from events_support import GUSU, add_financier, at, event_body, registration
from pages.html_reading import csrf_token_in, parse

SCRIPT = "<script>alert(1)</script>"
BREAK_OUT = '"><img src=x onerror=alert(1)>'
ATTRIBUTE = '" onmouseover="alert(1)'
PAYLOAD = f"{SCRIPT}{BREAK_OUT}{ATTRIBUTE}"   # 80 characters: fits every text field but names of people
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
PASSWORD = "correct-horse-battery"


def assert_inert(html: bytes, url: str) -> None:
    """No payload survives as markup: no script, no injected element or event-handler attribute."""
    raw = html.decode()
    assert "<script>alert" not in raw.lower(), url
    assert "<img src=x" not in raw.lower(), url
    page = parse(html)
    for element in page.iter():
        handlers = [name for name in element.attrs if name.startswith("on")]
        assert not handlers, f"{url}: <{element.tag}> has {handlers}"
        assert not (element.tag == "img" and element.attrs.get("src") == "x"), url
        if element.tag == "script":
            assert element.attrs.get("src") and "alert" not in element.text, url
        href = element.attrs.get("href")
        if href is not None:
            scheme = urlsplit(href.strip()).scheme.lower()
            assert scheme in SAFE_SCHEMES or not scheme, f"{url}: href {href!r}"


def log_in(client, username: str = "national") -> None:
    form = client.get("/admin/login")
    response = client.post("/admin/login", data={"csrf_token": csrf_token_in(form.data), "username": username,
                                                 "password": PASSWORD})
    assert response.status_code == 303


@pytest.fixture
def hostile(client, make_admin):
    """An institution, an event, a financier and a registration whose text fields hold the payloads."""
    headers = make_admin()
    institution = client.post("/api/v1/institutions", headers=headers, json={
        "name": PAYLOAD, "level": "county", "region_code": GUSU, "services": ["financing", "policy"],
        "description": PAYLOAD, "address": PAYLOAD, "website": "https://example.com/?q=" + quote(PAYLOAD)})
    assert institution.status_code == 201, institution.json
    financier = add_financier(client, headers, "银行" + PAYLOAD)
    event = client.post("/api/v1/events", headers=headers, json=event_body(
        institution.json["id"], [financier], title=PAYLOAD, venue=PAYLOAD, description=PAYLOAD))
    assert event.status_code == 201, event.json
    signed_up = client.post(f"/api/v1/events/{event.json['id']}/registrations", json=registration(
        1, enterprise_name="企业" + PAYLOAD, need="贷款" + PAYLOAD, contact_name=BREAK_OUT))
    assert signed_up.status_code == 201, signed_up.json
    return {"institution": institution.json["id"], "event": event.json["id"],
            "confirmation": urlsplit(signed_up.json["confirmation_url"]).path}


def public_pages(ids: dict) -> list[str]:
    return ["/", "/institutions", "/institutions?q=" + quote(SCRIPT), "/institutions?q=" + quote(PAYLOAD),
            f"/institutions/{ids['institution']}", "/regions/320500", f"/regions/{GUSU}",
            f"/find?region_code={GUSU}&need=" + quote("贷款" + PAYLOAD),
            f"/find?need={quote(PAYLOAD)}&store_need=1", "/events", f"/events/{ids['event']}",
            ids["confirmation"], "/stats", "/stats?lang=en"]


def admin_pages(ids: dict) -> list[str]:
    return ["/admin/", "/admin/institutions", "/admin/institutions?q=" + quote(PAYLOAD),
            f"/admin/institutions/{ids['institution']}/edit", f"/admin/institutions/{ids['institution']}/history",
            f"/admin/events/{ids['event']}", "/admin/accounts"]


def test_hostile_text_is_shown_escaped_on_every_public_page(client, hostile):
    for url in public_pages(hostile):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.data, url)
    detail = parse(client.get(f"/institutions/{hostile['institution']}").data)
    assert PAYLOAD in detail.text   # shown as text, not dropped


def test_hostile_text_is_shown_escaped_on_every_admin_page(client, hostile):
    log_in(client)
    for url in admin_pages(hostile):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.data, url)
    manage = parse(client.get(f"/admin/events/{hostile['event']}").data)
    assert "企业" + PAYLOAD in manage.text


def test_hostile_text_is_escaped_in_english_too(client, hostile):
    for url in (f"/institutions/{hostile['institution']}?lang=en", f"/events/{hostile['event']}?lang=en"):
        assert_inert(client.get(url).data, url)


@pytest.mark.parametrize("link", ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
                                  "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)"])
def test_script_links_are_refused_when_saved(client, make_admin, link):
    headers = make_admin()
    created = client.post("/api/v1/institutions", headers=headers, json={
        "name": "苏州市姑苏区中小企业服务中心", "level": "county", "region_code": GUSU, "services": ["policy"],
        "website": link})
    assert created.status_code == 422 and "website" in created.json["errors"]
    fine = client.post("/api/v1/institutions", headers=headers, json={
        "name": "苏州市姑苏区中小企业服务中心", "level": "county", "region_code": GUSU, "services": ["policy"]})
    patched = client.patch(f"/api/v1/institutions/{fine.json['id']}", headers=headers, json={"website": link})
    assert patched.status_code == 422 and "website" in patched.json["errors"]


def test_a_script_link_is_refused_as_an_event_address(client, make_admin, add_institution):
    headers = make_admin()
    organizer = add_institution("苏州市中小企业服务中心", "municipal", "320500", ("financing",))
    response = client.post("/api/v1/events", headers=headers, json=event_body(
        organizer, online_url="javascript:alert(1)", starts_at=at(12, 9), ends_at=at(12, 17)))
    assert response.status_code == 422 and "online_url" in response.json["errors"]
