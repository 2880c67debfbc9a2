"""Events for the SME who needs them: the area an event is open to, the registration form that
follows it, and suggestions beyond the SME's own chain (elsewhere in its province, then national)."""
from events_support import GUSU, KUNSHAN, at, event_body, open_event
from html_reading import parse

NANJING, NANJING_GULOU, HANGZHOU_XIHU = "320100", "320106", "330106"


def suggested(client, need, region_code):
    response = client.post("/api/v1/match", json={"need": need, "region_code": region_code})
    assert response.status_code == 200
    return [(e["title"], e["scope"]) for e in response.json["events"]]


def nanjing_event(client, add_institution, headers, **overrides):
    organizer = add_institution("南京市中小企业服务中心", "municipal", NANJING, ("financing",))
    response = client.post("/api/v1/events", json=event_body(
        organizer, title="南京市专精特新企业融资对接会", starts_at=at(12, 9), ends_at=at(12, 17),
        sessions=[], **overrides), headers=headers)
    assert response.status_code == 201, response.json
    return response.json


def test_an_event_says_which_area_it_is_open_to(client, add_institution, make_admin):
    headers = make_admin()
    event = open_event(client, add_institution, headers)
    assert event["open_to"] == "own" and event["open_area"]["code"] == "320500"
    widened = client.patch(f"/api/v1/events/{event['id']}", json={"open_to": "province"}, headers=headers).json
    assert widened["open_to"] == "province" and widened["open_area"] == {
        "code": "320000", "name": "江苏省", "level": "province"}
    everyone = client.patch(f"/api/v1/events/{event['id']}", json={"open_to": "nationwide"}, headers=headers).json
    assert everyone["open_area"] is None
    refused = client.patch(f"/api/v1/events/{event['id']}", json={"open_to": "everywhere"}, headers=headers)
    assert refused.status_code == 422 and "open_to" in refused.json["errors"]
    page = parse(client.get(f"/events/{event['id']}").data)
    assert "全国企业均可报名" in page.find("dd", data_open_to="nationwide").text


def test_the_registration_form_offers_every_division_of_the_open_area(client, add_institution, make_admin):
    headers = make_admin()
    event = open_event(client, add_institution, headers)
    options = {o.attrs["value"] for o in parse(client.get(f"/events/{event['id']}").data).find_all("option")}
    assert GUSU in options and KUNSHAN in options and NANJING_GULOU not in options
    client.patch(f"/api/v1/events/{event['id']}", json={"open_to": "province"}, headers=headers)
    page = parse(client.get(f"/events/{event['id']}").data)
    options = {o.attrs["value"] for o in page.find_all("option")}
    assert {GUSU, KUNSHAN, NANJING_GULOU} <= options and HANGZHOU_XIHU not in options
    assert "江苏省及下辖地区的企业" in page.find("dd", data_open_to="province").text


def test_an_sme_without_a_local_event_sees_those_elsewhere_in_its_province_labelled(
        client, add_institution, make_admin):
    headers = make_admin()
    nanjing_event(client, add_institution, headers)
    # Kunshan has no event of its own: the Nanjing one is shown, as elsewhere in the province.
    assert suggested(client, "想申请贷款", KUNSHAN) == [("南京市专精特新企业融资对接会", "province")]
    assert suggested(client, "想申请贷款", NANJING_GULOU) == [("南京市专精特新企业融资对接会", "local")]
    assert suggested(client, "想申请贷款", HANGZHOU_XIHU) == []          # another province
    assert suggested(client, "你好", KUNSHAN) == []                         # no need, no event


def test_events_open_to_the_smes_area_come_first_like_its_own(client, add_institution, make_admin):
    headers = make_admin()
    suzhou = open_event(client, add_institution, headers)                    # Suzhou, open to Suzhou only
    nanjing = nanjing_event(client, add_institution, headers, open_to="province")
    found = suggested(client, "想用专利做质押贷款", KUNSHAN)
    assert found == [(suzhou["title"], "local"), (nanjing["title"], "open_to_you")]
    national_organiser = add_institution("国家中小企业发展促进中心", "national", None, ("financing",))
    created = client.post("/api/v1/events", json=event_body(
        national_organiser, title="全国中小企业投融资路演", starts_at=at(3, 9), ends_at=at(3, 17),
        registration_deadline=at(2, 17), sessions=[]), headers=headers)
    assert created.status_code == 201, created.json
    found = suggested(client, "想用专利做质押贷款", KUNSHAN)
    assert found[-1] == ("全国中小企业投融资路演", "national") and len(found) == 3


def test_the_finder_shows_events_labelled_before_the_providers(client, add_institution, make_admin):
    headers = make_admin()
    nanjing_event(client, add_institution, headers)
    add_institution("昆山市中小企业服务中心", "county", KUNSHAN, ("financing",))
    page = client.get("/find", query_string={"need": "想申请贷款", "region_code": KUNSHAN})
    html = page.get_data(as_text=True)
    assert html.index('class="finder-events"') < html.index('class="provider-cards"')
    item = parse(page.data).find("li", data_scope="province")
    assert "省内其他地区" in item.text and "南京市专精特新企业融资对接会" in item.text
    english = client.get("/find", query_string={"need": "loan", "region_code": KUNSHAN, "lang": "en"})
    assert "Elsewhere in your province" in english.get_data(as_text=True)
