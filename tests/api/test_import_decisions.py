"""Import of XLSX files, normalised duplicate detection and per-row decisions (API and CLI)."""
import io
import json

from openpyxl import Workbook

HEADER = "name,level,region_code,services\n"
EXISTING = "苏州市中小企业公共服务中心"
NEAR = "苏州市中小企业服务中心"


def post(client, data: bytes, headers, query="", decisions=None, filename="x.csv"):
    form = {"file": (io.BytesIO(data), filename)}
    if decisions is not None:
        form["decisions"] = json.dumps(decisions)
    return client.post(f"/api/v1/institutions/import{query}", headers=headers, data=form,
                       content_type="multipart/form-data")


def workbook(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def institutions(client, region_code="320500"):
    return client.get(f"/api/v1/institutions?region_code={region_code}&page_size=100").json


def test_xlsx_upload_creates_rows_with_numeric_codes_and_chinese_headers(client, make_admin):
    data = workbook([["名称", "层级", "地区代码", "服务类别", "电话"],
                     ["昆山市中小企业服务中心", "县级", 320583, "policy;ip", "0512-57000001"],
                     [None, None, None, None, None],
                     ["苏州市知识产权服务中心", "municipal", 320500.0, "ip", None]])
    body = post(client, data, make_admin(), filename="x.xlsx").json
    assert body["rejected"] == [] and body["created"] == 2 and body["applied"]
    kunshan = institutions(client, "320583")[0]
    assert kunshan["level"] == "county" and sorted(kunshan["services"]) == ["ip", "policy"]
    assert [r["action"] for r in body["rows"]] == ["create", "create"] and [r["row"] for r in body["rows"]] == [2, 4]


def test_xlsx_row_errors_are_numbered_as_in_the_sheet(client, make_admin):
    data = workbook([["name", "level", "region_code", "services"],
                     ["昆山市中小企业服务中心", "county", "320583", "policy"],
                     ["太仓市中小企业服务中心", "provincial", "320585", "policy"]])
    body = post(client, data, make_admin(), filename="x.xlsx").json
    assert [(r["row"], r["field"]) for r in body["rejected"]] == [(3, "region_code")] and not body["applied"]
    assert institutions(client, "320583") == []


def test_garbage_and_broken_workbooks_get_a_clear_file_error(client, make_admin):
    headers = make_admin()
    for data in (bytes(range(256)) * 4, b"PK\x03\x04 not really a zip", b"\xd0\xcf\x11\xe0" + b"\x00" * 100):
        body = post(client, data, headers).json
        assert [(r["row"], r["field"]) for r in body["rejected"]] == [(0, "file")], data[:4]
        assert body["rejected"][0]["message"] and not body["applied"]


def test_near_duplicate_after_normalisation_is_reported_with_similarity(client, make_admin, add_institution):
    existing = add_institution(EXISTING, "municipal", "320500")
    text = HEADER + f"{NEAR},municipal,320500,policy\n蘇州市中小企業服務中心,municipal,320500,ip\n"
    body = post(client, text.encode(), make_admin(), "?dry_run=true").json
    first, second = body["possible_duplicates"]
    assert first["row"] == 2 and first["existing_id"] == existing and first["similar_to"] == f"id {existing}"
    assert 85 <= first["similarity"] < 100
    # Traditional characters fold to the same normalised name: the existing institution still wins.
    assert second["row"] == 3 and second["existing_id"] == existing


def test_duplicate_of_another_row_names_that_row(client, make_admin):
    text = HEADER + f"{NEAR},municipal,320500,policy\n{NEAR}站,municipal,320500,policy\n"
    body = post(client, text.encode(), make_admin(), "?dry_run=true").json
    [duplicate] = body["possible_duplicates"]
    assert duplicate["row"] == 3 and duplicate["other_row"] == 2 and duplicate["similarity"] >= 85


def test_decisions_skip_update_and_create_each_do_what_they_say(client, make_admin, add_institution):
    existing = add_institution(EXISTING, "municipal", "320500")
    other = add_institution("苏州市科技创新服务中心", "municipal", "320500")
    text = HEADER + (f"{NEAR},municipal,320500,policy;financing\n"
                     "苏州市科技创新服务总中心,municipal,320500,technology\n"
                     "苏州市科技创新服务中心站,municipal,320500,technology\n")
    body = post(client, text.encode(), make_admin(), decisions={"2": "update", "3": "skip", "4": "create"}).json
    assert body["applied"] and (body["created"], body["updated"], body["skipped"]) == (1, 1, 1)
    assert [(r["row"], r["action"]) for r in body["rows"]] == [(2, "update"), (3, "skip"), (4, "create")]
    assert body["rows"][0]["institution_id"] == existing
    listed = {i["name"]: i for i in institutions(client)}
    assert set(listed) == {EXISTING, "苏州市科技创新服务中心", "苏州市科技创新服务中心站"}   # the name stays
    assert listed[EXISTING]["id"] == existing and sorted(listed[EXISTING]["services"]) == ["financing", "policy"]
    assert listed["苏州市科技创新服务中心"]["id"] == other


def test_without_decision_a_duplicate_is_created_and_reported(client, make_admin, add_institution):
    add_institution(EXISTING, "municipal", "320500")
    body = post(client, (HEADER + f"{NEAR},municipal,320500,policy\n").encode(), make_admin()).json
    assert body["created"] == 1 and body["possible_duplicates"] and body["applied"]
    assert len(institutions(client)) == 2


def test_any_rejected_row_applies_nothing_even_with_decisions(client, make_admin, add_institution):
    existing = add_institution(EXISTING, "municipal", "320500", phone="0512-60000000")
    text = HEADER + (f"{NEAR},municipal,320500,policy;ip\n"
                     "张家港市中小企业服务中心,county,320582,horoscopes\n")
    body = post(client, text.encode(), make_admin(), decisions={"2": "update", "3": "skip"}).json
    assert not body["applied"] and body["created"] == body["updated"] == 0
    assert [(r["row"], r["field"]) for r in body["rejected"]] == [(3, "services")]
    [kept] = institutions(client)
    assert kept["id"] == existing and kept["name"] == EXISTING and kept["services"] == ["policy"]


def test_decisions_that_do_not_fit_are_rejected(client, make_admin, add_institution):
    add_institution("昆山市中小企业服务中心", "county", "320583")
    text = HEADER + (f"{NEAR},municipal,320500,policy\n"         # no existing look-alike: cannot update
                     "昆山市中小企业服务中心,county,320583,ip\n")   # exact match: already an update
    body = post(client, text.encode(), make_admin(), decisions={"2": "update", "3": "create", "9": "skip"}).json
    assert {(r["row"], r["field"]) for r in body["rejected"]} == {(2, "decision"), (3, "decision"), (9, "decision")}
    assert institutions(client) == []


def test_malformed_decisions_are_a_422(client, make_admin):
    data, headers = (HEADER + f"{NEAR},municipal,320500,policy\n").encode(), make_admin()
    for decisions in ('{"2": "merge"}', "not json", '["skip"]'):
        response = client.post(f"/api/v1/institutions/import?decisions={decisions}", headers=headers,
                               data=data, content_type="text/csv")
        assert response.status_code == 422 and "decisions" in response.json["errors"]


def test_cli_accepts_xlsx_and_decisions(runner, client, add_institution, tmp_path):
    existing = add_institution(EXISTING, "municipal", "320500")
    sheet = tmp_path / "institutions.xlsx"
    sheet.write_bytes(workbook([["name", "level", "region_code", "services"],
                                [NEAR, "municipal", "320500", "ip"],
                                ["昆山市中小企业服务中心", "county", "320583", "policy"]]))
    decisions = tmp_path / "decisions.json"
    decisions.write_text(json.dumps({"2": "update"}))
    dry = runner.invoke(args=["import-institutions", str(sheet), "--dry-run"])
    assert dry.exit_code == 0 and f"row 2: possible duplicate of id {existing}" in dry.output
    assert "2 institution(s) would be created" in dry.output
    result = runner.invoke(args=["import-institutions", str(sheet), "--decisions", str(decisions)])
    assert result.exit_code == 0, result.output
    assert "1 institution(s) were created, 1 were updated" in result.output
    [updated] = institutions(client)
    assert updated["id"] == existing and updated["services"] == ["ip"]
    decisions.write_text('{"2": "merge"}')
    bad = runner.invoke(args=["import-institutions", str(sheet), "--decisions", str(decisions)])
    assert bad.exit_code == 2 and "merge" in bad.output
