"""The history page reads like the registry: field names, categories, divisions, yes/no and the
kind of change in the user's language, times in China Standard Time."""
from html_reading import page_text, parse


def login(client, make_admin):
    from html_reading import csrf_token_in
    make_admin("national", password="correct-horse-battery")
    page = client.get("/admin/login")
    client.post("/admin/login", data={"csrf_token": csrf_token_in(page.get_data(as_text=True)),
                                      "username": "national", "password": "correct-horse-battery"})


def test_history_shows_names_not_codes_in_either_language(client, make_admin, add_institution):
    headers = make_admin("api-admin")
    iid = add_institution("苏州市姑苏区中小企业服务中心", "county", "320508", ("policy",))
    assert client.patch(f"/api/v1/institutions/{iid}", json={
        "services": ["policy", "ip"], "region_code": "320583", "demonstration_platform": True},
        headers=headers).status_code == 200
    login(client, make_admin)
    page = client.get(f"/admin/institutions/{iid}/history")
    assert page.status_code == 200
    text = page_text(page.data)
    row = parse(page.data).find("tr", data_field="services")
    assert "服务类别" in row.text and "知识产权、政策服务" in row.text and "ip" not in row.text.split()
    assert "昆山市（320583）" in parse(page.data).find("tr", data_field="region_code").text
    assert "是" in parse(page.data).find("tr", data_field="demonstration_platform").text
    assert "北京时间" in text and "修改" in text and "新建" in text
    assert "update" not in text and "create" not in text and "False" not in text and "True" not in text
    english = page_text(client.get(f"/admin/institutions/{iid}/history?lang=en").data)
    services = parse(client.get(f"/admin/institutions/{iid}/history?lang=en").data).find("tr", data_field="services")
    assert "Services" in services.text and "政策服务" not in services.text and "ip" not in services.text.split()
    assert "Changed" in english and "服务类别" not in english and "update" not in english
