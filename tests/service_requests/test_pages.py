"""The SME's pages: "请联系我" on /find, the request form, the tracking page with rating and reopening."""
from pages.html_reading import csrf_token_in
from service_request_support import GUSU, NEED


def _form(client, url):
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return page.get_data(as_text=True)


def _send(client, network, **changes):
    html = _form(client, f"/service-requests/new?need={NEED}&region_code={GUSU}&institution_id={network['county']}")
    data = {"csrf_token": csrf_token_in(html), "need": NEED, "region_code": GUSU,
            "institution_id": str(network["county"]), "enterprise_name": "姑苏示例机械有限公司", "contact_name": "王经理",
            "contact_phone": "13812345678", "contact_email": "", "credit_code": "", "consent": "yes"} | changes
    return client.post("/service-requests/new", data={k: v for k, v in data.items() if v is not None})


def test_find_offers_ask_them_to_contact_me(client, network):
    html = _form(client, f"/find?need={NEED}&region_code=320000&region_code=320500&region_code={GUSU}")
    assert f'data-contact-me="{network["county"]}"' in html and "请联系我" in html
    assert f'data-contact-me="{network["hangzhou"]}"' not in html


def test_the_form_is_filled_from_find_and_leads_to_the_tracking_page(client, network):
    html = _form(client, f"/service-requests/new?need={NEED}&region_code={GUSU}&institution_id={network['county']}")
    assert NEED in html and "姑苏区中小企业服务中心" in html and "我同意" in html
    sent = _send(client, network)
    assert sent.status_code == 303 and "/service-requests/track/" in sent.headers["Location"]
    tracking = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert 'data-request-status="open"' in tracking and "13812345678" not in tracking
    again = _send(client, network)
    assert again.status_code == 200 and "data-duplicate-of" in again.get_data(as_text=True)


def test_without_consent_or_with_a_bad_phone_the_form_says_why(client, network):
    refused = _send(client, network, consent=None, contact_phone="12345")
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "须同意" in html and "大陆号码" in html
    english = client.get("/service-requests/new?lang=en")
    assert english.status_code == 200


def test_the_sme_rates_and_the_tracking_page_shows_it(client, network, make_staff):
    location = _send(client, network).headers["Location"]
    token = location.rsplit("/", 1)[1]
    request = client.get(f"/api/v1/service-requests/track/{token}").json
    staff = make_staff("gusu-desk", network["county"])
    url = f"/api/v1/service-requests/{request['id']}/assignments/{request['assignments'][0]['id']}"
    client.patch(url, json={"action": "accept"}, headers=staff)
    client.patch(url, json={"action": "resolve", "outcome": "resolved", "note": "已办妥"}, headers=staff)
    html = _form(client, location)
    assert 'data-action="rate"' in html and 'data-action="reopen"' in html
    bad = client.post(f"{location}/feedback", data={"csrf_token": csrf_token_in(html), "rating": "9"})
    assert bad.status_code == 422
    rated = client.post(f"{location}/feedback", data={"csrf_token": csrf_token_in(html), "rating": "4",
                                                     "comment": "很及时"})
    assert rated.status_code == 303
    html = _form(client, location)
    assert 'data-rating="4"' in html and 'data-action="rate"' not in html


def test_an_unknown_tracking_link_is_404(client, network):
    assert client.get("/service-requests/track/" + "x" * 43).status_code == 404
