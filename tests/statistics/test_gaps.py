"""Uncovered divisions by province, and the counties a category does not reach."""
import pytest

from directory.database import get_session
from directory.statistics.gaps import category_blind_spots, uncovered_by_province

JIANGSU_COUNTIES, NANJING_COUNTIES = 95, 11


def test_uncovered_by_province(app, add_institution):
    add_institution("江苏省中心", "provincial", "320000")
    add_institution("苏州市中心", "municipal", "320500")
    with app.test_request_context():
        national = {p["code"]: p for p in uncovered_by_province(get_session())}
        jiangsu = uncovered_by_province(get_session(), region_code="320000")
    assert len(national) == 31 and "810000" not in national
    assert national["330000"]["uncovered"]["provincial"] == 1
    assert jiangsu == [national["320000"]]
    assert jiangsu[0]["name"] == "江苏省"
    assert jiangsu[0]["uncovered"] == {"provincial": 0, "municipal": 12, "county": JIANGSU_COUNTIES}
    assert {"code": "320100", "name": "南京市"} in jiangsu[0]["divisions"]["municipal"]


@pytest.fixture
def legal_network(add_institution):
    add_institution("国家法律服务中心", "national", None, ("legal",))        # national: does not count
    add_institution("南京市法律服务中心", "municipal", "320100", ("legal",))   # reaches Nanjing's counties
    add_institution("昆山市中心", "county", "320583", ("legal",))            # reaches Kunshan only
    add_institution("江阴市中心", "county", "320281", ("legal",), status="suspended")
    add_institution("浙江省中心", "provincial", "330000", ("legal",))          # reaches every Zhejiang county
    add_institution("北京市服务中心", "municipal", "110000", ("legal",))       # Beijing's districts hang on it
    add_institution("苏州市中心", "municipal", "320500", ("policy",))         # another category


def blind_codes(app, **scope):
    with app.test_request_context():
        return [spot["code"] for spot in category_blind_spots(get_session(), category="legal", **scope)]


def test_category_blind_spots_in_a_province(app, legal_network):
    codes = blind_codes(app, region_code="320000")
    assert len(codes) == JIANGSU_COUNTIES - NANJING_COUNTIES - 1
    assert "320105" not in codes and "320583" not in codes
    assert {"320505", "320281"} <= set(codes)  # Suzhou's other districts; 江阴 is suspended


def test_category_blind_spots_nationally(app, legal_network):
    codes = blind_codes(app)
    assert not [c for c in codes if c.startswith(("33", "11"))]
    assert "120101" in codes and "710000" not in codes
    assert codes == sorted(codes)
