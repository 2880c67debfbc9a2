"""Coverage at the end of a past day: created_at and closed_at decide, not the status."""
import pytest

from directory.database import get_session
from directory.statistics.coverage import coverage_summary


@pytest.fixture
def dated_network(add_institution, set_history):
    set_history(add_institution("国家中心", "national", None), "2019-01-01T00:00:00+00:00")
    # Closed at 20:00 China Standard Time on 30 June 2023: gone by the end of that day.
    set_history(add_institution("江苏省中心", "provincial", "320000", status="closed"),
                "2020-01-01T00:00:00+00:00", "2023-06-30T12:00:00+00:00")
    # Suspended now, but active in the past.
    set_history(add_institution("苏州市中心", "municipal", "320500", status="suspended"),
                "2022-05-10T00:00:00+00:00")
    # 01:00 on 1 February 2025 in China Standard Time.
    set_history(add_institution("昆山市中心", "county", "320583"), "2025-01-31T17:00:00+00:00")


def covered(app, as_of=None, region_code=None):
    with app.test_request_context():
        result = coverage_summary(get_session(), as_of=as_of, region_code=region_code)
    return {lvl["level"]: lvl["covered"] for lvl in result["levels"]}, result


@pytest.mark.parametrize("as_of, expected, national", [
    ("2018-12-31", {"provincial": 0, "municipal": 0, "county": 0}, 0),
    ("2021-01-01", {"provincial": 1, "municipal": 0, "county": 0}, 1),
    ("2023-06-29", {"provincial": 1, "municipal": 1, "county": 0}, 1),
    ("2023-06-30", {"provincial": 0, "municipal": 1, "county": 0}, 1),
    ("2025-01-31", {"provincial": 0, "municipal": 1, "county": 0}, 1),
    ("2025-02-01", {"provincial": 0, "municipal": 1, "county": 1}, 1),
])
def test_coverage_as_of_a_day(app, dated_network, as_of, expected, national):
    from datetime import date
    levels, result = covered(app, date.fromisoformat(as_of))
    assert levels == expected
    assert result["national_institutions"] == national
    assert result["as_of"] == as_of
    assert result["municipal_and_above"]["covered"] == expected["provincial"] + expected["municipal"]


def test_now_a_suspended_institution_does_not_count(app, dated_network):
    levels, result = covered(app)
    assert levels == {"provincial": 0, "municipal": 0, "county": 1}
    assert result["as_of"] is None


def test_as_of_inside_a_province(app, dated_network):
    from datetime import date
    levels, result = covered(app, date(2023, 6, 29), "320000")
    assert levels == {"provincial": 1, "municipal": 1, "county": 0}
    assert result["municipal_and_above"] == {"divisions": 14, "covered": 2, "rate": pytest.approx(2 / 14)}
    assert result["national_institutions"] == 0
