"""coverage_summary against hand-computed figures on a small registry."""
import pytest

from directory.database import get_session
from directory.statistics.coverage import coverage_summary


@pytest.fixture
def small_network(add_institution):
    add_institution("国家中心", "national", None)
    add_institution("江苏省中心", "provincial", "320000")
    add_institution("江苏省知识产权保护中心", "provincial", "320000")     # same province: counted once
    add_institution("苏州市中心", "municipal", "320500")
    add_institution("南京市中心", "municipal", "320100", status="suspended")  # not active: no coverage
    add_institution("北京市服务中心", "municipal", "110000")           # municipality: no prefecture to cover
    add_institution("昆山市中心", "county", "320583")
    add_institution("常熟市中心", "county", "320581", status="closed")
    add_institution("杭州市中心", "municipal", "330100")


def summary(app, region_code=None):
    with app.test_request_context():
        return coverage_summary(get_session(), region_code=region_code)


def test_national_figures(app, small_network):
    result = summary(app)
    levels = {lvl["level"]: lvl for lvl in result["levels"]}
    assert levels["provincial"] == {"level": "provincial", "divisions": 31, "covered": 1,
                                    "rate": pytest.approx(1 / 31), "institutions": 2}
    assert levels["municipal"] | {"rate": None} == {"level": "municipal", "divisions": 333, "covered": 2,
                                                    "rate": None, "institutions": 3}
    assert levels["county"]["divisions"] == 2846 and levels["county"]["covered"] == 1
    assert levels["county"]["institutions"] == 1
    assert result["national_institutions"] == 1
    assert result["municipal_and_above"] == {"divisions": 364, "covered": 3, "rate": pytest.approx(3 / 364)}
    uncovered = {u["code"] for u in result["uncovered"]}
    assert {"320100", "320581", "330000"} <= uncovered and not {"320000", "320500", "320583"} & uncovered
    assert "810000" not in uncovered  # Hong Kong is outside the denominators


def test_inside_a_province(app, small_network):
    result = summary(app, "320000")
    levels = {lvl["level"]: lvl for lvl in result["levels"]}
    assert (levels["provincial"]["divisions"], levels["provincial"]["covered"]) == (1, 1)
    assert (levels["municipal"]["divisions"], levels["municipal"]["covered"]) == (13, 1)
    assert levels["municipal"]["institutions"] == 1  # 南京 is suspended; 杭州 is elsewhere
    assert result["municipal_and_above"] == {"divisions": 14, "covered": 2, "rate": pytest.approx(2 / 14)}
    assert all(u["code"].startswith("32") for u in result["uncovered"])
