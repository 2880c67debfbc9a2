"""Deadlines in working days of China's official calendar: holidays off, adjusted weekend days (调休) on."""
from datetime import date

import pytest
from service_request_support import shanghai

from directory.service_requests.working_days import add_working_days, deadline_after, is_working_day


@pytest.mark.parametrize("day,working", [
    (date(2026, 10, 1), False),   # 国庆节
    (date(2026, 10, 7), False),   # still the National Day holiday (a weekday)
    (date(2026, 10, 10), True),   # a Saturday made a working day for the holiday
    (date(2026, 9, 20), True),    # a Sunday made a working day
    (date(2026, 2, 14), True),    # Saturday before 春节 2026, a working day
    (date(2026, 2, 17), False),   # 春节 2026
    (date(2027, 2, 8), False),    # 春节 2027
    (date(2026, 12, 7), True),    # an ordinary Monday
    (date(2026, 12, 12), False),  # an ordinary Saturday
])
def test_the_official_calendar(day, working):
    assert is_working_day(day) is working


def test_two_working_days_from_the_day_before_national_day():
    # Submitted 30 September 2026: 1–7 October are off, the 8th and 9th are the two working days.
    assert deadline_after(shanghai("2026-09-30T16:00"), 2) == shanghai("2026-10-10T00:00")


def test_an_adjusted_saturday_counts():
    # Friday 9 October 2026 + 1 working day = Saturday the 10th, a working day that year.
    assert deadline_after(shanghai("2026-10-09T09:00"), 1) == shanghai("2026-10-11T00:00")


def test_two_working_days_from_the_day_before_spring_festival_2027():
    # Thursday 4 February 2027: the Spring Festival holiday runs 5–10 February.
    assert deadline_after(shanghai("2027-02-04T10:00"), 2) == shanghai("2027-02-13T00:00")


def test_fifteen_working_days_skip_weekends_and_holidays():
    # From 中秋 (25 September 2026): 28–30 Sep (3), 8–10 Oct with the adjusted Saturday (6),
    # 12–16 Oct (11), 19–22 Oct (15).
    assert add_working_days(date(2026, 9, 25), 15) == date(2026, 10, 22)


def test_a_late_evening_submission_counts_from_its_own_day_in_china():
    # 23:30 in Shanghai is still 15:30 UTC of the same day; the next working days follow it.
    assert deadline_after(shanghai("2026-12-07T23:30"), 2) == shanghai("2026-12-10T00:00")
