"""Demonstration platforms and institutions per category, counted among active institutions."""
import pytest

from directory.database import get_session
from directory.statistics.composition import demonstration_platforms, institutions_by_category


@pytest.fixture
def network(add_institution):
    add_institution("国家中心", "national", None, ("policy", "financing"), demonstration_platform=True)
    add_institution("江苏省中心", "provincial", "320000", ("policy",), demonstration_platform=True)
    add_institution("苏州市中心", "municipal", "320500", ("financing",))
    add_institution("昆山市中心", "county", "320583", ("legal",), status="suspended", demonstration_platform=True)
    add_institution("杭州市中心", "municipal", "330100", ("policy", "legal"), demonstration_platform=True)


def test_demonstration_platforms(app, network):
    with app.test_request_context():
        national = demonstration_platforms(get_session())
        jiangsu = demonstration_platforms(get_session(), region_code="320000")
    assert national == {"total": 3, "by_level": {"national": 1, "provincial": 1, "municipal": 1, "county": 0}}
    assert jiangsu == {"total": 1, "by_level": {"national": 0, "provincial": 1, "municipal": 0, "county": 0}}


def test_institutions_by_category(app, network):
    with app.test_request_context():
        rows = {row["code"]: row for row in institutions_by_category(get_session())}
        jiangsu = {row["code"]: row["institutions"] for row in
                   institutions_by_category(get_session(), region_code="320000")}
    assert len(rows) == 10
    assert rows["policy"]["institutions"] == 3
    assert rows["policy"]["by_level"] == {"national": 1, "provincial": 1, "municipal": 1, "county": 0}
    assert rows["financing"]["by_level"] == {"national": 1, "provincial": 0, "municipal": 1, "county": 0}
    assert rows["legal"]["institutions"] == 1  # 昆山 is suspended
    assert rows["talent"]["institutions"] == 0
    assert (jiangsu["policy"], jiangsu["financing"], jiangsu["legal"]) == (1, 1, 0)
