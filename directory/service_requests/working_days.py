"""Working days of mainland China: weekends and public holidays off, adjusted weekend days (调休) on.

The calendar comes from the maintained ``holidays`` package (its ``China`` calendar knows the
State Council's holiday schedules, including the Saturdays and Sundays made working days), not
from a hand-kept list. ``chinesecalendar`` was considered: its latest release covers years up to
2026 only. A deadline of N working days ends at midnight (Asia/Shanghai) after the Nth working
day following the day of submission.
"""
import functools
from datetime import date, datetime, time, timedelta

import holidays

from directory.timestamps import SHANGHAI


@functools.lru_cache(maxsize=64)
def _calendar(year: int) -> holidays.HolidayBase:
    return holidays.China(years=year)


def is_working_day(day: date) -> bool:
    """Whether ``day`` is a working day in mainland China (adjusted weekend working days included)."""
    return _calendar(day.year).is_working_day(day)


def add_working_days(day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` (``day`` itself not counted)."""
    found = 0
    while found < count:
        day += timedelta(days=1)
        found += is_working_day(day)
    return day


def deadline_after(moment: datetime, working_days: int) -> datetime:
    """The end (24:00 Asia/Shanghai) of the ``working_days``-th working day after ``moment``'s day."""
    last = add_working_days(moment.astimezone(SHANGHAI).date(), working_days)
    return datetime.combine(last + timedelta(days=1), time(0), tzinfo=SHANGHAI)


def working_days_between(start: datetime, end: datetime) -> int:
    """How many working days lie after ``start``'s day up to and including ``end``'s day (Asia/Shanghai)."""
    first, last = start.astimezone(SHANGHAI).date(), end.astimezone(SHANGHAI).date()
    return sum(is_working_day(first + timedelta(days=n)) for n in range(1, (last - first).days + 1))
