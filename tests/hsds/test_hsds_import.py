"""HSDS datasets in: our own export round-trips the whole sample network with 0 differences; a
foreign dataset is mapped (classifier for its terms, address words for places) and what cannot
be placed is reported; the API, the CLI and the export endpoint."""
import io
import json
import zipfile

import pytest
from sqlalchemy import select
from sqlmodel import Session

from directory import create_app
from directory.database import get_engine
from directory.hsds import mapping
from directory.hsds.export import dataset_bytes, export_institutions
from directory.institutions.models import Institution
from directory.institutions.service import institutions_query
from directory.timestamps import today
from hsds.validation import assert_valid

COMPARED = ("name", "level", "region_code", "services", "description", "address", "phone", "email", "website",
            "status", "demonstration_platform")
SUZHOU, GUSU = "320500", "320508"


def registry_rows(app) -> list[tuple]:
    """Every institution as the compared fields and its active designations (kind, batch), sorted (ids and
    timestamps differ by design; revoked designations are history the export leaves out)."""
    with app.app_context(), Session(get_engine()) as session:
        institutions, day = session.scalars(select(Institution)), today()
        return sorted(tuple(str(getattr(i, f)) for f in COMPARED)
                      + (str(sorted((d.kind, d.batch or "") for d in i.designations if d.active_on(day))),)
                      for i in institutions)


@pytest.fixture(scope="module")
def sample_exports(sample_database_url):
    """The whole sample network exported as JSON and as the tabular zip, and its rows."""
    app = create_app({"DATABASE_URL": sample_database_url, "TESTING": True})
    with app.app_context(), Session(get_engine()) as session:
        institutions = export_institutions(session, institutions_query())
        exports = {kind: dataset_bytes(session, institutions, kind=kind) for kind in ("json", "zip")}
        get_engine().dispose()
    return exports, registry_rows(app)


def post_import(client, data: bytes, headers, query="") -> dict:
    response = client.post(f"/api/v1/institutions/import{query}", headers=headers, data=data,
                           content_type="application/octet-stream")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.json


def test_the_whole_sample_network_round_trips_through_the_api_as_zip(app, client, make_admin, sample_exports):
    exports, original = sample_exports
    held = [kind for row in original for kind in ("national_demo_platform", "provincial_demo_platform",
                                                  "national_base", "provincial_base") if f"('{kind}'" in row[-1]]
    assert len(set(held)) == 4 and len(held) > 300   # every kind, with their batches, must come back
    assert sum(row[-1].count("年") for row in original) > 300   # batches such as 2019年第四批
    report = post_import(client, exports["zip"], make_admin())
    assert report["rejected"] == [] and report["applied"] and report["created"] == len(original)
    assert_same_registry(app, original, "zip, API")


def test_the_whole_sample_network_round_trips_through_the_cli_as_json(app, runner, sample_exports, tmp_path):
    exports, original = sample_exports
    path = tmp_path / "network.hsds.json"
    path.write_bytes(exports["json"])   # larger than the API's 10 MB upload limit: the CLI takes any size
    result = runner.invoke(args=["import-institutions", str(path)])
    assert result.exit_code == 0 and f"{len(original)} institution(s) were created" in result.output
    assert_same_registry(app, original, "json, CLI")


def assert_same_registry(app, original: list[tuple], kind: str) -> None:
    imported = registry_rows(app)
    differences = len(set(original) ^ set(imported)) + abs(len(original) - len(imported))
    print(f"\nHSDS round trip ({kind}): {len(original)} institutions, {differences} differences")
    assert differences == 0


def test_a_dry_run_of_our_export_changes_nothing(app, client, make_admin, sample_exports):
    report = post_import(client, sample_exports[0]["zip"], make_admin(), "?dry_run=true")
    assert report["created"] == len(sample_exports[1]) and report["dry_run"] and not report["applied"]
    assert registry_rows(app) == []


def test_importing_the_export_again_updates_instead_of_duplicating(app, client, make_admin, add_institution):
    add_institution("苏州市中小企业公共服务中心", "municipal", SUZHOU, services=("ip",))
    with app.app_context(), Session(get_engine()) as session:
        data = dataset_bytes(session, export_institutions(session, institutions_query()), kind="json")
    report = post_import(client, data, make_admin())
    assert (report["created"], report["updated"]) == (0, 1)
    assert len(registry_rows(app)) == 1


def test_scope_is_the_import_scope(client, make_admin, sample_exports):
    report = post_import(client, sample_exports[0]["zip"], make_admin("jiangsu", "320000"), "?dry_run=true")
    assert report["rejected"] and not report["applied"]
    assert all(r["field"] == "region_code" and "scope" in r["message"] for r in report["rejected"])
    assert all(r["record"] for r in report["rejected"])   # the HSDS organization id of each refused row


def foreign_dataset() -> dict:
    """Another directory's HSDS: its own vocabulary, no levels, places as words only."""
    def org(n, name, province, city, county=""):
        return {"id": f"00000000-0000-4000-8000-{n:012d}", "name": name, "description": f"{name}简介",
                "email": f"org{n}@example.org", "phones": [{"id": f"10000000-0000-4000-8000-{n:012d}",
                                                            "number": "0512-6800123" + str(n)}],
                "locations": [{"id": f"20000000-0000-4000-8000-{n:012d}", "location_type": "physical",
                               "addresses": [{"id": f"30000000-0000-4000-8000-{n:012d}",
                                              "address_1": f"{city}{county}某路{n}号", "city": city,
                                              "region": county, "state_province": province, "postal_code": "215000",
                                              "country": "CN", "address_type": "physical"}]}]}

    def term(n, name):
        return {"id": f"40000000-0000-4000-8000-{n:012d}", "name": name, "description": name,
                "taxonomy": "other-directory-vocabulary", "code": f"T{n}"}

    terms = {"patent": term(1, "专利申请与商标注册"), "loan": term(2, "银行贷款与融资担保"),
             "hr": term(3, "人才招聘和技能培训"), "yoga": term(4, "瑜伽冥想")}

    def service(n, org_n, name, term_key):
        return {"id": f"50000000-0000-4000-8000-{n:012d}", "organization_id": f"00000000-0000-4000-8000-{org_n:012d}",
                "name": name, "status": "active",
                "attributes": [{"id": f"60000000-0000-4000-8000-{n:012d}", "taxonomy_term_id": terms[term_key]["id"],
                                "link_entity": "service", "taxonomy_term": terms[term_key]}]}

    return {"organizations": [org(1, "姑苏区企业服务站", "江苏省", "苏州市", "姑苏区"),
                              org(2, "苏州市创新服务中心", "江苏", "苏州市"),
                              org(3, "某地服务中心", "火星省", "奥林匹斯市"),
                              org(4, "身心服务社", "浙江省", "杭州市")],
            "services": [service(1, 1, "知识产权窗口", "patent"), service(2, 1, "融资窗口", "loan"),
                         service(3, 2, "人才窗口", "hr"), service(4, 3, "知识产权服务", "patent"),
                         service(5, 4, "放松课程", "yoga")],
            "taxonomy_terms": list(terms.values())}


def test_a_foreign_dataset_is_mapped_and_every_unplaceable_record_reported(app, client, make_admin):
    dataset, admin = foreign_dataset(), make_admin()
    report = post_import(client, json.dumps(dataset, ensure_ascii=False).encode(), admin)
    assert not report["applied"] and report["created"] == 0 and registry_rows(app) == []
    refused = {(r["row"], r["field"]) for r in report["rejected"]}
    assert (4, "region_code") in refused                                  # 火星省 is nowhere
    assert (5, "services") in refused                                     # 瑜伽冥想 is no SME service
    assert not {row for row, _field in refused} & {2, 3}                  # the placeable ones pass
    assert next(r for r in report["rejected"] if r["row"] == 4)["record"] == dataset["organizations"][2]["id"]
    placeable = dataset | {"organizations": dataset["organizations"][:2], "services": dataset["services"][:3]}
    report = post_import(client, json.dumps(placeable, ensure_ascii=False).encode(), admin)
    assert report["applied"] and report["created"] == 2, report["rejected"]
    rows = {row[0]: row for row in registry_rows(app)}
    assert rows["姑苏区企业服务站"][1:4] == ("county", GUSU, str(["financing", "ip"]))
    assert rows["苏州市创新服务中心"][1:4] == ("municipal", SUZHOU, str(["talent"]))
    assert rows["姑苏区企业服务站"][6] == "0512-68001231"


def test_a_service_of_an_organization_missing_from_the_dataset_is_reported(app, client, make_admin):
    dataset = foreign_dataset()
    dataset["services"][4]["organization_id"] = "99999999-0000-4000-8000-000000000000"
    dataset = dataset | {"organizations": dataset["organizations"][:2]}
    report = post_import(client, json.dumps(dataset, ensure_ascii=False).encode(), make_admin())
    assert not report["applied"] and registry_rows(app) == []
    assert [(r["row"], r["field"]) for r in report["rejected"]] == [(0, "services")] * 2   # services 4 and 5
    messages = " ".join(r["message"] for r in report["rejected"])
    assert "99999999-0000-4000-8000-000000000000" in messages and dataset["services"][3]["id"] in messages


def test_a_foreign_list_of_services_with_nested_organizations_is_read(app, client, make_admin):
    dataset = foreign_dataset()
    organizations = {o["id"]: o for o in dataset["organizations"]}
    services = [s | {"organization": organizations[s["organization_id"]]} for s in dataset["services"][:3]]
    for service in services:
        del service["organization_id"]
    report = post_import(client, json.dumps(services, ensure_ascii=False).encode(), make_admin(), "?dry_run=true")
    assert report["rejected"] == [] and report["created"] == 2


@pytest.mark.parametrize("data, message", [
    (b"{not json", "JSON"), (b"[1, 2]", "list of objects"), (b'{"hello": 1}', "organizations"),
    (b'{"organizations": []}', "no organizations"), (b'{"organizations": "x"}', "list of objects"),
])
def test_unreadable_hsds_is_a_clear_rejection(client, make_admin, data, message):
    report = post_import(client, data, make_admin())
    assert not report["applied"] and message in report["rejected"][0]["message"]


def test_a_zip_bomb_or_bad_text_is_refused(client, make_admin):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("organizations.csv", "id,name\n" + "0" * (120 * 1024 * 1024))
    admin = make_admin()
    report = post_import(client, buffer.getvalue(), admin)
    assert "too large" in report["rejected"][0]["message"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("organizations.csv", "id,name\n1,\xff".encode("latin-1"))
    assert "UTF-8" in post_import(client, buffer.getvalue(), admin)["rejected"][0]["message"]


def test_export_api_gives_the_scope_as_hsds(client, make_admin, add_institution):
    add_institution("苏州市中小企业公共服务中心", "municipal", SUZHOU, services=("ip",))
    add_institution("杭州市中小企业服务中心", "municipal", "330100")
    jiangsu = make_admin("jiangsu", "320000")
    response = client.get("/api/v1/institutions/export?format=hsds", headers=jiangsu)
    package = json.loads(response.data)
    assert response.status_code == 200 and [o["name"] for o in package["organizations"]] == ["苏州市中小企业公共服务中心"]
    assert_valid(package["organizations"], "organization.json")
    response = client.get("/api/v1/institutions/export?format=hsds-zip", headers=make_admin())
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert {"organizations.csv", "services.csv", "addresses.csv", "attributes.csv", "taxonomy_terms.csv"} <= set(
        archive.namelist())
    assert len(archive.read("organizations.csv").decode().strip().splitlines()) == 3
    assert client.get("/api/v1/institutions/export?format=hsds").status_code == 401
    assert client.get("/api/v1/institutions/export?format=hsds&within=330000", headers=jiangsu).status_code == 403
    assert client.get("/api/v1/institutions/export?format=xml", headers=jiangsu).status_code == 422


def test_cli_exports_and_imports_hsds(app, runner, add_institution, tmp_path):
    add_institution("苏州市中小企业公共服务中心", "municipal", SUZHOU, services=("ip", "legal"))
    add_institution("杭州市中小企业服务中心", "municipal", "330100")
    target = tmp_path / "jiangsu.zip"
    result = runner.invoke(args=["export", "hsds", str(target), "--region", "320000", "--format", "zip"])
    assert result.exit_code == 0 and "1 organizations and 2 services" in result.output
    assert runner.invoke(args=["export", "hsds", str(tmp_path / "x.json"), "--region", "999999"]).exit_code == 2
    full = tmp_path / "all.json"
    assert runner.invoke(args=["export", "hsds", str(full)]).exit_code == 0
    ids = [o["id"] for o in json.loads(full.read_text(encoding="utf-8"))["organizations"]]
    with app.app_context(), Session(get_engine()) as session:
        assert ids == [mapping.organization_id(i) for i in session.scalars(select(Institution.id).order_by(Institution.id))]
    result = runner.invoke(args=["import-institutions", str(target), "--dry-run"])
    assert result.exit_code == 0 and "0 institution(s) would be created, 1 would be updated" in result.output


def designations_of(app, name: str) -> list[tuple]:
    with app.app_context(), Session(get_engine()) as session:
        institution = session.scalar(select(Institution).where(Institution.name == name))
        return sorted((d.kind, d.batch, d.revoked_on is None) for d in institution.designations)


def test_designations_round_trip_older_files_still_read_and_an_unknown_kind_is_a_row_problem(
        app, client, make_admin, add_institution):
    from directory.database import write_session
    from directory.institutions.designations import grant_designation, revoke_designation

    suzhou = add_institution("苏州市中小企业公共服务中心", "municipal", SUZHOU, services=("ip",))
    with app.app_context(), write_session() as session, session.begin():
        institution = session.get(Institution, suzhou)
        grant_designation(session, institution=institution, kind="provincial_base", batch="2020年第三批")
        grant_designation(session, institution=institution, kind="national_demo_platform", batch="2023年第八批")
        revoke_designation(session, designation=grant_designation(session, institution=institution,
                                                                  kind="national_base", batch="2018年"))
    with app.app_context(), Session(get_engine()) as session:
        package = json.loads(dataset_bytes(session, export_institutions(session, institutions_query()), kind="json"))
    [organization] = package["organizations"]
    exported = {(a["taxonomy_term"]["code"], a["value"]) for a in organization["attributes"]
                if a["link_type"] == mapping.DESIGNATIONS}
    assert exported == {("provincial_base", "2020年第三批"), ("national_demo_platform", "2023年第八批")}
    assert_valid([organization], "organization.json")
    before = designations_of(app, "苏州市中小企业公共服务中心")
    headers = make_admin()
    assert post_import(client, json.dumps(package).encode(), headers)["updated"] == 1
    assert designations_of(app, "苏州市中小企业公共服务中心") == before   # no revoke-and-grant churn

    older, unknown = json.loads(json.dumps(organization)), json.loads(json.dumps(organization))
    for copy, name, code in ((older, "吴江区中小企业服务中心", "demonstration_platform"),
                             (unknown, "常熟市中小企业服务中心", "city_star")):
        copy["id"], copy["name"] = mapping.hsds_id("test", name), name
        copy["attributes"] = [a for a in copy["attributes"] if a["link_type"] != mapping.DESIGNATIONS] + [{
            "id": mapping.hsds_id("test", name, "designation"), "link_id": copy["id"],
            "link_type": mapping.DESIGNATIONS, "link_entity": "organization", "value": "true", "taxonomy_term": {
                "id": mapping.term_id(mapping.DESIGNATIONS, code), "code": code, "name": code,
                "description": code, "taxonomy": mapping.DESIGNATIONS}}]
    def service_of(copy):
        return package["services"][0] | {"id": mapping.hsds_id("test", copy["id"], "service"),
                                         "organization_id": copy["id"]}

    def dataset(*copies) -> bytes:
        return json.dumps({"organizations": list(copies), "services": [service_of(c) for c in copies]}).encode()

    refused = post_import(client, dataset(older, unknown), headers)
    assert not refused["applied"] and [(r["row"], r["field"]) for r in refused["rejected"]] == [(3, "designations")]
    assert "city_star" in refused["rejected"][0]["message"] and refused["rejected"][0]["record"] == unknown["id"]
    assert post_import(client, dataset(older), headers)["created"] == 1
    assert designations_of(app, "吴江区中小企业服务中心") == [("national_demo_platform", None, True)]
