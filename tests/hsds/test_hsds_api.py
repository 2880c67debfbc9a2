"""/hsds: the read-only HSDS 3.0 API: envelope, parameters, filters, errors, public data only."""
import json
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from directory.database import write_session
from directory.hsds import mapping
from directory.institutions.models import Institution
from hsds.validation import assert_valid

SUZHOU, GUSU, NANJING = "320500", "320508", "320100"
ENVELOPE = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}


@pytest.fixture
def registry(add_institution, client):
    """Three public institutions and a closed one."""
    ids = {
        "suzhou": add_institution("苏州市中小企业公共服务中心", "municipal", SUZHOU, services=("ip", "policy"),
                                  description="知识产权与政策服务", phone="0512-65012345", email="sz@example.cn",
                                  website="https://sz.example.cn", address="苏州市姑苏区人民路100号",
                                  demonstration_platform=True),
        "gusu": add_institution("姑苏区中小企业服务站", "county", GUSU, services=("financing",)),
        "national": add_institution("国家中小企业发展促进中心", "national", None, services=("policy", "talent")),
        "closed": add_institution("南京市已关闭服务中心", "municipal", NANJING, services=("ip",), status="closed"),
    }
    return ids


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.json)
    return response.json


def test_service_list_is_the_hsds_page_of_active_institutions_services(client, registry):
    page = get(client, "/hsds/services?per_page=2")
    assert set(page) == ENVELOPE
    assert (page["total_items"], page["total_pages"], page["page_number"], page["size"]) == (5, 3, 1, 2)
    assert page["first_page"] and not page["last_page"] and not page["empty"]
    last = get(client, "/hsds/services?per_page=2&page=3")
    assert last["last_page"] and last["size"] == 1 and not last["first_page"]
    beyond = get(client, "/hsds/services?per_page=2&page=99")
    assert beyond["empty"] and beyond["contents"] == [] and beyond["total_items"] == 5
    everything = get(client, "/hsds/services?per_page=200")["contents"]
    assert {s["name"] for s in everything} == {
        "苏州市中小企业公共服务中心 · 知识产权", "苏州市中小企业公共服务中心 · 政策服务", "姑苏区中小企业服务站 · 投融资服务",
        "国家中小企业发展促进中心 · 政策服务", "国家中小企业发展促进中心 · 人才服务"}
    assert_valid(everything, "compiled/service_list.json")


def test_chinese_is_unescaped_and_private_fields_never_appear(client, registry):
    response = client.get("/hsds/organizations?full=true")
    text = response.get_data(as_text=True)
    assert "苏州市中小企业公共服务中心" in text and "\\u" not in text
    assert "南京市已关闭服务中心" not in text
    for private in ("verified_by", "verified_at", "merged_into_id", "created_at"):
        assert private not in text


def test_ids_are_uuids_that_stay_the_same(client, registry):
    first = get(client, "/hsds/services?full=true")["contents"]
    again = get(client, "/hsds/services?full=true")["contents"]
    assert [s["id"] for s in first] == [s["id"] for s in again]
    assert all(uuid.UUID(s["id"]).version == 5 for s in first)
    assert mapping.service_id(registry["suzhou"], "ip") in {s["id"] for s in first}


def test_filters_by_term_taxonomy_organization_and_search(client, registry):
    ip_term = mapping.term_id(mapping.CATEGORIES, "ip")
    assert {s["name"] for s in get(client, f"/hsds/services?taxonomy_term_id={ip_term}")["contents"]} == {
        "苏州市中小企业公共服务中心 · 知识产权"}
    jiangsu = mapping.term_id(mapping.DIVISIONS, "320000")
    assert get(client, f"/hsds/services?taxonomy_term_id={jiangsu}")["total_items"] == 3
    county = mapping.term_id(mapping.LEVELS, "county")
    assert get(client, f"/hsds/services?taxonomy_term_id={county}")["total_items"] == 1
    designations = mapping.taxonomy_id(mapping.DESIGNATIONS)
    assert get(client, f"/hsds/services?taxonomy_id={designations}")["total_items"] == 2
    org = mapping.organization_id(registry["national"])
    assert {s["organization_id"] for s in get(client, f"/hsds/services?organization_id={org}")["contents"]} == {org}
    assert get(client, "/hsds/services?search=人才")["total_items"] == 1
    assert get(client, "/hsds/services?search=姑苏")["total_items"] == 1
    assert get(client, f"/hsds/services?taxonomy_term_id={uuid.uuid4()}")["total_items"] == 0
    assert get(client, "/hsds/organizations?search=%25")["total_items"] == 0   # a LIKE wildcard is just text


def test_modified_after_and_metadata_come_from_the_audit_history(app, client, registry, make_admin):
    with app.app_context(), write_session() as session, session.begin():
        session.execute(update(Institution).values(updated_at=datetime(2020, 1, 1, tzinfo=timezone.utc)))
    future = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()
    past = (datetime.now(timezone.utc) - timedelta(hours=1)).isoformat()
    assert get(client, "/hsds/services?" + json_query(modified_after=future))["total_items"] == 0
    assert get(client, "/hsds/services?" + json_query(modified_after=past))["total_items"] == 5
    org = mapping.organization_id(registry["gusu"])
    metadata = get(client, f"/hsds/organizations/{org}")["metadata"][0]
    assert metadata["last_action_date"] == datetime.now(timezone.utc).date().isoformat()
    assert metadata["last_action_type"] == "create" and metadata["updated_by"] == "cli"
    response = client.patch(f"/api/v1/institutions/{registry['gusu']}", json={"phone": "0512-68001234"},
                            headers=make_admin())
    assert response.status_code == 200
    metadata = get(client, f"/hsds/organizations/{org}")["metadata"][0]
    assert metadata["last_action_type"] == "update" and metadata["updated_by"] == "national"
    service = get(client, f"/hsds/services/{mapping.service_id(registry['gusu'], 'financing')}")
    assert datetime.fromisoformat(service["last_modified"]) > datetime.now(timezone.utc) - timedelta(minutes=5)


def json_query(**values) -> str:
    from urllib.parse import urlencode
    return urlencode(values)


def test_single_records_are_fully_nested_and_valid(client, registry):
    sid = mapping.service_id(registry["suzhou"], "ip")
    service = get(client, f"/hsds/services/{sid}")
    assert service["organization"]["name"] == "苏州市中小企业公共服务中心"
    assert service["service_areas"][0]["name"] == "江苏省 / 苏州市"
    assert service["attributes"][0]["taxonomy_term"]["name"] == "知识产权"
    assert_valid([service], "service.json")
    org = get(client, f"/hsds/organizations/{mapping.organization_id(registry['suzhou'])}")
    assert {s["id"] for s in org["services"]} == {sid, mapping.service_id(registry["suzhou"], "policy")}
    attributes = {(a["link_type"], a["taxonomy_term"]["code"]): a["value"] for a in org["attributes"]}
    assert attributes == {("sme-levels", "municipal"): "municipal", ("gb-t-2260-divisions", SUZHOU): SUZHOU,
                          ("sme-designations", "national_demo_platform"): ""}   # the value is the batch (none)
    assert org["phones"][0]["number"] == "0512-65012345" and org["website"] == "https://sz.example.cn"
    assert_valid([org], "organization.json")
    full = get(client, f"/hsds/organizations/{mapping.organization_id(registry['suzhou'])}?full_service=true")
    assert_valid(full["services"], "service.json")
    link = get(client, f"/hsds/service_at_locations/{mapping.service_at_location_id(registry['suzhou'], 'ip')}")
    assert link["location"]["addresses"][0]["address_1"] == "苏州市姑苏区人民路100号"
    assert_valid([link], "service_at_location.json")
    term = get(client, f"/hsds/taxonomy_terms/{mapping.term_id(mapping.DIVISIONS, GUSU)}")
    assert term["name"] == "姑苏区" and term["parent_id"] == mapping.term_id(mapping.DIVISIONS, SUZHOU)
    taxonomy = get(client, f"/hsds/taxonomies/{mapping.taxonomy_id(mapping.LEVELS)}")
    assert taxonomy["name"] == "sme-levels"


def test_taxonomy_terms_page_through_small_vocabularies_then_divisions(client, registry):
    categories = get(client, f"/hsds/taxonomy_terms?taxonomy_id={mapping.taxonomy_id(mapping.CATEGORIES)}")
    assert [t["code"] for t in categories["contents"]][:2] == ["policy", "financing"]
    assert categories["total_items"] == 10
    children = get(client, f"/hsds/taxonomy_terms?parent_id={mapping.term_id(mapping.DIVISIONS, SUZHOU)}")
    assert "姑苏区" in {t["name"] for t in children["contents"]}
    everything = get(client, "/hsds/taxonomy_terms?per_page=200")
    small = 10 + 4 + 4 + 1
    second = get(client, "/hsds/taxonomy_terms?per_page=10&page=2")["contents"]
    assert [t["taxonomy"] for t in second][:9] == ["sme-levels"] * 4 + ["sme-designations"] * 4 + ["sme-operators"]
    assert [t["code"] for t in second][4:8] == ["national_demo_platform", "provincial_demo_platform",
                                                "national_base", "provincial_base"]
    assert second[4]["name"] == "国家中小企业公共服务示范平台"
    assert second[9]["taxonomy"] == "gb-t-2260-divisions" and everything["total_items"] > small + 3000
    assert_valid(everything["contents"], "taxonomy_term.json")
    tops = get(client, "/hsds/taxonomy_terms?top_only=true&per_page=200")
    assert tops["total_items"] == small + 34   # provinces and the special regions
    assert_valid(get(client, "/hsds/taxonomies")["contents"], "taxonomy.json")


def test_root_describes_the_api(client):
    about = get(client, "/hsds/")
    assert about["version"] == "3.0" and about["openapi_url"].endswith("/api/v1/openapi.json")


@pytest.mark.parametrize("url, field", [
    ("/hsds/services?per_page=0", "per_page"), ("/hsds/services?per_page=201", "per_page"),
    ("/hsds/services?page=0", "page"), ("/hsds/services?page=abc", "page"),
    ("/hsds/services?taxonomy_term_id=ip", "taxonomy_term_id"), ("/hsds/services?organization_id=1", "organization_id"),
    ("/hsds/services?modified_after=yesterday", "modified_after"), ("/hsds/services?full=maybe", "full"),
    ("/hsds/services?format=ndjson", "format"), ("/hsds/service_at_locations?postcode=215000", "postcode"),
    ("/hsds/organizations?search=" + "长" * 101, "search"), ("/hsds/taxonomy_terms?parent_id=abc", "parent_id"),
])
def test_bad_parameters_are_422_naming_the_parameter(client, url, field):
    response = client.get(url)
    assert response.status_code == 422, url
    body = response.json
    assert {"code", "status", "message", "errors"} <= body.keys()
    assert field in json.dumps(body["errors"]), body


@pytest.mark.parametrize("kind", ["services", "organizations", "taxonomies", "taxonomy_terms", "service_at_locations"])
def test_unknown_ids_are_404_with_a_message(client, registry, kind):
    unknown = str(uuid.uuid4())
    response = client.get(f"/hsds/{kind}/{unknown}")
    assert response.status_code == 404 and unknown in response.json["message"]
    for malformed in ("not-a-uuid", "1", "inst-2-ip"):
        response = client.get(f"/hsds/{kind}/{malformed}")
        assert response.status_code == 404 and response.json["code"] == 404


def test_closed_institutions_records_are_not_found(client, registry):
    assert client.get(f"/hsds/organizations/{mapping.organization_id(registry['closed'])}").status_code == 404
    assert client.get(f"/hsds/services/{mapping.service_id(registry['closed'], 'ip')}").status_code == 404


def test_no_login_needed_and_writes_refused(client, registry):
    assert client.get("/hsds/services").status_code == 200
    assert client.post("/hsds/services", json={}).status_code == 405
    assert client.delete(f"/hsds/organizations/{mapping.organization_id(registry['gusu'])}").status_code == 405
