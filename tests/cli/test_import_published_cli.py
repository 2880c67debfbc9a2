"""flask --app wsgi import-institutions with published lists and --map."""
import json

from published_lists import as_csv, as_xlsx, list_rows


def total(client) -> int:
    return json.loads(client.get("/api/v1/institutions").headers["X-Pagination"])["total"]


def test_a_published_list_in_gb18030_with_separate_place_columns_goes_in(runner, client, tmp_path):
    path = tmp_path / "名单.csv"
    path.write_bytes(as_csv(list_rows(separate_place_columns=True), encoding="gb18030"))
    result = runner.invoke(args=["import-institutions", str(path)])
    assert result.exit_code == 0, result.output
    assert "47 institution(s) were created" in result.output and total(client) == 47


def test_map_reads_a_column_the_synonyms_do_not_know(runner, client, tmp_path):
    rows = list_rows()
    rows[1] = ["序号", "平台（基地）全称", "运营单位", "所在地区", "主要服务", "联系电话", "备注"]
    path = tmp_path / "名单.xlsx"
    path.write_bytes(as_xlsx(rows))
    refused = runner.invoke(args=["import-institutions", str(path), "--dry-run"])
    assert refused.exit_code == 1 and "row 2: name: Required column is missing" in refused.output
    result = runner.invoke(args=["import-institutions", str(path), "--map", "平台（基地）全称=name",
                                 "--map", "运营单位=ignore"])
    assert result.exit_code == 0, result.output
    assert total(client) == 47


def test_every_problem_of_a_row_is_reported_with_its_column(runner, client, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(as_csv([["名称", "层级", "所在地区", "服务内容", "联系电话", "电子邮箱"],
                             ["太仓市中小企业服务中心", "省级", "江苏省苏州市太仓市", "政策咨询", "电话待定", "no-at-sign"]]))
    result = runner.invoke(args=["import-institutions", str(path)])
    assert result.exit_code == 1
    assert "row 2: phone: Not a valid phone number" in result.output and "(column 联系电话)" in result.output
    assert "row 2: email: Not a valid email address. (column 电子邮箱)" in result.output
    assert "row 2: region_code: 太仓市 (320585) is a county" in result.output
    assert "3 problem(s) found" in result.output and total(client) == 0


def test_a_malformed_map_is_a_usage_error(runner, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(as_csv([["名称", "服务内容"], ["某平台", "投融资"]]))
    for bad in ("平台名称", "平台名称=colour"):
        result = runner.invoke(args=["import-institutions", str(path), "--map", bad])
        assert result.exit_code == 2 and "--map" in result.output
