"""POST /api/v1/institutions/import: all rows or none, per-row errors, duplicates, scope."""
import io

HEADER = "name,level,region_code,services\n"


def post(client, text: str, headers, query="", as_upload=False):
    url = f"/api/v1/institutions/import{query}"
    if as_upload:
        return client.post(url, headers=headers, data={"file": (io.BytesIO(text.encode()), "x.csv")},
                           content_type="multipart/form-data")
    return client.post(url, headers=headers, data=text.encode(), content_type="text/csv")


def names(client):
    return sorted(i["name"] for i in client.get("/api/v1/institutions?page_size=100").json)


def test_csv_body_creates_rows(client, make_admin):
    text = HEADER + "昆山市中小企业服务中心,county,320583,policy\n苏州市中小企业公共服务中心,municipal,320500,policy;ip\n"
    body = post(client, text, make_admin()).json
    assert body["created"] == 2 and body["updated"] == 0 and body["rejected"] == [] and body["applied"]
    assert names(client) == ["昆山市中小企业服务中心", "苏州市中小企业公共服务中心"]


def test_upload_with_dry_run_reports_without_writing(client, make_admin):
    text = HEADER + "昆山市中小企业服务中心,county,320583,policy\n"
    body = post(client, text, make_admin(), "?dry_run=true", as_upload=True).json
    assert body["created"] == 1 and body["dry_run"] and not body["applied"]
    assert names(client) == []


def test_any_rejected_row_changes_nothing(client, make_admin, add_institution):
    existing = add_institution("昆山市中小企业服务中心", "county", "320583")
    text = ("id,name,level,region_code,services\n"
            f"{existing},昆山市中小企业服务中心（新）,county,320583,policy\n"
            ",常熟市中小企业服务中心,county,320581,policy\n"
            ",太仓市中小企业服务中心,provincial,320585,policy\n"
            ",张家港市中小企业服务中心,county,320582,horoscopes\n"
            "999999,无此机构,county,320582,policy\n")
    body = post(client, text, make_admin()).json
    assert body["created"] == 0 and body["updated"] == 0 and not body["applied"]
    assert {(r["row"], r["field"]) for r in body["rejected"]} == {(4, "region_code"), (5, "services"), (6, "id")}
    assert names(client) == ["昆山市中小企业服务中心"]


def test_unknown_columns_are_listed_and_a_missing_required_one_reported_on_the_header(client, make_admin):
    body = post(client, "name,level,colour\nx,county,red\n", make_admin()).json
    assert {(r["row"], r["field"]) for r in body["rejected"]} == {(1, "services")}
    assert body["ignored_columns"] == ["colour"]


def test_possible_duplicates_of_existing_and_other_rows(client, make_admin, add_institution):
    existing = add_institution("苏州市中小企业公共服务中心", "municipal", "320500")
    text = HEADER + ("苏州市中小企业公共服务中心站,municipal,320500,policy\n"
                     "昆山市中小企业服务中心,county,320583,policy\n"
                     "昆山市中小企业服务中心站,county,320583,policy\n"
                     "杭州市中小企业公共服务中心,municipal,330100,policy\n")
    body = post(client, text, make_admin(), "?dry_run=true").json
    pairs = {(d["row"], d["similar_to"]) for d in body["possible_duplicates"]}
    assert pairs == {(2, f"id {existing}"), (4, "row 3")}


def test_rows_repeating_each_other_are_rejected(client, make_admin):
    text = HEADER + "昆山市中小企业服务中心,county,320583,policy\n昆山市中小企业服务中心,county,320583,ip\n"
    body = post(client, text, make_admin()).json
    assert [(r["row"], r["field"]) for r in body["rejected"]] == [(3, "name")]


def test_rows_outside_the_administrators_scope_are_rejected(client, make_admin):
    text = HEADER + "昆山市中小企业服务中心,county,320583,policy\n杭州市中小企业公共服务中心,municipal,330100,policy\n"
    body = post(client, text, make_admin("jiangsu", region_code="320000")).json
    assert [(r["row"], r["field"]) for r in body["rejected"]] == [(3, "region_code")]
    assert names(client) == []


def test_import_needs_a_token_and_a_body(client, make_admin):
    assert post(client, HEADER, {}).status_code == 401
    response = client.post("/api/v1/institutions/import", headers=make_admin())
    assert response.status_code == 400 and "CSV" in response.json["message"]


def test_binary_garbage_gets_a_clear_report(client, make_admin):
    response = client.post("/api/v1/institutions/import", headers=make_admin(),
                           data=bytes(range(256)) * 4, content_type="text/csv")
    assert response.status_code == 200
    assert response.json["rejected"] and not response.json["applied"]
