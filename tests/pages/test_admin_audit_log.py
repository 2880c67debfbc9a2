"""The whole-registry audit log: who did what and when, filtered, readable, within scope."""
from admin_forms import log_in
from html_reading import page_text, parse

SUZHOU, HANGZHOU = "320500", "330100"


def entry_ids(page) -> list[int]:
    return [int(row.attrs["data-entry-id"]) for row in parse(page.data).find_all("tr", data_entry_id=True)]


def test_the_log_lists_changes_newest_first_filtered_and_readable(client, make_admin, add_institution):
    api = make_admin("api-admin")
    make_admin("national")
    suzhou = add_institution("苏州市中小企业服务中心", "municipal", SUZHOU, ("policy",))
    assert client.patch(f"/api/v1/institutions/{suzhou}", json={"services": ["policy", "ip"]},
                        headers=api).status_code == 200
    assert client.patch(f"/api/v1/institutions/{suzhou}", json={"phone": "0512-1"}, headers={
        "Authorization": "Bearer wrong"}).status_code == 401
    log_in(client, "national")
    page = client.get("/admin/audit")
    assert page.status_code == 200
    rows = parse(page.data).find_all("tr", data_entry_id=True)
    assert [r.attrs["data-action"] for r in rows][:2] == ["update", "create"]      # newest first
    text = page_text(page.data)
    assert "修改" in text and "服务类别" in text and "知识产权、政策服务" in text and "苏州市中小企业服务中心" in text
    assert "update" not in text.split() and "北京时间" in text
    only_api = client.get("/admin/audit?actor=api-admin")
    assert entry_ids(only_api) and all(r.text.count("api-admin") for r in
                                        parse(only_api.data).find_all("tr", data_entry_id=True))
    creates = parse(client.get("/admin/audit?action=create&entity=institution").data)
    assert [r.attrs["data-action"] for r in creates.find_all("tr", data_entry_id=True)] == ["create"]
    assert entry_ids(client.get("/admin/audit?until=2000-01-01")) == []
    assert entry_ids(client.get("/admin/audit?since=2000-01-01"))
    bad = client.get("/admin/audit?since=yesterday")
    assert bad.status_code == 200 and "since" in page_text(bad.data)          # ignored and said so
    english = page_text(client.get("/admin/audit?lang=en").data)
    assert "Audit log" in english and "Changed" in english and "服务类别" not in english


def test_a_scoped_administrator_sees_only_its_division_and_its_own_actions(client, make_admin, add_institution):
    make_admin("suzhou", region_code=SUZHOU)
    national = make_admin("api-admin")
    add_institution("苏州市知识产权服务中心", "municipal", SUZHOU, ("ip",))
    hangzhou = add_institution("杭州市中小企业服务中心", "municipal", HANGZHOU, ("policy",))
    client.patch(f"/api/v1/institutions/{hangzhou}", json={"phone": "0571-12345678"}, headers=national)
    log_in(client, "suzhou")
    text = page_text(client.get("/admin/audit").data)
    assert "苏州市知识产权服务中心" in text and "杭州市中小企业服务中心" not in text
    assert "杭州" not in page_text(client.get("/admin/audit?entity=institution&action=update").data)


def test_the_log_needs_a_login(client):
    response = client.get("/admin/audit")
    assert response.status_code in (302, 303) and "/admin/login" in response.headers["Location"]
