"""flask --app wsgi import-institutions FILE [--dry-run]."""
import json

HEADER = "name,level,region_code,services,phone,email\n"
GOOD = ("昆山市中小企业服务中心,county,320583,policy;financing,0512-57000001,ks@example.com\n"
        "苏州市知识产权服务中心,municipal,320500,ip、legal,0512-65000002,\n")


def total(client) -> int:
    return json.loads(client.get("/api/v1/institutions").headers["X-Pagination"])["total"]


def write(tmp_path, text: str, encoding: str = "utf-8"):
    path = tmp_path / "institutions.csv"
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_import_creates_every_row(runner, client, tmp_path):
    result = runner.invoke(args=["import-institutions", write(tmp_path, HEADER + GOOD)])
    assert result.exit_code == 0, result.output
    assert "2 institution(s) were created, 0 were updated" in result.output
    names = {i["name"]: i for i in client.get("/api/v1/institutions").json}
    assert names["苏州市知识产权服务中心"]["services"] == ["ip", "legal"]


def test_a_bad_row_is_reported_by_number_and_nothing_is_imported(runner, client, tmp_path):
    bad = HEADER + GOOD + "常州市中小企业公共服务中心,municipal,320583,policy,not-a-phone,\n"
    result = runner.invoke(args=["import-institutions", write(tmp_path, bad)])
    assert result.exit_code == 1
    assert "row 4: phone:" in result.output and "row 4: region_code:" not in result.output.split("phone")[0]
    assert "nothing was imported" in result.output
    assert total(client) == 0


def test_dry_run_changes_nothing(runner, client, tmp_path):
    result = runner.invoke(args=["import-institutions", write(tmp_path, HEADER + GOOD), "--dry-run"])
    assert result.exit_code == 0 and "2 institution(s) would be created" in result.output
    assert total(client) == 0


def test_gb18030_file_with_chinese_headers(runner, client, tmp_path):
    text = "名称,层级,地区代码,服务类别\n昆山市中小企业服务中心,县级,320583,policy\n"
    result = runner.invoke(args=["import-institutions", write(tmp_path, text, "gb18030")])
    assert result.exit_code == 0, result.output
    assert client.get("/api/v1/institutions").json[0]["level"] == "county"


def test_second_import_updates_instead_of_duplicating(runner, client, tmp_path):
    assert runner.invoke(args=["import-institutions", write(tmp_path, HEADER + GOOD)]).exit_code == 0
    changed = HEADER + "昆山市中小企业服务中心,county,320583,policy,0512-57999999,\n"
    result = runner.invoke(args=["import-institutions", write(tmp_path, changed)])
    assert "0 institution(s) were created, 1 were updated" in result.output
    kunshan = client.get("/api/v1/institutions?region_code=320583").json
    assert len(kunshan) == 1 and kunshan[0]["phone"] == "0512-57999999"


def test_missing_file_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(args=["import-institutions", str(tmp_path / "nope.csv")])
    assert result.exit_code != 0 and "does not exist" in result.output


BATCH_LIST = "name,region_code,services,批次\n苏州创业创新示范基地,320500,policy,2022年\n"


def test_the_designation_kind_of_the_batch_column_is_an_option(runner, client, tmp_path):
    result = runner.invoke(args=["import-institutions", write(tmp_path, BATCH_LIST),
                                 "--designation-kind", "national_base"])
    assert result.exit_code == 0, result.output
    [saved] = client.get("/api/v1/institutions").json
    assert [(d["kind"], d["batch"]) for d in saved["designations"]] == [("national_base", "2022年")]


def test_an_unknown_designation_kind_is_refused_before_reading(runner, client, tmp_path):
    result = runner.invoke(args=["import-institutions", write(tmp_path, BATCH_LIST), "--designation-kind", "gold"])
    assert result.exit_code == 2 and "--designation-kind" in result.output and "provincial_base" in result.output
    assert total(client) == 0
