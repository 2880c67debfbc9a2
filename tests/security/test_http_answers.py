"""Smaller promises of the HTTP interface: ``Allow`` on every 405, X-Pagination documented as the
JSON text it is, empty PATCH bodies refused, blank required fields named as such."""
import json

import pytest
from events_support import open_event, registration

PROBE_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def concrete(rule) -> str:
    """A URL of ``rule`` with every variable filled in with something plausible."""
    url = rule.rule
    for name in rule.arguments:
        url = url.replace(f"<id:{name}>", "1").replace(f"<{name}>", "1").replace(f"<path:{name}>", "x")
    return url


def test_every_405_lists_the_allowed_methods(app):
    client = app.test_client()
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "<" in concrete(rule):
            continue
        url = concrete(rule)
        allowed = {m for r in app.url_map.iter_rules() if concrete(r) == url for m in r.methods}
        for method in set(PROBE_METHODS) - allowed:
            response = client.open(url, method=method)
            if response.status_code != 405:       # another rule matched the filled-in URL
                continue
            assert set(response.headers["Allow"].split(", ")) >= allowed - {"OPTIONS"}, (method, url)
            checked += 1
    assert checked > 50


@pytest.mark.parametrize("url", ["/api/v1/categories", "/regions"])
def test_a_405_says_allow_for_api_and_pages(client, url):
    response = client.delete(url)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_x_pagination_is_documented_as_the_json_text_sent(client):
    document = client.get("/api/v1/openapi.json").json
    header = document["components"]["headers"]["PAGINATION"]
    assert header["schema"]["type"] == "string" and "JSON" in header["description"]
    sent = client.get("/api/v1/institutions").headers["X-Pagination"]
    assert isinstance(json.loads(sent), dict)
    assert set(json.loads(header["schema"]["example"])) <= {"total", "total_pages", "first_page", "last_page",
                                                              "page", "previous_page", "next_page"}


@pytest.mark.parametrize("body", [None, {}])
def test_an_empty_patch_is_a_422(client, make_admin, add_institution, body):
    headers = make_admin()
    institution = add_institution("苏州市知识产权服务中心", "municipal", "320500", ("ip",))
    event = open_event(client, add_institution, headers)
    for url in (f"/api/v1/institutions/{institution}", f"/api/v1/events/{event['id']}"):
        response = client.patch(url, json=body, headers=headers) if body is not None else client.patch(
            url, headers=headers)
        assert response.status_code == 422, url
        assert response.json["errors"] == {"_schema": ["Send at least one field to change; the body was empty."]}


@pytest.mark.parametrize("value", ["", "   ", None])
def test_a_blank_required_field_says_it_is_required(client, make_admin, add_institution, value):
    event = open_event(client, add_institution, make_admin())
    response = client.post(f"/api/v1/events/{event['id']}/registrations", json=registration(1, credit_code=value))
    assert response.status_code == 422
    assert response.json["errors"]["credit_code"] == ["Required: may not be empty."]
    institution = client.post("/api/v1/institutions", json={"name": value, "level": "national", "services": ["ip"]},
                              headers=make_admin("second-national"))
    assert institution.json["errors"]["name"] == ["Required: may not be empty."]
