"""The whole sample network (~1,780 institutions): every exported record and every HSDS API response
validates against the official schemas (format checker on); the API pages in SQL quickly."""
import time

import pytest
from sqlalchemy import func, select

from directory import create_app
from directory.database import get_engine
from directory.hsds.export import export_institutions, hsds_package
from directory.institutions.models import Institution, InstitutionStatus
from directory.institutions.service import institutions_query
from sqlmodel import Session

from hsds.validation import assert_valid, problems

PACKAGE_SCHEMAS = {"organizations": "organization.json", "services": "service.json",
                   "taxonomies": "taxonomy.json", "taxonomy_terms": "taxonomy_term.json"}


@pytest.fixture(scope="module")
def sample_package(sample_database_url):
    """The whole sample network as one HSDS package (built once per engine)."""
    app = create_app({"DATABASE_URL": sample_database_url, "TESTING": True})
    with app.app_context(), Session(get_engine()) as session:
        institutions = export_institutions(session, institutions_query())
        yield hsds_package(session, institutions), len(institutions)
        get_engine().dispose()


def test_every_exported_record_of_the_sample_network_is_valid(sample_package):
    package, institutions = sample_package
    checked = {key: assert_valid(package[key], schema, where=f"{key}: ") for key, schema in PACKAGE_SCHEMAS.items()}
    assert checked["organizations"] == institutions >= 1700
    assert checked["services"] > 6000 and checked["taxonomies"] == 5
    ids = [r["id"] for key in PACKAGE_SCHEMAS for r in package[key]]
    assert len(ids) == len(set(ids))
    print(f"\nHSDS export: {sum(checked.values())} records exported, {sum(checked.values())} valid ({checked})")


def test_exported_records_link_to_each_other(sample_package):
    package, _count = sample_package
    organizations = {o["id"]: o for o in package["organizations"]}
    locations = {loc["id"] for o in organizations.values() for loc in o["locations"]}
    terms = {t["id"] for t in package["taxonomy_terms"]}
    for service in package["services"]:
        assert service["organization_id"] in organizations
        assert {link["location_id"] for link in service["service_at_locations"]} <= locations
        assert {a["taxonomy_term_id"] for a in service["attributes"]} <= terms
    for organization in organizations.values():
        assert {a["taxonomy_term_id"] for a in organization["attributes"]} <= terms
    parents = {t["parent_id"] for t in package["taxonomy_terms"] if "parent_id" in t}
    assert parents <= terms


def test_a_broken_record_is_named_with_its_path():
    record = {"id": "inst-2-ip", "name": "x", "status": "open", "taxonomy_ids": ["ip"]}
    found = problems(record, "service.json")
    assert any("'inst-2-ip'" in p and "$.id" in p and "uuid" in p for p in found), found
    assert any("$.status" in p for p in found), found
    valid = {"id": "0b6f7c1e-2f0e-5d4e-9a53-1d7f0a3c2b11", "name": "x", "status": "active", "taxonomy_ids": ["ip"]}
    assert any("closed" in p and "taxonomy_ids" in p for p in problems(valid, "service.json"))


def walk(client, url: str) -> list[dict]:
    """Every record of a list endpoint, page by page (200 a page), checking the envelope on the way."""
    records, page = [], 1
    while True:
        body = client.get(f"{url}{'&' if '?' in url else '?'}per_page=200&page={page}").json
        assert body["page_number"] == page and body["size"] == len(body["contents"])
        records += body["contents"]
        if body["last_page"]:
            assert len(records) == body["total_items"]
            return records
        page += 1


@pytest.mark.parametrize("url, schema", [
    ("/hsds/services", "compiled/service_list.json"),
    ("/hsds/services?full=true", "service.json"),
    ("/hsds/organizations", "compiled/organization_list.json"),
    ("/hsds/organizations?full=true", "organization.json"),
    ("/hsds/service_at_locations", "compiled/service_at_location_list.json"),
    ("/hsds/service_at_locations?full=true", "service_at_location.json"),
    ("/hsds/taxonomy_terms", "taxonomy_term.json"),
    ("/hsds/taxonomies", "taxonomy.json"),
])
def test_every_api_response_on_the_sample_network_is_valid(sample_app, sample_client, url, schema):
    records = walk(sample_client, url)
    assert_valid(records, schema, where=f"{url}: ")
    with sample_app.app_context(), Session(get_engine()) as session:
        active = session.scalar(select(func.count()).select_from(Institution)
                                .where(Institution.status == InstitutionStatus.active))
    if url.startswith("/hsds/organizations"):
        assert len(records) == active


def test_single_records_of_the_sample_network_are_valid(sample_client):
    services = sample_client.get("/hsds/services?per_page=200&page=7").json["contents"][::20]
    organization_ids = {s["organization_id"] for s in services}
    assert_valid([sample_client.get(f"/hsds/services/{s['id']}").json for s in services], "service.json")
    assert_valid([sample_client.get(f"/hsds/organizations/{o}?full_service=true").json for o in organization_ids],
                 "organization.json")


def test_pages_are_fast_on_the_sample_network(sample_client):
    sample_client.get("/hsds/services?per_page=1")   # warm up
    for url in ("/hsds/services?full=true&page=30", "/hsds/organizations?full=true&page=30",
                "/hsds/service_at_locations?page=100", "/hsds/taxonomy_terms?page=60",
                "/hsds/services?search=苏州&full=true"):
        started = time.perf_counter()
        response = sample_client.get(url)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200 and response.json["size"] > 0, url
        assert elapsed < 1.5, f"{url} took {elapsed:.2f}s"
