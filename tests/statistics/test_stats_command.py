"""flask stats coverage in its three formats, and its errors."""
import csv
import io
import json

import pytest


@pytest.fixture
def small_network(add_institution):
    add_institution("国家中心", "national", None)
    add_institution("江苏省中心", "provincial", "320000")
    add_institution("苏州市中心", "municipal", "320500")
    add_institution("昆山市中心", "county", "320583")


def test_table(runner, small_network):
    result = runner.invoke(args=["stats", "coverage"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].split() == ["provincial", "31", "1", "3.2%", "1"]
    assert lines[4].split() == ["municipal_and_above", "364", "2", "0.5%"]
    assert lines[5].split() == ["national", "1"]
    provinces = {line.split()[0]: line for line in lines[7:]}                 # uncovered, by province name
    assert len(provinces) == 31 and "110000" not in provinces
    assert provinces["江苏省"].startswith("  江苏省 320000: 106 (12 prefecture-level, 94 county-level)")
    assert "the province itself" in provinces["浙江省"]


def test_json_inside_a_province(runner, small_network):
    result = runner.invoke(args=["stats", "coverage", "--region", "320000", "--format", "json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["municipal_and_above"] == {"divisions": 14, "covered": 2, "rate": pytest.approx(2 / 14)}
    assert [lvl["covered"] for lvl in body["levels"]] == [1, 1, 1]


def test_csv_as_of(runner, small_network):
    result = runner.invoke(args=["stats", "coverage", "--as-of", "2020-01-01", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [row["level"] for row in rows] == ["provincial", "municipal", "county", "municipal_and_above", "national"]
    assert rows[0] == {"level": "provincial", "divisions": "31", "covered": "0", "rate": "0.0",
                       "institutions": "0"}
    assert rows[3]["divisions"] == "364"


@pytest.mark.parametrize("args, message", [
    (["--region", "320500"], "not a mainland province"),
    (["--region", "990000"], "Unknown region code"),
    (["--as-of", "2024-02-30"], "not a date"),
    (["--as-of", "2999-01-01"], "in the future"),
    (["--format", "xml"], "xml"),
])
def test_errors(runner, args, message):
    result = runner.invoke(args=["stats", "coverage", *args])
    assert result.exit_code != 0
    assert message in result.output
