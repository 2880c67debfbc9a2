"""flask --app wsgi match-batch IN OUT and POST /api/v1/match/batch."""
import csv
import io

INPUT = ("enterprise_name,region,need\n"
         "昆山精密机械有限公司,320583,专利被侵权想维权\n"
         "苏州云智科技,苏州市,想申请贷款\n"
         "无需求公司,320583,\n"
         "某某公司,鼓楼区,招聘技术工人\n"
         "=HYPERLINK(\"http://x\"),火星市,贷款\n"
         "全国企业,,专利申请\n")


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_batch_matches_good_rows_and_reports_bad_ones(runner, add_institution, tmp_path):
    ip_centre = add_institution("昆山市知识产权服务中心", "county", "320583", services=("ip",))
    add_institution("苏州市中小企业融资服务平台", "municipal", "320500", services=("financing",))
    add_institution("国家知识产权服务平台", "national", None, services=("ip",))
    infile, outfile = tmp_path / "in.csv", tmp_path / "out.csv"
    infile.write_text(INPUT, encoding="utf-8")
    result = runner.invoke(args=["match-batch", str(infile), str(outfile)])
    assert result.exit_code == 0, result.output
    assert "3 row(s) matched, 3 with an error" in result.output
    out = rows_of(outfile.read_text(encoding="utf-8-sig"))
    assert [r["row"] for r in out] == ["2", "3", "4", "5", "6", "7"]
    assert out[0]["provider_id"] == str(ip_centre) and out[0]["tier"] == "county" and out[0]["categories"] == "ip"
    assert out[1]["region_code"] == "320500" and out[1]["provider"] == "苏州市中小企业融资服务平台"
    assert out[2]["error"] == "need: empty"
    assert "fits several divisions" in out[3]["error"] and "320106" in out[3]["error"]
    assert out[4]["enterprise_name"].startswith("'=") and "no division called 火星市" in out[4]["error"]
    assert out[5]["tier"] == "national" and out[5]["error"] == ""


def test_batch_refuses_a_file_without_a_need_column(runner, tmp_path):
    infile = tmp_path / "in.csv"
    infile.write_text("name,place\nx,y\n", encoding="utf-8")
    result = runner.invoke(args=["match-batch", str(infile), str(tmp_path / "out.csv")])
    assert result.exit_code != 0 and "need is required" in result.output


def test_batch_upload_needs_a_token_and_answers_csv(client, make_admin, add_institution):
    add_institution("昆山市知识产权服务中心", "county", "320583", services=("ip",))
    admin = make_admin()
    assert client.post("/api/v1/match/batch", data=INPUT.encode(), content_type="text/csv").status_code == 401
    response = client.post("/api/v1/match/batch", data=INPUT.encode(), content_type="text/csv", headers=admin)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert len(rows_of(response.get_data(as_text=True))) == 6
    bad = client.post("/api/v1/match/batch", data=b"a,b\n1,2\n", content_type="text/csv", headers=admin)
    assert bad.status_code == 422 and "need" in bad.json["message"]


PINYIN_INPUT = ("enterprise_name,region,need\n"
                "A,Kunshan,专利被侵权想维权\n"
                "B,Suzhou Gusu,我们需要钱\n"
                "C,Nanjing Gulou,工人老是留不住\n"
                "D,Pudong New Area,参加中博会\n"
                "E,Gulou,贷款\n"
                "F,Kunshan City,  知识 产权  \n")


def test_batch_resolves_places_typed_in_pinyin_or_english(runner, add_institution, tmp_path):
    ip_centre = add_institution("昆山市知识产权服务中心", "county", "320583", services=("ip",))
    infile, outfile = tmp_path / "in.csv", tmp_path / "out.csv"
    infile.write_text(PINYIN_INPUT, encoding="utf-8")
    result = runner.invoke(args=["match-batch", str(infile), str(outfile)])
    assert result.exit_code == 0, result.output
    out = rows_of(outfile.read_text(encoding="utf-8-sig"))
    assert [(r["region_code"], r["region"]) for r in out[:4]] == [
        ("320583", "昆山市"), ("320508", "姑苏区"), ("320106", "鼓楼区"), ("310115", "浦东新区")]
    assert [r["categories"] for r in out[:4]] == ["ip", "financing", "talent", "market"]
    assert out[0]["provider_id"] == str(ip_centre) and out[0]["tier"] == "county"
    assert "fits several divisions" in out[4]["error"] and "320106" in out[4]["error"]
    assert out[5]["region_code"] == "320583" and out[5]["provider_id"] == str(ip_centre)


def test_batch_upload_resolves_pinyin_places_too(client, make_admin):
    response = client.post("/api/v1/match/batch", data=PINYIN_INPUT.encode(), content_type="text/csv",
                           headers=make_admin())
    assert response.status_code == 200
    out = rows_of(response.get_data(as_text=True))
    assert [r["region_code"] for r in out] == ["320583", "320508", "320106", "310115", "", "320583"]
