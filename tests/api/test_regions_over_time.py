"""Retired divisions in the API and pages: answered with their successors, left out of lists,
refused as a place for institutions, events and registrations (end-2024 edition)."""
import json

import pytest

from directory.database import write_session
from directory.institutions.models import Institution, InstitutionLevel
from events_support import open_event, registration
from error_body import error_keys

MILIN_COUNTY, MILIN_CITY, CONA_COUNTY, CONA_CITY = "540422", "540481", "540530", "540581"


def test_a_retired_code_is_answered_as_retired_with_its_successor(client):
    body = client.get(f"/api/v1/regions/{MILIN_COUNTY}").json
    assert body["status"] == "retired" and body["retired_on"] == "2023-04-03"
    assert body["successors"] == [{"code": MILIN_CITY, "name": "米林市", "level": "county"}]
    # the fields it always had are still there
    assert body["name"] == "米林县" and body["level"] == "county" and body["parent_code"] == "540400"
    assert [p["name"] for p in body["path"]] == ["西藏自治区", "林芝市", "米林县"]


def test_a_new_division_says_when_it_came_into_force_and_from_what(client):
    body = client.get(f"/api/v1/regions/{MILIN_CITY}").json
    assert body["status"] == "in_force" and body["in_force_from"] == "2023-04-03" and body["retired_on"] is None
    assert body["predecessors"] == [{"code": MILIN_COUNTY, "name": "米林县", "level": "county"}]
    assert body["successors"] == []
    assert client.get("/api/v1/regions/320583").json["in_force_from"] is None   # older than the first edition known


@pytest.mark.parametrize("code, name, parent", [("659012", "白杨市", "650000"), ("653228", "和康县", "653200"),
                                                ("653229", "和安县", "653200"), ("540581", "错那市", "540500")])
def test_the_divisions_created_in_2023_and_2024_exist_with_parent_and_a_point(client, code, name, parent):
    body = client.get(f"/api/v1/regions/{code}").json
    assert (body["name"], body["parent_code"], body["status"]) == (name, parent, "in_force")
    assert body["longitude"] is not None and body["latitude"] is not None


def test_lists_show_divisions_in_force_unless_asked(client):
    assert [r["code"] for r in client.get("/api/v1/regions?q=米林").json] == [MILIN_CITY]
    assert [r["code"] for r in client.get("/api/v1/regions?q=米林&status=all").json] == [MILIN_COUNTY, MILIN_CITY]
    retired = client.get("/api/v1/regions?status=retired").json
    assert [(r["code"], r["status"]) for r in retired] == [(MILIN_COUNTY, "retired"), (CONA_COUNTY, "retired")]
    children = [c["code"] for c in client.get("/api/v1/regions/540400").json["children"]]
    assert MILIN_CITY in children and MILIN_COUNTY not in children
    listed = [r["code"] for r in client.get("/api/v1/regions?parent_code=540500&page_size=100").json]
    assert CONA_CITY in listed and CONA_COUNTY not in listed


@pytest.mark.parametrize("status", ["retiredd", "", "ALL", "in_force;drop"])
def test_a_bad_status_filter_is_422(client, status):
    response = client.get("/api/v1/regions", query_string={"status": status})
    assert response.status_code == 422 and "status" in response.json["errors"]


def _hint(response) -> str:
    assert response.status_code == 422, response.json
    assert set(response.json) == error_keys(422)
    return " ".join(response.json["errors"]["region_code"])


def test_creating_an_institution_in_a_retired_code_is_refused_with_the_successor(client, make_admin):
    headers = make_admin()
    body = {"name": "米林县中小企业服务中心", "level": "county", "region_code": MILIN_COUNTY, "services": ["policy"]}
    hint = _hint(client.post("/api/v1/institutions", json=body, headers=headers))
    assert "retired on 2023-04-03" in hint and "540481 米林市" in hint
    assert client.post("/api/v1/institutions", json=body | {"region_code": MILIN_CITY},
                       headers=headers).status_code == 201


def test_moving_an_institution_into_a_retired_code_is_refused(client, make_admin, add_institution):
    headers = make_admin()
    institution_id = add_institution("错那市中小企业服务中心", "county", CONA_CITY)
    hint = _hint(client.patch(f"/api/v1/institutions/{institution_id}", json={"region_code": CONA_COUNTY},
                              headers=headers))
    assert "540581 错那市" in hint
    assert client.get(f"/api/v1/institutions/{institution_id}").json["region_code"] == CONA_CITY


def _left_in_retired_code(app, name: str) -> int:
    """An institution still placed in a retired division, as one waiting to be placed is."""
    with app.app_context(), write_session() as session, session.begin():
        institution = Institution(name=name, level=InstitutionLevel.county, region_code=MILIN_COUNTY)
        institution.services = ["policy", "financing"]
        session.add(institution)
        session.flush()
        return institution.id


def test_an_institution_waiting_to_be_placed_can_still_be_edited(app, client, make_admin):
    headers = make_admin()
    institution_id = _left_in_retired_code(app, "米林县科技企业孵化器")
    response = client.patch(f"/api/v1/institutions/{institution_id}", json={"phone": "0894-5821234"},
                            headers=headers)
    assert response.status_code == 200 and response.json["region_code"] == MILIN_COUNTY
    placed = client.patch(f"/api/v1/institutions/{institution_id}", json={"region_code": MILIN_CITY}, headers=headers)
    assert placed.status_code == 200 and placed.json["region_code"] == MILIN_CITY


def test_an_event_of_an_organiser_in_a_retired_code_is_refused(app, client, make_admin):
    from events_support import event_body

    headers = make_admin()
    organizer = _left_in_retired_code(app, "米林县中小企业融资服务中心")
    response = client.post("/api/v1/events", json=event_body(organizer), headers=headers)
    assert response.status_code == 422
    message = " ".join(response.json["errors"]["organizer_id"])
    assert "retired on 2023-04-03" in message and "540481 米林市" in message


def test_registering_from_a_retired_code_is_refused_with_the_successor(client, make_admin, add_institution):
    headers = make_admin()
    event = open_event(client, add_institution, headers)
    url = f"/api/v1/events/{event['id']}/registrations"
    hint = _hint(client.post(url, json=registration(1, region_code=CONA_COUNTY)))
    assert "540581 错那市" in hint
    assert client.post(url, json=registration(1, region_code=CONA_CITY)).status_code == 201
    assert json.loads(client.get(f"/api/v1/events/{event['id']}").get_data())["id"] == event["id"]


def test_the_page_of_a_retired_division_names_its_successor(client):
    page = client.get(f"/regions/{MILIN_COUNTY}").get_data(as_text=True)
    assert "该行政区划已于 2023-04-03 撤销" in page and f'href="/regions/{MILIN_CITY}"' in page
    english = client.get(f"/regions/{MILIN_COUNTY}?lang=en").get_data(as_text=True)
    assert "This division was retired on 2023-04-03." in english
    new = client.get(f"/regions/{MILIN_CITY}?lang=zh").get_data(as_text=True)
    assert "由以下已撤销的区划变更而来" in new and f'href="/regions/{MILIN_COUNTY}"' in new
