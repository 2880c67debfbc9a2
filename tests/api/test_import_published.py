"""POST /api/v1/institutions/import with lists shaped as governments publish them."""
import io
import json

from published_lists import PLATFORMS, TITLE, as_csv, as_xlsx, list_rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def post(client, data: bytes, headers, query="", *, mapping=None, filename="名单.csv"):
    form = {"file": (io.BytesIO(data), filename)}
    if mapping is not None:
        form["mapping"] = json.dumps(mapping, ensure_ascii=False)
    return client.post(f"/api/v1/institutions/import{query}", headers=headers, data=form,
                       content_type="multipart/form-data")


def institutions(client) -> dict[str, dict]:
    found, page = {}, 1
    while True:
        batch = client.get(f"/api/v1/institutions?page_size=100&page={page}").json
        found.update((i["name"], i) for i in batch)
        if len(batch) < 100:
            return found
        page += 1


def test_a_published_csv_list_of_47_platforms_goes_in_with_nothing_rejected(client, make_admin):
    data = as_csv(list_rows())
    admin = make_admin()
    dry = post(client, data, admin, "?dry_run=true").json
    assert dry["rejected"] == [] and dry["created"] == 47 and not dry["applied"]
    assert dry["ignored_columns"] == ["序号", "备注"]
    assert {c["title"]: c["field"] for c in dry["columns"]}["所在地区"] == "region_code"
    body = post(client, data, admin).json
    assert body["applied"] and body["created"] == 47 and body["rejected"] == []
    saved = institutions(client)
    assert len(saved) == 47
    for province, prefecture, county, name, _operator, _services, level in PLATFORMS:
        assert saved[name]["level"] == level, name
        assert saved[name]["region_path"][-1]["name"] == (county or prefecture or province), name
    assert saved["芜湖市中小企业公共服务平台"]["region_code"] == "340200"
    assert saved["芜湖市中小企业公共服务平台"]["services"] == ["financing", "management", "policy", "talent"]


def test_the_report_shows_the_categories_and_the_inferred_level_of_each_row(client, make_admin):
    body = post(client, as_csv(list_rows()), make_admin(), "?dry_run=true").json
    wuhu = next(r for r in body["rows"] if r["name"] == "芜湖市中小企业公共服务平台")
    assert wuhu["row"] == 24   # title row 1, header row 2, 序号 22 on row 24
    assert wuhu["level"] == "municipal" and wuhu["level_inferred"] is True
    assert set(wuhu["categories"]) == {"policy", "financing", "talent", "management"}


def test_the_same_list_as_a_workbook_with_merged_title_and_note_cells(client, make_admin):
    body = post(client, as_xlsx(list_rows()), make_admin(), filename="名单.xlsx").json
    assert body["rejected"] == [] and body["created"] == 47 and body["applied"]
    assert institutions(client)["昆山市中小企业服务平台"]["region_code"] == "320583"


def test_separate_province_city_county_columns_in_gb18030(client, make_admin):
    data = as_csv(list_rows(separate_place_columns=True), encoding="gb18030")
    body = post(client, data, make_admin()).json
    assert body["rejected"] == [] and body["created"] == 47
    saved = institutions(client)
    assert saved["南京市鼓楼区科技创业服务平台"]["region_code"] == "320106"
    assert saved["福州市鼓楼区中小企业服务平台"]["region_code"] == "350102"
    assert saved["海淀区中小企业科技创新服务平台"]["level"] == "county"


def _hostile_list() -> bytes:
    return as_csv([
        [TITLE],
        ["序号", "平台名称", "所在地区", "服务内容", "电子邮箱", "备注"],
        ["1", "鼓楼区中小企业服务平台", "鼓楼区", "政策咨询、投融资", "", ""],
        ["2", "火星市中小企业服务平台", "火星市", "政策咨询", "", ""],
        ["3", "芜湖市创业服务平台", "安徽省芜湖市", "", "", ""],
        ["4", "芜湖市综合服务平台", "安徽芜湖", "欢迎来电垂询", "", ""],
        ["5", "无名地服务平台", "无名地", "投融资", "not-an-email", ""],
        ["6", "芜湖市知识产权服务平台", "浙江省芜湖市", "知识产权", "", ""],
        ["7", "合肥市中小企业服务平台", "安徽省合肥市", "融资担保", "hf@example.cn", ""],
        ["注：以上为测试数据。"],
    ])


def test_hostile_rows_each_get_every_problem_with_column_and_chinese(client, make_admin):
    body = post(client, _hostile_list(), make_admin()).json
    assert not body["applied"] and body["created"] == 0
    problems = {(r["row"], r["field"], r["column"]) for r in body["rejected"]}
    assert problems == {(3, "region_code", "所在地区"), (4, "region_code", "所在地区"),
                        (5, "services", "服务内容"), (6, "services", "服务内容"),
                        (7, "region_code", "所在地区"), (7, "email", "电子邮箱"),
                        (8, "region_code", "所在地区")}
    by_row = {r["row"]: r for r in body["rejected"] if r["field"] == "region_code"}
    assert "320106" in by_row[3]["message"] and "350102" in by_row[3]["message"]
    assert "对应多个行政区划" in by_row[3]["message_zh"] and "江苏省/南京市/鼓楼区" in by_row[3]["message_zh"]
    assert "火星市" in by_row[4]["message_zh"] and "没有名为" in by_row[4]["message_zh"]
    assert "340200 芜湖市" in by_row[8]["message"]   # the place read at the end, under another province
    email = next(r for r in body["rejected"] if r["field"] == "email")
    assert email["message"] == "Not a valid email address." and email["message_zh"] == "不是有效的电子邮箱地址。"
    services = next(r for r in body["rejected"] if r["row"] == 6)
    assert "欢迎来电垂询" in services["message"] and "识别不出服务类别" in services["message_zh"]
    assert institutions(client) == {}


def test_a_level_column_decides_and_the_municipality_rule_holds(client, make_admin):
    data = as_csv([["名称", "所在地", "级别", "服务内容"],
                   ["北京市中小企业服务中心", "北京市", "", "政策咨询"],
                   ["北京市中小企业发展促进中心", "北京市", "市级", "投融资"],
                   ["朝阳区中小企业服务中心", "北京市朝阳区", "", "人才培训"],
                   ["国家中小企业发展促进中心", "", "", "政策服务"],
                   ["苏州工业园区服务中心", "江苏省苏州市", "县级", "政策咨询"]])
    body = post(client, data, make_admin(), "?dry_run=true").json
    levels = {r["row"]: (r.get("level"), r.get("level_inferred")) for r in body["rows"]}
    assert levels[2] == ("provincial", True) and levels[3] == ("municipal", False)
    assert levels[4] == ("county", True) and levels[5] == ("national", True)
    assert [(r["row"], r["field"], r["column"]) for r in body["rejected"]] == [(6, "region_code", "所在地")]
    assert "县级机构须位于县级行政区" in body["rejected"][0]["message_zh"]


def test_an_explicit_mapping_reads_a_column_nobody_recognises(client, make_admin):
    admin = make_admin()
    data = as_csv([["平台（基地）全称", "所在地区", "服务内容", "序号"], ["芜湖市中小企业服务平台", "安徽省芜湖市", "投融资", "1"]])
    without = post(client, data, admin, "?dry_run=true").json
    assert [(r["row"], r["field"]) for r in without["rejected"]] == [(1, "name")]
    assert "平台（基地）全称" in without["ignored_columns"]
    body = post(client, data, admin, mapping={"平台（基地）全称": "name", "所在地区": "region_code"}).json
    assert body["applied"] and body["created"] == 1 and body["ignored_columns"] == ["序号"]


def test_a_mapping_can_also_ignore_a_recognised_column(client, make_admin):
    admin = make_admin()
    data = as_csv([["名称", "服务内容", "联系电话"], ["芜湖市中小企业服务平台", "投融资", "电话待定"]])
    assert post(client, data, admin, "?dry_run=true").json["rejected"][0]["field"] == "phone"
    body = post(client, data, admin, "?dry_run=true", mapping={"联系电话": "ignore"}).json
    assert body["rejected"] == [] and body["ignored_columns"] == ["联系电话"]


def test_a_malformed_mapping_is_a_422_naming_the_mapping(client, make_admin):
    admin = make_admin()
    data = as_csv([["名称", "服务内容"], ["芜湖市中小企业服务平台", "投融资"]])
    for bad in ('{"名称": "colour"}', "[1, 2]", "{not json", '{"名称": 3}'):
        response = client.post("/api/v1/institutions/import?dry_run=true", headers=admin,
                               data={"file": (io.BytesIO(data), "x.csv"), "mapping": bad},
                               content_type="multipart/form-data")
        assert response.status_code == 422, bad
        assert set(response.json["errors"]) == {"mapping"}
    query = "?dry_run=true&mapping=" + json.dumps({"名称": "name"})
    assert post(client, data, admin, query).json["created"] == 1


def test_a_row_naming_an_existing_institution_by_name_and_place_words_updates_it(client, make_admin, add_institution):
    existing = add_institution("芜湖市中小企业公共服务平台", "municipal", "340200", services=("policy",))
    admin = make_admin()
    data = as_csv([[TITLE], ["序号", "平台名称", "所在地区", "服务内容", "网址"],
                   ["1", "芜湖市中小企业公共服务平台", "安徽芜湖", "政策咨询、投融资", "www.whsme.cn"]])
    body = post(client, data, admin).json
    assert body["applied"] and body["updated"] == 1 and body["created"] == 0
    saved = client.get(f"/api/v1/institutions/{existing}").json
    assert saved["services"] == ["financing", "policy"] and saved["website"] == "http://www.whsme.cn"


def test_an_update_by_id_without_place_or_level_keeps_them(client, make_admin, add_institution):
    existing = add_institution("昆山市中小企业服务中心", "county", "320583")
    admin = make_admin()
    body = post(client, as_csv([["编号", "服务内容", "联系电话"], [str(existing), "知识产权、法律咨询", "0512-57000001"]]),
                admin).json
    assert body["applied"] and body["updated"] == 1, body["rejected"]
    saved = client.get(f"/api/v1/institutions/{existing}").json
    assert (saved["level"], saved["region_code"], saved["services"]) == ("county", "320583", ["ip", "legal"])


def test_codes_names_and_sentences_mix_and_an_unknown_code_is_named(client, make_admin):
    admin = make_admin()
    data = as_csv([["name", "region_code", "services"],
                   ["苏州市服务中心", "320500", "policy; Intellectual property; 投融资服务; 人才培训"],
                   ["常州市服务中心", "320400", "policy; horoscopes"]])
    body = post(client, data, admin, "?dry_run=true").json
    assert [(r["row"], r["field"], r["message"]) for r in body["rejected"]] == [
        (3, "services", "Unknown service category: horoscopes.")]
    assert set(body["rows"][0]["categories"]) == {"policy", "ip", "financing", "talent"}


def test_an_update_at_a_municipality_keeps_its_municipal_level(client, make_admin, add_institution):
    existing = add_institution("北京市中小企业发展促进中心", "municipal", "110000")
    admin = make_admin()
    body = post(client, as_csv([["名称", "所在地区", "服务内容"], ["北京市中小企业发展促进中心", "北京市", "投融资"]]),
                admin).json
    assert body["applied"] and body["updated"] == 1
    assert body["rows"][0]["level"] == "municipal" and body["rows"][0]["level_inferred"] is False
    assert client.get(f"/api/v1/institutions/{existing}").json["level"] == "municipal"


def test_operator_and_batch_columns_become_the_operator_and_a_designation(client, make_admin):
    text = ("2023年度国家中小企业公共服务示范平台名单\n"
            "序号,平台名称,运营单位,所在地区,服务内容,批次\n"
            "1,芜湖市中小企业公共服务平台,芜湖市中小企业服务中心,安徽省芜湖市,政策咨询、投融资,2023年第八批\n"
            "2,昆山市中小企业服务中心,昆山市工业技术研究院,江苏苏州昆山,人才培训,2023-11-20\n")
    body = post(client, text.encode(), make_admin()).json
    assert body["applied"] and body["created"] == 2 and body["rejected"] == []
    saved = institutions(client)
    wuhu, kunshan = saved["芜湖市中小企业公共服务平台"], saved["昆山市中小企业服务中心"]
    assert wuhu["operator"] == "芜湖市中小企业服务中心" and kunshan["operator"] == "昆山市工业技术研究院"
    assert wuhu["demonstration_platform"] and kunshan["demonstration_platform"]
    [designation] = wuhu["designations"]
    assert designation["kind"] == "national_demo_platform" and designation["batch"] == "2023年第八批"
    assert kunshan["designations"][0]["granted_on"] == "2023-11-20"
    bad = post(client, text.replace("2023-11-20", "2023-02-30").encode(), make_admin("other")).json
    assert not bad["applied"] and {r["field"] for r in bad["rejected"]} == {"designation_batch"}
    assert bad["rejected"][0]["column"] == "批次"


PROVINCIAL_LIST = ("2022年度江苏省小型微型企业创业创新示范基地名单\n"
                   "序号,平台名称,所在地区,服务内容,认定年份\n"
                   "1,苏州工业园区创业创新基地,江苏省苏州市,创业辅导、投融资,2022年\n")


def test_the_kind_of_a_batch_column_is_chosen_and_the_default_stays_national(client, make_admin):
    headers = make_admin()
    body = client.post("/api/v1/institutions/import?designation_kind=provincial_base", headers=headers,
                       data=PROVINCIAL_LIST.encode(), content_type="text/csv").json
    assert body["applied"] and body["created"] == 1 and body["rejected"] == []
    base = institutions(client)["苏州工业园区创业创新基地"]
    assert [(d["kind"], d["batch"]) for d in base["designations"]] == [("provincial_base", "2022年")]
    assert not base["demonstration_platform"]   # a provincial base is not the national platform
    form = {"file": (io.BytesIO(PROVINCIAL_LIST.replace("苏州工业园区", "昆山").encode()), "名单.csv"),
            "designation_kind": "provincial_demo_platform"}
    assert client.post("/api/v1/institutions/import", headers=headers, data=form,
                       content_type="multipart/form-data").json["created"] == 1
    kunshan = institutions(client)["昆山创业创新基地"]
    assert [d["kind"] for d in kunshan["designations"]] == ["provincial_demo_platform"]
    post(client, PROVINCIAL_LIST.replace("苏州工业园区", "无锡").encode(), headers)
    assert [d["kind"] for d in institutions(client)["无锡创业创新基地"]["designations"]] == ["national_demo_platform"]


def test_an_unknown_designation_kind_is_a_422_naming_it_and_nothing_changes(client, make_admin):
    headers = make_admin()
    for kind in ("demonstration_platform", "'; DROP TABLE designation; --", "x" * 5000):
        response = client.post("/api/v1/institutions/import", headers=headers, data=PROVINCIAL_LIST.encode(),
                               content_type="text/csv", query_string={"designation_kind": kind})
        assert response.status_code == 422, response.json
        assert set(response.json["errors"]) == {"designation_kind"}
    assert "苏州工业园区创业创新基地" not in institutions(client)


def test_a_designations_column_grants_each_kind_with_its_batch_and_refuses_unknown_kinds(client, make_admin):
    text = ("name,region_code,services,designations\n"
            "苏州市中小企业服务中心,320500,policy,national_demo_platform:2021年第五批; provincial_base:2019年\n"
            "昆山市中小企业服务中心,320583,policy,provincial_demo_platform\n")
    headers = make_admin()
    body = post(client, text.encode(), headers).json
    assert body["applied"] and body["rejected"] == []
    saved = institutions(client)
    assert sorted((d["kind"], d["batch"]) for d in saved["苏州市中小企业服务中心"]["designations"]) == [
        ("national_demo_platform", "2021年第五批"), ("provincial_base", "2019年")]
    assert [(d["kind"], d["batch"]) for d in saved["昆山市中小企业服务中心"]["designations"]] == [
        ("provincial_demo_platform", None)]
    for cell in ("city_star:2020年", "provincial_base; provincial_base:2020年", "national_base:2020-02-30"):
        bad = post(client, text.replace("provincial_demo_platform", cell).encode(), headers).json
        assert not bad["applied"] and [(r["row"], r["field"]) for r in bad["rejected"]] == [(3, "designations")]
        assert bad["rejected"][0]["column"] == "designations" and bad["rejected"][0]["message_zh"]
