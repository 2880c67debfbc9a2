"""Coverage at each month's end, from the first institution's month to now."""
from datetime import date

import pytest

from directory.database import get_session
from directory.timestamps import today
from directory.statistics.trend import coverage_trend, month_ends


def test_month_ends():
    assert month_ends(date(2024, 1, 15), date(2024, 3, 10)) == [date(2024, 1, 31), date(2024, 2, 29),
                                                                date(2024, 3, 10)]


@pytest.fixture
def history(add_institution, set_history):
    set_history(add_institution("江苏省中心", "provincial", "320000"), "2025-01-15T00:00:00+00:00")
    set_history(add_institution("苏州市中心", "municipal", "320500", status="closed"),
                "2025-02-10T00:00:00+00:00", "2025-03-05T00:00:00+00:00")
    set_history(add_institution("昆山市中心", "county", "320583", status="suspended"),
                "2025-03-20T00:00:00+00:00")
    set_history(add_institution("杭州市中心", "municipal", "330100"), "2025-03-31T17:00:00+00:00")  # 1 April in China


def test_trend(app, history):
    with app.test_request_context():
        trend = coverage_trend(get_session())
    months = trend["months"]
    assert trend["divisions"] == {"provincial": 31, "municipal": 333, "county": 2846}
    assert [m["month"] for m in months[:4]] == ["2025-01", "2025-02", "2025-03", "2025-04"]
    assert [m["as_of"] for m in months[:2]] == ["2025-01-31", "2025-02-28"]
    assert [m["covered"] for m in months[:4]] == [
        {"provincial": 1, "municipal": 0, "county": 0},
        {"provincial": 1, "municipal": 1, "county": 0},
        {"provincial": 1, "municipal": 0, "county": 1},
        {"provincial": 1, "municipal": 1, "county": 1},
    ]
    assert months[1]["municipal_and_above"] == {"covered": 2, "rate": pytest.approx(2 / 364)}
    # The current month is today's coverage: the suspended county centre no longer counts.
    assert months[-1]["as_of"] == today().isoformat()
    assert months[-1]["covered"] == {"provincial": 1, "municipal": 1, "county": 0}


def test_trend_inside_a_province(app, history):
    with app.test_request_context():
        trend = coverage_trend(get_session(), region_code="320000")
    assert trend["divisions"] == {"provincial": 1, "municipal": 13, "county": 95}
    assert [m["covered"]["municipal"] for m in trend["months"][:4]] == [0, 1, 0, 0]
    assert trend["months"][1]["municipal_and_above"] == {"covered": 2, "rate": pytest.approx(2 / 14)}


def test_no_institutions_no_months(app):
    with app.test_request_context():
        assert coverage_trend(get_session())["months"] == []
